/**
 * Loads every data file under PAPERS_PATH (a file or a folder), parses each by its extension and
 * merges what they say into one Paper per arXiv id. Problems name file and line; the rest loads.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import type { DataProblem } from "../errors.ts";
import { latexToText } from "../latex.ts";
import type { Paper } from "../paper.ts";
import { firstSentence, truncate } from "../text.ts";
import { parseBibtex } from "./parse-bibtex.ts";
import { parseJsonPapers } from "./parse-json.ts";
import { parseMetadataTsv } from "./parse-meta.ts";
import { parseTextFormat } from "./parse-text.ts";
import { looksBinary, type PaperRecord, type ParsedFile } from "./record.ts";

export interface Corpus {
  papers: Paper[];
  problems: DataProblem[];
  files: string[];
}

const PARSERS: Readonly<Record<string, (content: string, file: string) => ParsedFile>> = Object.freeze({
  ".txt": parseTextFormat,
  ".bib": parseBibtex,
  ".json": parseJsonPapers,
  ".tsv": parseMetadataTsv,
});

export const DATA_FILE_EXTENSIONS = Object.keys(PARSERS);

const DERIVED_TITLE_LENGTH = 90;

async function listDataFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter(
      (entry) => entry.isFile() && PARSERS[extname(entry.name).toLowerCase()] && !entry.name.startsWith("."),
    )
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
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

/** Throws only when the path itself cannot be read; problems inside files are returned. */
export async function loadCorpus(path: string): Promise<Corpus> {
  const files = await listDataFiles(path);
  const parsed = await Promise.all(
    files.map(async (file) => parseDataFile(await readFile(file, "utf8"), displayPath(file))),
  );
  const problems = parsed.flatMap((result) => result.problems);
  const papers = mergeRecords(
    parsed.flatMap((result) => result.records),
    parsed.flatMap((result) => result.overlays),
    problems,
  );
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { papers, problems, files };
}

/** Paths under the working directory are shown relative to it, others in full. */
function displayPath(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath && !relativePath.startsWith("..") ? relativePath : file;
}

function where(record: PaperRecord): string {
  return `${record.source.file}:${record.source.line}`;
}

function sameText(a: string, b: string): boolean {
  const normal = (text: string) => latexToText(text).toLowerCase().replace(/\s+/g, " ");
  return normal(a) === normal(b);
}

/** Versions collapse to one paper (highest version's text wins); metadata overlays win for what they name. */
export function mergeRecords(
  records: PaperRecord[],
  overlays: PaperRecord[],
  problems: DataProblem[],
): Paper[] {
  const byId = new Map<string, PaperRecord[]>();
  for (const record of records) {
    const group = byId.get(record.id);
    if (group) group.push(record);
    else byId.set(record.id, [record]);
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
    const sorted = [...group].sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
    const [base] = sorted as [PaperRecord, ...PaperRecord[]];
    for (const other of sorted.slice(1)) {
      if ((other.version ?? 0) !== (base.version ?? 0)) continue;
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
    const pick = <K extends keyof PaperRecord>(field: K): PaperRecord[K] | undefined =>
      sorted.find((record) => record[field] !== undefined && record[field] !== "")?.[field];
    const overlay = overlayById.get(id);
    const abstract = pick("abstract") ?? "";
    const title = overlay?.title ?? pick("title");
    if (!title && !abstract) {
      problems.push({ ...base.source, message: `paper ${id} has neither title nor abstract` });
      continue;
    }
    const paper: Paper = {
      id,
      title: title ?? truncate(firstSentence(latexToText(abstract)), DERIVED_TITLE_LENGTH),
      titleDerived: !title,
      authors: overlay?.authors ?? pick("authors") ?? [],
      abstract,
      categories: overlay?.categories ?? pick("categories") ?? [],
      comments: [...new Set(sorted.flatMap((record) => record.comments ?? []))],
      sources: sorted.map((record) => record.source),
    };
    const version = sorted.map((record) => record.version ?? 0).reduce((a, b) => Math.max(a, b), 0);
    if (version > 0) paper.version = version;
    const venue = overlay?.venue ?? pick("venue");
    if (venue) paper.venue = venue;
    const codeUrl = pick("codeUrl");
    if (codeUrl) paper.codeUrl = codeUrl;
    // The first version's exact date is the publication date; BibTeX's month-level date only fills a gap.
    const dates = sorted
      .filter((record) => record.published)
      .sort(
        (a, b) =>
          Number(a.publishedApproximate ?? false) - Number(b.publishedApproximate ?? false) ||
          (a.published ?? "").localeCompare(b.published ?? ""),
      );
    const published = dates[0]?.published;
    if (published) paper.published = published;
    papers.push(paper);
  }
  return papers.sort(
    (a, b) => (b.published ?? "").localeCompare(a.published ?? "") || a.id.localeCompare(b.id),
  );
}
