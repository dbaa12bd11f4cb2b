/** The columns daily_posts and follow_deliveries share: where sending one message stands. */
import type { PostStatus, SendState } from "../daily-store.ts";

export interface SendStateRow {
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_at: number;
  sent_at: number | null;
  message_id: string | null;
  last_error: string | null;
}

/** The columns above in the order both tables keep them. */
export const SEND_STATE_COLUMNS: readonly (keyof SendStateRow)[] = [
  "status",
  "attempts",
  "next_attempt_at",
  "claimed_at",
  "sent_at",
  "message_id",
  "last_error",
];

export function toSendState(row: SendStateRow): SendState {
  return {
    status: row.status as PostStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedAt: row.claimed_at,
    ...(row.sent_at === null ? {} : { sentAt: row.sent_at }),
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

/** An absent optional field is written as NULL, so an update that leaves it out clears it. */
export function sendStateRow(state: SendState): SendStateRow {
  return {
    status: state.status,
    attempts: state.attempts,
    next_attempt_at: state.nextAttemptAt,
    claimed_at: state.claimedAt,
    sent_at: state.sentAt ?? null,
    message_id: state.messageId ?? null,
    last_error: state.lastError ?? null,
  };
}
