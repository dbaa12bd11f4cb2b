import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { latexToText } from "../../../src/core/latex.ts";
import { concatDocTerms, type DocTerms, tokenizeDocs } from "../../../src/core/search/doc-terms.ts";
import { buildIndex, indexDocTerms, MAX_DOCS } from "../../../src/core/search/inverted-index.ts";
import { buildInParallel, type ParallelBuild } from "../../../src/core/search/parallel-build.ts";
import type { MeaningData } from "../../../src/core/search/semantic/meaning-index.ts";
import { sharedWordVectors } from "../../../src/core/search/semantic/vector-store.ts";

// Documents sharing words, each with words of its own, spellings that meet on one surface
// ("colour"/"color") or one term ("models"/"modelling"), stopwords, accents and non-Latin words.
const vocabulary = [
  "colour",
  "color",
  "models",
  "modelling",
  "modeling",
  "the",
  "of",
  "Schölkopf",
  "αβ-tests",
  "hessian",
  "Hessians",
  "curvature",
  "posterior",
  "posteriors",
  "cold",
  "bayesian",
  "mislabelled",
];
function corpus(size: number): { title: string; abstract: string }[] {
  return Array.from({ length: size }, (_, doc) => ({
    title: `${vocabulary[doc % vocabulary.length]} paper ${doc % 7 === 0 ? `unique${doc}` : ""}`,
    abstract: Array.from(
      { length: 3 + (doc % 11) },
      (_, k) => vocabulary[(doc * 7 + k * 3) % vocabulary.length],
    )
      .concat(doc % 5 === 0 ? [`word${doc}`, `longerthanpackedword${doc}`] : [])
      .join(" "),
  }));
}
const fieldsOf = (docs: { title: string; abstract: string }[]) => (doc: number) => [
  { text: (docs[doc] as { title: string }).title, weight: 3 },
  { text: (docs[doc] as { abstract: string }).abstract, weight: 1 },
];

/** Byte for byte the same typed array (quicker than toEqual on arrays of this size). */
function sameBytes(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return a === b;
  const bytes = (v: unknown) => {
    const view = v as ArrayBufferView;
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  };
  return a?.constructor === b?.constructor && bytes(a).equals(bytes(b));
}

/** Tokens as plain data, each doc's entries sorted (their order within a doc is not part of the contract). */
function plain(tokens: DocTerms) {
  const rows: string[] = [];
  for (let d = 0; d < tokens.docCount; d++) {
    const row: string[] = [];
    for (let k = tokens.entryOffsets[d] as number; k < (tokens.entryOffsets[d + 1] as number); k++)
      row.push(`${tokens.entryTerms[k]}:${tokens.entryTf[k]}`);
    rows.push(row.sort().join(" "));
  }
  return {
    surfaces: [...tokens.surfaces],
    terms: [...tokens.terms],
    surfaceTerm: [...tokens.surfaceTerm],
    docLength: [...tokens.docLength],
    rows,
  };
}

describe("tokenized documents", () => {
  const docs = corpus(400);
  const fields = fieldsOf(docs);
  const whole = plain(tokenizeDocs(docs.length, fields));

  it("makes the same ids and counts from two parts as from one pass, wherever the split", () => {
    expect(whole.surfaces).toContain("color");
    expect(whole.surfaces).not.toContain("colour");
    for (const split of [0, 1, 17, 200, 399, 400]) {
      const head = tokenizeDocs(split, fields);
      const tail = tokenizeDocs(docs.length - split, (doc) => fields(split + doc));
      expect(plain(concatDocTerms(head, tail))).toEqual(whole);
    }
  });

  it("makes the same from parts that came from another thread (copied, not the ones tokenized here)", () => {
    const head = structuredClone(tokenizeDocs(150, fields));
    const tail = structuredClone(tokenizeDocs(250, (doc) => fields(150 + doc)));
    expect(plain(concatDocTerms(head, tail))).toEqual(whole);
  });

  it("indexes the concatenated parts exactly as one pass's build", () => {
    const head = tokenizeDocs(123, fields);
    const tail = tokenizeDocs(277, (doc) => fields(123 + doc));
    const parted = indexDocTerms(concatDocTerms(head, tail));
    const once = buildIndex(docs.length, fields);
    for (const key of [
      "postOffsets",
      "postings",
      "fwdOffsets",
      "fwdRows",
      "typoTable",
      "typoStarts",
      "termTable",
    ] as const)
      expect(parted[key], key).toEqual(once[key]);
  });

  it("refuses more documents than a posting can name, before allocating anything", () => {
    const tokens = tokenizeDocs(2, fields);
    expect(() => indexDocTerms({ ...tokens, docCount: MAX_DOCS + 1 })).toThrow(
      `an index holds at most ${MAX_DOCS} documents, not ${MAX_DOCS + 1}`,
    );
  });
});

