/** papers.meta.tsv: verified title, authors, categories and venue keyed by arXiv id. Lists use "; ". */
import { parseArxivId } from "../arxiv-id.ts";
import { emptyParse, type PaperRecord, type ParsedFile, splitLines } from "./record.ts";

const COLUMNS = ["arxiv_id", "title", "authors", "categories", "venue"] as const;

function list(cell: string | undefined): string[] {
  const items: string[] = [];
  if (!cell) return items;
  for (const part of cell.split(";")) {
    const item = part.trim();
    if (item) items.push(item);
  }
  return items;
}

export function parseMetadataTsv(content: string, file: string): ParsedFile {
  const result = emptyParse();
  const lines = splitLines(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  const header = (lines[0] ?? "").split("\t").map((cell) => cell.trim().toLowerCase());
  const idColumn = header.indexOf("arxiv_id");
  const titleColumn = header.indexOf("title");
  const authorsColumn = header.indexOf("authors");
  const categoriesColumn = header.indexOf("categories");
  const venueColumn = header.indexOf("venue");
  if (idColumn < 0) {
    result.problems.push({
      file,
      line: 1,
      message: `the header must name the columns ${COLUMNS.join(", ")} (tab-separated)`,
    });
    return result;
  }
  const cellAt = (cells: string[], column: number) => (column >= 0 ? cells[column]?.trim() : undefined);
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] as string;
    const lineNumber = index + 1;
    if (line.trim() === "") continue;
    const cells = line.split("\t");
    if (cells.length !== header.length) {
      result.problems.push({
        file,
        line: lineNumber,
        message: `expected ${header.length} tab-separated columns, found ${cells.length}`,
      });
      continue;
    }
    const idText = cellAt(cells, idColumn) ?? "";
    const id = parseArxivId(idText);
    if (!id) {
      result.problems.push({
        file,
        line: lineNumber,
        message: `"${idText.slice(0, 40)}" is not a valid arXiv id`,
      });
      continue;
    }
    const overlay: PaperRecord = { id: id.id, source: { file, line: lineNumber } };
    const title = cellAt(cells, titleColumn);
    if (title) overlay.title = title;
    const authors = list(cellAt(cells, authorsColumn));
    if (authors.length) overlay.authors = authors;
    const categories = list(cellAt(cells, categoriesColumn));
    if (categories.length) overlay.categories = categories;
    const venue = cellAt(cells, venueColumn);
    if (venue) overlay.venue = venue;
    result.overlays.push(overlay);
  }
  return result;
}
