/**
 * A set whose entries expire after `ttlMs` and which never holds more than `maxEntries`: the
 * memory bound for event-id dedupe and thread tracking, whatever the traffic.
 */
export interface ExpiringSetOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export class ExpiringSet {
  private readonly expiries = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: ExpiringSetOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = Math.max(1, options.maxEntries);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    this.prune();
    return this.expiries.size;
  }

  has(key: string): boolean {
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.expiries.delete(key);
    return false;
  }

  /** Adds `key`; false when it was already present (the duplicate case). Does not extend a live entry. */
  add(key: string): boolean {
    if (this.has(key)) return false;
    this.set(key);
    return true;
  }

  /** Adds or refreshes `key` (a thread that is still active stays tracked). */
  touch(key: string): void {
    this.expiries.delete(key);
    this.set(key);
  }

  private set(key: string): void {
    this.prune();
    this.expiries.set(key, this.now() + this.ttlMs);
    // Maps iterate in insertion order, so the first key is the oldest.
    while (this.expiries.size > this.maxEntries) {
      const oldest = this.expiries.keys().next().value;
      if (oldest === undefined) break;
      this.expiries.delete(oldest);
    }
  }

  private prune(): void {
    const now = this.now();
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(key);
    }
  }
}
