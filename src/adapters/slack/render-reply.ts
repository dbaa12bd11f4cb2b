/**
 * Reply -> Block Kit. Renders only what the Reply says (no business logic), escapes every echoed
 * string and keeps each field inside SLACK_LIMITS, so Slack never answers `invalid_blocks`.
 */
import type { types } from "@slack/bolt";
import { displayTitle } from "../../core/paper-view.ts";
import type {
  Action,
  MessageReply,
  PaperReply,
  Reply,
  ResultItem,
  ResultsReply,
  TextRun,
} from "../../core/reply.ts";
import { actionId, encodeInvocation } from "./action-value.ts";
import { escapeSlack, fitEscaped, mrkdwnLink, oneLine, safeUrl, truncate } from "./mrkdwn.ts";
import { MAX_AUTHORS_SHOWN, MAX_HITS_RENDERED, SLACK_LIMITS } from "./slack-limits.ts";

type Block = types.KnownBlock;
type Button = types.Button;

export interface SlackMessage {
  /** Notification and accessibility fallback (mrkdwn, escaped). */
  text: string;
  blocks: Block[];
}

/** Budgets inside one result section (sum < SECTION_TEXT). */
const HIT_BUDGET = { title: 400, meta: 400, answer: 1000, snippet: 1000 } as const;

export function renderReply(reply: Reply): SlackMessage {
  switch (reply.kind) {
    case "paper":
      return renderPaper(reply);
    case "results":
      return renderResults(reply);
    case "message":
      return renderMessage(reply);
  }
}

/** Errors and hints go to the asker only. */
export function isEphemeral(reply: Reply): boolean {
  return reply.kind === "message" && reply.ephemeral;
}

function renderPaper(reply: PaperReply): SlackMessage {
  const { paper } = reply;
  const blocks: Block[] = [];
  if (reply.heading) blocks.push(contextBlock([`*${fitEscaped(oneLine(reply.heading), 300)}*`]));
  blocks.push({
    type: "header",
    text: { type: "plain_text", text: fitEscaped(oneLine(displayTitle(paper)), SLACK_LIMITS.HEADER_TEXT) },
  });
  const details = [
    paper.authors.length > 0 ? fitEscaped(authorList(paper.authors), 1000) : undefined,
    paper.venue ? fitEscaped(oneLine(paper.venue), 500) : undefined,
    paper.published ?? (paper.year ? String(paper.year) : undefined),
  ].filter((part): part is string => Boolean(part));
  if (details.length > 0) blocks.push(contextBlock(details));
  const body =
    reply.view === "bibtex"
      ? `\`\`\`${fitEscaped(reply.bibtex, SLACK_LIMITS.SECTION_TEXT - 6)}\`\`\``
      : fitEscaped(paper.abstract.trim() || "(no abstract)", SLACK_LIMITS.SECTION_TEXT);
  blocks.push({ type: "section", text: { type: "mrkdwn", text: body } });
  const buttons = [
    linkButton("arXiv", paper.links.abs, 0),
    linkButton("PDF", paper.links.pdf, 1),
    linkButton("Code", paper.links.code, 2),
    ...actionButtons(reply.actions),
  ].filter((button): button is Button => button !== undefined);
  if (buttons.length > 0) blocks.push(actionsBlock(buttons));
  const fallback = `${reply.heading ? `${oneLine(reply.heading)}: ` : ""}${oneLine(displayTitle(paper))} (${paper.id})`;
  return { text: fitEscaped(fallback, SLACK_LIMITS.MESSAGE_TEXT), blocks };
}

const RESULTS_LEADS: Readonly<Record<ResultsReply["mode"], string>> = {
  search: "Results for",
  ask: "Answers to",
  related: "Papers related to",
};

function renderResults(reply: ResultsReply): SlackMessage {
  const query = oneLine(reply.query);
  const lead = RESULTS_LEADS[reply.mode];
  const blocks: Block[] = [
    {
      type: "header",
      text: { type: "plain_text", text: fitEscaped(`${lead} "${query}"`, SLACK_LIMITS.HEADER_TEXT) },
    },
  ];
  const pages = Math.max(1, Math.ceil(reply.total / Math.max(1, reply.pageSize)));
  const summary = [
    `${reply.total} ${reply.total === 1 ? "paper" : "papers"}, page ${reply.page} of ${pages}`,
  ];
  if (reply.filters.length > 0) summary.push(`Filters: ${fitEscaped(reply.filters.join(", "), 1000)}`);
  blocks.push(contextBlock(summary));
  const hits = reply.hits.slice(0, MAX_HITS_RENDERED);
  if (hits.length === 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: "No paper matches that." } });
  }
  for (const hit of hits) blocks.push({ type: "section", text: { type: "mrkdwn", text: renderHit(hit) } });
  const buttons = actionButtons(reply.actions);
  if (buttons.length > 0) blocks.push(actionsBlock(buttons));
  const titles = hits.map((hit, index) => `${index + 1}. ${oneLine(displayTitle(hit))}`).join("\n");
  const fallback = `${lead} "${truncate(query, 200)}": ${reply.total} found\n${titles}`;
  return { text: fitEscaped(fallback, SLACK_LIMITS.MESSAGE_TEXT), blocks };
}

