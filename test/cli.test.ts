import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli.ts";
import { dataFolder, textRecord } from "./fixtures/corpus.ts";
import { BIN } from "./lifecycle/compiled.ts";

async function cliWith(env: Record<string, string>, ...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(
    argv,
    { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) },
    env,
  );
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

const cli = (...argv: string[]) => cliWith({}, ...argv);

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

  it("related prints the nearest papers in the results shape, with the words they share", async () => {
    const { code, stdout } = await cli("related", "2304.06061", "--json");
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results[0].id).toBe("2210.12084");
    for (const result of results) {
      expect(result).toEqual({
        id: expect.not.stringMatching(/^2304\.06061$/),
        title: expect.any(String),
        score: expect.any(Number),
        shared: expect.any(Array),
      });
    }
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

describe("paperbot CLI paths", () => {
  it("a missing PAPERS_PATH is bad_config naming it", async () => {
    const { code, stdout } = await cliWith(
      { PAPERS_PATH: "/nonexistent/paperbot-papers" },
      "search",
      "x",
      "--json",
    );
    expect(code).toBe(1);
    const { error } = JSON.parse(stdout);
    expect(error.code).toBe("bad_config");
    expect(error.message).toContain('PAPERS_PATH "/nonexistent/paperbot-papers" does not exist');
    const check = await cliWith({ PAPERS_PATH: "/nonexistent/paperbot-papers" }, "check", "--json");
    expect(JSON.parse(check.stdout).error.code).toBe("bad_config");
  });

  it("a DATABASE_PATH or INDEX_CACHE_PATH in a missing folder is bad_config naming it, and the folder stays missing", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "paperbot-cli-")), "missing");
    for (const [name, env] of [
      ["DATABASE_PATH", { DATABASE_PATH: join(missing, "state.db") }],
      ["INDEX_CACHE_PATH", { INDEX_CACHE_PATH: join(missing, "index") }],
    ] as const) {
      for (const argv of [
        ["search", "hessian"],
        ["add", "2305.09088"],
      ]) {
        // A closed loopback port: even a broken check never reaches the real arXiv.
        const { code, stdout } = await cliWith(
          { ...env, ARXIV_API_URL: "http://127.0.0.1:9/" },
          ...argv,
          "--json",
        );
        expect(code).toBe(1);
        const { error } = JSON.parse(stdout);
        expect(error.code).toBe("bad_config");
        expect(error.message).toContain(
          `${name} "${join(missing, name === "DATABASE_PATH" ? "state.db" : "index")}"`,
        );
        expect(existsSync(missing)).toBe(false);
      }
    }
  });

  it("check of a path that does not exist says so, as bad_input", async () => {
    const { code, stdout } = await cli("check", "/nonexistent/paperbot-papers", "--json");
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toEqual({
      code: "bad_input",
      message: "Nothing to check: /nonexistent/paperbot-papers does not exist.",
    });
  });
});

describe("paperbot CLI text output", () => {
  it("shows no console keys, and names the --page that shows more", async () => {
    const first = await cli("search", "network");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Results 1-5 of 7 for “network”/);
    expect(first.stdout).not.toMatch(/\[[a-z]\]|Next page/);
    expect(first.stdout).toMatch(/Page 1 of 2\. For the next page, run the same command with --page 2\.$/);
    const last = await cli("search", "network", "--page", "2");
    expect(last.stdout).toMatch(/^Results 6-7 of 7/);
    expect(last.stdout).not.toMatch(/\[[a-z]\]|--page/);
  });

  it("says a page past the end is past the end, not that nothing matches", async () => {
    const { code, stdout } = await cli("search", "network", "--page", "9");
    expect(code).toBe(0);
    expect(stdout).toBe("There is no page 9: “network” has 7 results (2 pages).");
  });

  it("shows a paper without its console keys", async () => {
    const { stdout } = await cli("random");
    expect(stdout).toContain("arxiv.org/abs/");
    expect(stdout).not.toMatch(/\[[a-z]\]/);
  });

  it("documents --page and --json in the usage text", async () => {
    const { code, stdout } = await cli("help");
    expect(code).toBe(0);
    expect(stdout).toMatch(/--page N +show page N of search or ask results/);
    expect(stdout).toMatch(/--json +print one JSON object/);
  });
});

describe("paperbot check", () => {
  it("lists the files it skipped, which are not problems", async () => {
    const folder = dataFolder({
      "papers.txt": textRecord("2301.00001", "Sharpness."),
      "notes.md": "# to read\n",
      "drafts/figure.png": Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      ".hidden.txt": textRecord("2301.00002", "Hidden."),
    });
    const { code, stdout } = await cli("check", folder);
    expect(code).toBe(0);
    const lines = stdout.split("\n").map((line) => line.replace(`${folder}/`, ""));
    expect(lines).toEqual([
      "skipped: .hidden.txt (hidden file)",
      "skipped: drafts/figure.png (not a data file: .txt, .bib, .json or .tsv)",
      "skipped: notes.md (not a data file: .txt, .bib, .json or .tsv)",
      `OK: 1 papers from 1 file(s) under ${folder}, 3 skipped`,
    ]);
  });

  it("keeps exit 1 for problems, with skipped files listed beside them", async () => {
    const folder = dataFolder({ "papers.txt": "No id here.\n", "notes.md": "x" });
    const { code, stdout } = await cli("check", folder);
    expect(code).toBe(1);
    expect(stdout).toContain("notes.md (not a data file");
    expect(stdout).toMatch(/1 problem\(s\); 0 papers from 1 file\(s\) under .*, 1 skipped/);
  });
});

describe("npx paperbot", () => {
  it("runs from the repo root as a real process", async () => {
    const { stdout } = await promisify(execFile)("node", [BIN, "paper", "arXiv:2305.09088v2", "--json"]);
    expect(JSON.parse(stdout).paper.id).toBe("2305.09088");
  });
});
