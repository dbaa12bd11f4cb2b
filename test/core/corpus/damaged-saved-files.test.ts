/**
 * The saved index and the corpus snapshot are read as they are used, each part checked when read:
 * damage found while serving fails that request (with a message naming the file), removes the
 * file, and the next start builds it again, answering as before.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LiveCorpus } from "../../../src/core/corpus/live-corpus.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { dataFolder, textRecord } from "../../fixtures/corpus.ts";
import { BLOCK, pad8, typedFileParts } from "../../fixtures/typed-file-layout.ts";

/** Enough papers that the postings fill many 4 KiB blocks. */
function corpusFolder(): string {
  const records = Array.from({ length: 400 }, (_, i) =>
    textRecord(
      `2301.${String(i + 1).padStart(5, "0")}`,
      `Learning curves of model ${i} under sharpness aware minimization, with marker${i} and group${i % 7}.`,
    ),
  );
  return dataFolder({ "papers.txt": records.join("\n") });
}

async function opened(folder: string, indexCachePath: string) {
  const logs: string[] = [];
  const corpus = await LiveCorpus.open(folder, {
    logger: createLogger("info", (line) => logs.push(line)),
    indexCachePath,
    reloadWorker: false,
  });
  return { corpus, logs };
}

describe("saved files damaged on disk", () => {
  it("fails only the request that reads a damaged block of the index, and the next start rebuilds it", async () => {
    const folder = corpusFolder();
    const indexCachePath = join(mkdtempSync(join(tmpdir(), "paperbot-damaged-")), "index");
    const first = await opened(folder, indexCachePath);
    const expected = first.corpus
      .current()
      .search("learning curves")
      .hits.map((hit) => hit.paper.id);
    first.corpus.close();
    expect(expected.length).toBeGreaterThan(0);

    // Flip a byte in every block lying wholly inside the postings, none of which a start reads.
    const bytes = readFileSync(indexCachePath);
    const { header, body } = typedFileParts(bytes);
    const bodyAt = bytes.length - body.length;
    const postingsAt = pad8(header.lengths.surfaceTerm * 4) + pad8(header.lengths.postOffsets * 4);
    const postingsEnd = postingsAt + header.lengths.postings * 4;
    let flipped = 0;
    for (let block = Math.ceil(postingsAt / BLOCK); (block + 1) * BLOCK <= postingsEnd; block++) {
      bytes[bodyAt + block * BLOCK + 7] = (bytes[bodyAt + block * BLOCK + 7] as number) ^ 0xff;
      flipped++;
    }
    expect(flipped).toBeGreaterThan(1);
    writeFileSync(indexCachePath, bytes);

    const damaged = await opened(folder, indexCachePath);
    expect(damaged.logs.join("\n")).toContain("search index reused");
    expect(() => damaged.corpus.current().search("learning curves")).toThrow(
      /index file .* is damaged; it is removed and rebuilt at the next start/,
    );
    expect(existsSync(indexCachePath)).toBe(false);
    // Requests that read none of it still answer.
    expect(damaged.corpus.current().get("2301.00005")?.id).toBe("2301.00005");
    damaged.corpus.close();

    const rebuilt = await opened(folder, indexCachePath);
    expect(rebuilt.logs.join("\n")).toMatch(/search index built \(no saved index yet\)/);
    expect(
      rebuilt.corpus
        .current()
        .search("learning curves")
        .hits.map((hit) => hit.paper.id),
    ).toEqual(expected);
    rebuilt.corpus.close();
  });

  it("fails showing a paper whose abstract is damaged in the snapshot, and the next start parses again", async () => {
    const folder = corpusFolder();
    const indexCachePath = join(mkdtempSync(join(tmpdir(), "paperbot-damaged-")), "index");
    (await opened(folder, indexCachePath)).corpus.close();
    const snapshotPath = `${indexCachePath}.corpus`;
    const bytes = readFileSync(snapshotPath);
    // The last copy: the abstract (the first is the title made from it, checked with the whole file).
    const at = bytes.lastIndexOf("model 17 under");
    expect(at).toBeGreaterThan(0);
    bytes[at] = "M".charCodeAt(0);
    writeFileSync(snapshotPath, bytes);

    const damaged = await opened(folder, indexCachePath);
    expect(damaged.logs.join("\n")).toContain("papers read from the snapshot");
    expect(damaged.corpus.current().get("2301.00017")?.abstract).toContain("model 16 under");
    expect(() => damaged.corpus.current().get("2301.00018")?.abstract).toThrow(
      /corpus snapshot .* is damaged .* rebuilt at the next start/,
    );
    expect(existsSync(snapshotPath)).toBe(false);
    damaged.corpus.close();

    const again = await opened(folder, indexCachePath);
    expect(again.logs.join("\n")).toMatch(/corpus snapshot not used: no snapshot yet/);
    expect(again.corpus.current().get("2301.00018")?.abstract).toContain("model 17 under");
    again.corpus.close();
  });
});
