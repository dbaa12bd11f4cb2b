/** Terminal rendering of a Reply: colour on a TTY, plain text when piped. */
import { displayTitle } from "../../core/paper-view.ts";
import type {
  Action,
  ActionKind,
  MessageReply,
  PaperReply,
  Reply,
  ResultsReply,
  TextRun,
} from "../../core/reply.ts";

export interface TerminalStyle {
  color: boolean;
  width: number;
}

/** One key per action kind, typed alone on a line to press that "button". */
export const ACTION_KEYS: Readonly<Record<ActionKind, string>> = Object.freeze({
  previous: "p",
  next: "n",
  another: "r",
  abstract: "a",
  bibtex: "b",
  related: "l",
});

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  red: [31, 39],
  cyan: [36, 39],
  yellow: [33, 39],
} as const;
type Code = keyof typeof CODES;

function painter(style: TerminalStyle) {
  return (code: Code, text: string) =>
    style.color ? `\u001b[${CODES[code][0]}m${text}\u001b[${CODES[code][1]}m` : text;
}

export function wrap(text: string, width: number, indent = ""): string {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width - indent.length) {
        lines.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(indent + line);
  }
  return lines.join("\n");
}

function renderActions(actions: Action[], style: TerminalStyle): string {
  if (!actions.length) return "";
  const paint = painter(style);
  return `\n${actions.map((action) => `${paint("cyan", `[${ACTION_KEYS[action.kind]}]`)} ${action.label}`).join("  ")}`;
}

function renderRuns(runs: TextRun[], style: TerminalStyle): string {
  const paint = painter(style);
  return runs.map((run) => (run.match ? paint("bold", run.text) : run.text)).join("");
}

function renderPaper(reply: PaperReply, style: TerminalStyle): string {
  const paint = painter(style);
  const { paper } = reply;
  const lines: string[] = [];
  if (reply.heading) lines.push(paint("yellow", reply.heading));
  lines.push(paint("bold", displayTitle(paper)));
  if (paper.authors.length) lines.push(wrap(paper.authors.join(", "), style.width));
  lines.push(paint("dim", [paper.venue, paper.published, `arXiv:${paper.id}`].filter(Boolean).join(" · ")));
  lines.push("");
  lines.push(
    reply.view === "bibtex" ? reply.bibtex : wrap(paper.abstract || "(no abstract on file)", style.width),
  );
  lines.push("");
  const links = [`abs ${paper.links.abs}`, `pdf ${paper.links.pdf}`];
  if (paper.links.code) links.push(`code ${paper.links.code}`);
  lines.push(paint("cyan", links.join("  ")));
  return lines.join("\n") + renderActions(reply.actions, style);
}

function renderResults(reply: ResultsReply, style: TerminalStyle): string {
  const paint = painter(style);
  const filters = reply.filters.length ? ` (${reply.filters.join(", ")})` : "";
  if (!reply.hits.length && reply.total > 0) {
    const pages = Math.ceil(reply.total / reply.pageSize);
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    return `There is no page ${reply.page}: “${reply.query}”${filters} has ${count(reply.total, "result")} (${count(pages, "page")}).`;
  }
  if (!reply.hits.length) {
    const what = reply.mode === "ask" ? "I couldn't find a paper that answers" : "No papers match";
    return `${what} “${reply.query}”${filters}.\n${paint("dim", "Try other words, fewer filters, or /random.")}`;
  }
  const first = (reply.page - 1) * reply.pageSize + 1;
  const last = first + reply.hits.length - 1;
  const heading =
    reply.mode === "ask"
      ? `Here's what I found for “${reply.query}”${filters}:`
      : reply.mode === "related"
        ? `Papers related to “${reply.query}”:`
        : `Results ${first}-${last} of ${reply.total} for “${reply.query}”${filters}:`;
  const items = reply.hits.map((hit, index) => {
    const meta = [
      hit.venue,
      hit.year && !hit.venue?.includes(String(hit.year)) ? String(hit.year) : undefined,
    ]
      .filter(Boolean)
      .join(", ");
    const head = `${paint("bold", `${first + index}. ${displayTitle(hit)}`)}${meta ? paint("dim", ` (${meta})`) : ""}`;
    const body = hit.answer ? `   “${hit.answer}”` : `   ${renderRuns(hit.snippet, style)}`;
    return `${head}\n${wrap(body, style.width, "   ").trimEnd()}\n   ${paint("cyan", hit.url)}`;
  });
  return `${heading}\n${items.join("\n")}${renderActions(reply.actions, style)}`;
}

function renderMessage(reply: MessageReply, style: TerminalStyle): string {
  const paint = painter(style);
  const text = reply.tone === "error" ? paint("red", reply.text) : reply.text;
  return reply.hint ? `${text}\n${paint("dim", reply.hint)}` : text;
}

export function renderReply(reply: Reply, style: TerminalStyle): string {
  switch (reply.kind) {
    case "paper":
      return renderPaper(reply, style);
    case "results":
      return renderResults(reply, style);
    case "message":
      return renderMessage(reply, style);
  }
}
