import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Pacer, type PacerClock } from "../../src/arxiv/pacer.ts";

/** Time that only moves when someone sleeps, so starts can be checked to the millisecond. */
function virtualClock(): PacerClock {
  let now = 1000;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

/** Runs `work` through the pacer and notes when it ran and how many ran at once. */
function tracker(pacer: Pacer, now: () => number) {
  const runs: { caller: string; start: number; end: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = (caller: string, busyMs: number) =>
    pacer.run(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const start = now();
      await sleep(busyMs);
      runs.push({ caller, start, end: now() });
      inFlight -= 1;
      return caller;
    });
  return { runs, run, maxInFlight: () => maxInFlight };
}

describe("Pacer", () => {
  it("never runs two pieces of work at once and starts them at least the interval apart (real clock)", async () => {
    const pacer = new Pacer(200);
    const { runs, run, maxInFlight } = tracker(pacer, () => performance.now());
    const callers = ["add", "follow-1", "follow-2"].map(async (caller) => [
      await run(caller, 30),
      await run(caller, 30),
    ]);
    const otherBurst = Promise.all([run("burst", 10), run("burst", 10)]);
    await Promise.all([...callers, otherBurst]);

    expect(runs).toHaveLength(8);
    expect(maxInFlight()).toBe(1);
    const starts = runs.map((entry) => entry.start).sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) {
      // 1 ms of slack for timer rounding; the point is 200 ms, not 0.
      expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(199);
    }
    for (let i = 1; i < runs.length; i++) {
      expect((runs[i] as { start: number }).start).toBeGreaterThanOrEqual(
        (runs[i - 1] as { end: number }).end,
      );
    }
  });

  it("starts work in arrival order, each exactly the interval after the previous start (virtual clock)", async () => {
    const clock = virtualClock();
    const pacer = new Pacer(3000, clock);
    const starts: [string, number][] = [];
    const work = (name: string) => pacer.run(async () => starts.push([name, clock.now()]));
    await Promise.all([work("a"), work("b"), work("c")]);
    expect(starts).toEqual([
      ["a", 1000],
      ["b", 4000],
      ["c", 7000],
    ]);
  });

  it("starts at once when the last start is longer ago than the interval", async () => {
    const clock = virtualClock();
    const pacer = new Pacer(3000, clock);
    await pacer.run(async () => undefined);
    await clock.sleep(5000);
    let startedAt = 0;
    await pacer.run(async () => {
      startedAt = clock.now();
    });
    expect(startedAt).toBe(6000);
  });

  it("hands a failure to its caller and keeps serving the others", async () => {
    const pacer = new Pacer(10);
    const failing = pacer.run(async () => {
      throw new Error("boom");
    });
    const next = pacer.run(async () => "fine");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("fine");
  });

  it("lets a caller give up its place in line without its work ever starting", async () => {
    const pacer = new Pacer(300);
    let ran = false;
    await pacer.run(async () => undefined);
    const controller = new AbortController();
    const waiting = pacer.run(
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    const after = pacer.run(async () => performance.now());
    controller.abort(new Error("deadline"));
    await expect(waiting).rejects.toThrow("deadline");
    await after;
    expect(ran).toBe(false);
  });

  it("refuses at once when the signal has already aborted", async () => {
    const pacer = new Pacer(300);
    await expect(pacer.run(async () => 1, { signal: AbortSignal.abort(new Error("late")) })).rejects.toThrow(
      "late",
    );
  });
});
