/** papers.meta.tsv: verified title, authors, categories and venue keyed by arXiv id. Lists use "; ". */
import { parseArxivId } from "../arxiv-id.ts";
import { emptyParse, type PaperRecord, type ParsedFile } from "./record.ts";

const COLUMNS = ["arxiv_id", "title", "authors", "categories", "venue"] as const;

function list(cell: string | undefined): string[] {
  return (cell ?? "")
    .split(";")
    .map((item) => item.trim())
    .filter(Boolean);
}

export function parseMetadataTsv(content: string, file: string): ParsedFile {
  const result = emptyParse();
  const lines = content.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const header = (lines[0] ?? "").split("\t").map((cell) => cell.trim().toLowerCase());
  const column = Object.fromEntries(COLUMNS.map((name) => [name, header.indexOf(name)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  if (column.arxiv_id < 0) {
    result.problems.push({
      file,
      line: 1,
      message: `the header must name the columns ${COLUMNS.join(", ")} (tab-separated)`,
    });
    return result;
  }
  lines.slice(1).forEach((line, index) => {
    const lineNumber = index + 2;
    if (line.trim() === "") return;
    const cells = line.split("\t");
    if (cells.length !== header.length) {
      result.problems.push({
        file,
        line: lineNumber,
        message: `expected ${header.length} tab-separated columns, found ${cells.length}`,
      });
      return;
    }
    const cell = (name: (typeof COLUMNS)[number]) =>
      column[name] >= 0 ? cells[column[name]]?.trim() : undefined;
    const id = parseArxivId(cell("arxiv_id") ?? "");
    if (!id) {
      result.problems.push({
        file,
        line: lineNumber,
        message: `"${(cell("arxiv_id") ?? "").slice(0, 40)}" is not a valid arXiv id`,
      });
      return;
    }
    const overlay: PaperRecord = { id: id.id, source: { file, line: lineNumber } };
    const title = cell("title");
    if (title) overlay.title = title;
    const authors = list(cell("authors"));
    if (authors.length) overlay.authors = authors;
    const categories = list(cell("categories"));
    if (categories.length) overlay.categories = categories;
    const venue = cell("venue");
    if (venue) overlay.venue = venue;
    result.overlays.push(overlay);
  });
  return result;
}
