/**
 * BibTeX entries as exported by arXiv, Zotero or Google Scholar. The arXiv id comes from
 * `eprint`, `arxivid`, an arxiv.org `url`, a 10.48550 `doi` or "arXiv:ID" in `journal`/`note`.
 */
import { findArxivId } from "../arxiv-id.ts";
import { latexToText } from "../latex.ts";
import { emptyParse, isIsoDate, type PaperRecord, type ParsedFile } from "./record.ts";

const MONTHS: Readonly<Record<string, string>> = Object.freeze({
  jan: "01",
  feb: "02",
  mar: "03",
  apr: "04",
  may: "05",
  jun: "06",
  jul: "07",
  aug: "08",
  sep: "09",
  oct: "10",
  nov: "11",
  dec: "12",
});

interface Entry {
  type: string;
  fields: Map<string, string>;
}

class BibSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function readEntries(
  content: string,
  onError: (offset: number, message: string) => void,
): { entry: Entry; offset: number }[] {
  const entries: { entry: Entry; offset: number }[] = [];
  let at = content.indexOf("@");
  while (at >= 0) {
    const start = at;
    try {
      const header = content.slice(at).match(/^@\s*([a-zA-Z]+)\s*([{(])/);
      if (!header?.[1]) throw new BibSyntaxError(at, 'expected "@type{" to start an entry');
      const type = header[1].toLowerCase();
      const close = header[2] === "{" ? "}" : ")";
      at += header[0].length;
      if (type === "comment" || type === "preamble" || type === "string") {
        at = skipBalanced(content, at - 1);
      } else {
        const keyEnd = content.indexOf(",", at);
        if (keyEnd < 0) throw new BibSyntaxError(at, "entry has no citation key");
        at = keyEnd + 1;
        const fields = new Map<string, string>();
        for (;;) {
          at = skipSpace(content, at);
          if (content[at] === close) {
            at++;
            break;
          }
          const name = content.slice(at).match(/^([a-zA-Z][\w-]*)\s*=\s*/);
          if (!name?.[1]) throw new BibSyntaxError(at, `expected a field (name = {value}) or "${close}"`);
          at += name[0].length;
          const [value, next] = readValue(content, at);
          fields.set(name[1].toLowerCase(), value.replace(/\s+/g, " ").trim());
          at = skipSpace(content, next);
          if (content[at] === ",") at++;
          else if (content[at] !== close)
            throw new BibSyntaxError(at, `expected "," or "${close}" after field ${name[1]}`);
        }
        entries.push({ entry: { type, fields }, offset: start });
      }
    } catch (error) {
      if (!(error instanceof BibSyntaxError)) throw error;
      onError(error.offset, error.message);
      at = Math.max(at, start + 1);
    }
    at = content.indexOf("@", at);
  }
  return entries;
}

function skipSpace(content: string, at: number): number {
  let position = at;
  while (position < content.length && /\s/.test(content[position] ?? "")) position++;
  return position;
}

/** From an opening brace, returns the offset after its matching close. */
function skipBalanced(content: string, openAt: number): number {
  let depth = 0;
  for (let position = openAt; position < content.length; position++) {
    const char = content[position];
    if (char === "\\") position++;
    else if (char === "{" || char === "(") depth++;
    else if (char === "}" || char === ")") {
      depth--;
      if (depth === 0) return position + 1;
    }
  }
  throw new BibSyntaxError(openAt, "unbalanced braces");
}

function readValue(content: string, at: number): [string, number] {
  const char = content[at];
  if (char === "{") {
    const end = skipBalanced(content, at);
    return [content.slice(at + 1, end - 1), end];
  }
  if (char === '"') {
    let position = at + 1;
    let depth = 0;
    for (; position < content.length; position++) {
      const current = content[position];
      if (current === "\\") position++;
      else if (current === "{") depth++;
      else if (current === "}") depth--;
      else if (current === '"' && depth === 0) return [content.slice(at + 1, position), position + 1];
    }
    throw new BibSyntaxError(at, "unterminated quoted value");
  }
  const bare = content.slice(at).match(/^[\w.:-]+/);
  if (!bare) throw new BibSyntaxError(at, "expected a value in braces, quotes or a number");
  return [bare[0], at + bare[0].length];
}

function lineAt(content: string, offset: number): number {
  let line = 1;
  for (let position = 0; position < offset && position < content.length; position++)
    if (content[position] === "\n") line++;
  return line;
}

function dateOf(fields: Map<string, string>): string | undefined {
  const date = fields.get("date");
  if (date && isIsoDate(date)) return date;
  const year = fields.get("year")?.match(/\d{4}/)?.[0];
  if (!year) return undefined;
  const monthField = fields.get("month")?.toLowerCase() ?? "";
  const month =
    MONTHS[monthField.slice(0, 3)] ?? (monthField.match(/^\d{1,2}$/) ? monthField.padStart(2, "0") : "01");
  return `${year}-${month}-01`;
}

export function parseBibtex(content: string, file: string): ParsedFile {
  const result = emptyParse();
  const entries = readEntries(content, (offset, message) =>
    result.problems.push({ file, line: lineAt(content, offset), message: `BibTeX: ${message}` }),
  );
  for (const { entry, offset } of entries) {
    const line = lineAt(content, offset);
    const { fields } = entry;
    const doiId = fields.get("doi")?.match(/10\.48550\/arxiv\.(.+)$/i)?.[1];
    const idSource = [
      fields.get("eprint"),
      fields.get("arxivid"),
      doiId,
      fields.get("url"),
      fields.get("journal"),
      fields.get("note"),
    ];
    const id = idSource.map((text) => (text ? findArxivId(text) : undefined)).find(Boolean);
    if (!id) {
      result.problems.push({
        file,
        line,
        message: "BibTeX entry has no arXiv id (eprint, url, doi or journal = arXiv:...)",
      });
      continue;
    }
    const record: PaperRecord = { id: id.id, source: { file, line } };
    if (id.version) record.version = id.version;
    const title = fields.get("title");
    if (title) record.title = latexToText(title);
    const authors = fields.get("author");
    if (authors)
      record.authors = authors
        .split(/\s+and\s+/i)
        .map(formatAuthor)
        .filter(Boolean);
    const abstract = fields.get("abstract");
    if (abstract) record.abstract = abstract;
    const venue = fields.get("booktitle") ?? fields.get("journal");
    if (venue && !/arxiv/i.test(venue)) record.venue = latexToText(venue);
    const category = fields.get("primaryclass");
    if (category) record.categories = [category];
    const published = dateOf(fields);
    if (published) {
      record.published = published;
      if (!fields.get("date")) record.publishedApproximate = true;
    }
    result.records.push(record);
  }
  return result;
}

/** "Hofmann, Thomas" -> "Thomas Hofmann". */
function formatAuthor(name: string): string {
  const plain = latexToText(name).trim();
  const [last, first] = plain.split(/\s*,\s*/);
  return first ? `${first} ${last}` : plain;
}
