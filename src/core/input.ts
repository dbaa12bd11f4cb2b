/**
 * The one gate user text passes before it reaches search: control characters and platform
 * mention syntax are removed, and size is bounded, so nothing odd reaches the engine or an echo.
 */
import { UserError } from "./errors.ts";

export const MAX_QUERY_LENGTH = 300;

/** Control and invisible format characters (zero-width, bidi overrides); white space is folded first. */
const CONTROL = /[\p{Cc}\p{Cf}]/gu;
/** Discord <@123>, <@&role>, <#channel>; Slack <@U123>, <!channel>, <!here|here>; and bare @everyone/@here. */
const MENTIONS = /<[@#!][^>\s]*>|@(?:everyone|here|channel)\b/gi;

export function cleanInput(raw: string, what = "query"): string {
  const text = raw
    .replace(/\s+/g, " ")
    .replace(CONTROL, "")
    .replace(MENTIONS, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length > MAX_QUERY_LENGTH) {
    throw new UserError(
      "too_long",
      `That ${what} is ${text.length} characters; I read up to ${MAX_QUERY_LENGTH}.`,
      "Try a few distinctive words, an arXiv id, or author:name.",
    );
  }
  return text;
}

/** True when the text has something to search for: a letter or a digit. */
export function hasSearchableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
