/**
 * Keeps the whole process polite to arXiv, whose terms allow one connection at a time and one request
 * every 3 seconds across all of a client's requests: work runs one at a time, in arrival order, and
 * each starts at least `minIntervalMs` after the previous one finished. Counting from the finish
 * (not the start) keeps the gap as arXiv sees it: a slow first request can no longer arrive late
 * and close up on the next. Share one Pacer per process.
 */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_CLOCK: PacerClock = Object.freeze({
  now: () => performance.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
});

export interface PacerRunOptions {
  /** Gives up the place in line (rejecting with the signal's reason) if aborted before the work starts. */
  signal?: AbortSignal;
}

interface Ticket {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  /** Started, or given up: either way no longer waiting. */
  done: boolean;
  stopListening: () => void;
}

export class Pacer {
  private readonly queue: Ticket[] = [];
  private draining = false;
  private lastEndAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly minIntervalMs: number,
    private readonly clock: PacerClock = REAL_CLOCK,
  ) {}

  run<T>(work: () => Promise<T>, options: PacerRunOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (ticket.done) return;
        ticket.done = true;
        const place = this.queue.indexOf(ticket);
        if (place >= 0) this.queue.splice(place, 1);
        reject(signal?.reason);
      };
      const ticket: Ticket = {
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
        done: false,
        stopListening: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(ticket);
      void this.drain();
    });
  }

  private waitMs(): number {
    return this.lastEndAt + this.minIntervalMs - this.clock.now();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let ticket = this.queue.shift(); ticket; ticket = this.queue.shift()) {
        // Timers may fire a little early by a finer clock, so check again rather than trust one sleep.
        for (let wait = this.waitMs(); wait > 0; wait = this.waitMs())
          await this.clock.sleep(Math.ceil(wait));
        // Its caller may have given up while we waited; the next one in line may then start at once.
        if (ticket.done) continue;
        ticket.done = true;
        ticket.stopListening();
        try {
          ticket.resolve(await ticket.work());
        } catch (error) {
          ticket.reject(error);
        } finally {
          this.lastEndAt = this.clock.now();
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
