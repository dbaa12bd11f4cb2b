/** Rows of follows and follow_deliveries as both databases return them, and the records they hold. */
import type { Platform } from "../../core/command.ts";
import type { Follow, FollowDelivery, NewFollow } from "../follow-store.ts";
import { type ColumnEncoding, type IdListColumn, readIdList } from "./column-encoding.ts";
import { SEND_STATE_COLUMNS, type SendStateRow, sendStateRow, toSendState } from "./send-state-rows.ts";

export interface FollowRow {
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

/** What a new follow is inserted with; the check columns start empty and `failures` at its default 0. */
export type NewFollowRow = Pick<
  FollowRow,
  "platform" | "channel_id" | "filters" | "source" | "created_by" | "created_at" | "next_check_at"
>;

export const NEW_FOLLOW_COLUMNS: readonly (keyof NewFollowRow)[] = [
  "platform",
  "channel_id",
  "filters",
  "source",
  "created_by",
  "created_at",
  "next_check_at",
];

export interface DeliveryRow extends SendStateRow {
  delivery_key: string;
  platform: string;
  channel_id: string;
  kind: string;
  paper_ids: IdListColumn;
}

/** follow_deliveries' columns in table order (PostgreSQL's generated `seq` is not one a delivery has). */
export const DELIVERY_COLUMNS: readonly (keyof DeliveryRow)[] = [
  "delivery_key",
  "platform",
  "channel_id",
  "kind",
  "paper_ids",
  ...SEND_STATE_COLUMNS,
];

export function toFollow(row: FollowRow): Follow {
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

export function newFollowRow(follow: NewFollow): NewFollowRow {
  return {
    platform: follow.platform,
    channel_id: follow.channelId,
    filters: follow.filters,
    source: follow.source,
    created_by: follow.createdBy ?? null,
    created_at: follow.createdAt,
    next_check_at: follow.nextCheckAt,
  };
}

export function toDelivery(row: DeliveryRow): FollowDelivery {
  return {
    key: row.delivery_key,
    platform: row.platform as Platform,
    channelId: row.channel_id,
    kind: row.kind as FollowDelivery["kind"],
    paperIds: readIdList(row.paper_ids),
    ...toSendState(row),
  };
}

export function deliveryRow(delivery: FollowDelivery, encoding: ColumnEncoding): DeliveryRow {
  return {
    delivery_key: delivery.key,
    platform: delivery.platform,
    channel_id: delivery.channelId,
    kind: delivery.kind,
    paper_ids: encoding.idList(delivery.paperIds),
    ...sendStateRow(delivery),
  };
}
