/** The replay memory of HTTP interactions on the shared SQLite KeyStore: each id once per signature window. */
import { afterEach, describe, expect, it } from "vitest";
import {
  createSeenInteractions,
  SEEN_INTERACTION_TTL_MS,
} from "../../../src/adapters/discord/seen-interactions.ts";
import {
  MAX_CLOCK_SKEW_SECONDS,
  MAX_SIGNATURE_AGE_SECONDS,
} from "../../../src/adapters/discord/verify-signature.ts";
import { openTempKeys, openTempKeysWithClock, type TempKeys } from "../temp-keys.ts";

let opened: TempKeys[] = [];
afterEach(async () => {
  for (const temp of opened) await temp.close();
  opened = [];
});

function track(temp: TempKeys): TempKeys {
  opened.push(temp);
  return temp;
}

describe("seen interactions", () => {
  it("remembers an id for as long as a signature on it could be accepted", () => {
    expect(SEEN_INTERACTION_TTL_MS).toBe((MAX_SIGNATURE_AGE_SECONDS + MAX_CLOCK_SKEW_SECONDS) * 1000);
  });

  it("lets an id through once within the window, and again once it has passed", async () => {
    let time = 1_000_000;
    const seen = createSeenInteractions(track(openTempKeysWithClock(() => time)).keys);
    expect(await seen.firstSeen("a")).toBe(true);
    expect(await seen.firstSeen("b")).toBe(true);
    time += SEEN_INTERACTION_TTL_MS - 1;
    expect(await seen.firstSeen("a")).toBe(false);
    time += 1;
    expect(await seen.firstSeen("a")).toBe(true);
  });

  it("gives exactly one of two concurrent offers of an id the go-ahead, across memories on one store", async () => {
    const { keys } = track(openTempKeys());
    const [a, b] = [createSeenInteractions(keys), createSeenInteractions(keys)];
    expect(await Promise.all([a.firstSeen("x"), b.firstSeen("x")])).toEqual([true, false]);
    expect(await a.firstSeen("x")).toBe(false);
  });
});
