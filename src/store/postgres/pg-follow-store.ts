/** FollowStore on PostgreSQL: the tables follows, follow_given and follow_deliveries. */
import type pg from "pg";
import type { Platform } from "../../core/command.ts";
import type { DailyChannel } from "../../core/daily-control.ts";
import type { PostGuard, PostStatus } from "../daily-store.ts";
import type { Follow, FollowCheckState, FollowDelivery, FollowStore, NewFollow } from "../follow-store.ts";
import { inTransaction } from "./pg-database.ts";

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
  paper_ids: string[];
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
    paperIds: row.paper_ids,
    status: row.status as PostStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedAt: row.claimed_at,
    ...(row.sent_at === null ? {} : { sentAt: row.sent_at }),
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

const DELIVERY_COLUMNS =
  "delivery_key, platform, channel_id, kind, paper_ids, status, attempts, next_attempt_at, claimed_at, sent_at, " +
  "message_id, last_error";

/** Every column but the generated `seq`, so a row reads back exactly as it was written. */
const SELECT_DELIVERY = `SELECT ${DELIVERY_COLUMNS} FROM follow_deliveries`;

/** The delivery's columns in DELIVERY_COLUMNS order. */
function deliveryValues(delivery: FollowDelivery): unknown[] {
  return [
    delivery.key,
    delivery.platform,
    delivery.channelId,
    delivery.kind,
    delivery.paperIds,
    delivery.status,
    delivery.attempts,
    delivery.nextAttemptAt,
    delivery.claimedAt,
    delivery.sentAt ?? null,
    delivery.messageId ?? null,
    delivery.lastError ?? null,
  ];
}

/** What an update may change; a delivery's key, channel, kind, papers and claim time stay as claimed. */
const UPDATE_DELIVERY = `UPDATE follow_deliveries SET status = $2, attempts = $3, next_attempt_at = $4,
    sent_at = $5, message_id = $6, last_error = $7
  WHERE delivery_key = $1`;

function updateValues(delivery: FollowDelivery): unknown[] {
  return [
    delivery.key,
    delivery.status,
    delivery.attempts,
    delivery.nextAttemptAt,
    delivery.sentAt ?? null,
    delivery.messageId ?? null,
    delivery.lastError ?? null,
  ];
}

export class PgFollowStore implements FollowStore {
  constructor(private readonly pool: pg.Pool) {}

  async addFollow(follow: NewFollow): Promise<Follow | undefined> {
    const { rows } = await this.pool.query<FollowRow>(
      `INSERT INTO follows (platform, channel_id, filters, source, created_by, created_at, next_check_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (platform, channel_id, filters) DO NOTHING RETURNING *`,
      [
        follow.platform,
        follow.channelId,
        follow.filters,
        follow.source,
        follow.createdBy ?? null,
        follow.createdAt,
        follow.nextCheckAt,
      ],
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
        await client.query(
          `INSERT INTO follow_deliveries (${DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          deliveryValues(delivery),
        );
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
