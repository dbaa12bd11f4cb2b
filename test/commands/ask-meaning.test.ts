import { beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../commands/index.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { PaperIndex } from "../../src/core/paper-index.ts";
import { commandContext } from "../fixtures/context.ts";
import { bundledIndex } from "../fixtures/corpus.ts";

let papers: PaperIndex;
beforeAll(async () => {
  papers = await bundledIndex();
}, 120_000);

const run = (text: string) =>
  runCommand(commandContext(papers, { command: "ask", text }), createLogger("silent"));

describe("ask in people's own words", () => {
  it("answers a paraphrase with the paper and the sentence it paraphrases", async () => {
    const reply = await run(
      "how can reinforcement learning draw a city's street layout from overhead pictures?",
    );
    expect(reply.kind).toBe("results");
    if (reply.kind !== "results") return;
    expect(reply.mode).toBe("ask");
    expect(reply.hits[0]?.id).toBe("2210.00828");
    expect(reply.hits[0]?.answer).toMatch(/reinforcement learning/);
  });

  it("says nothing matched for an off-topic question", async () => {
    const reply = await run("what do we know about medieval tax records?");
    expect(reply.kind === "results" ? reply.hits : []).toEqual([]);
  });
});
