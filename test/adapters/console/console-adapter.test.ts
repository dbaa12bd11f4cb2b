import { PassThrough, Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { startConsole } from "../../../src/adapters/console/console-adapter.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import type { PaperIndex } from "../../../src/core/paper-index.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";

let papers: PaperIndex;
beforeAll(async () => {
  papers = await bundledIndex();
});

async function session(lines: string[]): Promise<string> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on("data", (chunk) => chunks.push(String(chunk)));
  const console = startConsole({
    getPapers: () => papers,
    logger: SILENT_LOGGER,
    input: Readable.from([`${lines.join("\n")}\n`]),
    output,
    interactive: false,
    random: () => 0,
  });
  await console.finished;
  return chunks.join("");
}

describe("console adapter with piped input", () => {
  it("answers each line in order and ends at EOF, without colour codes", async () => {
    const out = await session([
      "/search hessian rank",
      "/paper arXiv:2305.09088v2",
      "anything on lottery tickets?",
    ]);
    expect(out).toContain("Results 1-");
    expect(out.indexOf("1. The Hessian perspective")).toBeLessThan(
      out.indexOf("Sidak Pal Singh, Thomas Hofmann"),
    );
    expect(out).toContain("Here's what I found for “anything on lottery tickets?”");
    expect(out).toContain("Random Teachers are Good Teachers");
    expect(out).not.toContain("\u001b[");
  });

  it("presses a button by its key: n for next page, b for BibTeX", async () => {
    const out = await session(["/search author:Hofmann", "n", "/paper 2305.09088", "b"]);
    expect(out).toContain("Results 6-10 of 10");
    expect(out).toContain("@inproceedings{singh2023hessian,");
  });

  it("lists related papers with l under a paper", async () => {
    const out = await session(["/paper 2304.06061", "l"]);
    expect(out).toContain("[l] Related");
    expect(out).toContain("Papers related to “CLIP-Guided Vision-Language");
    expect(out).toMatch(/1\. Decoding a Neural Retriever.+\n {3}Both about: /);
  });

  it("answers bad input with a hint and keeps going", async () => {
    const out = await session(["/search", "/nope", "x".repeat(10_000), "/random"]);
    expect(out).toContain("Tell me what to look for.");
    expect(out).toContain('I don\'t know "/nope"');
    expect(out).toContain("I read up to 300");
    expect(out).toContain("Random paper");
  });

  it("stops at exit", async () => {
    const out = await session(["exit", "/random"]);
    expect(out).not.toContain("Random paper");
  });
});
