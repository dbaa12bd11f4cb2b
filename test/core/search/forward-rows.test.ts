import { describe, expect, it } from "vitest";
import {
  buildIndex,
  DecodedRow,
  impactIn,
  postingDoc,
  postingImpact,
} from "../../../src/core/search/inverted-index.ts";

// Letters only (digits would be split off), distinct after stemming: "qa", "qb", ... "qzz...".
const word = (n: number) => {
  let w = "";
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / 26)) w = String.fromCharCode(97 + ((k - 1) % 26)) + w;
  return `q${w}x`;
};
// The first document holds 20,000 words, so later ids need three-byte gaps in a row.
const texts = [
  Array.from({ length: 20_000 }, (_, i) => word(i)).join(" "),
  `${word(0)} ${word(19_999)} ${word(19_999)}`,
  `${word(5)} ${word(130)} ${word(16_500)}`,
  "",
];
const index = buildIndex(texts.length, (doc) => [{ text: texts[doc] as string, weight: 1 }]);

/** The impact of every (doc, term) as the postings hold it. */
function fromPostings(): Map<string, number> {
  const impacts = new Map<string, number>();
  for (let term = 0; term + 1 < index.postOffsets.length; term++) {
    for (let k = index.postOffsets[term] as number; k < (index.postOffsets[term + 1] as number); k++) {
      const posting = index.postings[k] as number;
      impacts.set(`${postingDoc(posting)} ${term}`, postingImpact(posting));
    }
  }
  return impacts;
}

describe("forward rows", () => {
  const expected = fromPostings();

  it("hold each document's terms ascending with the impacts its postings have", () => {
    const row = new DecodedRow();
    let entries = 0;
    for (let doc = 0; doc < texts.length; doc++) {
      row.read(index, doc);
      const terms = Array.from(row.terms.subarray(0, row.length));
      expect(terms).toEqual([...terms].sort((a, b) => a - b));
      terms.forEach((term, k) => {
        expect(row.impacts[k]).toBe(expected.get(`${doc} ${term}`));
      });
      entries += row.length;
    }
    expect(entries).toBe(expected.size);
    expect(row.read(index, 3).length).toBe(0);
  });

  it("answer a term's impact in a document, and 0 where it is absent", () => {
    const vocabulary = index.postOffsets.length - 1;
    expect(vocabulary).toBeGreaterThan(16_384);
    for (let doc = 0; doc < texts.length; doc++) {
      for (const term of [0, 5, 130, 16_383, 16_384, 16_500, vocabulary - 1, vocabulary + 10]) {
        expect(impactIn(index, doc, term)).toBe(expected.get(`${doc} ${term}`) ?? 0);
      }
    }
  });
});
