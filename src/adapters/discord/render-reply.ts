/**
 * Reply -> Discord message payload (API JSON). Only presentation: every echoed text is escaped,
 * every part is cut to the limits in limits.ts, and no message can ping anyone.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIEmbedField } from "discord.js";
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
import type { ButtonEncoder } from "./custom-id.ts";
import { DISCORD_LIMITS as LIMITS } from "./limits.ts";
import { escapeMarkdown, escapeToFit, fitPlain, safeUrl } from "./markdown.ts";

export const NO_MENTIONS = Object.freeze({ parse: [] as never[] });
export const EPHEMERAL_FLAG = 64;
const BUTTON_TYPE = 2;
const ACTION_ROW_TYPE = 1;
const PRIMARY_STYLE = 1;
const SECONDARY_STYLE = 2;
const ARXIV_RED = 0xb31b1b;

// Shares of the limits given to each part, so a long list of authors or a long query never starves the abstract.
const AUTHORS_LIST_MAX = 900;
const FOOTER_MAX = 300;
const LINK_URL_MAX = 300;
const HINT_MAX = 600;
const RESULT_TITLE_MAX = 200;
const RESULT_AUTHORS_MAX = 120;
const RESULT_SNIPPET_MAX = 300;

export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  flags?: number;
  allowed_mentions: { parse: never[]; replied_user?: boolean };
}

export interface RenderOptions {
  /** Whose buttons these are (the invoking user). */
  ownerId: string;
  /** From CustomIdCodec.render, which stores any long button state before the message goes out. */
  buttons: ButtonEncoder;
}

export function renderReply(reply: Reply, options: RenderOptions): DiscordMessage {
  switch (reply.kind) {
    case "paper":
      return {
        embeds: [paperEmbed(reply)],
        components: buttonRows(reply.actions, options),
        allowed_mentions: NO_MENTIONS,
      };
    case "results":
      return {
        embeds: [resultsEmbed(reply)],
        components: buttonRows(reply.actions, options),
        allowed_mentions: NO_MENTIONS,
      };
    case "message":
      return messagePayload(reply);
  }
}

export function isEphemeral(reply: Reply): boolean {
  return reply.kind === "message" && reply.ephemeral;
}

function messagePayload(reply: MessageReply): DiscordMessage {
  const hint = reply.hint ? escapeToFit(reply.hint, HINT_MAX) : "";
  const text = escapeToFit(reply.text, LIMITS.CONTENT - (hint ? hint.length + 1 : 0));
  const payload: DiscordMessage = {
    content: hint ? `${text}\n${hint}` : text,
    embeds: [],
    components: [],
    allowed_mentions: NO_MENTIONS,
  };
  if (reply.ephemeral) payload.flags = EPHEMERAL_FLAG;
  return payload;
}

function paperEmbed(reply: PaperReply): APIEmbed {
  const { paper } = reply;
  const embed: APIEmbed = { color: ARXIV_RED };
  if (reply.heading) embed.author = { name: fitPlain(reply.heading, LIMITS.EMBED_AUTHOR) };
  embed.title = escapeToFit(displayTitle(paper), LIMITS.EMBED_TITLE);
  const url = safeUrl(paper.links.abs, LIMITS.URL);
  if (url) embed.url = url;

  const fields: APIEmbedField[] = [];
  if (paper.authors.length > 0) {
    fields.push({
      name: "Authors",
      value: escapeToFit(authorList(paper.authors, AUTHORS_LIST_MAX), LIMITS.EMBED_FIELD_VALUE),
    });
  }
  const published = [paper.venue, paper.published ?? paper.year?.toString()].filter(Boolean).join(" · ");
  if (published)
    fields.push({ name: "Published", value: escapeToFit(published, LIMITS.EMBED_FIELD_VALUE), inline: true });
  const links = [
    link("arXiv", paper.links.abs),
    link("PDF", paper.links.pdf),
    link("Code", paper.links.code),
  ].filter(Boolean);
  if (links.length > 0) fields.push({ name: "Links", value: links.join(" · "), inline: true });
  embed.fields = fields;

  const categories = paper.categories.length > 0 ? ` · ${paper.categories.join(", ")}` : "";
  embed.footer = { text: fitPlain(`arXiv:${paper.id}${categories}`, FOOTER_MAX) };

  const room = Math.min(LIMITS.EMBED_DESCRIPTION, LIMITS.EMBEDS_TOTAL - embedLength(embed));
  embed.description =
    reply.view === "bibtex" ? codeBlock(reply.bibtex, "bibtex", room) : abstractText(paper.abstract, room);
  return embed;
}

function abstractText(abstract: string, room: number): string {
  const text = escapeToFit(abstract, room, { atSentence: true });
  return text || "*No abstract.*";
}

