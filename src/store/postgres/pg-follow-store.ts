/** FollowStore on PostgreSQL: the tables follows, follow_given and follow_deliveries. */
import type pg from "pg";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { PostGuard } from "../daily-store.ts";
import type { Follow, FollowCheckState, FollowDelivery, FollowStore, NewFollow } from "../follow-store.ts";
import { PG_ENCODING } from "../rows/column-encoding.ts";
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
import { inTransaction } from "./pg-database.ts";
import { pgPlaceholders, pgValues } from "./pg-params.ts";

/** Every column but the generated `seq`, so a row reads back exactly as it was written. */
const SELECT_DELIVERY = `SELECT ${DELIVERY_COLUMNS.join(", ")} FROM follow_deliveries`;

const INSERT_DELIVERY = `INSERT INTO follow_deliveries (${DELIVERY_COLUMNS.join(", ")})
  VALUES (${pgPlaceholders(DELIVERY_COLUMNS)})`;

/** What an update may change; a delivery's key, channel, kind, papers and claim time stay as claimed. */
const UPDATE_DELIVERY = `UPDATE follow_deliveries SET status = $2, attempts = $3, next_attempt_at = $4,
    sent_at = $5, message_id = $6, last_error = $7
  WHERE delivery_key = $1`;

/** UPDATE_DELIVERY's columns, in its placeholders' order. */
const UPDATE_COLUMNS: readonly (keyof DeliveryRow)[] = [
  "delivery_key",
  "status",
  "attempts",
  "next_attempt_at",
  "sent_at",
  "message_id",
  "last_error",
];

function updateValues(delivery: FollowDelivery): unknown[] {
  return pgValues(deliveryRow(delivery, PG_ENCODING), UPDATE_COLUMNS);
}

export class PgFollowStore implements FollowStore {
  constructor(private readonly pool: pg.Pool) {}

  async addFollow(follow: NewFollow): Promise<Follow | undefined> {
    const { rows } = await this.pool.query<FollowRow>(
      `INSERT INTO follows (${NEW_FOLLOW_COLUMNS.join(", ")}) VALUES (${pgPlaceholders(NEW_FOLLOW_COLUMNS)})
       ON CONFLICT (platform, channel_id, filters) DO NOTHING RETURNING *`,
      pgValues(newFollowRow(follow), NEW_FOLLOW_COLUMNS),
    );
    return rows[0] ? toFollow(rows[0]) : undefined;
  }

  async listFollows(channel?: DailyChannel): Promise<Follow[]> {
    const { rows } = channel
      ? await this.pool.query<FollowRow>(
          "SELECT * FROM follows WHERE platform = $1 AND channel_id = $2 ORDER BY id",
          [channel.platform, channel.channelId],
        )
      : await this.pool.query<FollowRow>("SELECT * FROM follows ORDER BY id");
    return rows.map(toFollow);
  }

  async removeFollow(id: number): Promise<boolean> {
    const result = await this.pool.query("DELETE FROM follows WHERE id = $1", [id]);
    return result.rowCount === 1;
  }

  async claimCheck(id: number, expected: number, until: number): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE follows SET next_check_at = $3 WHERE id = $1 AND next_check_at = $2",
      [id, expected, until],
    );
    return result.rowCount === 1;
  }

  async saveCheck(id: number, state: FollowCheckState): Promise<void> {
    await this.pool.query(
      `UPDATE follows SET next_check_at = $2, last_checked_at = $3,
         last_success_at = COALESCE($4, last_success_at), last_error = $5, failures = $6
       WHERE id = $1`,
      [
        id,
        state.nextCheckAt,
        state.lastCheckedAt,
        state.lastSuccessAt ?? null,
        state.lastError ?? null,
        state.failures,
      ],
    );
  }

  async claimDeliveries(
    channel: DailyChannel,
    paperIds: readonly string[],
    plan: (fresh: string[]) => FollowDelivery[],
  ): Promise<FollowDelivery[]> {
    const wanted = [...new Set(paperIds)];
    return inTransaction(this.pool, async (client) => {
      // Rows are taken in sorted order so two replicas claiming overlapping ids wait for each
      // other instead of deadlocking; a conflicting row means another claim already has that paper.
      const { rows } = await client.query<{ paper_id: string }>(
        `INSERT INTO follow_given (platform, channel_id, paper_id, delivery_key)
         SELECT $1, $2, id, '' FROM unnest($3::text[]) AS t(id) ORDER BY id COLLATE "C"
         ON CONFLICT (platform, channel_id, paper_id) DO NOTHING RETURNING paper_id`,
        [channel.platform, channel.channelId, wanted],
      );
      const given = new Set(rows.map((row) => row.paper_id));
      const fresh = wanted.filter((id) => given.has(id));
      if (fresh.length === 0) return [];
      const deliveries = plan(fresh);
      for (const delivery of deliveries) {
        await client.query(INSERT_DELIVERY, pgValues(deliveryRow(delivery, PG_ENCODING), DELIVERY_COLUMNS));
        await client.query(
          `UPDATE follow_given SET delivery_key = $1
           WHERE platform = $2 AND channel_id = $3 AND paper_id = ANY($4::text[])`,
          [delivery.key, channel.platform, channel.channelId, delivery.paperIds],
        );
      }
      return deliveries;
    });
  }

  async getDelivery(key: string): Promise<FollowDelivery | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(`${SELECT_DELIVERY} WHERE delivery_key = $1`, [key]);
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  async listPendingDeliveries(): Promise<FollowDelivery[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `${SELECT_DELIVERY} WHERE status = 'claimed' ORDER BY claimed_at, seq`,
    );
    return rows.map(toDelivery);
  }

  async updateDelivery(
    delivery: FollowDelivery,
    guard?: Omit<PostGuard, "channelEnabled">,
  ): Promise<boolean> {
    const result = guard
      ? await this.pool.query(`${UPDATE_DELIVERY} AND status = $8 AND attempts = $9`, [
          ...updateValues(delivery),
          guard.status,
          guard.attempts,
        ])
      : await this.pool.query(UPDATE_DELIVERY, updateValues(delivery));
    return result.rowCount === 1;
  }

  async listDeliveries(channel: DailyChannel, limit: number): Promise<FollowDelivery[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `${SELECT_DELIVERY} WHERE platform = $1 AND channel_id = $2 ORDER BY claimed_at DESC, seq DESC LIMIT $3`,
      [channel.platform, channel.channelId, limit],
    );
    return rows.map(toDelivery);
  }
}
