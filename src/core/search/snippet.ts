/**
 * A one-line snippet: the window of at most `maxChars` characters holding the most distinct
 * matched words, cut at word boundaries, with those words marked `match: true`. Words are
 * compared as index terms, so "networks" lights up for "network" and "Schölkopf" for "scholkopf".
 */
import type { TextRun } from "../reply.ts";
import { foldText, termOf } from "./normalize.ts";

const WORD = /[\p{L}\p{N}]+/gu;
const ELLIPSIS = "…";

interface Match {
  start: number;
  end: number;
  term: string;
}

function findMatches(text: string, wanted: ReadonlySet<string>): Match[] {
  const matches: Match[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    if (word.length < 2) continue;
    const term = termOf(foldText(word));
    if (wanted.has(term)) matches.push({ start: m.index, end: m.index + word.length, term });
  }
  return matches;
}

/** The window (starting at a match) with most distinct terms: its first match start and last match end. */
function bestWindow(matches: Match[], width: number): { from: number; to: number } {
  let best = { from: 0, to: 0 };
  let bestCount = 0;
  for (let i = 0; i < matches.length; i++) {
    const seen = new Set<string>();
    const from = (matches[i] as Match).start;
    let to = from;
    for (let j = i; j < matches.length && (matches[j] as Match).end - from <= width; j++) {
      seen.add((matches[j] as Match).term);
      to = (matches[j] as Match).end;
    }
    if (seen.size > bestCount) {
      best = { from, to };
      bestCount = seen.size;
    }
  }
  return best;
}

export function snippetRuns(text: string, matchedTerms: string[], maxChars: number): TextRun[] {
  const line = text.replace(/\s+/g, " ").trim();
  if (maxChars <= 0 || line === "") return [];
  const wanted = new Set(matchedTerms.map((term) => termOf(foldText(term))).filter((t) => t.length > 1));
  const matches = findMatches(line, wanted);

  let start = 0;
  if (line.length > maxChars && matches.length > 0) {
    const room = maxChars - 2 * ELLIPSIS.length;
    const window = bestWindow(matches, room);
    // Some context before the first match (up to a quarter of the room) if the window still fits.
    const slack = Math.max(0, room - (window.to - window.from));
    start = Math.max(0, window.from - Math.min(Math.floor(maxChars / 4), slack));
    if (start > 0) {
      const space = line.indexOf(" ", start);
      start = space >= 0 && space < window.from ? space + 1 : window.from;
    }
  }
  const lead = start > 0 ? ELLIPSIS : "";
  let end = line.length;
  if (end - start + lead.length > maxChars) {
    const room = maxChars - lead.length - ELLIPSIS.length;
    end = start + room;
    const space = line.lastIndexOf(" ", end);
    if (space > start + room / 2) end = space;
  }
  const tail = end < line.length ? ELLIPSIS : "";

  const runs: TextRun[] = [];
  const plain = (piece: string) => {
    if (!piece) return;
    const last = runs[runs.length - 1];
    if (last && !last.match) last.text += piece;
    else runs.push({ text: piece });
  };
  plain(lead);
  let at = start;
  for (const m of matches) {
    if (m.start < start || m.end > end) continue;
    plain(line.slice(at, m.start));
    runs.push({ text: line.slice(m.start, m.end), match: true });
    at = m.end;
  }
  plain(line.slice(at, end).trimEnd());
  plain(tail);
  return runs;
}