function codeBlock(code: string, language: string, room: number): string {
  const open = `\`\`\`${language}\n`;
  const close = "\n```";
  // Inside a code block only a backtick fence can break out; a zero-width space defuses it.
  const body = code.replace(/`(?=``)/g, "`\u200b");
  return `${open}${fitPlainKeepLines(body, room - open.length - close.length)}${close}`;
}

function fitPlainKeepLines(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).replace(/\u200b?$/, "")}…`;
}

const RESULTS_LABELS: Readonly<Record<ResultsReply["mode"], string>> = {
  search: "Search",
  ask: "Ask",
  related: "Related",
};

function resultsEmbed(reply: ResultsReply): APIEmbed {
  const label = RESULTS_LABELS[reply.mode];
  const pages = Math.max(1, Math.ceil(reply.total / Math.max(1, reply.pageSize)));
  const embed: APIEmbed = {
    color: ARXIV_RED,
    title: escapeToFit(`${label}: ${reply.query}`, LIMITS.EMBED_TITLE),
    footer: {
      text: fitPlain(
        `Page ${reply.page} of ${pages} · ${reply.total} ${reply.total === 1 ? "paper" : "papers"}`,
        FOOTER_MAX,
      ),
    },
  };
  const room = Math.min(LIMITS.EMBED_DESCRIPTION, LIMITS.EMBEDS_TOTAL - embedLength(embed));
  const lines: string[] = [];
  if (reply.filters.length > 0) lines.push(`Filters: ${escapeToFit(reply.filters.join(", "), 300)}`);
  if (reply.hits.length === 0) lines.push("No papers matched.");

  let used = lines.join("\n\n").length;
  const first = (reply.page - 1) * reply.pageSize + 1;
  let shown = 0;
  for (const [index, hit] of reply.hits.entries()) {
    const item = resultItem(hit, first + index);
    const remaining = reply.hits.length - index - 1;
    // Keep room for the "more not shown" line in case a later item does not fit.
    const reserve = remaining > 0 ? 40 : 0;
    if (used + 2 + item.length + reserve > room) break;
    lines.push(item);
    used += 2 + item.length;
    shown++;
  }
  if (shown < reply.hits.length) lines.push(`…and ${reply.hits.length - shown} more on this page.`);
  embed.description = lines.join("\n\n").slice(0, room);
  return embed;
}

function resultItem(hit: ResultItem, number: number): string {
  const title = escapeToFit(displayTitle(hit), RESULT_TITLE_MAX);
  const url = safeUrl(hit.url, LINK_URL_MAX);
  const heading = `**${number}.** ${url ? `[${title}](${url})` : title}${hit.year ? ` (${hit.year})` : ""}`;
  const byline = [authorList(hit.authors, RESULT_AUTHORS_MAX), hit.venue].filter(Boolean).join(" · ");
  const lines = [heading];
  if (byline) lines.push(escapeToFit(byline, RESULT_AUTHORS_MAX + 60));
  const body = hit.answer
    ? `> ${escapeToFit(hit.answer, RESULT_SNIPPET_MAX)}`
    : snippetText(hit.snippet, RESULT_SNIPPET_MAX);
  if (body) lines.push(body);
  return lines.join("\n");
}

/** Matched runs in bold; the whole snippet stays within `max` characters of raw text. */
function snippetText(runs: readonly TextRun[], max: number): string {
  let budget = max;
  let text = "";
  for (const run of runs) {
    if (budget <= 0) break;
    const raw = run.text.replace(/\s+/g, " ");
    const piece = raw.length > budget ? `${raw.slice(0, budget - 1)}…` : raw;
    budget -= piece.length;
    const escaped = escapeMarkdown(piece);
    text += run.match && escaped.trim() ? `**${escaped}**` : escaped;
  }
  return text.trim();
}

/** "A, B, C and 12 more" within `max` characters. */
function authorList(authors: readonly string[], max: number): string {
  const all = authors.join(", ");
  if (all.length <= max) return all;
  const kept: string[] = [];
  for (const author of authors) {
    const more = ` and ${authors.length - kept.length - 1} more`;
    if ([...kept, author].join(", ").length + more.length > max) break;
    kept.push(author);
  }
  if (kept.length === 0) return fitPlain(authors[0] ?? "", max);
  return `${kept.join(", ")} and ${authors.length - kept.length} more`;
}

function link(label: string, url: string | undefined): string | undefined {
  const safe = safeUrl(url, LINK_URL_MAX);
  return safe ? `[${label}](${safe})` : undefined;
}

function buttonRows(
  actions: readonly Action[],
  options: RenderOptions,
): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = actions
    .slice(0, LIMITS.ACTION_ROWS * LIMITS.BUTTONS_PER_ROW)
    .map((action) => ({
      type: BUTTON_TYPE,
      style: action.kind === "next" || action.kind === "another" ? PRIMARY_STYLE : SECONDARY_STYLE,
      label: fitPlain(action.label, LIMITS.BUTTON_LABEL) || action.kind,
      custom_id: options.buttons.encode({
        ownerId: options.ownerId,
        kind: action.kind,
        invocation: action.invoke,
      }),
    }));
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < buttons.length; start += LIMITS.BUTTONS_PER_ROW) {
    rows.push({ type: ACTION_ROW_TYPE, components: buttons.slice(start, start + LIMITS.BUTTONS_PER_ROW) });
  }
  return rows;
}

/** What counts toward the 6000-character total of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  length += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) length += field.name.length + field.value.length;
  return length;
}
