/**
 * The one gate user text passes before it reaches search: control characters and platform
 * mention syntax are removed, and size is bounded, so nothing odd reaches the engine or an echo.
 * Every step is linear in the input, and no step runs on more than MAX_RAW_LENGTH characters.
 */
import { UserError } from "./errors.ts";

export const MAX_QUERY_LENGTH = 300;
/**
 * Raw text longer than this is refused before any pattern runs, so a 40,000-character DM costs a
 * length check. Generous: a query that cleans down to 300 characters does not carry 900 more of
 * white space and mentions in practice.
 */
export const MAX_RAW_LENGTH = 4 * MAX_QUERY_LENGTH;

/** Control and invisible format characters (zero-width, bidi overrides); white space is folded first. */
const CONTROL = /[\p{Cc}\p{Cf}]/gu;
/**
 * Discord <@123>, <@&role>, <#channel>; Slack <@U123>, <!channel>, <!here|here>; and bare @everyone/@here.
 * The body excludes `<`, so a failed match stops at the next `<` instead of rescanning the rest of
 * the text (`<[@#!][^>\s]*>` is quadratic on "<@<@<@…"). Real mention bodies never hold a `<`.
 */
const MENTIONS = /<[@#!][^<>\s]*>|@(?:everyone|here|channel)\b/gi;
const WHITE_SPACE = /\s+/g;
const SEARCHABLE = /[\p{L}\p{N}]/u;

export function cleanInput(raw: string, what = "query"): string {
  if (raw.length > MAX_RAW_LENGTH) throw tooLong(what, raw.length);
  const text = raw
    .replace(WHITE_SPACE, " ")
    .replace(CONTROL, "")
    .replace(MENTIONS, " ")
    .replace(WHITE_SPACE, " ")
    .trim();
  if (text.length > MAX_QUERY_LENGTH) throw tooLong(what, text.length);
  return text;
}

function tooLong(what: string, length: number): UserError {
  return new UserError(
    "too_long",
    `That ${what} is ${length} characters; I read up to ${MAX_QUERY_LENGTH}.`,
    "Try a few distinctive words, an arXiv id, or author:name.",
  );
}

/** True when the text has something to search for: a letter or a digit. */
export function hasSearchableText(text: string): boolean {
  return SEARCHABLE.test(text);
}
