import { beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, parseCommandLine, runCommand } from "../../commands/index.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { PaperIndex } from "../../src/core/paper-index.ts";
import type { Invocation, Reply } from "../../src/core/reply.ts";
import { commandContext } from "../fixtures/context.ts";
import { bundledIndex } from "../fixtures/corpus.ts";

let papers: PaperIndex;
const logged: string[] = [];
const logger = createLogger("debug", (line) => logged.push(line));
beforeAll(async () => {
  papers = await bundledIndex();
});

const run = (invocation: Invocation) => runCommand(commandContext(papers, invocation), logger);

function expectKind<K extends Reply["kind"]>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  expect(reply.kind).toBe(kind);
  return reply as Extract<Reply, { kind: K }>;
}

describe("command definitions", () => {
  it("fit Discord's naming rules, the strictest of the platforms", () => {
    for (const command of COMMANDS) {
      expect(command.name).toMatch(/^[a-z]{1,32}$/);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(100);
      expect(command.options.length).toBeLessThanOrEqual(25);
      for (const option of command.options) {
        expect(option.name).toMatch(/^[a-z_-]{1,32}$/);
        expect(option.description.length).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe("related", () => {
  it("lists the papers near a paper by meaning, nearest first, each with the words both use", async () => {
    const reply = expectKind(await run({ command: "related", text: "arXiv:2304.06061v1" }), "results");
    expect(reply.mode).toBe("related");
    expect(reply.query).toBe("CLIP-Guided Vision-Language Pre-training for Question Answering in 3D Scenes");
    expect(reply.hits.length).toBeGreaterThanOrEqual(1);
    expect(reply.hits.length).toBeLessThanOrEqual(5);
    expect(reply.hits[0]?.id).toBe("2210.12084");
    expect(reply.hits.map((hit) => hit.id)).not.toContain("2304.06061");
    for (const hit of reply.hits) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.snippet.some((run) => run.match)).toBe(true);
    }
    const scores = reply.hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("says so when no paper is near, rather than listing far ones", async () => {
    const reply = expectKind(await run({ command: "related", text: "2305.09088" }), "message");
    expect(reply.tone).toBe("info");
    expect(reply.text).toMatch(/^No paper here is close in meaning to “The Hessian perspective/);
  });

  it("finds the paper by title words too, and gives a private hint for an unknown id", async () => {
    const byTitle = expectKind(await run({ command: "related", text: "random teachers" }), "results");
    expect(byTitle.hits[0]?.id).toBe("2210.14019");
    const unknown = expectKind(await run({ command: "related", text: "2101.00001" }), "message");
    expect(unknown).toMatchObject({ tone: "error", code: "not_found", ephemeral: true });
  });
});

describe("paper", () => {
  it("shows one paper in full with links and a BibTeX action", async () => {
    const reply = expectKind(await run({ command: "paper", text: "arXiv:2304.06061v1" }), "paper");
    expect(reply.paper).toMatchObject({ id: "2304.06061", venue: "CVPRW 2023", published: "2023-04-12" });
    expect(reply.paper.links).toEqual({
      abs: "https://arxiv.org/abs/2304.06061",
      pdf: "https://arxiv.org/pdf/2304.06061",
      code: "https://github.com/AlexDelitzas/3D-VQA",
    });
    expect(reply.actions.map((action) => action.kind)).toEqual(["bibtex", "related"]);
    expect(reply.bibtex).toMatch(/^@inproceedings\{parelli2023clip,/);
    expect(reply.bibtex).toContain("eprint = {2304.06061}");
  });

  it("switches to the BibTeX view and offers the abstract back", async () => {
    const reply = expectKind(await run({ command: "paper", text: "2305.09088", view: "bibtex" }), "paper");
    expect(reply.view).toBe("bibtex");
    expect(reply.actions[0]).toMatchObject({
      kind: "abstract",
      invoke: { command: "paper", text: "2305.09088", view: "abstract" },
    });
  });

  it("renders LaTeX in abstracts as plain text", async () => {
    const reply = expectKind(await run({ command: "paper", text: "2211.12346" }), "paper");
    expect(reply.paper.abstract).toContain("PointNet-like");
    expect(reply.paper.abstract).toContain("O(10^4) – O(10^5)");
    expect(reply.paper.abstract).not.toMatch(/\\|\$/);
  });

  it("gives a private hint when the id is unknown or missing", async () => {
    const unknown = expectKind(await run({ command: "paper", text: "2401.00001" }), "message");
    expect(unknown).toMatchObject({ tone: "error", code: "not_found", ephemeral: true });
    const empty = expectKind(await run({ command: "paper", text: "" }), "message");
    expect(empty).toMatchObject({ code: "empty_query", ephemeral: true });
    expect(empty.hint).toContain("/paper");
  });
});

describe("search", () => {
  it("lists ranked results with next-page actions", async () => {
    const reply = expectKind(await run({ command: "search", text: "author:Hofmann" }), "results");
    expect(reply).toMatchObject({ mode: "search", page: 1, pageSize: 5, total: 10 });
    expect(reply.hits).toHaveLength(5);
    expect(reply.actions).toEqual([
      { kind: "next", label: "Next page", invoke: { command: "search", text: "author:Hofmann", page: 2 } },
    ]);
    const next = reply.actions[0];
    if (!next) throw new Error("expected a next-page action");
    const second = expectKind(await run(next.invoke), "results");
    expect(second.page).toBe(2);
    expect(second.actions.map((action) => action.kind)).toEqual(["previous"]);
    expect(new Set([...reply.hits, ...second.hits].map((hit) => hit.id)).size).toBe(10);
  });

  it("gives each hit a title, year, link and snippet", async () => {
    const reply = expectKind(await run({ command: "search", text: "hessian rank" }), "results");
    expect(reply.hits[0]).toMatchObject({
      id: "2305.09088",
      venue: "ICML 2023",
      year: 2023,
      url: "https://arxiv.org/abs/2305.09088",
    });
    expect(reply.hits[0]?.score).toBeGreaterThan(0);
    expect(reply.hits[0]?.score).toBeLessThanOrEqual(1);
  });

  it.each([
    "",
    "x".repeat(10_000),
    "((((",
    '"unbalanced',
    "\u0000\u0001\u0002",
    "@everyone",
    "<!channel>",
    "<@U123> <@&456>",
  ])("answers bad input %j with a reply, never a crash", async (text) => {
    const reply = await run({ command: "search", text });
    expect(["message", "results"]).toContain(reply.kind);
    if (reply.kind === "message") {
      expect(reply.ephemeral).toBe(true);
      expect(reply.text.length).toBeLessThan(120);
    }
    expect(JSON.stringify(reply)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("random", () => {
  it("offers another paper with the same filters", async () => {
    const reply = expectKind(await run({ command: "random", text: "year:2023" }), "paper");
    expect(reply.heading).toBe("Random paper");
    expect(reply.paper.year).toBe(2023);
    expect(reply.actions[0]).toEqual({
      kind: "another",
      label: "Another",
      invoke: { command: "random", text: "year:2023" },
    });
  });

  it("explains when no paper passes the filters", async () => {
    expect(await run({ command: "random", text: "year:1990" })).toMatchObject({
      kind: "message",
      code: "not_found",
    });
  });
});

describe("ask", () => {
  it("answers with papers and the sentence that answers", async () => {
    const reply = expectKind(
      await run({ command: "ask", text: "which paper is about forgetting in continual learning?" }),
      "results",
    );
    expect(reply.mode).toBe("ask");
    expect(reply.hits[0]?.id).toBe("2303.09483");
    expect(reply.hits[0]?.answer).toBeTruthy();
  });
});

describe("runCommand", () => {
  it("turns an unknown command into a private hint", async () => {
    expect(await run({ command: "nope", text: "" })).toMatchObject({
      kind: "message",
      code: "unknown_command",
      ephemeral: true,
    });
  });

  it("answers help with every command", async () => {
    const reply = expectKind(await run({ command: "help", text: "" }), "message");
    for (const command of COMMANDS) expect(reply.text).toContain(`/${command.name}`);
  });

  it("logs an unexpected crash and gives a generic private reply", async () => {
    const broken = {
      ...papers,
      search: () => {
        throw new Error("disk on fire");
      },
    } as unknown as PaperIndex;
    const reply = await runCommand(commandContext(broken, { command: "search", text: "x" }), logger);
    expect(reply).toMatchObject({ kind: "message", code: "internal", ephemeral: true });
    expect(JSON.stringify(reply)).not.toContain("disk on fire");
    expect(logged.join("\n")).toContain("disk on fire");
  });
});

describe("parseCommandLine", () => {
  it("reads slash commands, sub-commands and plain questions", () => {
    expect(parseCommandLine("/search hessian rank")).toEqual({ command: "search", text: "hessian rank" });
    expect(parseCommandLine("anything on lottery tickets?")).toEqual({
      command: "ask",
      text: "anything on lottery tickets?",
    });
    expect(parseCommandLine("search hessian")).toEqual({ command: "ask", text: "search hessian" });
    const slack = { defaultCommand: "paper", subcommands: true };
    expect(parseCommandLine("search hessian", slack)).toEqual({ command: "search", text: "hessian" });
    expect(parseCommandLine("2305.09088", slack)).toEqual({ command: "paper", text: "2305.09088" });
    expect(parseCommandLine("help", slack)).toEqual({ command: "help", text: "" });
  });
});
