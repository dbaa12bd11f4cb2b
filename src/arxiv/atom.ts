/** Reads an arXiv API answer (Atom 1.0 with arXiv and OpenSearch extensions) into ArxivFeed. */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { absUrl, parseArxivId } from "../core/arxiv-id.ts";
import type { ArxivEntry, ArxivFeed } from "./arxiv-entry.ts";
import { ARXIV_MESSAGES, ArxivFeedError } from "./arxiv-errors.ts";

/** An error answer is a feed whose one entry has an id like http://arxiv.org/api/errors#incorrect_id_format_for_… */
const ERROR_ENTRY_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors/;
/** arXiv category terms (cs.LG, hep-th, cond-mat.stat-mech); <category> also carries ACM (I.2.6) and MSC (35K57) classes. */
const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?$/;
const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // Prefixes are arXiv's choice and have changed between API versions; local names never clash here.
  removeNSPrefix: true,
  // Keep every value a string: "2401.01234" or a title "1e5" must not become numbers.
  parseTagValue: false,
  isArray: (name) => name === "entry" || name === "author" || name === "category" || name === "link",
});

export function parseArxivFeed(xml: string): ArxivFeed {
  // The parser is lenient about unclosed tags, so a cut-off answer is only caught by validating first.
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line } = validation.err;
    throw new ArxivFeedError("malformed", ARXIV_MESSAGES.malformed(`${msg} Line ${line}.`));
  }
  const document = parser.parse(xml) as XmlNode;
  const feed = document.feed;
  if (!isNode(feed)) {
    const root = Object.keys(document).find((key) => !key.startsWith("?")) ?? "none";
    throw new ArxivFeedError("not-atom", ARXIV_MESSAGES.notAtom(root));
  }
  const rawEntries = asNodes(feed.entry);
  const errorEntry = rawEntries.find((entry) => ERROR_ENTRY_ID.test(textOf(entry.id) ?? ""));
  if (errorEntry) {
    const summary = folded(errorEntry.summary) ?? textOf(errorEntry.id) ?? "";
    throw new ArxivFeedError("api-error", ARXIV_MESSAGES.apiError(summary));
  }
  const entries = rawEntries.map(toEntry).filter((entry): entry is ArxivEntry => entry !== undefined);
  const totalResults = Number(textOf(feed.totalResults));
  return { entries, totalResults: Number.isFinite(totalResults) ? totalResults : entries.length };
}

function toEntry(raw: XmlNode): ArxivEntry | undefined {
  const idUrl = textOf(raw.id)?.trim();
  // arXiv has padded id_list answers with id-less entries standing for ids it does not have.
  if (!idUrl) return undefined;
  const arxivId = parseArxivId(idUrl);
  if (!arxivId)
    throw new ArxivFeedError("not-atom", ARXIV_MESSAGES.badEntry(`a readable arXiv id (${idUrl})`));
  const published = textOf(raw.published)?.trim() ?? "";
  const updated = textOf(raw.updated)?.trim() ?? "";
  if (!ISO_DATE_PREFIX.test(published) || !ISO_DATE_PREFIX.test(updated)) {
    throw new ArxivFeedError(
      "not-atom",
      ARXIV_MESSAGES.badEntry(`<published> and <updated> dates (${idUrl})`),
    );
  }
  const title = folded(raw.title);
  if (title === undefined)
    throw new ArxivFeedError("not-atom", ARXIV_MESSAGES.badEntry(`a title (${idUrl})`));
  const primaryCategory = arxivCategory(attributeOf(raw.primary_category, "term"));
  const categories = [primaryCategory, ...asNodes(raw.category).map((node) => attributeOf(node, "term"))]
    .map(arxivCategory)
    .filter((term): term is string => term !== undefined);
  const pdfLink = asNodes(raw.link).find((link) => attributeOf(link, "title") === "pdf");
  const pdfHref = attributeOf(pdfLink, "href");
  return {
    id: arxivId.id,
    version: arxivId.version ?? 1,
    title,
    abstract: folded(raw.summary) ?? "",
    authors: asNodes(raw.author)
      .map((author) => folded(author.name))
      .filter((name): name is string => Boolean(name)),
    categories: [...new Set(categories)],
    ...optional("primaryCategory", primaryCategory),
    published: published.slice(0, 10),
    submitted: published,
    updated,
    ...optional("comment", folded(raw.comment)),
    ...optional("journalRef", folded(raw.journal_ref)),
    ...optional("doi", folded(raw.doi)),
    absUrl: absUrl(arxivId.id),
    ...optional("pdfUrl", pdfHref?.replace(/^http:\/\/(?=(?:export\.)?arxiv\.org\/)/, "https://")),
  };
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asNodes(value: unknown): XmlNode[] {
  return (Array.isArray(value) ? value : [value]).filter(isNode);
}

/** An element's text: a plain string, or `#text` when the element also has attributes (`<title type="html">`). */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isNode(value)) return typeof value["#text"] === "string" ? value["#text"] : "";
  return undefined;
}

/** Text with runs of white space (arXiv hard-wraps titles and abstracts) folded to one space. */
function folded(value: unknown): string | undefined {
  return textOf(value)?.replace(/\s+/g, " ").trim();
}

function attributeOf(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const value = node[`@_${name}`];
  return typeof value === "string" ? value : undefined;
}

function arxivCategory(term: string | undefined): string | undefined {
  const trimmed = term?.trim();
  return trimmed && ARXIV_CATEGORY.test(trimmed) ? trimmed : undefined;
}

/** `{ key: value }` when there is a value, `{}` otherwise, so absent fields stay absent rather than undefined. */
function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}
