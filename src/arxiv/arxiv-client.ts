/**
 * The arXiv API client used by /add and by follow checks: paced (one shared Pacer per process),
 * retried politely, and bounded by an optional deadline so a chat reply is never held too long.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ArxivEntry, ArxivFeed } from "./arxiv-entry.ts";
import { ARXIV_MESSAGES, ArxivUnavailableError } from "./arxiv-errors.ts";
import { type AttemptOutcome, fetchFeedOnce } from "./fetch-feed.ts";
import type { Pacer } from "./pacer.ts";
import { retryDelayMs, retryFits } from "./retry-policy.ts";

export const ARXIV_DEFAULTS = Object.freeze({
  apiUrl: "https://export.arxiv.org/api/query",
  /** arXiv's terms: no more than one request every 3 seconds. */
  minIntervalMs: 3000,
  timeoutMs: 15_000,
  maxAttempts: 3,
  retryDelaysMs: Object.freeze([3000, 10_000]) as readonly number[],
});

/** arXiv answers at most 2,000 results a call. */
export const MAX_RESULTS_PER_CALL = 2000;

export interface ArxivLogger {
  warn(msg: string, fields?: object): void;
  debug?(msg: string, fields?: object): void;
}

export interface ArxivClientOptions {
  /** ARXIV_API_URL. */
  apiUrl: string;
  /** Shared by every caller in the process. */
  pacer: Pacer;
  /** Names the bot, as arXiv asks, e.g. "paperbot/0.1 (+https://github.com/…)". */
  userAgent: string;
  timeoutMs?: number;
  maxAttempts?: number;
  /** A Retry-After header wins when longer, capped at 60 s. */
  retryDelaysMs?: readonly number[];
  /** Overall budget for one call; no try starts that could not finish within it. */
  deadlineMs?: number;
  logger?: ArxivLogger;
}

/** When an empty answer is believed: after `confirmations` empty answers, or when it is the last answer we get. */
interface EmptyFeedPolicy {
  confirmations: number;
  /**
   * Searches only (for id_list arXiv has counted the ids asked for): an empty page although totalResults
   * says there are matches beyond `start` contradicts itself and is never believed.
   */
  matchesBeyond?: number;
}

export class ArxivClient {
  private readonly apiUrl: string;
  private readonly pacer: Pacer;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly deadlineMs?: number;
  private readonly logger?: ArxivLogger;

