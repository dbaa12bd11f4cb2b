import { describe, expect, it } from "vitest";
import { findArxivId, parseArxivId } from "../../src/core/arxiv-id.ts";

describe("parseArxivId", () => {
  it.each([
    ["2305.09088", "2305.09088", undefined],
    ["2305.09088v2", "2305.09088", 2],
    ["arXiv:2305.09088", "2305.09088", undefined],
    ["arXiv: 2305.09088v3", "2305.09088", 3],
    ["ARXIV:2305.09088", "2305.09088", undefined],
    ["https://arxiv.org/abs/2305.09088v1", "2305.09088", 1],
    ["http://arxiv.org/abs/2305.09088", "2305.09088", undefined],
    ["https://arxiv.org/pdf/2305.09088v1", "2305.09088", 1],
    ["https://arxiv.org/pdf/2305.09088v1.pdf", "2305.09088", 1],
    ["https://arxiv.org/pdf/2305.09088.pdf", "2305.09088", undefined],
    ["https://arxiv.org/html/2305.09088v2", "2305.09088", 2],
    ["https://export.arxiv.org/abs/2305.09088", "2305.09088", undefined],
    ["https://www.arxiv.org/abs/2305.09088/", "2305.09088", undefined],
    ["arxiv.org/abs/2305.09088", "2305.09088", undefined],
    ["  2305.09088  ", "2305.09088", undefined],
    ["1501.00001", "1501.00001", undefined],
    ["0704.0001", "0704.0001", undefined],
    ["hep-th/9901001", "hep-th/9901001", undefined],
    ["hep-th/9901001v2", "hep-th/9901001", 2],
    ["arXiv:math.AG/0601001", "math.AG/0601001", undefined],
    ["https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001", undefined],
  ])("reads %s as %s", (text, id, version) => {
    expect(parseArxivId(text)).toEqual(version ? { id, version } : { id });
  });

  it.each([
    "",
    "hessian",
    "2305.0908",
    "23050.9088",
    "2305.09088 hessian",
    "https://example.com/abs/2305.09088",
    "v2",
  ])("rejects %j", (text) => {
    expect(parseArxivId(text)).toBeUndefined();
  });
});

describe("findArxivId", () => {
  it("finds an id inside free text", () => {
    expect(findArxivId("see arXiv preprint arXiv:2302.12091v1, 2023")).toEqual({
      id: "2302.12091",
      version: 1,
    });
    expect(findArxivId("https://arxiv.org/abs/2210.14019")).toEqual({ id: "2210.14019" });
  });

  it("ignores numbers that only look like ids", () => {
    expect(findArxivId("version 12.3456789 of the tool")).toBeUndefined();
    expect(findArxivId("no id here")).toBeUndefined();
  });
});
