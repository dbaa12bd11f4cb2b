/**
 * Replay defence for HTTP interactions. A signed request stays valid for its whole timestamp window,
 * so whoever captures one (a logging proxy, a leaked trace) could send it again and run the command
 * again. Each interaction id is let through once while its signature could still be accepted.
 * Behind an interface so replicas behind a load balancer can later share one memory (a database
 * table); the default here serves a single process.
 */
import { MAX_CLOCK_SKEW_SECONDS, MAX_SIGNATURE_AGE_SECONDS } from "./verify-signature.ts";

export interface SeenInteractions {
  /**
   * True the first time `id` is offered, false for every repeat within SEEN_INTERACTION_TTL_MS.
   * Check and record are one step: of two concurrent calls with one id, exactly one gets true.
   */
  firstSeen(id: string): Promise<boolean>;
}

/**
 * A signature is accepted from MAX_CLOCK_SKEW before its timestamp until MAX_SIGNATURE_AGE after
 * it, so an id first seen at any moment of that span must be remembered for the span's full length.
 */
export const SEEN_INTERACTION_TTL_MS = (MAX_SIGNATURE_AGE_SECONDS + MAX_CLOCK_SKEW_SECONDS) * 1000;

/**
 * The memory bound: about 280 interactions a second kept up for the whole window, a few MB. Past it
 * the oldest ids are forgotten early (a later replay of one would run); bots that busy run replicas
 * and belong on the shared implementation.
 */
export const SEEN_INTERACTIONS_MAX = 100_000;

export interface InMemorySeenInteractionsOptions {
  now?: () => number;
  ttlMs?: number;
  maxEntries?: number;
}

export function createInMemorySeenInteractions(
  options: InMemorySeenInteractionsOptions = {},
): SeenInteractions {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? SEEN_INTERACTION_TTL_MS;
  const maxEntries = Math.max(1, options.maxEntries ?? SEEN_INTERACTIONS_MAX);
  // id -> expiry. Maps iterate in insertion order and every entry lives ttlMs, so the first expires first.
  const expiries = new Map<string, number>();

  return {
    async firstSeen(id) {
      const at = now();
      for (const [oldest, expiry] of expiries) {
        if (expiry > at) break;
        expiries.delete(oldest);
      }
      if (expiries.has(id)) return false;
      expiries.set(id, at + ttlMs);
      if (expiries.size > maxEntries) {
        const oldest = expiries.keys().next().value;
        if (oldest !== undefined) expiries.delete(oldest);
      }
      return true;
    },
  };
}
