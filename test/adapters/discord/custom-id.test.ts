import { describe, expect, it } from "vitest";
import { type ButtonState, CustomIdCodec } from "../../../src/adapters/discord/custom-id.ts";

const OWNER = "1300000000000000001";

describe("CustomIdCodec", () => {
  it("round-trips a short invocation inline within 100 characters", () => {
    const codec = new CustomIdCodec();
    const state: ButtonState = {
      ownerId: OWNER,
      kind: "next",
      invocation: { command: "search", text: "hessian author:Singh. year:2023", page: 12, view: "bibtex" },
    };
    const id = codec.encode(state);
    expect(id.startsWith("pb1.")).toBe(true);
    expect(id.length).toBeLessThanOrEqual(100);
    // A fresh codec (a restarted process or another replica) reads it too.
    expect(new CustomIdCodec().decode(id)).toEqual({ ok: true, state });
  });

  it("keeps long state in memory under a short key, and says expired elsewhere", () => {
    const codec = new CustomIdCodec();
    const state: ButtonState = {
      ownerId: OWNER,
      kind: "another",
      invocation: { command: "random", text: "x".repeat(300) },
    };
    const id = codec.encode(state);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(codec.decode(id)).toEqual({ ok: true, state });
    expect(new CustomIdCodec().decode(id)).toEqual({ ok: false, reason: "expired" });
  });

  it("forgets the oldest stored state beyond its bound", () => {
    const codec = new CustomIdCodec(2);
    const long = (n: number): ButtonState => ({
      ownerId: OWNER,
      kind: "next",
      invocation: { command: "search", text: `${n} ${"y".repeat(200)}` },
    });
    const ids = [1, 2, 3].map((n) => codec.encode(long(n)));
    expect(codec.decode(ids[0] as string)).toEqual({ ok: false, reason: "expired" });
    expect(codec.decode(ids[2] as string)).toEqual({ ok: true, state: long(3) });
  });

  it("rejects custom_ids it did not write", () => {
    const codec = new CustomIdCodec();
    for (const id of [
      "",
      "vote:1",
      "pb1.",
      "pb1.q.1.search...x",
      "pb1.n.!!.search...x",
      "pb1.n.1.Search...x",
      "pb1.n.1.search.-1..x",
    ]) {
      expect(codec.decode(id)).toEqual({ ok: false, reason: "foreign" });
    }
  });
});
