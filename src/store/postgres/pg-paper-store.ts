/**
 * PaperStore on PostgreSQL: the table arxiv_papers, one row per arXiv id with the entry as JSONB, and
 * arxiv_papers_revision, a counter every committing change moves on (the change mark).
 */
import type pg from "pg";
import type { ArxivEntry } from "../../arxiv/arxiv-entry.ts";
import type { PaperOrigin, PaperStore, StoredPaper, UpsertOutcome } from "../paper-store.ts";
import { type PaperRow, toStoredPaper } from "../rows/paper-rows.ts";
import { inTransaction } from "./pg-database.ts";

const INSERT_PAPER = `INSERT INTO arxiv_papers (id, version, entry, origin, added_by, added_at, updated_at)
  VALUES ($1, $2, $3::jsonb, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING`;

// An older version's answer (a stale mirror) never replaces a newer one, and the same entry is no change.
const REFRESH_PAPER = `UPDATE arxiv_papers SET version = $2, entry = $3::jsonb, updated_at = $4
  WHERE id = $1 AND version <= $2 AND entry <> $3::jsonb`;

export class PgPaperStore implements PaperStore {
  constructor(private readonly pool: pg.Pool) {}

  async upsert(
    entries: readonly ArxivEntry[],
    meta: { origin: PaperOrigin; by?: string; at: number },
  ): Promise<UpsertOutcome[]> {
    return inTransaction(this.pool, async (client) => {
      const outcomes: UpsertOutcome[] = [];
      for (const entry of entries) outcomes.push(await upsertOne(client, entry, meta));
      // The counter's row lock serialises upserts that change something, so every commit moves the
      // mark past any value read before it (a max over timestamps from several clocks would not).
      if (outcomes.some((outcome) => outcome !== "unchanged"))
        await client.query("UPDATE arxiv_papers_revision SET revision = revision + 1");
      return outcomes;
    });
  }

  async get(id: string): Promise<StoredPaper | undefined> {
    const { rows } = await this.pool.query<PaperRow>("SELECT * FROM arxiv_papers WHERE id = $1", [id]);
    return rows[0] ? toStoredPaper(rows[0]) : undefined;
  }

  async list(): Promise<StoredPaper[]> {
    const { rows } = await this.pool.query<PaperRow>("SELECT * FROM arxiv_papers ORDER BY added_at, id");
    return rows.map(toStoredPaper);
  }

  async changeMark(): Promise<string> {
    const { rows } = await this.pool.query<{ revision: number }>(
      "SELECT revision FROM arxiv_papers_revision",
    );
    return String(rows[0]?.revision ?? 0);
  }
}

/** Insert-if-absent first, so two replicas adding one paper at once both succeed (one adds, one refreshes). */
async function upsertOne(
  client: pg.PoolClient,
  entry: ArxivEntry,
  meta: { origin: PaperOrigin; by?: string; at: number },
): Promise<UpsertOutcome> {
  const json = JSON.stringify(entry);
  const inserted = await client.query(INSERT_PAPER, [
    entry.id,
    entry.version,
    json,
    meta.origin,
    meta.by ?? null,
    meta.at,
  ]);
  if (inserted.rowCount === 1) return "added";
  const refreshed = await client.query(REFRESH_PAPER, [entry.id, entry.version, json, meta.at]);
  return refreshed.rowCount === 1 ? "updated" : "unchanged";
}