describe("building on two threads", () => {
  const docs = corpus(3000);
  const fields = fieldsOf(docs);
  const vectors = sharedWordVectors().vectors;
  const alone = buildInParallel(docs.length, fields, vectors, { minDocs: docs.length + 1 });
  const helper = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
  const sameBuild = (build: ParallelBuild) => {
    expect(build.index.terms).toEqual(alone.index.terms);
    expect(build.index.surfaces).toEqual(alone.index.surfaces);
    const { terms, surfaces, pager, ...arrays } = build.index;
    for (const [key, array] of Object.entries(arrays))
      expect(sameBytes(array, alone.index[key as keyof typeof arrays]), key).toBe(true);
    const meaning = build.meaning as MeaningData;
    for (const [key, value] of Object.entries(meaning))
      if (ArrayBuffer.isView(value))
        expect(sameBytes(value, alone.meaning?.[key as keyof MeaningData]), key).toBe(true);
    expect(meaning.source).toBe(alone.meaning?.source);
  };

  it("builds alone below the size a helper pays off at", () => {
    expect(vectors).toBeDefined();
    expect(alone).toMatchObject({ helped: [], problems: [] });
    expect(alone.meaning?.docVectors.length).toBe(docs.length * (vectors?.dims ?? 0));
  });

  it("has a helper thread tokenize half and build the index, and builds what one thread builds", () => {
    const build = buildInParallel(docs.length, fields, vectors, { minDocs: 2, startWaitMs: 60_000 });
    expect(build.problems).toEqual([]);
    expect(build.helped).toEqual(["tokenize", "index"]);
    sameBuild(build);
  });

  it("builds alone in a worker thread (a reload while the bot serves), leaving the other core to the bot", async () => {
    const worker = new Worker(helper("build-in-worker.mjs"));
    const [answer] = (await once(worker, "message")) as [{ helped: string[]; docCount: number }];
    await worker.terminate();
    expect(answer).toEqual({ helped: [], docCount: 3000 });
  });

  it("indexes abstracts given as written as their cleaned text, in either thread", () => {
    const written = docs.map((doc, i) => ({
      ...doc,
      abstract: `${doc.abstract} \\textit{${vocabulary[i % vocabulary.length]}} $\\mathcal{O}(n^2)$ \\alpha-tests`,
    }));
    const cleaned = written.map((doc) => ({ ...doc, abstract: latexToText(doc.abstract) }));
    expect(cleaned[0]?.abstract).toContain("colour O(n^2) α-tests");
    const rawFields = (doc: number) =>
      fieldsOf(written)(doc).map((field, f) => (f === 1 ? { ...field, latex: true } : field));
    const expected = buildInParallel(docs.length, fieldsOf(cleaned), vectors, { minDocs: docs.length + 1 });
    for (const minDocs of [2, docs.length + 1]) {
      const build = buildInParallel(docs.length, rawFields, vectors, { minDocs, startWaitMs: 60_000 });
      expect(build.helped).toHaveLength(minDocs === 2 ? 2 : 0);
      expect(sameBytes(build.index.fwdRows, expected.index.fwdRows)).toBe(true);
      expect(build.index.surfaces).toEqual(expected.index.surfaces);
      expect(sameBytes(build.meaning?.docVectors, expected.meaning?.docVectors)).toBe(true);
    }
  });

  it("does the helper's parts itself when the helper cannot start, fails or stalls", () => {
    const cases = [
      { helperUrl: helper("no-such-helper.mjs"), startWaitMs: 300, problem: /had not started after 300 ms/ },
      { helperUrl: helper("build-helper-fails.mjs"), problem: /failed: it broke on purpose/ },
      { helperUrl: helper("build-helper-stalls.mjs"), stalledMs: 300, problem: /stopped making progress/ },
    ];
    for (const { problem, ...options } of cases) {
      const build = buildInParallel(docs.length, fields, vectors, {
        minDocs: 2,
        startWaitMs: 60_000,
        ...options,
      });
      expect(build.helped).toEqual([]);
      expect(build.problems.map((p) => p.split(":")[0])).toEqual(["tokenize", "index"]);
      for (const p of build.problems) expect(p).toMatch(problem);
      sameBuild(build);
    }
  });
});
