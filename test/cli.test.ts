import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli.ts";
import { dataFolder, textRecord } from "./fixtures/corpus.ts";

async function cli(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(
    argv,
    { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) },
    {},
  );
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

describe("paperbot CLI --json contract", () => {
  it("search prints results best first with id, title and score", async () => {
    const { code, stdout } = await cli("search", "hessian", "rank", "--json");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.results[0]).toEqual({
      id: "2305.09088",
      title: expect.stringContaining("Hessian"),
      score: expect.any(Number),
    });
    const scores = json.results.map((result: { score: number }) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("search with no match prints empty results and exits 0", async () => {
    const { code, stdout } = await cli("search", "zzqx", "wvvk", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ results: [] });
  });

  it("paper prints the paper object", async () => {
    const { code, stdout } = await cli("paper", "https://arxiv.org/pdf/2305.09088v1.pdf", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).paper).toMatchObject({
      id: "2305.09088",
      title: "The Hessian perspective into the Nature of Convolutional Neural Networks",
      authors: ["Sidak Pal Singh", "Thomas Hofmann", "Bernhard Schölkopf"],
      abstract: expect.stringContaining("Hessian rank"),
      venue: "ICML 2023",
      published: "2023-05-15",
      url: "https://arxiv.org/abs/2305.09088",
    });
  });

  it("random prints a paper; ask adds the answer sentence", async () => {
    expect(JSON.parse((await cli("random", "venue:ICLR", "--json")).stdout).paper.id).toBe("2210.14019");
    const ask = JSON.parse((await cli("ask", "anything", "on", "cold", "posteriors?", "--json")).stdout);
    expect(ask.results[0].id).toBe("2205.13900");
    expect(ask.answer).toMatch(/cold posterior/i);
  });

  it("failures print an error object and exit 1", async () => {
    for (const argv of [
      ["paper", "2401.00001"],
      ["search", ""],
      ["frobnicate", "x"],
      ["search", "x", "--page", "0"],
    ]) {
      const { code, stdout } = await cli(...argv, "--json");
      expect(code).toBe(1);
      const { error } = JSON.parse(stdout);
      expect(error.code).toMatch(/^(not_found|empty_query|unknown_command|bad_input)$/);
      expect(error.message).toBeTruthy();
    }
  });

  it("check lists every data problem and exits 1; clean data exits 0", async () => {
    const folder = dataFolder({
      "p.txt": `${textRecord("2301.00001", "A.", { created: "2023-02-30" })}\nNo id here.\n`,
    });
    const bad = await cli("check", folder);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/p\.txt:4: .*bad date/);
    expect(bad.stdout).toMatch(/p\.txt:6: .*no arXiv id/);
    const good = await cli("check");
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("OK: 10 papers");
  });
});

describe("npx paperbot", () => {
  it("runs from the repo root as a real process", async () => {
    const { stdout } = await promisify(execFile)("node", [
      "bin/paperbot.mjs",
      "paper",
      "arXiv:2305.09088v2",
      "--json",
    ]);
    expect(JSON.parse(stdout).paper.id).toBe("2305.09088");
  });
});
