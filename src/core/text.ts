/** Small text helpers shared by the loader, the index and the renderers. */

/** Any character outside ASCII (without the `g` flag: `test` keeps no state between texts). */
export const NON_ASCII = /[\u0080-\uffff]/;

/** Lower case without diacritics, for matching names such as Schölkopf / Scholkopf. */
export function foldText(text: string): string {
  // ASCII is its own NFKD form with no diacritics: lower case is all it needs (and much faster).
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** Cuts at a word boundary and adds an ellipsis; never longer than `max`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "…".slice(0, max);
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Cuts at the last sentence end that fits; falls back to a word boundary. */
export function truncateAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("? "), cut.lastIndexOf("! "));
  return end > max * 0.5 ? `${cut.slice(0, end + 1)} …` : truncate(text, max);
}

/** The first sentence, for display titles of papers without one. */
export function firstSentence(text: string): string {
  const match = text.match(/^.+?[.?!](?=\s+[A-Z(]|$)/s);
  return (match ? match[0] : text).trim();
}
