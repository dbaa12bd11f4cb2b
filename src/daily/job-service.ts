/**
 * Jobs are objects {name, schedule, run}, run by a service that catches and logs. The cron
 * schedule is read by croner; waiting goes through the injected clock, so tests control time.
 * A run that is still busy when its next time comes is not started twice.
 */
import { Cron } from "croner";
import type { Logger } from "../core/logger.ts";
import { type Clock, MAX_TIMER_MS } from "./clock.ts";

export interface Job {
  name: string;
  /** A cron pattern in UTC, e.g. "* * * * *" for every minute. */
  schedule: string;
  run(now: number): Promise<void>;
}

export class JobService {
  private readonly timers = new Map<string, unknown>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = true;

  constructor(
    private readonly jobs: readonly Job[],
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    for (const job of this.jobs) this.arm(job);
  }

  /** Stops timers and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.timers.values()) this.clock.clearTimer(handle);
    this.timers.clear();
    await this.idle();
  }

  /** Resolves when no job is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Runs a job now (outside its schedule), unless it is already running. */
  runNow(job: Job): Promise<void> {
    const busy = this.running.get(job.name);
    if (busy) {
      this.logger.debug("job still running; skipped", { job: job.name });
      return busy;
    }
    const run = (async () => {
      try {
        await job.run(this.clock.now());
      } catch (error) {
        this.logger.error(`job ${job.name} failed`, error);
      } finally {
        this.running.delete(job.name);
      }
    })();
    this.running.set(job.name, run);
    return run;
  }

  private arm(job: Job): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const next = new Cron(job.schedule, { paused: true, timezone: "UTC" }).nextRun(new Date(now));
    if (!next) {
      this.logger.warn(`job ${job.name} has no next run`, { schedule: job.schedule });
      return;
    }
    const delay = next.getTime() - now;
    this.timers.set(
      job.name,
      this.clock.setTimer(Math.min(delay, MAX_TIMER_MS), () => {
        this.timers.delete(job.name);
        if (this.stopped) return;
        if (this.clock.now() >= next.getTime()) void this.runNow(job);
        this.arm(job);
      }),
    );
  }
}
