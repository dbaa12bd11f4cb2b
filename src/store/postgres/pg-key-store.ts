/** KeyStore on PostgreSQL: the table shared_keys; expired rows read as absent and are deleted now and then. */
import type pg from "pg";
import type { KeyStore } from "../key-store.ts";

/** Expired keys are swept at most this often by each process. */
const SWEEP_INTERVAL_MS = 60_000;

// One statement, so exactly one of several processes offering the key inserts it or takes over
// an expired one; the others find an unexpired row and change nothing.
const CLAIM = `INSERT INTO shared_keys (namespace, key, value, expires_at) VALUES ($1, $2, '', $3)
  ON CONFLICT (namespace, key) DO UPDATE SET value = '', expires_at = excluded.expires_at
  WHERE shared_keys.expires_at <= $4`;

const PUT = `INSERT INTO shared_keys (namespace, key, value, expires_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`;

export class PgKeyStore implements KeyStore {
  private lastSweep = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(namespace: string, key: string, ttlMs: number): Promise<boolean> {
    const now = await this.sweep();
    const result = await this.pool.query(CLAIM, [namespace, key, now + ttlMs, now]);
    return result.rowCount === 1;
  }

  async put(namespace: string, key: string, ttlMs: number, value = ""): Promise<void> {
    const now = await this.sweep();
    await this.pool.query(PUT, [namespace, key, value, now + ttlMs]);
  }

  async get(namespace: string, key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      "SELECT value FROM shared_keys WHERE namespace = $1 AND key = $2 AND expires_at > $3",
      [namespace, key, this.now()],
    );
    return rows[0]?.value;
  }

  private async sweep(): Promise<number> {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      await this.pool.query("DELETE FROM shared_keys WHERE expires_at <= $1", [now]);
    }
    return now;
  }
}
