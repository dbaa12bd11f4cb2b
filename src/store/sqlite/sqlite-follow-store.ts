/** FollowStore on SQLite: the tables follows, follow_given and follow_deliveries. */
import type Database from "better-sqlite3";
import type { Platform } from "../../core/command.ts";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { PostGuard, PostStatus } from "../daily-store.ts";
import type { Follow, FollowCheckState, FollowDelivery, FollowStore, NewFollow } from "../follow-store.ts";

interface FollowRow {
  id: number;
  platform: string;
  channel_id: string;
  filters: string;
  source: string;
  created_by: string | null;
  created_at: number;
  next_check_at: number;
  last_checked_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  failures: number;
}

interface DeliveryRow {
  delivery_key: string;
  platform: string;
  channel_id: string;
  kind: string;
  paper_ids: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_at: number;
  sent_at: number | null;
  message_id: string | null;
  last_error: string | null;
}

function toFollow(row: FollowRow): Follow {
  return {
    id: row.id,
    platform: row.platform as Platform,
    channelId: row.channel_id,
    filters: row.filters,
    source: row.source,
    ...(row.created_by === null ? {} : { createdBy: row.created_by }),
    createdAt: row.created_at,
    nextCheckAt: row.next_check_at,
    ...(row.last_checked_at === null ? {} : { lastCheckedAt: row.last_checked_at }),
    ...(row.last_success_at === null ? {} : { lastSuccessAt: row.last_success_at }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    failures: row.failures,
  };
}

function toDelivery(row: DeliveryRow): FollowDelivery {
  return {
    key: row.delivery_key,
    platform: row.platform as Platform,
    channelId: row.channel_id,
    kind: row.kind as FollowDelivery["kind"],
    paperIds: JSON.parse(row.paper_ids) as string[],
    status: row.status as PostStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedAt: row.claimed_at,
    ...(row.sent_at === null ? {} : { sentAt: row.sent_at }),
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

function deliveryParams(delivery: FollowDelivery) {
  return {
    delivery_key: delivery.key,
    platform: delivery.platform,
    channel_id: delivery.channelId,
    kind: delivery.kind,
    paper_ids: JSON.stringify(delivery.paperIds),
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.nextAttemptAt,
    claimed_at: delivery.claimedAt,
    sent_at: delivery.sentAt ?? null,
    message_id: delivery.messageId ?? null,
    last_error: delivery.lastError ?? null,
  };
}

const UPDATE_DELIVERY = `UPDATE follow_deliveries SET status = @status, attempts = @attempts,
    next_attempt_at = @next_attempt_at, sent_at = @sent_at, message_id = @message_id, last_error = @last_error
  WHERE delivery_key = @delivery_key`;

export class SqliteFollowStore implements FollowStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      addFollow: db.prepare(
        `INSERT INTO follows (platform, channel_id, filters, source, created_by, created_at, next_check_at)
         VALUES (@platform, @channel_id, @filters, @source, @created_by, @created_at, @next_check_at)
         ON CONFLICT (platform, channel_id, filters) DO NOTHING`,
      ),
      getFollow: db.prepare<[number | bigint], FollowRow>("SELECT * FROM follows WHERE id = ?"),
      listFollows: db.prepare<[], FollowRow>("SELECT * FROM follows ORDER BY id"),
      listChannelFollows: db.prepare<[string, string], FollowRow>(
        "SELECT * FROM follows WHERE platform = ? AND channel_id = ? ORDER BY id",
      ),
      removeFollow: db.prepare<[number]>("DELETE FROM follows WHERE id = ?"),
      claimCheck: db.prepare<[number, number, number]>(
        "UPDATE follows SET next_check_at = ? WHERE id = ? AND next_check_at = ?",
      ),
      saveCheck: db.prepare(
        `UPDATE follows SET next_check_at = @next_check_at, last_checked_at = @last_checked_at,
           last_success_at = COALESCE(@last_success_at, last_success_at), last_error = @last_error,
           failures = @failures
         WHERE id = @id`,
      ),
      give: db.prepare(
        `INSERT INTO follow_given (platform, channel_id, paper_id, delivery_key) VALUES (?, ?, ?, '')
         ON CONFLICT (platform, channel_id, paper_id) DO NOTHING`,
      ),
      setGivenKey: db.prepare(
        "UPDATE follow_given SET delivery_key = ? WHERE platform = ? AND channel_id = ? AND paper_id = ?",
      ),
      insertDelivery: db.prepare(
        `INSERT INTO follow_deliveries VALUES (@delivery_key, @platform, @channel_id, @kind, @paper_ids, @status,
           @attempts, @next_attempt_at, @claimed_at, @sent_at, @message_id, @last_error)`,
      ),
      getDelivery: db.prepare<[string], DeliveryRow>(
        "SELECT * FROM follow_deliveries WHERE delivery_key = ?",
      ),
      listPending: db.prepare<[], DeliveryRow>(
        "SELECT * FROM follow_deliveries WHERE status = 'claimed' ORDER BY claimed_at, rowid",
      ),
      listChannelDeliveries: db.prepare<[string, string, number], DeliveryRow>(
        `SELECT * FROM follow_deliveries WHERE platform = ? AND channel_id = ?
         ORDER BY claimed_at DESC, rowid DESC LIMIT ?`,
      ),
      updateDelivery: db.prepare(UPDATE_DELIVERY),
      updateDeliveryGuarded: db.prepare(
        `${UPDATE_DELIVERY} AND status = @guard_status AND attempts = @guard_attempts`,
      ),
    };
  }

  async addFollow(follow: NewFollow): Promise<Follow | undefined> {
    const result = this.statements.addFollow.run({
      platform: follow.platform,
      channel_id: follow.channelId,
      filters: follow.filters,
      source: follow.source,
      created_by: follow.createdBy ?? null,
      created_at: follow.createdAt,
      next_check_at: follow.nextCheckAt,
    });
    if (result.changes !== 1) return undefined;
    const row = this.statements.getFollow.get(result.lastInsertRowid);
    return row ? toFollow(row) : undefined;
  }

  async listFollows(channel?: DailyChannel): Promise<Follow[]> {
    const rows = channel
      ? this.statements.listChannelFollows.all(channel.platform, channel.channelId)
      : this.statements.listFollows.all();
    return rows.map(toFollow);
  }

  async removeFollow(id: number): Promise<boolean> {
    return this.statements.removeFollow.run(id).changes === 1;
  }

  async claimCheck(id: number, expected: number, until: number): Promise<boolean> {
    return this.statements.claimCheck.run(until, id, expected).changes === 1;
  }

  async saveCheck(id: number, state: FollowCheckState): Promise<void> {
    this.statements.saveCheck.run({
      id,
      next_check_at: state.nextCheckAt,
      last_checked_at: state.lastCheckedAt,
      last_success_at: state.lastSuccessAt ?? null,
      last_error: state.lastError ?? null,
      failures: state.failures,
    });
  }

  async claimDeliveries(
    channel: DailyChannel,
    paperIds: readonly string[],
    plan: (fresh: string[]) => FollowDelivery[],
  ): Promise<FollowDelivery[]> {
    return this.db
      .transaction(() => {
        const fresh = paperIds.filter(
          (id) => this.statements.give.run(channel.platform, channel.channelId, id).changes === 1,
        );
        if (fresh.length === 0) return [];
        const deliveries = plan(fresh);
        for (const delivery of deliveries) {
          this.statements.insertDelivery.run(deliveryParams(delivery));
          for (const id of delivery.paperIds)
            this.statements.setGivenKey.run(delivery.key, channel.platform, channel.channelId, id);
        }
        return deliveries;
      })
      .immediate();
  }

  async getDelivery(key: string): Promise<FollowDelivery | undefined> {
    const row = this.statements.getDelivery.get(key);
    return row ? toDelivery(row) : undefined;
  }

  async listPendingDeliveries(): Promise<FollowDelivery[]> {
    return this.statements.listPending.all().map(toDelivery);
  }

  async updateDelivery(
    delivery: FollowDelivery,
    guard?: Omit<PostGuard, "channelEnabled">,
  ): Promise<boolean> {
    const result = guard
      ? this.statements.updateDeliveryGuarded.run({
          ...deliveryParams(delivery),
          guard_status: guard.status,
          guard_attempts: guard.attempts,
        })
      : this.statements.updateDelivery.run(deliveryParams(delivery));
    return result.changes === 1;
  }

  async listDeliveries(channel: DailyChannel, limit: number): Promise<FollowDelivery[]> {
    return this.statements.listChannelDeliveries
      .all(channel.platform, channel.channelId, limit)
      .map(toDelivery);
  }
}
