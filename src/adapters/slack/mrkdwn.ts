/**
 * Escaping and fitting of echoed text for Slack. Only `&`, `<` and `>` are control characters in
 * Slack text; escaping them is what defuses `<!channel>`, `<@U123>` and forged links.
 */

const ELLIPSIS = "…";

export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/**
 * Escapes plain text and fits the escaped result into `max` characters, never cutting an entity
 * such as `&amp;` in half (a half entity would show as garbage).
 */
export function fitEscaped(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  let end = Math.max(0, max - ELLIPSIS.length);
  const openEntity = escaped.lastIndexOf("&", end - 1);
  if (openEntity >= 0 && openEntity > end - 5 && escaped.indexOf(";", openEntity) >= end) end = openEntity;
  const last = escaped.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${escaped.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** A URL safe inside `<url|label>`: only http(s), and no character that ends the link early. */
export function safeUrl(url: string | undefined, max: number): string | undefined {
  if (!url || url.length > max || !/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  return url.replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E");
}

/** `<url|label>` with an escaped label; plain escaped label when the URL is unusable. */
export function mrkdwnLink(url: string | undefined, label: string, maxLabel: number): string {
  const href = safeUrl(url, 1000);
  const text = fitEscaped(label, maxLabel);
  return href ? `<${href}|${text}>` : text;
}

/** Plain text on one line: newlines and runs of spaces collapse. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
