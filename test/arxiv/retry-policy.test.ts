import { describe, expect, it } from "vitest";
import { parseRetryAfter, retryDelayMs, retryFits } from "../../src/arxiv/retry-policy.ts";

describe("retryDelayMs", () => {
  it("follows the planned delays and repeats the last one", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, [3000, 10_000]))).toEqual([
      3000, 10_000, 10_000, 10_000,
    ]);
  });

  it("waits as long as Retry-After asks when that is longer than planned", () => {
    expect(retryDelayMs(1, [3000, 10_000], 20_000)).toBe(20_000);
    expect(retryDelayMs(1, [3000, 10_000], 1000)).toBe(3000);
  });

  it("never waits longer than 60 s for Retry-After", () => {
    expect(retryDelayMs(1, [3000], 3_600_000)).toBe(60_000);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("5")).toBe(5000);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
  });

  it("ignores a missing or unreadable header", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

describe("retryFits", () => {
  it("allows a try only when it would still have a useful slice of time before the deadline", () => {
    expect(retryFits(0, 3000, Number.POSITIVE_INFINITY, 15_000)).toBe(true);
    expect(retryFits(0, 3000, 5000, 15_000)).toBe(true);
    expect(retryFits(0, 3000, 3500, 15_000)).toBe(false);
    expect(retryFits(0, 100, 400, 200)).toBe(true);
  });
});
