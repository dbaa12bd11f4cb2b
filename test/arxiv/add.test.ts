/**
 * `/add` and `npx paperbot add`: papers fetched from the local fake arXiv are found at once and
 * after a restart; every failure says what happened and changes nothing.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.ts";
import type { PaperReply } from "../../src/core/reply.ts";
import { FakeArxiv } from "../fakes/arxiv/fake-arxiv.ts";
import { SCALING, SHARPNESS } from "../fakes/arxiv/sample-papers.ts";
import { type ArxivHarness, arxivHarness, CHANNEL, DATA, MANAGER, text } from "./arxiv-harness.ts";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

async function harness(...args: Parameters<typeof arxivHarness>): Promise<ArxivHarness> {
  const h = await arxivHarness(...args);
  open.push(h);
  return h;
}

describe("/add", () => {
  it("adds a paper with its arXiv metadata, found by search at once and after a restart", async () => {
    const h = await harness("2024-03-10T12:00:00Z", { papers: [SHARPNESS, SCALING] });
    const reply = (await h.service.library.add(CHANNEL, ["2401.01234"], MANAGER)) as PaperReply;
    expect(reply.kind).toBe("paper");
    expect(reply.heading).toBe("Added to the library");
    expect(reply.added).toBe(true);
    const paper = h.corpus.current().get("2401.01234");
    expect(paper).toMatchObject({
      version: 2,
      authors: ["Gregor Bachmann", "Thomas Hofmann"],
      categories: ["cs.LG", "stat.ML"],
      published: "2024-01-03",
      venue: "ICML 2024",
      codeUrl: "https://github.com/example/sharpness-hessian",
      doi: "10.48550/example.2401.01234",
    });
    expect(paper?.title).toMatch(/^Sharpness and the Hessian/);
    expect(h.corpus.current().search("curvature loss landscape forget").hits[0]?.paper.id).toBe("2401.01234");
    await h.restart();
    expect(h.corpus.current().get("2401.01234")?.version).toBe(2);
  });

  it("fetches several ids in one request, and says which arXiv does not have", async () => {
    const h = await harness("2024-03-10T12:00:00Z", { papers: [SHARPNESS, SCALING] });
    const reply = text(
      await h.service.library.add(CHANNEL, ["2401.01234", "2402.05678", "2402.99999"], MANAGER),
    );
    expect(reply).toContain("Added “Sharpness and the Hessian");
    expect(reply).toContain("Added “Scaling Limits of Transformers” (2402.05678v1)");
    expect(reply).toContain("arXiv has no paper 2402.99999");
    expect(h.fake.requests.map((request) => request.params.id_list)).toEqual([
      "2401.01234,2402.05678,2402.99999",
    ]);
  });

  it("says a known paper is already there, and records a newer version", async () => {
    const h = await harness("2024-03-10T12:00:00Z", { papers: [SCALING] });
    await h.service.library.add(CHANNEL, ["2402.05678"], MANAGER);
    expect(((await h.service.library.add(CHANNEL, ["2402.05678"], MANAGER)) as PaperReply).heading).toBe(
      "Already in the library",
    );
    h.fake.addPapers({
      ...SCALING,
      version: 2,
      title: "Scaling Limits of Transformers, revised",
      updated: "2024-03-01T00:00:00Z",
    });
    const reply = (await h.service.library.add(CHANNEL, ["2402.05678"], MANAGER)) as PaperReply;
    expect(reply.heading).toBe("Already in the library: metadata refreshed");
    expect(reply.added).toBe(false);
    expect(h.corpus.current().get("2402.05678")).toMatchObject({
      version: 2,
      title: "Scaling Limits of Transformers, revised",
    });
  });

  it("refreshes the metadata of a paper the data files already have", async () => {
    const bundled = "2305.09088";
    const h = await harness("2024-03-10T12:00:00Z", {
      papers: [{ ...SCALING, id: bundled, version: 3, title: "The Hessian perspective, camera-ready" }],
    });
    const reply = (await h.service.library.add(CHANNEL, [bundled], MANAGER)) as PaperReply;
    expect(reply.added).toBe(false);
    expect(reply.heading).toBe("Already in the library: metadata refreshed");
    expect(h.corpus.current().get(bundled)?.version).toBe(3);
  });

  it("changes nothing when arXiv is down, sends a broken feed or an error entry, or lacks the paper", async () => {
    const h = await harness("2024-03-10T12:00:00Z", { papers: [SHARPNESS] });
    const before = h.corpus.current();
    for (let i = 0; i < 3; i++) h.fake.failNext({ status: 503 });
    await expect(h.service.library.add(CHANNEL, ["2401.01234"], MANAGER)).rejects.toMatchObject({
      code: "upstream_unavailable",
      message: expect.stringContaining("Nothing was changed"),
    });
    for (let i = 0; i < 3; i++) h.fake.truncatedNext(); // a cut-off answer is asked again, then given up
    await expect(h.service.library.add(CHANNEL, ["2401.01234"], MANAGER)).rejects.toMatchObject({
      code: "upstream_unavailable",
    });
    h.fake.errorEntryNext("incorrect id format for 2401.01234");
    await expect(h.service.library.add(CHANNEL, ["2401.01234"], MANAGER)).rejects.toMatchObject({
      code: "upstream_unavailable",
      message: expect.stringContaining("incorrect id format"),
    });
    await expect(h.service.library.add(CHANNEL, ["2402.99999"], MANAGER)).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await h.state.papers.list()).toEqual([]);
    expect(h.corpus.current()).toBe(before);
  });

  it("lets only channel managers add on Discord", async () => {
    const h = await harness("2024-03-10T12:00:00Z", { papers: [SHARPNESS] });
    const discord = { platform: "discord" as const, channelId: "D1" };
    await expect(
      h.service.library.add(discord, ["2401.01234"], { id: "u2", canManageChannel: false }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe("npx paperbot add", () => {
  async function cliEnv(papers = [SHARPNESS]) {
    const fake = await new FakeArxiv(papers).start();
    open.push(fake);
    const folder = mkdtempSync(join(tmpdir(), "paperbot-cli-add-"));
    cpSync(DATA, join(folder, "data"), { recursive: true });
    return {
      fake,
      env: {
        PAPERS_PATH: join(folder, "data"),
        DATABASE_PATH: join(folder, "state.db"),
        INDEX_CACHE_PATH: "off",
        ARXIV_API_URL: fake.apiUrl,
        ARXIV_MIN_INTERVAL_MS: "0",
      },
    };
  }

  async function cli(env: Record<string, string>, ...argv: string[]) {
    const out: string[] = [];
    const code = await runCli(
      argv,
      { stdout: (line) => out.push(line), stderr: (line) => out.push(line) },
      env,
    );
    return { code, json: JSON.parse(out.join("\n")) };
  }

  it("prints the paper with added true, then false; the paper stays for later runs", async () => {
    const { env } = await cliEnv();
    const first = await cli(env, "add", "https://arxiv.org/abs/2401.01234v1", "--json");
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({
      added: true,
      paper: { id: "2401.01234", venue: "ICML 2024", published: "2024-01-03" },
    });
    expect((await cli(env, "add", "2401.01234", "--json")).json.added).toBe(false);
    expect((await cli(env, "paper", "2401.01234", "--json")).json.paper.title).toMatch(/^Sharpness/);
    expect((await cli(env, "search", "sharpness", "hessian", "curvature", "--json")).json.results[0].id).toBe(
      "2401.01234",
    );
  });

  it("answers bad_input, not_found and upstream_unavailable with exit 1 and changes nothing", async () => {
    const { env, fake } = await cliEnv();
    expect(await cli(env, "add", "not-an-id", "--json")).toMatchObject({
      code: 1,
      json: { error: { code: "bad_input" } },
    });
    expect(await cli(env, "add", "2402.99999", "--json")).toMatchObject({
      code: 1,
      json: { error: { code: "not_found" } },
    });
    fake.errorEntryNext("incorrect id format for 2401.01234");
    expect(await cli(env, "add", "2401.01234", "--json")).toMatchObject({
      code: 1,
      json: { error: { code: "upstream_unavailable" } },
    });
    expect(await cli(env, "paper", "2401.01234", "--json")).toMatchObject({
      code: 1,
      json: { error: { code: "not_found" } },
    });
  });
});
