import { describe, expect, it } from "vitest";
import { FakeQueryError, parseFakeQuery } from "../fakes/arxiv/fake-query.ts";
import {
  CHECKERBOARD,
  OLD_STYLE,
  SAMPLE_PAPERS,
  SCALING,
  SHARPNESS,
  VISION,
} from "../fakes/arxiv/sample-papers.ts";

function found(query: string): string[] {
  return SAMPLE_PAPERS.filter(parseFakeQuery(query)).map((paper) => paper.id);
}

describe("the fake arXiv's search_query language", () => {
  it("matches authors loosely, like arXiv: surname, surname_initial, quoted full name, multi-word surnames", () => {
    for (const query of ["au:bachmann", "au:Bachmann_G", 'au:"Gregor Bachmann"', "au:Bach"]) {
      expect(found(query)).toEqual([SHARPNESS.id, SCALING.id]);
    }
    expect(found("au:del_maestro")).toEqual([CHECKERBOARD.id]);
    expect(found('au:"del maestro"')).toEqual([CHECKERBOARD.id]);
    expect(found("au:Bachmann_T")).toEqual([]);
  });

  it("matches categories exactly or by a trailing wildcard", () => {
    expect(found("cat:cs.LG")).toEqual([SHARPNESS.id, SCALING.id, VISION.id]);
    expect(found("cat:cond-mat.*")).toEqual([CHECKERBOARD.id]);
    expect(found("cat:cs")).toEqual([]);
  });

  it("matches words and quoted phrases in titles, abstracts and everywhere", () => {
    expect(found("ti:hessian")).toEqual([SHARPNESS.id]);
    expect(found("abs:images")).toEqual([VISION.id]);
    expect(found('ti:"quantum criticality"')).toEqual([CHECKERBOARD.id]);
    expect(found('ti:"criticality quantum"')).toEqual([]);
    expect(found("all:maldacena")).toEqual([OLD_STYLE.id]);
    expect(found("transformers")).toEqual([SHARPNESS.id, SCALING.id]);
  });

  it("combines with AND, OR, ANDNOT and parentheses, AND binding tighter than OR", () => {
    expect(found("au:bachmann AND ti:scaling")).toEqual([SCALING.id]);
    expect(found("au:bachmann ANDNOT ti:scaling")).toEqual([SHARPNESS.id]);
    expect(found("au:smith OR au:maldacena AND cat:hep-th")).toEqual([VISION.id, OLD_STYLE.id]);
    expect(found("(au:smith OR au:bachmann) AND cat:cs.CV")).toEqual([VISION.id]);
    expect(found("au:smith au:maldacena")).toEqual([VISION.id, OLD_STYLE.id]);
  });

  it("filters by submittedDate ranges", () => {
    expect(found("submittedDate:[202401010000 TO 202402292359]")).toEqual([SHARPNESS.id, SCALING.id]);
    expect(found("cat:cs.LG AND submittedDate:[202403010000 TO 202403010800]")).toEqual([VISION.id]);
  });

  it("rejects what arXiv would answer with an error", () => {
    for (const query of ["au:", "(au:smith", "AND au:smith", "foo:bar", 'ti:"open', "au:smith )"]) {
      expect(() => parseFakeQuery(query), query).toThrow(FakeQueryError);
    }
  });
});