  constructor(options: ArxivClientOptions) {
    this.apiUrl = options.apiUrl;
    this.pacer = options.pacer;
    this.userAgent = options.userAgent;
    this.timeoutMs = options.timeoutMs ?? ARXIV_DEFAULTS.timeoutMs;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? ARXIV_DEFAULTS.maxAttempts);
    this.retryDelaysMs = options.retryDelaysMs ?? ARXIV_DEFAULTS.retryDelaysMs;
    this.deadlineMs = options.deadlineMs;
    this.logger = options.logger;
  }

  /**
   * One request (id_list=a,b,c&max_results=n) for all ids (already normalised, no versions). Missing ids
   * are simply absent from the result. An empty feed is believed (a well-formed id that does not exist
   * gives an empty feed) but first retried once when it is empty for every id.
   */
  async getByIds(ids: readonly string[], options: { deadlineMs?: number } = {}): Promise<ArxivEntry[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    if (unique.length > MAX_RESULTS_PER_CALL) {
      throw new RangeError(`getByIds takes at most ${MAX_RESULTS_PER_CALL} ids, got ${unique.length}`);
    }
    const params = new URLSearchParams({ id_list: unique.join(","), max_results: String(unique.length) });
    const feed = await this.fetchFeed(params, options.deadlineMs ?? this.deadlineMs, { confirmations: 2 });
    return feed.entries;
  }

  /**
   * Newest first; `start` pages further back. Under load arXiv sometimes answers an empty feed for a
   * query that has results, so an empty feed is retried with backoff (up to maxAttempts) before it is
   * believed.
   */
  searchNewest(query: string, max: number, options: { start?: number } = {}): Promise<ArxivFeed> {
    const start = Math.max(0, Math.floor(options.start ?? 0));
    const params = new URLSearchParams({
      search_query: query,
      start: String(start),
      max_results: String(Math.min(Math.max(1, max), MAX_RESULTS_PER_CALL)),
      sortBy: "submittedDate",
      sortOrder: "descending",
    });
    return this.fetchFeed(params, this.deadlineMs, { confirmations: this.maxAttempts, matchesBeyond: start });
  }

  private async fetchFeed(
    params: URLSearchParams,
    deadlineMs: number | undefined,
    empty: EmptyFeedPolicy,
  ): Promise<ArxivFeed> {
    const url = new URL(this.apiUrl);
    for (const [name, value] of params) url.searchParams.set(name, value);
    const deadlineAt = deadlineMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + deadlineMs;
    let emptyAnswers = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url.href, attempt, deadlineAt);
      let problem: string;
      let believable = false;
      if (outcome.kind === "feed") {
        const { feed } = outcome;
        if (feed.entries.length > 0) return feed;
        emptyAnswers += 1;
        const counted = feed.totalResults;
        if (empty.matchesBeyond !== undefined && counted > 0) {
          // A search page past the last match is consistent and final; one before it contradicts itself.
          if (counted <= empty.matchesBeyond) return feed;
          problem = ARXIV_MESSAGES.emptyPage(counted);
        } else {
          believable = true;
          if (emptyAnswers >= empty.confirmations) return feed;
          problem = ARXIV_MESSAGES.emptyFeed;
        }
      } else {
        problem = outcome.kind === "retryable" ? outcome.reason : outcome.error.message;
      }
      const retryAfterMs = outcome.kind === "retryable" ? outcome.retryAfterMs : undefined;
      const delayMs = retryDelayMs(attempt, this.retryDelaysMs, retryAfterMs);
      const outOfAttempts = attempt >= this.maxAttempts;
      const outOfTime = !outOfAttempts && !retryFits(performance.now(), delayMs, deadlineAt, this.timeoutMs);
      if (outOfAttempts || outOfTime) return this.giveUp(outcome, believable, problem, attempt, outOfTime);
      const fields = { url: url.href, attempt, problem, delayMs };
      // An empty feed is often the true answer (a follow with nothing new): not worth a warning each hour.
      if (outcome.kind === "feed") this.logger?.debug?.("arXiv answered an empty feed; asking again", fields);
      else this.logger?.warn("arXiv answer not usable; asking again", fields);
      await sleep(delayMs);
    }
  }

  /** The last answer decides: an empty feed we may believe is the result; anything else fails. */
  private giveUp(
    outcome: AttemptOutcome,
    believable: boolean,
    problem: string,
    attempts: number,
    outOfTime: boolean,
  ): ArxivFeed {
    if (outcome.kind === "feed" && believable) return outcome.feed;
    // A feed that stayed unreadable is reported as what it is, not as arXiv being down.
    if (outcome.kind === "bad-feed") throw outcome.error;
    const message = outOfTime
      ? ARXIV_MESSAGES.outOfTime(problem, attempts)
      : ARXIV_MESSAGES.gaveUp(problem, attempts);
    throw new ArxivUnavailableError(message, attempts);
  }

  /** One paced try. The place in line is given up when the deadline passes before arXiv could be asked. */
  private async attempt(url: string, attempt: number, deadlineAt: number): Promise<AttemptOutcome> {
    const remaining = deadlineAt - performance.now();
    if (remaining <= 0) throw new ArxivUnavailableError(ARXIV_MESSAGES.noTimeToAsk, attempt - 1);
    const signal = Number.isFinite(remaining) ? AbortSignal.timeout(Math.ceil(remaining)) : undefined;
    try {
      return await this.pacer.run(
        () => {
          const timeoutMs = Math.max(1, Math.ceil(Math.min(this.timeoutMs, deadlineAt - performance.now())));
          this.logger?.debug?.("asking arXiv", { url, attempt, timeoutMs });
          return fetchFeedOnce(url, this.userAgent, timeoutMs);
        },
        { signal },
      );
    } catch (error) {
      if (signal?.aborted && error === signal.reason) {
        throw new ArxivUnavailableError(ARXIV_MESSAGES.noTimeToAsk, attempt - 1);
      }
      throw error;
    }
  }
}
