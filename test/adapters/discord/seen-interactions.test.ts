/** The in-memory replay memory of HTTP interactions: each id once per window, bounded in size. */
import { describe, expect, it } from "vitest";
import {
  createInMemorySeenInteractions,
  SEEN_INTERACTION_TTL_MS,
} from "../../../src/adapters/discord/seen-interactions.ts";
import {
  MAX_CLOCK_SKEW_SECONDS,
  MAX_SIGNATURE_AGE_SECONDS,
} from "../../../src/adapters/discord/verify-signature.ts";

describe("in-memory seen interactions", () => {
  it("remembers an id for as long as a signature on it could be accepted", () => {
    expect(SEEN_INTERACTION_TTL_MS).toBe((MAX_SIGNATURE_AGE_SECONDS + MAX_CLOCK_SKEW_SECONDS) * 1000);
  });

  it("lets an id through once within the window, and again once it has passed", async () => {
    let time = 1_000_000;
    const seen = createInMemorySeenInteractions({ now: () => time });
    expect(await seen.firstSeen("a")).toBe(true);
    expect(await seen.firstSeen("b")).toBe(true);
    time += SEEN_INTERACTION_TTL_MS - 1;
    expect(await seen.firstSeen("a")).toBe(false);
    time += 1;
    expect(await seen.firstSeen("a")).toBe(true);
  });

  it("gives exactly one of two concurrent offers of an id the go-ahead", async () => {
    const seen = createInMemorySeenInteractions();
    expect(await Promise.all([seen.firstSeen("x"), seen.firstSeen("x")])).toEqual([true, false]);
  });

  it("holds at most maxEntries ids, forgetting the oldest first", async () => {
    const seen = createInMemorySeenInteractions({ maxEntries: 2 });
    for (const id of ["1", "2", "3"]) expect(await seen.firstSeen(id)).toBe(true);
    expect(await seen.firstSeen("3")).toBe(false);
    expect(await seen.firstSeen("1")).toBe(true);
  });
});
