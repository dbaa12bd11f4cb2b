/** The arXiv client's typed failures and every message it writes, in one place. */

/** arXiv did not answer usefully after polite retries: 5xx, 429, time-outs, network errors, repeated empty feeds. */
export class ArxivUnavailableError extends Error {
  readonly attempts: number;

  constructor(message: string, attempts: number) {
    super(message);
    this.name = "ArxivUnavailableError";
    this.attempts = attempts;
  }
}

/**
 * arXiv answered, but not with a usable feed. `kind` says what came back:
 * - `api-error`: an Atom error entry (arXiv rejected the request, e.g. a malformed id); never worth retrying.
 * - `malformed`: not well-formed XML (often a cut-off answer).
 * - `not-atom`: well-formed, but not an Atom feed (an HTML page from a proxy, say).
 * - `refused`: an HTTP 4xx other than 429.
 */
export type ArxivFeedErrorKind = "api-error" | "malformed" | "not-atom" | "refused";

export class ArxivFeedError extends Error {
  readonly kind: ArxivFeedErrorKind;
  readonly status?: number;

  constructor(kind: ArxivFeedErrorKind, message: string, status?: number) {
    super(message);
    this.name = "ArxivFeedError";
    this.kind = kind;
    this.status = status;
  }
}

function tries(count: number): string {
  return count === 1 ? "1 try" : `${count} tries`;
}

export const ARXIV_MESSAGES = Object.freeze({
  gaveUp: (reason: string, attempts: number) => `arXiv did not answer (${reason}) after ${tries(attempts)}`,
  outOfTime: (reason: string, attempts: number) =>
    `arXiv did not answer in time (${reason}) after ${tries(attempts)}`,
  noTimeToAsk: "arXiv was not asked: no time was left before the deadline",
  httpStatus: (status: number) => `HTTP ${status}`,
  timedOut: (ms: number) => `no answer within ${ms} ms`,
  network: (detail: string) => `network error: ${detail}`,
  rateExceeded: "rate exceeded",
  emptyFeed: "an empty feed",
  emptyPage: (total: number) => `an empty page of a query that counts ${total} results`,
  apiError: (summary: string) => `arXiv rejected the request: ${summary}`,
  refused: (status: number) => `arXiv refused the request (HTTP ${status})`,
  malformed: (detail: string) => `arXiv sent malformed XML (${detail})`,
  notAtom: (root: string) => `arXiv sent something that is not an Atom feed (root element <${root}>)`,
  badEntry: (what: string) => `arXiv sent an entry without ${what}`,
});
