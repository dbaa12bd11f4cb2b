/**
 * Writes arXiv API answers the way arXiv does (see the API user manual's example response and its
 * error example): Atom 1.0 with the opensearch and arxiv namespaces, http://arxiv.org/abs/<id>v<n>
 * entry ids, titles and abstracts hard-wrapped at about 80 columns, ACM/MSC classes among categories.
 */
import { createHash } from "node:crypto";

export interface FakeAuthor {
  name: string;
  affiliation?: string;
}

export interface FakePaper {
  /** "2401.01234" or "hep-th/9901001", no version. */
  id: string;
  /** Latest version; 1 when absent. */
  version?: number;
  title: string;
  abstract: string;
  authors: (string | FakeAuthor)[];
  /** The first is the primary category. */
  categories: string[];
  /** v1 submission, ISO timestamp ("2024-01-03T18:59:59Z"): <published>, and what submittedDate sorts by. */
  submitted: string;
  /** This version's timestamp (<updated>); `submitted` when absent. */
  updated?: string;
  comment?: string;
  journalRef?: string;
  doi?: string;
}

export interface FeedMeta {
  /** The canonical query arXiv echoes: "search_query=au:smith&id_list=&start=0&max_results=10". */
  query: string;
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  /** Feed <updated>: arXiv sets midnight of the current day, US Eastern. */
  updated?: string;
}

const ATOM = "http://www.w3.org/2005/Atom";
const OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/";
const ARXIV = "http://arxiv.org/schemas/atom";

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Breaks text into lines of at most `width` characters, as arXiv stores titles and abstracts. */
export function hardWrap(text: string, width = 80): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}

function feedHead(meta: FeedMeta): string {
  const updated = meta.updated ?? "2025-08-20T00:00:00-04:00";
  const selfUrl = `http://arxiv.org/api/query?${encodeURIComponent(meta.query).replace(/%3A/g, ":")}`;
  const feedId = createHash("sha1").update(meta.query).digest("base64").replace(/=+$/, "");
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="${ATOM}" xmlns:opensearch="${OPENSEARCH}" xmlns:arxiv="${ARXIV}">`,
    `  <link href="${escapeXml(selfUrl)}" rel="self" type="application/atom+xml"/>`,
    `  <title type="html">ArXiv Query: ${escapeXml(meta.query)}</title>`,
    `  <id>http://arxiv.org/api/${feedId}</id>`,
    `  <updated>${updated}</updated>`,
    `  <opensearch:totalResults>${meta.totalResults}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${meta.startIndex}</opensearch:startIndex>`,
    `  <opensearch:itemsPerPage>${meta.itemsPerPage}</opensearch:itemsPerPage>`,
  ].join("\n");
}

function entryXml(paper: FakePaper): string {
  const versioned = `${paper.id}v${paper.version ?? 1}`;
  const [primary, ...others] = paper.categories;
  const lines = [
    "  <entry>",
    `    <id>http://arxiv.org/abs/${versioned}</id>`,
    `    <updated>${paper.updated ?? paper.submitted}</updated>`,
    `    <published>${paper.submitted}</published>`,
    // arXiv indents a wrapped title's continuation lines and starts the abstract with two spaces.
    `    <title>${hardWrap(escapeXml(paper.title)).join("\n  ")}</title>`,
    `    <summary>  ${hardWrap(escapeXml(paper.abstract)).join("\n")}\n</summary>`,
  ];
  for (const author of paper.authors) {
    const { name, affiliation } =
      typeof author === "string" ? { name: author, affiliation: undefined } : author;
    lines.push("    <author>", `      <name>${escapeXml(name)}</name>`);
    if (affiliation) lines.push(`      <arxiv:affiliation>${escapeXml(affiliation)}</arxiv:affiliation>`);
    lines.push("    </author>");
  }
  if (paper.doi) {
    lines.push(`    <arxiv:doi>${escapeXml(paper.doi)}</arxiv:doi>`);
    lines.push(`    <link title="doi" href="http://dx.doi.org/${escapeXml(paper.doi)}" rel="related"/>`);
  }
  if (paper.comment)
    lines.push(`    <arxiv:comment>${hardWrap(escapeXml(paper.comment)).join("\n  ")}</arxiv:comment>`);
  if (paper.journalRef)
    lines.push(`    <arxiv:journal_ref>${escapeXml(paper.journalRef)}</arxiv:journal_ref>`);
  lines.push(
    `    <link href="http://arxiv.org/abs/${versioned}" rel="alternate" type="text/html"/>`,
    `    <link title="pdf" href="http://arxiv.org/pdf/${versioned}" rel="related" type="application/pdf"/>`,
    `    <arxiv:primary_category term="${escapeXml(primary ?? "")}" scheme="${ARXIV}"/>`,
    `    <category term="${escapeXml(primary ?? "")}" scheme="${ARXIV}"/>`,
    ...others.map((term) => `    <category term="${escapeXml(term)}" scheme="${ARXIV}"/>`),
    "  </entry>",
  );
  return lines.join("\n");
}

/** A whole answer: feed metadata, then one entry per paper. */
export function atomFeed(entries: readonly FakePaper[], meta: FeedMeta): string {
  return [feedHead(meta), ...entries.map(entryXml), "</feed>", ""].join("\n");
}

/** arXiv's error answer: one entry whose id is http://arxiv.org/api/errors#<message> and whose summary is the message. */
export function atomErrorFeed(message: string, query = "search_query=&id_list=1234.12345"): string {
  const errorId = `http://arxiv.org/api/errors#${message.replace(/\s+/g, "_")}`;
  const updated = "2025-08-20T00:00:00-04:00";
  return [
    feedHead({ query, totalResults: 1, startIndex: 0, itemsPerPage: 1, updated }),
    "  <entry>",
    `    <id>${escapeXml(errorId)}</id>`,
    "    <title>Error</title>",
    `    <summary>${escapeXml(message)}</summary>`,
    `    <updated>${updated}</updated>`,
    `    <link href="${escapeXml(errorId)}" rel="alternate" type="text/html"/>`,
    "    <author>",
    "      <name>arXiv api core</name>",
    "    </author>",
    "  </entry>",
    "</feed>",
    "",
  ].join("\n");
}
