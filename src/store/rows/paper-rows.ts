/** Rows of arxiv_papers as both databases return them, and the stored papers they hold. */
import type { ArxivEntry } from "../../arxiv/arxiv-entry.ts";
import type { PaperOrigin, StoredPaper } from "../paper-store.ts";

export interface PaperRow {
  id: string;
  version: number;
  /** JSON text in SQLite; PostgreSQL's JSONB arrives parsed. */
  entry: string | ArxivEntry;
  origin: string;
  added_by: string | null;
  added_at: number;
  updated_at: number;
}

export function toStoredPaper(row: PaperRow): StoredPaper {
  return {
    entry: typeof row.entry === "string" ? (JSON.parse(row.entry) as ArxivEntry) : row.entry,
    origin: row.origin as PaperOrigin,
    ...(row.added_by === null ? {} : { addedBy: row.added_by }),
    addedAt: row.added_at,
    updatedAt: row.updated_at,
  };
}
