/** FollowStore on SQLite: the tables follows, follow_given and follow_deliveries. */
import type Database from "better-sqlite3";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { PostGuard } from "../daily-store.ts";
import type { Follow, FollowCheckState, FollowDelivery, FollowStore, NewFollow } from "../follow-store.ts";
import { SQLITE_ENCODING } from "../rows/column-encoding.ts";
import {
  DELIVERY_COLUMNS,
  type DeliveryRow,
  deliveryRow,
  type FollowRow,
  NEW_FOLLOW_COLUMNS,
  newFollowRow,
  toDelivery,
  toFollow,
} from "../rows/follow-rows.ts";
import { namedPlaceholders } from "./sqlite-params.ts";

const UPDATE_DELIVERY = `UPDATE follow_deliveries SET status = @status, attempts = @attempts,
    next_attempt_at = @next_attempt_at, sent_at = @sent_at, message_id = @message_id, last_error = @last_error
  WHERE delivery_key = @delivery_key`;

export class SqliteFollowStore implements FollowStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      addFollow: db.prepare(
        `INSERT INTO follows (${NEW_FOLLOW_COLUMNS.join(", ")}) VALUES (${namedPlaceholders(NEW_FOLLOW_COLUMNS)})
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
        `INSERT INTO follow_deliveries (${DELIVERY_COLUMNS.join(", ")}) VALUES (${namedPlaceholders(DELIVERY_COLUMNS)})`,
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
    const result = this.statements.addFollow.run(newFollowRow(follow));
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
          this.statements.insertDelivery.run(deliveryRow(delivery, SQLITE_ENCODING));
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
          ...deliveryRow(delivery, SQLITE_ENCODING),
          guard_status: guard.status,
          guard_attempts: guard.attempts,
        })
      : this.statements.updateDelivery.run(deliveryRow(delivery, SQLITE_ENCODING));
    return result.changes === 1;
  }

  async listDeliveries(channel: DailyChannel, limit: number): Promise<FollowDelivery[]> {
    return this.statements.listChannelDeliveries
      .all(channel.platform, channel.channelId, limit)
      .map(toDelivery);
  }
}
