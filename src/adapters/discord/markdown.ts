/**
 * Discord markdown safety for echoed user and corpus text: escape what Discord would format
 * or turn into a mention, then fit the escaped text into a length limit.
 */
import { truncate, truncateAtSentence } from "../../core/text.ts";

// Inline markup anywhere in a line, plus `<` (user/role/channel mentions, timestamps, emoji, command links).
const INLINE_MARKUP = /[\\*_~`|[\]<]/g;
// Block markup only counts at the start of a line: headings, "-#" subtext, quotes, lists.
const BLOCK_MARKUP = /^([ \t]*)([-#>+])/gm;
const NUMBERED_LIST = /^([ \t]*)(\d+)([.)])/gm;
// @everyone/@here never ping (allowed_mentions), but they would still render as a highlighted mention.
const MASS_MENTION = /@(everyone|here)/gi;

/** Makes text display literally: no formatting, no mentions, no masked links. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_MARKUP, "\\$&")
    .replace(BLOCK_MARKUP, "$1\\$2")
    .replace(NUMBERED_LIST, "$1$2\\$3")
    .replace(MASS_MENTION, "@\u200b$1");
}

/**
 * Escapes `text` and fits it into `max` characters. The cut happens on the raw text (so an escape
 * pair is never split), at a sentence end when `atSentence`, else at a word boundary.
 */
export function escapeToFit(text: string, max: number, options: { atSentence?: boolean } = {}): string {
  if (max <= 0) return "";
  const cut = options.atSentence ? truncateAtSentence : truncate;
  let budget = max;
  for (;;) {
    const escaped = escapeMarkdown(cut(text, budget));
    if (escaped.length <= max) return escaped;
    // Escapes grew the text: shrink the raw budget by the overshoot and try again (terminates: budget falls).
    budget -= Math.max(1, escaped.length - max);
    if (budget <= 0) return "";
  }
}

/**
 * One line of plain text cut to `max`, for places that render no markdown (button labels, embed
 * author and footer, choices); mass mentions are still defused so they never even look live.
 */
export function fitPlain(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim().replace(MASS_MENTION, "@\u200b$1");
  return truncate(oneLine, max);
}

/** Only http(s) URLs within `max`, with characters that would break a markdown link percent-encoded. */
export function safeUrl(url: string | undefined, max: number): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  const text = parsed.href.replace(
    /[()<> ]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return text.length <= max ? text : undefined;
}
