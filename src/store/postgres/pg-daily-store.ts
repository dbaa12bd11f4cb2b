/** DailyStore on PostgreSQL: the tables daily_subscriptions, daily_posts, daily_papers_seen. */
import type pg from "pg";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { DailyStore, PostGuard, PostId, PostRecord, Subscription } from "../daily-store.ts";
import { PG_ENCODING } from "../rows/column-encoding.ts";
import {
  ON_SUBSCRIPTION_CONFLICT,
  POST_COLUMNS,
  type PostRow,
  postRow,
  SUBSCRIPTION_COLUMNS,
  type SubscriptionRow,
  subscriptionRow,
  toPost,
  toSubscription,
} from "../rows/daily-rows.ts";
import { pgPlaceholders, pgValues } from "./pg-params.ts";

const CLAIM_POST = `INSERT INTO daily_posts (${POST_COLUMNS.join(", ")}) VALUES (${pgPlaceholders(POST_COLUMNS)})
  ON CONFLICT (platform, channel_id, day, time_zone) DO NOTHING`;

/** Placeholders in POST_COLUMNS order: $1-$4 are a post's identity, the rest what an update replaces. */
const UPDATE_POST = `UPDATE daily_posts SET paper_id = $5, rotation = $6, idempotency_key = $7, status = $8,
    attempts = $9, next_attempt_at = $10, claimed_at = $11, sent_at = $12, message_id = $13, last_error = $14,
    trigger = $15
  WHERE platform = $1 AND channel_id = $2 AND day = $3 AND time_zone = $4`;

// Under READ COMMITTED a concurrent update of the same row makes this one wait and then re-check
// its WHERE against the committed row, so of two attempts decided on one state only one applies.
const UPDATE_POST_GUARDED = `${UPDATE_POST} AND status = $16 AND attempts = $17
    AND (NOT $18::boolean OR EXISTS (SELECT 1 FROM daily_subscriptions s
      WHERE s.platform = $1 AND s.channel_id = $2 AND s.enabled))`;

const SAVE_SUBSCRIPTION = `INSERT INTO daily_subscriptions (${SUBSCRIPTION_COLUMNS.join(", ")})
  VALUES (${pgPlaceholders(SUBSCRIPTION_COLUMNS)}) ${ON_SUBSCRIPTION_CONFLICT}`;

/** A post's values for CLAIM_POST and UPDATE_POST. */
function postValues(post: PostRecord): unknown[] {
  return pgValues(postRow(post), POST_COLUMNS);
}

export class PgDailyStore implements DailyStore {
  constructor(private readonly pool: pg.Pool) {}

  async getSubscription(channel: DailyChannel): Promise<Subscription | undefined> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      "SELECT * FROM daily_subscriptions WHERE platform = $1 AND channel_id = $2",
      [channel.platform, channel.channelId],
    );
    return rows[0] ? toSubscription(rows[0]) : undefined;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      "SELECT * FROM daily_subscriptions ORDER BY platform, channel_id",
    );
    return rows.map(toSubscription);
  }

  async saveSubscription(subscription: Subscription): Promise<void> {
    await this.pool.query(
      SAVE_SUBSCRIPTION,
      pgValues(subscriptionRow(subscription, PG_ENCODING), SUBSCRIPTION_COLUMNS),
    );
  }

  async advanceRotation(
    channel: DailyChannel,
    from: number,
    to: { rotation: number; startedAt: number },
    at: number,
  ): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE daily_subscriptions SET rotation = $3, rotation_started_at = $4, updated_at = $5
       WHERE platform = $1 AND channel_id = $2 AND rotation = $6`,
      [channel.platform, channel.channelId, to.rotation, to.startedAt, at, from],
    );
    return result.rowCount === 1;
  }

  async claimPost(post: PostRecord): Promise<boolean> {
    const result = await this.pool.query(CLAIM_POST, postValues(post));
    return result.rowCount === 1;
  }

  async getPost(id: PostId): Promise<PostRecord | undefined> {
    const { rows } = await this.pool.query<PostRow>(
      "SELECT * FROM daily_posts WHERE platform = $1 AND channel_id = $2 AND day = $3 AND time_zone = $4",
      [id.platform, id.channelId, id.day, id.timeZone],
    );
    return rows[0] ? toPost(rows[0]) : undefined;
  }

  async updatePost(post: PostRecord, guard?: PostGuard): Promise<boolean> {
    const result = guard
      ? await this.pool.query(UPDATE_POST_GUARDED, [
          ...postValues(post),
          guard.status,
          guard.attempts,
          guard.channelEnabled === true,
        ])
      : await this.pool.query(UPDATE_POST, postValues(post));
    return result.rowCount === 1;
  }

  async listPendingPosts(): Promise<PostRecord[]> {
    const { rows } = await this.pool.query<PostRow>(
      "SELECT * FROM daily_posts WHERE status = 'claimed' ORDER BY day, platform, channel_id, time_zone",
    );
    return rows.map(toPost);
  }

  async listPosts(
    channel: DailyChannel,
    options: { rotation?: number; limit?: number } = {},
  ): Promise<PostRecord[]> {
    // A NULL rotation means any rotation, a NULL limit no limit.
    const { rows } = await this.pool.query<PostRow>(
      `SELECT * FROM daily_posts WHERE platform = $1 AND channel_id = $2
         AND ($3::integer IS NULL OR rotation = $3) ORDER BY day DESC, time_zone LIMIT $4`,
      [channel.platform, channel.channelId, options.rotation ?? null, options.limit ?? null],
    );
    return rows.map(toPost);
  }

  async recordPapersSeen(ids: readonly string[], at: number): Promise<void> {
    // One statement, so one transaction: all of the ids or none.
    await this.pool.query(
      `INSERT INTO daily_papers_seen (paper_id, first_seen_at) SELECT id, $2 FROM unnest($1::text[]) AS t(id)
       ON CONFLICT (paper_id) DO NOTHING`,
      [[...ids], at],
    );
  }

  async firstSeen(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ paper_id: string; first_seen_at: number }>(
      "SELECT paper_id, first_seen_at FROM daily_papers_seen",
    );
    return new Map(rows.map((row) => [row.paper_id, row.first_seen_at]));
  }

  /** The pool belongs to the State that opened it; closing the state ends it. */
  async close(): Promise<void> {}
}
