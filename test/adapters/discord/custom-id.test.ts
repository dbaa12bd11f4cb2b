import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUTTON_NAMESPACE,
  BUTTON_STATE_TTL_MS,
  type ButtonState,
  CustomIdCodec,
} from "../../../src/adapters/discord/custom-id.ts";
import { openTempKeys, openTempKeysWithClock, type TempKeys } from "../temp-keys.ts";

const OWNER = "1300000000000000001";
const DAY = 24 * 60 * 60_000;

function long(n: number): ButtonState {
  return {
    ownerId: OWNER,
    kind: "next",
    invocation: { command: "search", text: `${n} ${"y".repeat(200)}`, page: 2 },
  };
}

describe("CustomIdCodec", () => {
  let temp: TempKeys;
  let codec: CustomIdCodec;
  beforeAll(() => {
    temp = openTempKeys();
    codec = new CustomIdCodec(temp.keys);
  });
  afterAll(async () => temp.close());

  const encodeOne = (state: ButtonState) => codec.render((buttons) => buttons.encode(state));

  it("round-trips a short invocation inline within 100 characters, storing nothing", async () => {
    const state: ButtonState = {
      ownerId: OWNER,
      kind: "next",
      invocation: { command: "search", text: "hessian author:Singh. year:2023", page: 12, view: "bibtex" },
    };
    const id = await encodeOne(state);
    expect(id.startsWith("pb1.")).toBe(true);
    expect(id.length).toBeLessThanOrEqual(100);
    // A codec on a store that never saw it (a restarted process, another replica) reads it too.
    const elsewhere = openTempKeys();
    try {
      expect(await new CustomIdCodec(elsewhere.keys).decode(id)).toEqual({ ok: true, state });
    } finally {
      await elsewhere.close();
    }
  });

  it("stores long state before render resolves, readable by every codec on the same store", async () => {
    const state: ButtonState = {
      ownerId: OWNER,
      kind: "another",
      invocation: { command: "random", text: "x".repeat(300) },
    };
    const id = await encodeOne(state);
    expect(id.startsWith("pb1~")).toBe(true);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(await codec.decode(id)).toEqual({ ok: true, state });
    expect(await new CustomIdCodec(temp.keys).decode(id)).toEqual({ ok: true, state });
  });

  it("gives each state of one message its own id, and the same state the same id", async () => {
    const ids = await codec.render((buttons) => [1, 2, 1].map((n) => buttons.encode(long(n))));
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toBe(ids[2]);
    expect(await codec.decode(ids[1] as string)).toEqual({ ok: true, state: long(2) });
  });

  it("says expired for stored state another store never held, or a key from before the shared store", async () => {
    const id = await encodeOne(long(3));
    const elsewhere = openTempKeys();
    try {
      expect(await new CustomIdCodec(elsewhere.keys).decode(id)).toEqual({ ok: false, reason: "expired" });
    } finally {
      await elsewhere.close();
    }
    expect(await codec.decode("pb1~nlz3k2a.7")).toEqual({ ok: false, reason: "expired" });
  });

  it("says expired for a stored value it cannot read", async () => {
    const key = "A".repeat(22);
    await temp.keys.put(BUTTON_NAMESPACE, key, 60_000, "{not json");
    expect(await codec.decode(`pb1~n${key}`)).toEqual({ ok: false, reason: "expired" });
    await temp.keys.put(BUTTON_NAMESPACE, key, 60_000, JSON.stringify({ ownerId: OWNER, kind: "jump" }));
    expect(await codec.decode(`pb1~n${key}`)).toEqual({ ok: false, reason: "expired" });
  });

  it("keeps stored state for a week", async () => {
    let time = 1_000_000;
    const clocked = openTempKeysWithClock(() => time);
    try {
      const timed = new CustomIdCodec(clocked.keys);
      expect(BUTTON_STATE_TTL_MS).toBeGreaterThanOrEqual(7 * DAY);
      const id = await timed.render((buttons) => buttons.encode(long(4)));
      time += BUTTON_STATE_TTL_MS - 1;
      expect(await timed.decode(id)).toEqual({ ok: true, state: long(4) });
      time += 1;
      expect(await timed.decode(id)).toEqual({ ok: false, reason: "expired" });
    } finally {
      await clocked.close();
    }
  });

  it("fails the render when the store cannot keep long state, so no message goes out with dead buttons", async () => {
    const closed = openTempKeys();
    const broken = new CustomIdCodec(closed.keys);
    await closed.close();
    await expect(broken.render((buttons) => buttons.encode(long(5)))).rejects.toThrow();
    // Inline state needs no store.
    await expect(
      broken.render((buttons) =>
        buttons.encode({ ownerId: OWNER, kind: "next", invocation: { command: "search", text: "x" } }),
      ),
    ).resolves.toMatch(/^pb1\./);
  });

  it("rejects custom_ids it did not write", async () => {
    for (const id of [
      "",
      "vote:1",
      "pb1.",
      "pb1.q.1.search...x",
      "pb1.n.!!.search...x",
      "pb1.n.1.Search...x",
      "pb1.n.1.search.-1..x",
    ]) {
      expect(await codec.decode(id)).toEqual({ ok: false, reason: "foreign" });
    }
  });
});
