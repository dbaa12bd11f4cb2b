/** PaperStore on SQLite: the table arxiv_papers, one row per arXiv id, the entry kept as JSON. */
import type Database from "better-sqlite3";
import type { ArxivEntry } from "../../arxiv/arxiv-entry.ts";
import type { PaperOrigin, PaperStore, StoredPaper, UpsertOutcome } from "../paper-store.ts";
import { type PaperRow, toStoredPaper } from "../rows/paper-rows.ts";

export class SqlitePaperStore implements PaperStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      get: db.prepare<[string], PaperRow>("SELECT * FROM arxiv_papers WHERE id = ?"),
      list: db.prepare<[], PaperRow>("SELECT * FROM arxiv_papers ORDER BY added_at, id"),
      insert: db.prepare(
        `INSERT INTO arxiv_papers (id, version, entry, origin, added_by, added_at, updated_at)
         VALUES (@id, @version, @entry, @origin, @added_by, @at, @at)`,
      ),
      update: db.prepare(
        "UPDATE arxiv_papers SET version = @version, entry = @entry, updated_at = @at WHERE id = @id",
      ),
      bump: db.prepare("UPDATE arxiv_papers_revision SET revision = revision + 1 WHERE id = 1"),
      mark: db.prepare<[], { revision: number }>("SELECT revision FROM arxiv_papers_revision WHERE id = 1"),
    };
  }

  async upsert(
    entries: readonly ArxivEntry[],
    meta: { origin: PaperOrigin; by?: string; at: number },
  ): Promise<UpsertOutcome[]> {
    return this.db.transaction(() => entries.map((entry) => this.upsertOne(entry, meta))).immediate();
  }

  private upsertOne(
    entry: ArxivEntry,
    meta: { origin: PaperOrigin; by?: string; at: number },
  ): UpsertOutcome {
    const existing = this.statements.get.get(entry.id);
    const json = JSON.stringify(entry);
    if (!existing) {
      this.statements.insert.run({
        id: entry.id,
        version: entry.version,
        entry: json,
        origin: meta.origin,
        added_by: meta.by ?? null,
        at: meta.at,
      });
      this.statements.bump.run();
      return "added";
    }
    // An older version's answer (a stale mirror) never replaces a newer one.
    if (existing.entry === json || entry.version < existing.version) return "unchanged";
    this.statements.update.run({ id: entry.id, version: entry.version, entry: json, at: meta.at });
    this.statements.bump.run();
    return "updated";
  }

  async get(id: string): Promise<StoredPaper | undefined> {
    const row = this.statements.get.get(id);
    return row ? toStoredPaper(row) : undefined;
  }

  async list(): Promise<StoredPaper[]> {
    return this.statements.list.all().map(toStoredPaper);
  }

  async changeMark(): Promise<string> {
    return String(this.statements.mark.get()?.revision ?? 0);
  }
}
