/**
 * Loads the data files under PAPERS_PATH (a file or a folder), parses each by its extension and
 * merges what they say into one Paper per arXiv id. Problems name file and line; the rest loads.
 * In a folder only .txt, .bib, .json and .tsv files are read; what else is there is reported as
 * skipped (not a problem), so nobody wonders why notes.md found nothing.
 */
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import type { DataProblem } from "../errors.ts";
import { latexToText } from "../latex.ts";
import type { Paper } from "../paper.ts";
import { firstSentence, truncate } from "../text.ts";
import { parseBibtex } from "./parse-bibtex.ts";
import { parseJsonPapers } from "./parse-json.ts";
import { parseMetadataTsv } from "./parse-meta.ts";
import { parseTextFormat } from "./parse-text.ts";
import { emptyParse, looksBinary, type PaperRecord, type ParsedFile } from "./record.ts";

export interface Corpus {
  papers: Paper[];
  problems: DataProblem[];
  files: string[];
  /** What a folder held besides data files, and why each was not read. */
  skipped: SkippedFile[];
}

export interface SkippedFile {
  /** As displayed (relative to the current folder when under it); folders end with "/". */
  file: string;
  reason: string;
}

const PARSERS: Readonly<Record<string, (content: string, file: string) => ParsedFile>> = Object.freeze({
  ".txt": parseTextFormat,
  ".bib": parseBibtex,
  ".json": parseJsonPapers,
  ".tsv": parseMetadataTsv,
});

const DERIVED_TITLE_LENGTH = 90;

export const NOT_A_DATA_FILE = "not a data file: .txt, .bib, .json or .tsv";

/** The data files under a path (sorted) and what else was there. */
export interface Listing {
  files: string[];
  skipped: SkippedFile[];
}

/** A file given as PAPERS_PATH is read whatever its name; a folder is walked. */
export async function listDataFiles(path: string): Promise<Listing> {
  const info = await stat(path);
  const listing: Listing = { files: [], skipped: [] };
  if (info.isFile()) listing.files.push(path);
  else await walk(path, listing);
  listing.files.sort();
  listing.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return listing;
}

/** Hidden entries (editor and VCS folders such as .git) are skipped whole; links to folders are not followed (no loops). */
async function walk(folder: string, listing: Listing): Promise<void> {
  const skip = (path: string, reason: string, isFolder = false) =>
    listing.skipped.push({ file: `${displayPath(path)}${isFolder ? "/" : ""}`, reason });
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    let isFile = entry.isFile();
    const isFolder = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (!target) {
        skip(path, "a link to nothing");
        continue;
      }
      if (target.isDirectory()) {
        skip(path, "a link to a folder, not followed", true);
        continue;
      }
      isFile = target.isFile();
    }
    if (entry.name.startsWith(".")) skip(path, isFolder ? "hidden folder" : "hidden file", isFolder);
    else if (isFolder) await walk(path, listing);
    else if (!isFile) skip(path, "not a regular file");
    else if (PARSERS[extname(entry.name).toLowerCase()]) listing.files.push(path);
    else skip(path, NOT_A_DATA_FILE);
  }
}

export function parseDataFile(content: string, file: string): ParsedFile {
  const parser = PARSERS[extname(file).toLowerCase()] ?? parseTextFormat;
  if (content.trim() === "")
    return { records: [], overlays: [], problems: [{ file, line: 1, message: "file is empty" }] };
  if (looksBinary(content)) {
    return {
      records: [],
      overlays: [],
      problems: [{ file, line: 1, message: "file is binary, not text; expected UTF-8 text" }],
    };
  }
  return parser(content, file);
}

/**
 * The most one data file may hold. A file is decoded into one string, and V8 caps a string at
 * 2^29 - 24 UTF-16 units (~512 Mi, 1 GiB of memory); UTF-8 never decodes to more units than it has
 * bytes, so 256 MiB stays at about half that cap, and still holds twice the benchmark's 100,000-paper
 * papers.txt (~126 MiB). A bigger file is a problem of its own; the other files still load.
 */
export const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;

const MIB = 1024 * 1024;
const mebibytes = (bytes: number) => `${Math.ceil((bytes / MIB) * 10) / 10} MiB`;

