/** Every user-facing error message lives here, so wording stays consistent across platforms. */
export type ErrorCode =
  | "not_found"
  | "bad_input"
  | "empty_query"
  | "too_long"
  | "forbidden"
  | "unknown_command"
  | "upstream_unavailable"
  | "internal";

export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = Object.freeze({
  not_found: "No paper matches that.",
  bad_input: "I couldn't read that.",
  empty_query: "Tell me what to look for.",
  too_long: "That's too long for me to search.",
  forbidden: "You don't have permission to do that here.",
  unknown_command: "I don't know that command.",
  upstream_unavailable: "arXiv is not answering right now. Nothing was changed; please try again shortly.",
  internal: "Something went wrong on my side. Please try again.",
});

/** An expected failure caused by what the user typed; shown privately, never logged as a crash. */
export class UserError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string = ERROR_MESSAGES[code], hint?: string) {
    super(message);
    this.name = "UserError";
    this.code = code;
    this.hint = hint;
  }
}

/**
 * The database behind the bot's state does not answer (restarting, unreachable). Commands that
 * need no state keep answering; the rest say to try again shortly, and nothing half-done is kept.
 */
export class StateUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database is not answering: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "StateUnavailableError";
  }
}

export const STATE_UNAVAILABLE_MESSAGE = "I can't reach my database right now. Please try again shortly.";

/** A problem found in a data file: always names the file and line. */
export interface DataProblem {
  file: string;
  line: number;
  message: string;
}

export function formatDataProblem(problem: DataProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}
