/** DailyStore on SQLite (better-sqlite3): the tables daily_subscriptions, daily_posts, daily_papers_seen. */
import type Database from "better-sqlite3";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { Logger } from "../../core/logger.ts";
import type { DailyStore, PostGuard, PostId, PostRecord, PostStatus, Subscription } from "../daily-store.ts";
import { openSqliteDatabase } from "./sqlite-database.ts";

interface SubscriptionRow {
  platform: string;
  channel_id: string;
  enabled: number;
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
    enabled: row.enabled === 1,
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

function postParams(post: PostRecord) {
  return {
    platform: post.platform,
    channel_id: post.channelId,
    day: post.day,
    time_zone: post.timeZone,
    paper_id: post.paperId,
    rotation: post.rotation,
    idempotency_key: post.idempotencyKey,
    status: post.status,
    attempts: post.attempts,
    next_attempt_at: post.nextAttemptAt,
    claimed_at: post.claimedAt,
    sent_at: post.sentAt ?? null,
    message_id: post.messageId ?? null,
    last_error: post.lastError ?? null,
    trigger: post.trigger,
  };
}

/** Opens (or creates) the state database at `path` with just the daily store on it; ":memory:" for a throwaway one. */
export function openSqliteDailyStore(path: string, logger?: Logger): DailyStore {
  return new SqliteDailyStore(openSqliteDatabase(path, logger), { ownsDatabase: true });
}

const POST_COLUMNS =
  "platform, channel_id, day, time_zone, paper_id, rotation, idempotency_key, status, attempts, " +
  "next_attempt_at, claimed_at, sent_at, message_id, last_error, trigger";

const UPDATE_POST = `UPDATE daily_posts SET paper_id = @paper_id, rotation = @rotation,
    idempotency_key = @idempotency_key, status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at,
    claimed_at = @claimed_at, sent_at = @sent_at, message_id = @message_id, last_error = @last_error,
    trigger = @trigger
  WHERE platform = @platform AND channel_id = @channel_id AND day = @day AND time_zone = @time_zone`;

export class SqliteDailyStore implements DailyStore {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly options: { ownsDatabase: boolean } = { ownsDatabase: false },
  ) {
    this.statements = {
      getSubscription: db.prepare<[string, string], SubscriptionRow>(
        "SELECT * FROM daily_subscriptions WHERE platform = ? AND channel_id = ?",
      ),
      listSubscriptions: db.prepare<[], SubscriptionRow>(
        "SELECT * FROM daily_subscriptions ORDER BY platform, channel_id",
      ),
      saveSubscription: db.prepare(
        `INSERT INTO daily_subscriptions VALUES (@platform, @channel_id, @enabled, @time, @time_zone, @filters,
           @active_from, @seed, @rotation, @rotation_started_at, @source, @updated_by, @created_at, @updated_at)
         ON CONFLICT (platform, channel_id) DO UPDATE SET enabled = excluded.enabled, time = excluded.time,
           time_zone = excluded.time_zone, filters = excluded.filters, active_from = excluded.active_from,
           seed = excluded.seed, rotation = excluded.rotation, rotation_started_at = excluded.rotation_started_at,
           source = excluded.source, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ),
      claimPost: db.prepare(
        `INSERT INTO daily_posts (${POST_COLUMNS}) VALUES (${POST_COLUMNS.replace(/(\w+)/g, "@$1")})
         ON CONFLICT (platform, channel_id, day, time_zone) DO NOTHING`,
      ),
      getPost: db.prepare<[string, string, string, string], PostRow>(
        "SELECT * FROM daily_posts WHERE platform = ? AND channel_id = ? AND day = ? AND time_zone = ?",
      ),
      updatePost: db.prepare(UPDATE_POST),
      updatePostGuarded: db.prepare(
        `${UPDATE_POST} AND status = @guard_status AND attempts = @guard_attempts
           AND (@guard_enabled = 0 OR EXISTS (SELECT 1 FROM daily_subscriptions s
             WHERE s.platform = @platform AND s.channel_id = @channel_id AND s.enabled = 1))`,
      ),
      listPending: db.prepare<[], PostRow>("SELECT * FROM daily_posts WHERE status = 'claimed' ORDER BY day"),
      listPosts: db.prepare<[string, string, number], PostRow>(
        "SELECT * FROM daily_posts WHERE platform = ? AND channel_id = ? ORDER BY day DESC LIMIT ?",
      ),
      listPostsInRotation: db.prepare<[string, string, number, number], PostRow>(
        `SELECT * FROM daily_posts WHERE platform = ? AND channel_id = ? AND rotation = ?
         ORDER BY day DESC LIMIT ?`,
      ),
      recordSeen: db.prepare("INSERT INTO daily_papers_seen VALUES (?, ?) ON CONFLICT (paper_id) DO NOTHING"),
      firstSeen: db.prepare<[], { paper_id: string; first_seen_at: number }>(
        "SELECT * FROM daily_papers_seen",
      ),
    };
  }

  async getSubscription(channel: DailyChannel): Promise<Subscription | undefined> {
    const row = this.statements.getSubscription.get(channel.platform, channel.channelId);
    return row ? toSubscription(row) : undefined;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return this.statements.listSubscriptions.all().map(toSubscription);
  }

  async saveSubscription(subscription: Subscription): Promise<void> {
    this.statements.saveSubscription.run({
      platform: subscription.platform,
      channel_id: subscription.channelId,
      enabled: subscription.enabled ? 1 : 0,
      time: subscription.time,
      time_zone: subscription.timeZone,
      filters: subscription.filters,
      active_from: subscription.activeFrom,
      seed: subscription.seed,
      rotation: subscription.rotation,
      rotation_started_at: subscription.rotationStartedAt,
      source: subscription.source,
      updated_by: subscription.updatedBy ?? null,
      created_at: subscription.createdAt,
      updated_at: subscription.updatedAt,
    });
  }

  async claimPost(post: PostRecord): Promise<boolean> {
    return this.statements.claimPost.run(postParams(post)).changes === 1;
  }

  async getPost(id: PostId): Promise<PostRecord | undefined> {
    const row = this.statements.getPost.get(id.platform, id.channelId, id.day, id.timeZone);
    return row ? toPost(row) : undefined;
  }

  async updatePost(post: PostRecord, guard?: PostGuard): Promise<boolean> {
    const result = guard
      ? this.statements.updatePostGuarded.run({
          ...postParams(post),
          guard_status: guard.status,
          guard_attempts: guard.attempts,
          guard_enabled: guard.channelEnabled ? 1 : 0,
        })
      : this.statements.updatePost.run(postParams(post));
    return result.changes === 1;
  }

  async listPendingPosts(): Promise<PostRecord[]> {
    return this.statements.listPending.all().map(toPost);
  }

  async listPosts(
    channel: DailyChannel,
    options: { rotation?: number; limit?: number } = {},
  ): Promise<PostRecord[]> {
    const limit = options.limit ?? -1;
    const rows =
      options.rotation === undefined
        ? this.statements.listPosts.all(channel.platform, channel.channelId, limit)
        : this.statements.listPostsInRotation.all(
            channel.platform,
            channel.channelId,
            options.rotation,
            limit,
          );
    return rows.map(toPost);
  }

  async recordPapersSeen(ids: readonly string[], at: number): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.statements.recordSeen.run(id, at);
    })();
  }

  async firstSeen(): Promise<Map<string, number>> {
    return new Map(this.statements.firstSeen.all().map((row) => [row.paper_id, row.first_seen_at]));
  }

  /** Closes the database only when this store opened it (otherwise its owner closes it). */
  async close(): Promise<void> {
    if (this.options.ownsDatabase && this.db.open) this.db.close();
  }
}
