/**
 * Rows of daily_subscriptions and daily_posts as both databases return them, the records they hold,
 * and the SQL the two databases share for them.
 */
import type { PostRecord, Subscription } from "../daily-store.ts";
import { type ColumnEncoding, type FlagColumn, readFlag } from "./column-encoding.ts";
import { SEND_STATE_COLUMNS, type SendStateRow, sendStateRow, toSendState } from "./send-state-rows.ts";

export interface SubscriptionRow {
  platform: string;
  channel_id: string;
  enabled: FlagColumn;
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

/** daily_subscriptions' columns in table order. */
export const SUBSCRIPTION_COLUMNS: readonly (keyof SubscriptionRow)[] = [
  "platform",
  "channel_id",
  "enabled",
  "time",
  "time_zone",
  "filters",
  "active_from",
  "seed",
  "rotation",
  "rotation_started_at",
  "source",
  "updated_by",
  "created_at",
  "updated_at",
];

/**
 * Saving a channel's subscription again replaces its settings, not its identity, creation time or
 * rotation: the rotation moves only by `advanceRotation`, so a save from a copy read before another
 * process started a rotation never rolls it back. Plain SQL both databases run after INSERT ... VALUES.
 */
export const ON_SUBSCRIPTION_CONFLICT = `ON CONFLICT (platform, channel_id) DO UPDATE SET enabled = excluded.enabled,
    time = excluded.time, time_zone = excluded.time_zone, filters = excluded.filters,
    active_from = excluded.active_from, seed = excluded.seed, source = excluded.source,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at`;

export interface PostRow extends SendStateRow {
  platform: string;
  channel_id: string;
  day: string;
  time_zone: string;
  paper_id: string;
  rotation: number;
  idempotency_key: string;
  trigger: string;
}

/** daily_posts' columns in table order: the first four are a post's identity. */
export const POST_COLUMNS: readonly (keyof PostRow)[] = [
  "platform",
  "channel_id",
  "day",
  "time_zone",
  "paper_id",
  "rotation",
  "idempotency_key",
  ...SEND_STATE_COLUMNS,
  "trigger",
];

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    platform: row.platform as Subscription["platform"],
    channelId: row.channel_id,
    enabled: readFlag(row.enabled),
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

export function subscriptionRow(subscription: Subscription, encoding: ColumnEncoding): SubscriptionRow {
  return {
    platform: subscription.platform,
    channel_id: subscription.channelId,
    enabled: encoding.flag(subscription.enabled),
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
  };
}

export function toPost(row: PostRow): PostRecord {
  return {
    platform: row.platform as PostRecord["platform"],
    channelId: row.channel_id,
    day: row.day,
    timeZone: row.time_zone,
    paperId: row.paper_id,
    rotation: row.rotation,
    idempotencyKey: row.idempotency_key,
    ...toSendState(row),
    trigger: row.trigger as PostRecord["trigger"],
  };
}

export function postRow(post: PostRecord): PostRow {
  return {
    platform: post.platform,
    channel_id: post.channelId,
    day: post.day,
    time_zone: post.timeZone,
    paper_id: post.paperId,
    rotation: post.rotation,
    idempotency_key: post.idempotencyKey,
    ...sendStateRow(post),
    trigger: post.trigger,
  };
}
