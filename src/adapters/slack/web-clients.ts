/**
 * Which Web API calls the client may retry by itself. The WebClient resends a request after a 5xx,
 * a network error or a timeout, yet Slack may already have stored a chat.postMessage that failed
 * that way: a resend is a second copy of the message. So posts go through a client that never
 * retries, and their caller decides (the daily engine checks conversations.history first; replies
 * are only resent after a rate limit, which Slack never stores). Reads are safe to repeat.
 */
import { type Logger, webApi } from "@slack/bolt";

export type WebClient = InstanceType<typeof webApi.WebClient>;
type WebClientOptions = NonNullable<ConstructorParameters<typeof webApi.WebClient>[1]>;

export const WEB_API_TIMEOUT_MS = 10_000;
/** users.info runs before a command answers: a slow one must leave time for Slack's 3 s ack. */
export const ROLE_LOOKUP_TIMEOUT_MS = 1500;
/** A few quick retries: an answer that arrives minutes late is worse than a logged failure. */
const READ_RETRIES = { retries: 2, factor: 2, maxTimeout: 2000 };
const NO_RETRIES = { retries: 0 };

export interface WebClientSettings {
  /** Web API base, ending in a slash. */
  apiUrl: string;
  timeoutMs: number;
}

/** For calls that are safe to repeat: Bolt's own client (auth.test, chat.update) uses these. */
export function repeatableCallOptions(settings: WebClientSettings): WebClientOptions {
  return { slackApiUrl: settings.apiUrl, timeout: settings.timeoutMs, retryConfig: READ_RETRIES };
}

export interface SlackWebClients {
  /** chat.postMessage and chat.postEphemeral: sent once per call; a 429 is rejected with `retryAfter`. */
  posting: WebClient;
  /** Reads for the daily engine (conversations.history); a 429 is rejected so the engine picks when. */
  reading: WebClient;
  /** users.info for manager checks: one short try, since a failure only means "not allowed". */
  roles: WebClient;
}

export function createWebClients(
  token: string,
  settings: WebClientSettings,
  logger: Logger,
): SlackWebClients {
  const common = { ...repeatableCallOptions(settings), logger, rejectRateLimitedCalls: true };
  return {
    posting: new webApi.WebClient(token, { ...common, retryConfig: NO_RETRIES }),
    reading: new webApi.WebClient(token, common),
    roles: new webApi.WebClient(token, {
      ...common,
      timeout: Math.min(settings.timeoutMs, ROLE_LOOKUP_TIMEOUT_MS),
      retryConfig: NO_RETRIES,
    }),
  };
}
