import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.ts";
import { JobService } from "../../src/daily/job-service.ts";
import { flush, TimeLine } from "./helpers.ts";

describe("JobService", () => {
  it("runs a job at each time its cron schedule names, on the injected clock", async () => {
    const line = new TimeLine("2024-03-15T08:59:30Z");
    const runs: string[] = [];
    const jobs = new JobService(
      [
        {
          name: "every-15",
          schedule: "*/15 * * * *",
          run: async (now) => void runs.push(new Date(now).toISOString()),
        },
      ],
      line.clock(),
      createLogger("silent"),
    );
    jobs.start();
    await line.advanceTo(Date.parse("2024-03-15T09:31:00Z"));
    expect(runs).toEqual([
      "2024-03-15T09:00:00.000Z",
      "2024-03-15T09:15:00.000Z",
      "2024-03-15T09:30:00.000Z",
    ]);
    await jobs.stop();
    await line.advanceTo(Date.parse("2024-03-15T11:00:00Z"));
    expect(runs).toHaveLength(3);
  });

  it("logs a failing run and keeps the schedule going", async () => {
    const line = new TimeLine("2024-03-15T09:00:30Z");
    const logged: string[] = [];
    let runs = 0;
    const jobs = new JobService(
      [
        {
          name: "flaky",
          schedule: "* * * * *",
          run: async () => {
            runs++;
            throw new Error("boom");
          },
        },
      ],
      line.clock(),
      createLogger("error", (entry) => logged.push(entry)),
    );
    jobs.start();
    await line.advanceTo(Date.parse("2024-03-15T09:03:00Z"));
    expect(runs).toBe(3);
    expect(
      logged.filter((entry) => entry.includes("job flaky failed") && entry.includes("boom")),
    ).toHaveLength(3);
    await jobs.stop();
  });

  it("does not start a run while the previous one is still going", async () => {
    const line = new TimeLine("2024-03-15T09:00:30Z");
    let started = 0;
    let release: () => void = () => {};
    const jobs = new JobService(
      [
        {
          name: "slow",
          schedule: "* * * * *",
          run: () => {
            started++;
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          },
        },
      ],
      line.clock(),
      createLogger("silent"),
    );
    jobs.start();
    await line.advanceTo(Date.parse("2024-03-15T09:05:00Z"));
    expect(started).toBe(1);
    release();
    await flush();
    await line.advanceTo(Date.parse("2024-03-15T09:06:00Z"));
    expect(started).toBe(2);
    release();
    await jobs.stop();
  });
});