function renderHit(hit: ResultItem): string {
  const lines = [`*${mrkdwnLink(hit.url, oneLine(displayTitle(hit)), HIT_BUDGET.title)}*`];
  const meta = [
    hit.authors.length > 0 ? authorList(hit.authors) : "",
    hit.venue ?? "",
    hit.year ? String(hit.year) : "",
  ]
    .map(oneLine)
    .filter(Boolean)
    .join(" · ");
  if (meta) lines.push(fitEscaped(meta, HIT_BUDGET.meta));
  if (hit.answer) lines.push(`> ${fitEscaped(oneLine(hit.answer), HIT_BUDGET.answer)}`);
  const snippet = renderRuns(hit.snippet, HIT_BUDGET.snippet);
  if (snippet) lines.push(snippet);
  return lines.join("\n");
}

/** Snippet runs with matched words in bold, escaped, cut to `budget` characters. */
export function renderRuns(runs: readonly TextRun[], budget: number): string {
  let out = "";
  for (const run of runs) {
    const text = run.text.replace(/\s+/g, " ");
    const core = text.trim();
    let piece: string;
    if (run.match && core) {
      // Bold needs no space inside the asterisks; asterisks inside would end it early.
      const lead = text.startsWith(" ") ? " " : "";
      const tail = text.endsWith(" ") ? " " : "";
      piece = `${lead}*${escapeSlack(core.replace(/\*/g, ""))}*${tail}`;
    } else {
      piece = escapeSlack(text);
    }
    if (out.length + piece.length > budget - 1) {
      // `out` stays under budget - 1, so at least the ellipsis fits.
      const room = budget - out.length;
      out += !run.match && room >= 2 ? fitEscaped(text, room) : "…";
      return out.trim();
    }
    out += piece;
  }
  return out.trim();
}

function renderMessage(reply: MessageReply): SlackMessage {
  const prefix = reply.tone === "error" ? ":warning: " : "";
  const blocks: Block[] = chunkLines(reply.text, SLACK_LIMITS.SECTION_TEXT - prefix.length)
    .slice(0, SLACK_LIMITS.BLOCKS_PER_MESSAGE - 1)
    .map((chunk, index) => ({
      type: "section",
      text: { type: "mrkdwn", text: `${index === 0 ? prefix : ""}${chunk}` },
    }));
  if (reply.hint) blocks.push(contextBlock([fitEscaped(reply.hint, SLACK_LIMITS.CONTEXT_TEXT)]));
  return { text: fitEscaped(reply.text, SLACK_LIMITS.MESSAGE_TEXT), blocks };
}

/** Splits text into escaped chunks of at most `max` characters, preferring line breaks. */
function chunkLines(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of (text.trim() || " ").split("\n")) {
    const escaped = fitEscaped(line, max);
    if (current && current.length + 1 + escaped.length > max) {
      chunks.push(current);
      current = escaped;
    } else {
      current = current ? `${current}\n${escaped}` : escaped;
    }
  }
  chunks.push(current || " ");
  return chunks;
}

function authorList(authors: readonly string[]): string {
  const shown = authors.slice(0, MAX_AUTHORS_SHOWN).map(oneLine).join(", ");
  return authors.length > MAX_AUTHORS_SHOWN ? `${shown} et al.` : shown;
}

function contextBlock(texts: string[]): Block {
  return {
    type: "context",
    elements: texts.slice(0, SLACK_LIMITS.CONTEXT_ELEMENTS).map((text) => ({
      type: "mrkdwn" as const,
      text: fitEscapedMarkup(text, SLACK_LIMITS.CONTEXT_TEXT),
    })),
  };
}

/** Already-escaped markup: only a last-resort cut (callers budget well below the limit). */
function fitEscapedMarkup(markup: string, max: number): string {
  return markup.length <= max ? markup : truncate(markup, max);
}

function actionsBlock(buttons: Button[]): Block {
  return { type: "actions", elements: buttons.slice(0, SLACK_LIMITS.ACTIONS_ELEMENTS) };
}

function linkButton(label: string, url: string | undefined, index: number): Button | undefined {
  const href = safeUrl(url, SLACK_LIMITS.BUTTON_URL);
  if (!href) return undefined;
  return {
    type: "button",
    action_id: actionId("link", index),
    text: { type: "plain_text", text: label },
    url: href,
  };
}

function actionButtons(actions: readonly Action[]): Button[] {
  const buttons: Button[] = [];
  actions.forEach((action, index) => {
    const value = encodeInvocation(action.invoke);
    // An invocation too long for a button value (a huge query) loses its button rather than the message.
    if (!value) return;
    buttons.push({
      type: "button",
      action_id: actionId(action.kind, index),
      text: { type: "plain_text", text: fitEscaped(oneLine(action.label), SLACK_LIMITS.BUTTON_TEXT) },
      value,
    });
  });
  return buttons;
}
