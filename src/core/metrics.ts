/**
 * What the bot counts, as the rest of the code sees it: plain calls, no metrics library. The
 * Prometheus implementation lives in src/ops/metrics.ts; tests, the CLI and the console use
 * NO_METRICS.
 */

/** ok: a reply; user_error: an expected failure (UserError) shown privately; error: a crash. */
export type CommandOutcome = "ok" | "user_error" | "error";

/** sent: delivered (or confirmed delivered); retry: failed, another attempt is scheduled; failed: given up. */
export type PostOutcome = "sent" | "retry" | "failed";

/** A follow's check against arXiv: new papers claimed for posting, nothing new, or a failure (retried later). */
export type FollowCheckOutcome = "new_papers" | "nothing_new" | "failed";

export interface BotMetrics {
  /**
   * One command answered. `command` must be a known command name (or "help"/"unknown"), never
   * raw user input: every distinct value becomes a time series.
   */
  commandServed(platform: string, command: string, outcome: CommandOutcome, seconds: number): void;
  dailyPost(outcome: PostOutcome): void;
  followPost(outcome: PostOutcome): void;
  followCheck(outcome: FollowCheckOutcome): void;
  /** A state store call failed; `operation` is a fixed name such as "daily.updatePost". */
  databaseError(operation: string): void;
}

export const NO_METRICS: BotMetrics = Object.freeze({
  commandServed() {},
  dailyPost() {},
  followPost() {},
  followCheck() {},
  databaseError() {},
});
