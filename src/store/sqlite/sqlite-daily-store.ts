/** DailyStore on SQLite (better-sqlite3): the tables daily_subscriptions, daily_posts, daily_papers_seen. */
import type Database from "better-sqlite3";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { Logger } from "../../core/logger.ts";
import type { DailyStore, PostGuard, PostId, PostRecord, Subscription } from "../daily-store.ts";
import { SQLITE_ENCODING } from "../rows/column-encoding.ts";
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
import { openSqliteDatabase } from "./sqlite-database.ts";
import { namedPlaceholders } from "./sqlite-params.ts";

/** Opens (or creates) the state database at `path` with just the daily store on it; ":memory:" for a throwaway one. */
export function openSqliteDailyStore(path: string, logger?: Logger): DailyStore {
  return new SqliteDailyStore(openSqliteDatabase(path, logger), { ownsDatabase: true });
}

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
        `INSERT INTO daily_subscriptions (${SUBSCRIPTION_COLUMNS.join(", ")})
         VALUES (${namedPlaceholders(SUBSCRIPTION_COLUMNS)}) ${ON_SUBSCRIPTION_CONFLICT}`,
      ),
      advanceRotation: db.prepare<[number, number, number, string, string, number]>(
        `UPDATE daily_subscriptions SET rotation = ?, rotation_started_at = ?, updated_at = ?
         WHERE platform = ? AND channel_id = ? AND rotation = ?`,
      ),
      claimPost: db.prepare(
        `INSERT INTO daily_posts (${POST_COLUMNS.join(", ")}) VALUES (${namedPlaceholders(POST_COLUMNS)})
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

  async advanceRotation(
    channel: DailyChannel,
    from: number,
    to: { rotation: number; startedAt: number },
    at: number,
  ): Promise<boolean> {
    return (
      this.statements.advanceRotation.run(
        to.rotation,
        to.startedAt,
        at,
        channel.platform,
        channel.channelId,
        from,
      ).changes === 1
    );
  }

  async saveSubscription(subscription: Subscription): Promise<void> {
    this.statements.saveSubscription.run(subscriptionRow(subscription, SQLITE_ENCODING));
  }

  async claimPost(post: PostRecord): Promise<boolean> {
    return this.statements.claimPost.run(postRow(post)).changes === 1;
  }

  async getPost(id: PostId): Promise<PostRecord | undefined> {
    const row = this.statements.getPost.get(id.platform, id.channelId, id.day, id.timeZone);
    return row ? toPost(row) : undefined;
  }

  async updatePost(post: PostRecord, guard?: PostGuard): Promise<boolean> {
    const result = guard
      ? this.statements.updatePostGuarded.run({
          ...postRow(post),
          guard_status: guard.status,
          guard_attempts: guard.attempts,
          guard_enabled: guard.channelEnabled ? 1 : 0,
        })
      : this.statements.updatePost.run(postRow(post));
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
