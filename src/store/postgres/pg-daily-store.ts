/** DailyStore on PostgreSQL: the tables daily_subscriptions, daily_posts, daily_papers_seen. */
import type pg from "pg";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { DailyStore, PostGuard, PostId, PostRecord, PostStatus, Subscription } from "../daily-store.ts";

interface SubscriptionRow {
  platform: string;
  channel_id: string;
  enabled: boolean;
  time: string;
  time_zone: string;
  filters: string;
  active_from: number;
  seed: string;
  rotation: number;
  rotation_started_at: number;
  source: string;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

interface PostRow {
  platform: string;
  channel_id: string;
  day: string;
  time_zone: string;
  paper_id: string;
  rotation: number;
  idempotency_key: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_at: number;
  sent_at: number | null;
  message_id: string | null;
  last_error: string | null;
  trigger: string;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    platform: row.platform as Subscription["platform"],
    channelId: row.channel_id,
    enabled: row.enabled,
    time: row.time,
    timeZone: row.time_zone,
    filters: row.filters,
    activeFrom: row.active_from,
    seed: row.seed,
    rotation: row.rotation,
    rotationStartedAt: row.rotation_started_at,
    source: row.source,
    ...(row.updated_by === null ? {} : { updatedBy: row.updated_by }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toPost(row: PostRow): PostRecord {
  return {
    platform: row.platform as PostRecord["platform"],
    channelId: row.channel_id,
    day: row.day,
    timeZone: row.time_zone,
    paperId: row.paper_id,
    rotation: row.rotation,
    idempotencyKey: row.idempotency_key,
    status: row.status as PostStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedAt: row.claimed_at,
    ...(row.sent_at === null ? {} : { sentAt: row.sent_at }),
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    trigger: row.trigger as PostRecord["trigger"],
  };
}

/** The post's columns in table order: $1-$4 are its identity, the rest what an update replaces. */
function postValues(post: PostRecord): unknown[] {
  return [
    post.platform,
    post.channelId,
    post.day,
    post.timeZone,
    post.paperId,
    post.rotation,
    post.idempotencyKey,
    post.status,
    post.attempts,
    post.nextAttemptAt,
    post.claimedAt,
    post.sentAt ?? null,
    post.messageId ?? null,
    post.lastError ?? null,
    post.trigger,
  ];
}

const CLAIM_POST = `INSERT INTO daily_posts (platform, channel_id, day, time_zone, paper_id, rotation,
    idempotency_key, status, attempts, next_attempt_at, claimed_at, sent_at, message_id, last_error, trigger)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT (platform, channel_id, day, time_zone) DO NOTHING`;

const UPDATE_POST = `UPDATE daily_posts SET paper_id = $5, rotation = $6, idempotency_key = $7, status = $8,
    attempts = $9, next_attempt_at = $10, claimed_at = $11, sent_at = $12, message_id = $13, last_error = $14,
    trigger = $15
  WHERE platform = $1 AND channel_id = $2 AND day = $3 AND time_zone = $4`;

// Under READ COMMITTED a concurrent update of the same row makes this one wait and then re-check
// its WHERE against the committed row, so of two attempts decided on one state only one applies.
const UPDATE_POST_GUARDED = `${UPDATE_POST} AND status = $16 AND attempts = $17
    AND (NOT $18::boolean OR EXISTS (SELECT 1 FROM daily_subscriptions s
      WHERE s.platform = $1 AND s.channel_id = $2 AND s.enabled))`;

const SAVE_SUBSCRIPTION = `INSERT INTO daily_subscriptions (platform, channel_id, enabled, time, time_zone,
    filters, active_from, seed, rotation, rotation_started_at, source, updated_by, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  ON CONFLICT (platform, channel_id) DO UPDATE SET enabled = excluded.enabled, time = excluded.time,
    time_zone = excluded.time_zone, filters = excluded.filters, active_from = excluded.active_from,
    seed = excluded.seed, rotation = excluded.rotation, rotation_started_at = excluded.rotation_started_at,
    source = excluded.source, updated_by = excluded.updated_by, updated_at = excluded.updated_at`;

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
    await this.pool.query(SAVE_SUBSCRIPTION, [
      subscription.platform,
      subscription.channelId,
      subscription.enabled,
      subscription.time,
      subscription.timeZone,
      subscription.filters,
      subscription.activeFrom,
      subscription.seed,
      subscription.rotation,
      subscription.rotationStartedAt,
      subscription.source,
      subscription.updatedBy ?? null,
      subscription.createdAt,
      subscription.updatedAt,
    ]);
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
