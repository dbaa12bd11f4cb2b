/** How long to wait before asking arXiv again, and whether another try still fits a deadline. */

/** arXiv's Retry-After is honoured when it asks for longer than planned, but never beyond this. */
export const RETRY_AFTER_CAP_MS = 60_000;
/** A try with less time left than this is not worth a request: arXiv seldom answers faster. */
export const MIN_USEFUL_ATTEMPT_MS = 1_000;

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The pause after failed try number `attempt` (1-based): the planned delay for that try (the last one
 * repeats), or what arXiv asked for in Retry-After when that is longer, capped.
 */
export function retryDelayMs(attempt: number, plannedMs: readonly number[], retryAfterMs?: number): number {
  const planned = plannedMs[Math.min(attempt, plannedMs.length) - 1] ?? 0;
  const asked = Math.min(retryAfterMs ?? 0, RETRY_AFTER_CAP_MS);
  return Math.max(planned, asked);
}

/** True when a try starting after `delayMs` would still have a useful slice of time before `deadlineAt`. */
export function retryFits(nowMs: number, delayMs: number, deadlineAt: number, timeoutMs: number): boolean {
  return nowMs + delayMs + Math.min(timeoutMs, MIN_USEFUL_ATTEMPT_MS) <= deadlineAt;
}
