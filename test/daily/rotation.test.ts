import { describe, expect, it } from "vitest";
import { pickNextPaper, rotationOrder } from "../../src/daily/rotation.ts";

const IDS = ["a", "b", "c", "d", "e", "f"];
const ARCHIVE = new Map(IDS.map((id) => [id, 0]));

function postAll(pool: string[], firstSeen: Map<string, number>, seed: string, days: number): string[] {
  let state = { rotation: 0, startedAt: 10 };
  let posted = new Set<string>();
  const out: string[] = [];
  for (let day = 0; day < days; day++) {
    const pick = pickNextPaper({
      pool,
      posted,
      firstSeen,
      state,
      seed,
      lastPosted: out.at(-1),
      now: 100 + day,
    });
    if (!pick) throw new Error("empty pool");
    if (pick.state.rotation !== state.rotation) posted = new Set();
    state = pick.state;
    posted.add(pick.paperId);
    out.push(pick.paperId);
  }
  return out;
}

describe("pickNextPaper", () => {
  it("covers the whole pool before any paper repeats, rotation after rotation", () => {
    const order = postAll(IDS, ARCHIVE, "seed", 60);
    for (let start = 0; start < 60; start += IDS.length) {
      expect(new Set(order.slice(start, start + IDS.length)).size).toBe(IDS.length);
    }
  });

  it("never posts the same paper on two days in a row across a rotation boundary", () => {
    for (const seed of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
      const order = postAll(IDS, ARCHIVE, seed, 120);
      for (let i = 1; i < order.length; i++) expect(order[i]).not.toBe(order[i - 1]);
    }
  });

  it("shuffles differently per channel seed but stably for one seed", () => {
    const one = postAll(IDS, ARCHIVE, "discord:1", 6);
    expect(postAll(IDS, ARCHIVE, "discord:1", 6)).toEqual(one);
    const others = ["discord:2", "discord:3", "slack:C1"].map((seed) =>
      postAll(IDS, ARCHIVE, seed, 6).join(),
    );
    expect(others.some((order) => order !== one.join())).toBe(true);
    expect([...one].sort()).toEqual(IDS);
  });

  it("keeps the remaining order when a paper is added to the archive order", () => {
    const state = { rotation: 0, startedAt: 10 };
    const before = rotationOrder(IDS, ARCHIVE, state, "s");
    const after = rotationOrder([...IDS, "g"], new Map([...ARCHIVE, ["g", 5]]), state, "s");
    expect(after.filter((id) => id !== "g")).toEqual(before);
  });

  it("puts papers first seen after the rotation began first, oldest addition first", () => {
    const firstSeen = new Map([...ARCHIVE, ["new2", 50], ["new1", 40]]);
    const pick = (posted: string[]) =>
      pickNextPaper({
        pool: [...IDS, "new1", "new2"],
        posted: new Set(posted),
        firstSeen,
        state: { rotation: 0, startedAt: 10 },
        seed: "s",
        now: 60,
      })?.paperId;
    expect(pick(["a"])).toBe("new1");
    expect(pick(["a", "new1"])).toBe("new2");
    expect(IDS).toContain(pick(["a", "new1", "new2"]));
  });

  it("starts a new rotation when everything in the pool was posted", () => {
    const pick = pickNextPaper({
      pool: ["a", "b"],
      posted: new Set(["a", "b", "gone"]),
      firstSeen: ARCHIVE,
      state: { rotation: 3, startedAt: 10 },
      seed: "s",
      lastPosted: "b",
      now: 99,
    });
    expect(pick).toEqual({ paperId: "a", state: { rotation: 4, startedAt: 99 } });
  });

  it("returns nothing for an empty pool", () => {
    expect(
      pickNextPaper({
        pool: [],
        posted: new Set(),
        firstSeen: ARCHIVE,
        state: { rotation: 0, startedAt: 0 },
        seed: "s",
        now: 1,
      }),
    ).toBeUndefined();
  });
});
