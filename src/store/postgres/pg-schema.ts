/**
 * The PostgreSQL schema as numbered migrations, the same tables and meaning as the SQLite file.
 * Migration n (1-based) takes the schema from version n-1 to n. Append only, never edit a shipped
 * one, and never drop or rewrite data: replicas of an older release may still be running.
 *
 * Differences from SQLite, each on purpose: times are BIGINT milliseconds; ids and days sort
 * bytewise (COLLATE "C") as in SQLite, whatever the database's locale; a paper's entry is JSONB;
 * a delivery's paper ids are TEXT[]; deliveries get an identity `seq` (SQLite's rowid) for claim
 * order; and a one-row revision counter gives the paper store a change mark that moves with every
 * committed change, whatever the replicas' clocks say.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE daily_subscriptions (
     platform TEXT COLLATE "C" NOT NULL,
     channel_id TEXT COLLATE "C" NOT NULL,
     enabled BOOLEAN NOT NULL,
     time TEXT NOT NULL,
     time_zone TEXT NOT NULL,
     filters TEXT NOT NULL,
     active_from BIGINT NOT NULL,
     seed TEXT NOT NULL,
     rotation INTEGER NOT NULL,
     rotation_started_at BIGINT NOT NULL,
     source TEXT NOT NULL,
     updated_by TEXT,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     PRIMARY KEY (platform, channel_id)
   );
   CREATE TABLE daily_posts (
     platform TEXT COLLATE "C" NOT NULL,
     channel_id TEXT COLLATE "C" NOT NULL,
     day TEXT COLLATE "C" NOT NULL,
     time_zone TEXT COLLATE "C" NOT NULL,
     paper_id TEXT NOT NULL,
     rotation INTEGER NOT NULL,
     idempotency_key TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
     attempts INTEGER NOT NULL,
     next_attempt_at BIGINT NOT NULL,
     claimed_at BIGINT NOT NULL,
     sent_at BIGINT,
     message_id TEXT,
     last_error TEXT,
     trigger TEXT NOT NULL,
     PRIMARY KEY (platform, channel_id, day, time_zone)
   );
   CREATE INDEX daily_posts_pending ON daily_posts (day) WHERE status = 'claimed';
   CREATE TABLE daily_papers_seen (
     paper_id TEXT COLLATE "C" PRIMARY KEY,
     first_seen_at BIGINT NOT NULL
   );

   CREATE TABLE arxiv_papers (
     id TEXT COLLATE "C" PRIMARY KEY,
     version INTEGER NOT NULL,
     entry JSONB NOT NULL,
     origin TEXT NOT NULL,
     added_by TEXT,
     added_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL
   );
   CREATE TABLE arxiv_papers_revision (
     only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
     revision BIGINT NOT NULL
   );
   INSERT INTO arxiv_papers_revision (revision) VALUES (0);

   CREATE TABLE follows (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     platform TEXT COLLATE "C" NOT NULL,
     channel_id TEXT COLLATE "C" NOT NULL,
     filters TEXT NOT NULL,
     source TEXT NOT NULL,
     created_by TEXT,
     created_at BIGINT NOT NULL,
     next_check_at BIGINT NOT NULL,
     last_checked_at BIGINT,
     last_success_at BIGINT,
     last_error TEXT,
     failures INTEGER NOT NULL DEFAULT 0,
     UNIQUE (platform, channel_id, filters)
   );
   CREATE TABLE follow_given (
     platform TEXT COLLATE "C" NOT NULL,
     channel_id TEXT COLLATE "C" NOT NULL,
     paper_id TEXT COLLATE "C" NOT NULL,
     delivery_key TEXT NOT NULL,
     PRIMARY KEY (platform, channel_id, paper_id)
   );
   CREATE TABLE follow_deliveries (
     seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
     delivery_key TEXT PRIMARY KEY,
     platform TEXT COLLATE "C" NOT NULL,
     channel_id TEXT COLLATE "C" NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('paper', 'digest')),
     paper_ids TEXT[] NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
     attempts INTEGER NOT NULL,
     next_attempt_at BIGINT NOT NULL,
     claimed_at BIGINT NOT NULL,
     sent_at BIGINT,
     message_id TEXT,
     last_error TEXT
   );
   CREATE INDEX follow_deliveries_pending ON follow_deliveries (claimed_at, seq) WHERE status = 'claimed';
   CREATE INDEX follow_deliveries_channel ON follow_deliveries (platform, channel_id, claimed_at, seq);

   CREATE TABLE shared_keys (
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     expires_at BIGINT NOT NULL,
     PRIMARY KEY (namespace, key)
   );
   CREATE INDEX shared_keys_expiry ON shared_keys (expires_at);`,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;
