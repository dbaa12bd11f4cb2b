/**
 * JSON paper lists: an array of objects, or `{ "papers": [...] }`. Field names follow common
 * exports (arXiv API mirrors, Semantic Scholar dumps): id/arxiv_id/arxivId, title, authors
 * (array or "A, B"), abstract/summary, categories, venue, published/created/date, code_url.
 */
import { findArxivId, parseArxivId } from "../arxiv-id.ts";
import { emptyParse, isIsoDate, type PaperRecord, type ParsedFile } from "./record.ts";

type Json = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

function textList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const items = value
      .map((item) => (typeof item === "string" ? item : text((item as Json | null)?.name)))
      .filter((item): item is string => Boolean(item?.trim()))
      .map((item) => item.trim());
    return items.length ? items : undefined;
  }
  const single = text(value);
  return single ? single.split(/\s*[;,]\s*|\s+and\s+/).filter(Boolean) : undefined;
}

function first(object: Json, ...names: string[]): unknown {
  for (const name of names) if (object[name] !== undefined && object[name] !== null) return object[name];
  return undefined;
}

/** Offsets of the elements of the paper array (the first array in the file), for line numbers. */
function elementOffsets(content: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let arrayDepth = -1;
  let inString = false;
  let expectElement = false;
  for (let at = 0; at < content.length; at++) {
    const char = content[at];
    if (inString) {
      if (char === "\\") at++;
      else if (char === '"') inString = false;
      continue;
    }
    if (expectElement && !/\s/.test(char ?? "")) {
      offsets.push(at);
      expectElement = false;
    }
    if (char === '"') inString = true;
    else if (char === "[" || char === "{") {
      depth++;
      if (char === "[" && arrayDepth < 0) {
        arrayDepth = depth;
        expectElement = true;
      }
    } else if (char === "]" || char === "}") depth--;
    else if (char === "," && depth === arrayDepth) expectElement = true;
  }
  return offsets;
}

function lineOf(content: string, offset: number): number {
  return content.slice(0, Math.max(0, offset)).split("\n").length;
}

export function parseJsonPapers(content: string, file: string): ParsedFile {
  const result = emptyParse();
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (error) {
    const position = Number((error as Error).message.match(/position (\d+)/)?.[1] ?? 0);
    result.problems.push({
      file,
      line: lineOf(content, position),
      message: `not valid JSON: ${(error as Error).message}`,
    });
    return result;
  }
  const list = Array.isArray(data) ? data : (data as Json | null)?.papers;
  if (!Array.isArray(list)) {
    result.problems.push({ file, line: 1, message: 'expected an array of papers or {"papers": [...]}' });
    return result;
  }
  const offsets = elementOffsets(content);
  list.forEach((item, index) => {
    const object = (item ?? {}) as Json;
    const rawId =
      text(first(object, "id", "arxiv_id", "arxivId", "arxiv", "eprint")) ?? text(object.url) ?? "";
    const line = lineOf(content, offsets[index] ?? 0);
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      result.problems.push({ file, line, message: `item ${index + 1} is not an object` });
      return;
    }
    const id = parseArxivId(rawId) ?? findArxivId(rawId);
    if (!id) {
      result.problems.push({
        file,
        line,
        message: `item ${index + 1} has no arXiv id (field "id" or "arxiv_id")`,
      });
      return;
    }
    const record: PaperRecord = { id: id.id, source: { file, line } };
    if (id.version) record.version = id.version;
    const title = text(object.title);
    if (title) record.title = title;
    const authors = textList(object.authors);
    if (authors) record.authors = authors;
    const abstract = text(first(object, "abstract", "summary"));
    if (abstract) record.abstract = abstract;
    const categories = textList(object.categories);
    if (categories) record.categories = categories;
    const venue = text(object.venue);
    if (venue) record.venue = venue;
    const codeUrl = text(first(object, "code_url", "codeUrl", "code"));
    if (codeUrl) record.codeUrl = codeUrl;
    const comments = textList(object.comments);
    if (comments) record.comments = comments;
    const date = text(first(object, "published", "created", "date"))?.slice(0, 10);
    if (date && isIsoDate(date)) record.published = date;
    else if (date)
      result.problems.push({
        file,
        line,
        message: `paper ${id.id} has a bad date "${date}" (expected YYYY-MM-DD)`,
      });
    result.records.push(record);
  });
  return result;
}
