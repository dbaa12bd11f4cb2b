/** KeyStore on SQLite: the table shared_keys; expired rows read as absent and are deleted now and then. */
import type Database from "better-sqlite3";
import type { KeyStore } from "../key-store.ts";

/** Expired keys are swept at most this often. */
const SWEEP_INTERVAL_MS = 60_000;

export class SqliteKeyStore implements KeyStore {
  private readonly statements;
  private lastSweep = 0;

  constructor(
    db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.statements = {
      claim: db.prepare(
        `INSERT INTO shared_keys (namespace, key, value, expires_at) VALUES (@namespace, @key, '', @expires_at)
         ON CONFLICT (namespace, key) DO UPDATE SET value = '', expires_at = excluded.expires_at
         WHERE shared_keys.expires_at <= @now`,
      ),
      put: db.prepare(
        `INSERT INTO shared_keys (namespace, key, value, expires_at) VALUES (@namespace, @key, @value, @expires_at)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      get: db.prepare<[string, string, number], { value: string }>(
        "SELECT value FROM shared_keys WHERE namespace = ? AND key = ? AND expires_at > ?",
      ),
      sweep: db.prepare<[number]>("DELETE FROM shared_keys WHERE expires_at <= ?"),
    };
  }

  async claim(namespace: string, key: string, ttlMs: number): Promise<boolean> {
    const now = this.sweep();
    return this.statements.claim.run({ namespace, key, expires_at: now + ttlMs, now }).changes === 1;
  }

  async put(namespace: string, key: string, ttlMs: number, value = ""): Promise<void> {
    const now = this.sweep();
    this.statements.put.run({ namespace, key, value, expires_at: now + ttlMs });
  }

  async get(namespace: string, key: string): Promise<string | undefined> {
    return this.statements.get.get(namespace, key, this.now())?.value;
  }

  private sweep(): number {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      this.statements.sweep.run(now);
    }
    return now;
  }
}