function tooLarge(file: string, bytes: number): DataProblem {
  return {
    file,
    line: 1,
    message:
      `file is ${mebibytes(bytes)}, over the ${mebibytes(MAX_DATA_FILE_BYTES)} limit for one data file; ` +
      "split it into smaller files (every data file under PAPERS_PATH is loaded and merged)",
  };
}

/** A data file's text, or the problem that kept it from being read (too large, unreadable). Never throws. */
async function readDataFile(path: string, file: string): Promise<string | DataProblem> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    if (size > MAX_DATA_FILE_BYTES) return tooLarge(file, size);
    const bytes = await handle.readFile();
    // It may have grown since stat.
    if (bytes.length > MAX_DATA_FILE_BYTES) return tooLarge(file, bytes.length);
    return bytes.toString("utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { file, line: 1, message: `file cannot be read (${code ?? message})` };
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function loadDataFile(path: string): Promise<ParsedFile> {
  const file = displayPath(path);
  const content = await readDataFile(path, file);
  return typeof content === "string"
    ? parseDataFile(content, file)
    : { ...emptyParse(), problems: [content] };
}

/**
 * Throws only when the path itself cannot be read; problems inside files (or reading one) are
 * returned. `extraRecords` (papers fetched from arXiv) merge with the files' records.
 */
export async function loadCorpus(path: string, extraRecords: readonly PaperRecord[] = []): Promise<Corpus> {
  return loadListedCorpus(await listDataFiles(path), extraRecords);
}

/** `loadCorpus` for files already listed. */
export async function loadListedCorpus(
  { files, skipped }: Listing,
  extraRecords: readonly PaperRecord[] = [],
): Promise<Corpus> {
  const parsed = await Promise.all(files.map(loadDataFile));
  const problems = parsed.flatMap((result) => result.problems);
  const papers = mergeRecords(
    [...parsed.flatMap((result) => result.records), ...extraRecords],
    parsed.flatMap((result) => result.overlays),
    problems,
  );
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { papers, problems, files, skipped };
}

/** Paths under the working directory are shown relative to it, others in full. */
export function displayPath(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath && !relativePath.startsWith("..") ? relativePath : file;
}

function where(record: PaperRecord): string {
  return `${record.source.file}:${record.source.line}`;
}

function sameText(a: string, b: string): boolean {
  if (a === b) return true;
  const normal = (text: string) => latexToText(text).toLowerCase().replace(/\s+/g, " ");
  return normal(a) === normal(b);
}

/** Shared by every paper with no comments or categories: one frozen array instead of one each. */
const NO_STRINGS = Object.freeze([]) as unknown as string[];

const byVersionDescending = (a: PaperRecord, b: PaperRecord) =>
  (b.version ?? 0) - (a.version ?? 0) || Number(b.fetched ?? false) - Number(a.fetched ?? false);

/** Code-unit order; equal to localeCompare for the ISO dates and arXiv ids it is given, and much faster. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Plain ASCII digits, dots, dashes and lowercase letters sort the same by code unit as by locale. */
const PLAIN_KEY = /^[0-9a-z./-]*$/;

function compareKeys(a: string, b: string): number {
  return PLAIN_KEY.test(a) && PLAIN_KEY.test(b) ? compareStrings(a, b) : a.localeCompare(b);
}

/** The first record (best version first) that has the field; `get` reads it (a direct property read is fast). */
function pick<T>(sorted: readonly PaperRecord[], get: (record: PaperRecord) => T | undefined): T | undefined {
  for (const record of sorted) {
    const value = get(record);
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

const ABSTRACT = (record: PaperRecord) => record.abstract;
const TITLE = (record: PaperRecord) => record.title;
const AUTHORS = (record: PaperRecord) => record.authors;
const CATEGORIES = (record: PaperRecord) => record.categories;
const VENUE = (record: PaperRecord) => record.venue;
const CODE_URL = (record: PaperRecord) => record.codeUrl;
const DOI = (record: PaperRecord) => record.doi;

function mergedComments(sorted: readonly PaperRecord[]): string[] {
  if (sorted.length === 1) {
    const comments = (sorted[0] as PaperRecord).comments;
    if (!comments || comments.length === 0) return NO_STRINGS;
    if (comments.length === 1) return comments;
  }
  const all = [...new Set(sorted.flatMap((record) => record.comments ?? []))];
  return all.length ? all : NO_STRINGS;
}

/** The first version's exact date is the publication date; BibTeX's month-level date only fills a gap. */
function publicationDate(sorted: readonly PaperRecord[]): string | undefined {
  let best: PaperRecord | undefined;
  for (const record of sorted) {
    if (!record.published) continue;
    if (!best) {
      best = record;
      continue;
    }
    const approximate =
      Number(record.publishedApproximate ?? false) - Number(best.publishedApproximate ?? false);
    if (approximate < 0 || (approximate === 0 && compareKeys(record.published, best.published ?? "") < 0)) {
      best = record;
    }
  }
  return best?.published;
}

/** Versions collapse to one paper (highest version's text wins); metadata overlays win for what they name. */
export function mergeRecords(
  records: PaperRecord[],
  overlays: PaperRecord[],
  problems: DataProblem[],
): Paper[] {
  const byId = new Map<string, PaperRecord | PaperRecord[]>();
  for (const record of records) {
    const group = byId.get(record.id);
    if (group === undefined) byId.set(record.id, record);
    else if (Array.isArray(group)) group.push(record);
    else byId.set(record.id, [group, record]);
  }
  const overlayById = new Map<string, PaperRecord>();
  for (const overlay of overlays) {
    const earlier = overlayById.get(overlay.id);
    if (earlier)
      problems.push({
        ...overlay.source,
        message: `metadata for ${overlay.id} appears twice (first at ${where(earlier)}); using the first`,
      });
    else if (!byId.has(overlay.id)) {
      problems.push({
        ...overlay.source,
        message: `metadata for ${overlay.id} matches no paper in the data files`,
      });
    } else overlayById.set(overlay.id, overlay);
  }

  const papers: Paper[] = [];
  for (const [id, group] of byId) {
    // Most papers come from one record: no copies, no sorting.
    const sorted = Array.isArray(group) ? [...group].sort(byVersionDescending) : [group];
    const base = sorted[0] as PaperRecord;
    for (let i = 1; i < sorted.length; i++) {
      const other = sorted[i] as PaperRecord;
      if ((other.version ?? 0) !== (base.version ?? 0) || base.fetched) continue;
      for (const field of ["abstract", "title", "published"] as const) {
        const mine = base[field];
        const theirs = other[field];
        if (mine && theirs && !sameText(mine, theirs)) {
          problems.push({
            ...other.source,
            message: `duplicate of ${id} (first at ${where(base)}) with a different ${field}; keeping the first`,
          });
        }
      }
    }
    const overlay = overlayById.get(id);
    const abstract = pick(sorted, ABSTRACT) ?? "";
    const title = overlay?.title ?? pick(sorted, TITLE);
    if (!title && !abstract) {
      problems.push({ ...base.source, message: `paper ${id} has neither title nor abstract` });
      continue;
    }
    const categories = overlay?.categories ?? pick(sorted, CATEGORIES);
    const paper: Paper = {
      id,
      title: title ?? truncate(firstSentence(latexToText(abstract)), DERIVED_TITLE_LENGTH),
      titleDerived: !title,
      authors: overlay?.authors ?? pick(sorted, AUTHORS) ?? NO_STRINGS,
      abstract,
      categories: categories?.length ? categories : NO_STRINGS,
      comments: mergedComments(sorted),
      sources: sorted.map((record) => record.source),
    };
    let version = 0;
    for (const record of sorted) version = Math.max(version, record.version ?? 0);
    if (version > 0) paper.version = version;
    const venue = overlay?.venue ?? pick(sorted, VENUE);
    if (venue) paper.venue = venue;
    const codeUrl = pick(sorted, CODE_URL);
    if (codeUrl) paper.codeUrl = codeUrl;
    const doi = pick(sorted, DOI);
    if (doi) paper.doi = doi;
    const published = publicationDate(sorted);
    if (published) paper.published = published;
    papers.push(paper);
  }
  // Newest first, then by id. Locale order only when a key needs it: checked once, not per comparison.
  const plain = papers.every((paper) => PLAIN_KEY.test(paper.id) && PLAIN_KEY.test(paper.published ?? ""));
  const compare = plain ? compareStrings : (a: string, b: string) => a.localeCompare(b);
  return papers.sort((a, b) => compare(b.published ?? "", a.published ?? "") || compare(a.id, b.id));
}
