/**
 * What the `add` and `follow` commands need from the arXiv side: core sees only these
 * interfaces; src/arxiv/ implements them.
 */
import type { DailyChannel } from "./daily-control.ts";
import type { Reply } from "./reply.ts";

export interface ControlUser {
  id: string;
  canManageChannel?: boolean;
}

export interface LibraryControl {
  /** Fetches the papers (ids without versions, already checked) from arXiv and adds them for good. */
  add(channel: DailyChannel, ids: readonly string[], user: ControlUser): Promise<Reply>;
}

export interface FollowControl {
  /** Runs a `follow` sub-command (filters to follow, list, off n|all) for one channel. */
  handle(channel: DailyChannel, text: string, user: ControlUser): Promise<Reply>;
}
