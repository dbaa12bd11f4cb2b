/**
 * Start-up failures in words that name the setting to fix. Slack answers a bad token with a bare
 * code ("invalid_auth") and Node a busy port with "EADDRINUSE"; main.ts prints the message of what
 * startSlack throws as "paperbot stopped: <message>". Tokens never appear: Slack's errors carry none.
 */
import { webApi } from "@slack/bolt";
import { SLACK_TOKENS, type SlackTokenVariable } from "./slack-tokens.ts";

/** Slack's answers for a token that is not (or no longer) good for this app. */
const WRONG_TOKEN = new Set(["invalid_auth", "not_authed", "not_allowed_token_type"]);
const DEAD_TOKEN = new Set(["account_inactive", "token_revoked", "token_expired"]);

export interface ApiTarget {
  /** Web API base the calls went to. */
  apiUrl: string;
  /** True when SLACK_API_URL set it (then it is worth checking). */
  custom: boolean;
}

interface SlackClientError {
  code?: unknown;
  data?: { error?: unknown };
  original?: { message?: unknown };
  statusCode?: unknown;
  retryAfter?: unknown;
}

/** The error to throw when a call made with `variable`'s token failed at start-up. */
export function tokenStartupError(error: unknown, variable: SlackTokenVariable, target: ApiTarget): Error {
  const { code, data, original, statusCode, retryAfter } = (error ?? {}) as SlackClientError;
  const kind = SLACK_TOKENS[variable];
  const copyAgain = `copy ${kind.what} (${kind.prefix}...) again from ${kind.where}`;
  const where = `Slack's Web API at ${origin(target.apiUrl)}${target.custom ? " (SLACK_API_URL)" : ""}`;
  let message: string | undefined;
  if (code === webApi.ErrorCode.PlatformError && typeof data?.error === "string") {
    const answer = data.error;
    if (WRONG_TOKEN.has(answer))
      message = `Slack refused ${variable} (${answer}): it is not a valid token for this app; ${copyAgain}.`;
    else if (DEAD_TOKEN.has(answer))
      message = `Slack refused ${variable} (${answer}): the token no longer works, usually because the app was uninstalled or the token regenerated; reinstall the app if needed and ${copyAgain}.`;
    else if (answer === "missing_scope")
      message = `Slack refused ${variable} (missing_scope): it needs to be ${kind.what}; ${copyAgain}.`;
    else message = `Slack refused to start the app with ${variable} (${answer}).`;
  } else if (code === webApi.ErrorCode.RequestError) {
    const reason = typeof original?.message === "string" ? original.message : "no answer";
    message = `Could not reach ${where} (${reason}) to check ${variable}: check the network${target.custom ? " and SLACK_API_URL" : ""}.`;
  } else if (code === webApi.ErrorCode.HTTPError) {
    message = `${where} answered HTTP ${String(statusCode)} when checking ${variable}${target.custom ? ": check SLACK_API_URL" : ""}.`;
  } else if (code === webApi.ErrorCode.RateLimitedError) {
    message = `Slack is rate limiting the app right now; start paperbot again in ${String(retryAfter)} s.`;
  }
  return message ? new Error(message, { cause: error }) : asError(error);
}

/** The error to throw when the HTTP receiver could not listen on PORT. */
export function listenStartupError(error: unknown, port: number): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  const say = (message: string) => new Error(message, { cause: error });
  if (code === "EADDRINUSE")
    return say(`PORT ${port} is already in use by another program: stop it, or set PORT to a free port.`);
  if (code === "EACCES")
    return say(
      `PORT ${port} needs rights paperbot does not have (ports below 1024 usually do): set PORT to 1024 or more.`,
    );
  return asError(error);
}

/** Socket Mode kept retrying (Slack answered, but not with a connection) for longer than it may. */
export function socketTimeoutError(timeoutMs: number): Error {
  return new Error(
    `Slack did not open a Socket Mode connection within ${Math.round(timeoutMs / 1000)} s: check SLACK_APP_TOKEN, that Socket Mode is on in the app's settings (Socket Mode page), and the network.`,
  );
}

function origin(apiUrl: string): string {
  try {
    return new URL(apiUrl).origin;
  } catch {
    return "the configured address";
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
