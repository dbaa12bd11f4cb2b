/** Test doubles for daily posts: a clock tests move by hand, a recording poster, small paper sets. */
import type { ChannelPoster } from "../../src/core/daily-control.ts";
import type { Paper } from "../../src/core/paper.ts";
import { PaperIndex } from "../../src/core/paper-index.ts";
import type { PaperReply, Reply } from "../../src/core/reply.ts";
import type { Clock } from "../../src/daily/clock.ts";
import type { Subscription } from "../../src/store/daily-store.ts";

interface Timer {
  at: number;
  order: number;
  callback: () => void;
  owner: ManualClock;
}

/** Shared time for every "process" in a test; each process gets its own ManualClock view of it. */
export class TimeLine {
  now: number;
  private readonly timers: Timer[] = [];
  private order = 0;

  constructor(start: number | string) {
    this.now = typeof start === "string" ? Date.parse(start) : start;
  }

  clock(): ManualClock {
    return new ManualClock(this);
  }

  add(timer: Omit<Timer, "order">): Timer {
    const entry = { ...timer, order: this.order++ };
    this.timers.push(entry);
    return entry;
  }

  remove(timer: Timer): void {
    const index = this.timers.indexOf(timer);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** Drops every timer of a clock (its process died). */
  forget(owner: ManualClock): void {
    for (const timer of this.timers.filter((entry) => entry.owner === owner)) this.remove(timer);
  }

  /** Moves time to `target`, firing due timers in order and letting their async work settle. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      const next = this.timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.remove(next);
      this.now = Math.max(this.now, next.at);
      next.callback();
      await flush();
    }
    this.now = Math.max(this.now, target);
    await flush();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.now + ms);
  }
}

export class ManualClock implements Clock {
  constructor(private readonly line: TimeLine) {}

  now(): number {
    return this.line.now;
  }

  setTimer(delayMs: number, callback: () => void): unknown {
    return this.line.add({ at: this.line.now + Math.max(0, delayMs), callback, owner: this });
  }

  clearTimer(handle: unknown): void {
    this.line.remove(handle as Timer);
  }

  kill(): void {
    this.line.forget(this);
  }
}

/** Lets pending promise chains run: SQLite calls are sync behind async, so a few event-loop turns finish a tick. */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export interface SentPost {
  channelId: string;
  key: string;
  reply: Reply;
  at: number;
}

/**
 * A platform that records what reached each channel. `wasPosted` tells the truth (Slack's
 * metadata lookup); `failNext` makes sends throw; `hang` makes a call never settle, as when the
 * process dies during it (with `deliverFirst`, the message reached the channel before that).
 */
export class RecordingPoster implements ChannelPoster {
  readonly sent: SentPost[] = [];
  failures: { error: Error; count: number } | undefined;
  hangNext: { deliverFirst: boolean } | undefined;
  hangWasPosted = false;

  constructor(private readonly now: () => number) {}

  async post(
    channelId: string,
    reply: Reply,
    options: { idempotencyKey: string },
  ): Promise<{ messageId: string }> {
    if (this.failures && this.failures.count > 0) {
      this.failures.count--;
      throw this.failures.error;
    }
    const hang = this.hangNext;
    if (hang) {
      this.hangNext = undefined;
      if (hang.deliverFirst) this.record(channelId, reply, options.idempotencyKey);
      return new Promise(() => {});
    }
    return { messageId: this.record(channelId, reply, options.idempotencyKey) };
  }

  async wasPosted(channelId: string, key: string): Promise<boolean> {
    if (this.hangWasPosted) {
      this.hangWasPosted = false;
      return new Promise(() => {});
    }
    return this.sent.some((post) => post.channelId === channelId && post.key === key);
  }

  postsIn(channelId: string): SentPost[] {
    return this.sent.filter((post) => post.channelId === channelId);
  }

  private record(channelId: string, reply: Reply, key: string): string {
    this.sent.push({ channelId, key, reply, at: this.now() });
    return `m${this.sent.length}`;
  }
}

export function paperIdOf(post: SentPost): string {
  return (post.reply as PaperReply).paper.id;
}

/** A daily subscription on at 09:00 UTC since the epoch, in Discord channel 1, unless overridden. */
export function fixtureSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    platform: "discord",
    channelId: "1",
    enabled: true,
    time: "09:00",
    timeZone: "UTC",
    filters: "",
    activeFrom: 0,
    seed: "s",
    rotation: 0,
    rotationStartedAt: 0,
    source: "chat",
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

/** A small Paper with sensible defaults. */
export function fixturePaper(id: string, overrides: Partial<Paper> = {}): Paper {
  return {
    id,
    title: `Paper ${id}`,
    titleDerived: false,
    authors: ["Ada Lovelace"],
    abstract: `About topic ${id}.`,
    categories: ["cs.LG"],
    comments: [],
    published: "2023-01-02",
    sources: [{ file: "fixture", line: 1 }],
    ...overrides,
  };
}

export function fixtureIndex(count: number, prefix = "2301."): PaperIndex {
  return new PaperIndex(
    Array.from({ length: count }, (_, i) => fixturePaper(`${prefix}${String(i + 1).padStart(5, "0")}`)),
  );
}
