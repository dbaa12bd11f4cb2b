import { describe, expect, it } from "vitest";
import { concatDocTerms, type DocTerms, tokenizeDocs } from "../../../src/core/search/doc-terms.ts";
import { buildIndex, indexDocTerms } from "../../../src/core/search/inverted-index.ts";
import { tokenizeInParallel } from "../../../src/core/search/parallel-tokenize.ts";

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
      "postDocs",
      "postImpact",
      "fwdOffsets",
      "fwdRows",
      "typoTable",
      "termTable",
    ] as const)
      expect(parted[key], key).toEqual(once[key]);
  });
});

describe("tokenizing on two threads", () => {
  const docs = corpus(3000);
  const fields = fieldsOf(docs);
  const whole = plain(tokenizeDocs(docs.length, fields));
  const helper = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

  it("has a helper thread tokenize half and makes what one pass makes", () => {
    const outcome = tokenizeInParallel(docs.length, fields, { minDocs: 2, startWaitMs: 60_000 });
    expect(outcome.problem).toBeUndefined();
    expect(outcome.helped).toBe(true);
    expect(plain(outcome.tokens)).toEqual(whole);
  });

  it("tokenizes alone below the size a helper pays off at", () => {
    const outcome = tokenizeInParallel(docs.length, fields, { minDocs: docs.length + 1 });
    expect(outcome.helped).toBe(false);
    expect(outcome.problem).toBeUndefined();
    expect(plain(outcome.tokens)).toEqual(whole);
  });

  it("tokenizes the helper's half itself when the helper cannot start, fails or stalls", () => {
    const cases = [
      { workerUrl: helper("no-such-helper.mjs"), startWaitMs: 500, problem: /had not started after 500 ms/ },
      { workerUrl: helper("tokenize-helper-fails.mjs"), problem: /failed: it broke on purpose/ },
      { workerUrl: helper("tokenize-helper-stalls.mjs"), stalledMs: 300, problem: /stopped making progress/ },
    ];
    for (const { problem, ...options } of cases) {
      const outcome = tokenizeInParallel(docs.length, fields, {
        minDocs: 2,
        startWaitMs: 60_000,
        ...options,
      });
      expect(outcome.helped).toBe(false);
      expect(outcome.problem).toMatch(problem);
      expect(plain(outcome.tokens)).toEqual(whole);
    }
  });
});
