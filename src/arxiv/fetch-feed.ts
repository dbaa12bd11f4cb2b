/** One HTTP request to the arXiv API, its answer sorted into: a feed, worth another try, or final. */
import type { ArxivFeed } from "./arxiv-entry.ts";
import { ARXIV_MESSAGES, ArxivFeedError } from "./arxiv-errors.ts";
import { parseArxivFeed } from "./atom.ts";
import { parseRetryAfter } from "./retry-policy.ts";

export type AttemptOutcome =
  | { kind: "feed"; feed: ArxivFeed }
  /** 5xx, 429, time-out, network error, or arXiv's plain "Rate exceeded." */
  | { kind: "retryable"; reason: string; retryAfterMs?: number }
  /** Malformed or not Atom: usually an answer cut off on the way or a proxy's page, so worth another try. */
  | { kind: "bad-feed"; error: ArxivFeedError };

/** arXiv's throttle sometimes answers HTTP 200 with this plain-text body instead of a status. */
const RATE_EXCEEDED = /^\s*rate exceeded/i;

/** Throws ArxivFeedError for answers no retry can fix: an arXiv error entry, or a 4xx other than 429. */
export async function fetchFeedOnce(
  url: string,
  userAgent: string,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  let response: Response;
  let body: string;
  try {
    // The signal also bounds reading the body, so a stalled answer cannot hold the pacer forever.
    response = await fetch(url, {
      headers: { "User-Agent": userAgent, Accept: "application/atom+xml" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    return { kind: "retryable", reason: describeFailure(error, timeoutMs) };
  }
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  if (response.status === 429 || response.status >= 500) {
    return { kind: "retryable", reason: ARXIV_MESSAGES.httpStatus(response.status), retryAfterMs };
  }
  if (!response.ok) throw refusal(response.status, body);
  if (RATE_EXCEEDED.test(body))
    return { kind: "retryable", reason: ARXIV_MESSAGES.rateExceeded, retryAfterMs };
  try {
    return { kind: "feed", feed: parseArxivFeed(body) };
  } catch (error) {
    if (error instanceof ArxivFeedError && error.kind !== "api-error") return { kind: "bad-feed", error };
    throw error;
  }
}

/** A 4xx says what arXiv did not like in an error entry when it can; otherwise the status is all we have. */
function refusal(status: number, body: string): ArxivFeedError {
  try {
    parseArxivFeed(body);
  } catch (error) {
    if (error instanceof ArxivFeedError && error.kind === "api-error") {
      return new ArxivFeedError("api-error", error.message, status);
    }
  }
  return new ArxivFeedError("refused", ARXIV_MESSAGES.refused(status), status);
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return ARXIV_MESSAGES.timedOut(timeoutMs);
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return ARXIV_MESSAGES.network(cause?.code ?? cause?.message ?? String(error));
}
