/**
 * A command is plain data plus one function, shared by every adapter and by Discord's
 * registration script. Adapters turn a platform request into an Invocation and a context,
 * and render the Reply that comes back.
 */
import type { FollowControl, LibraryControl } from "./arxiv-control.ts";
import type { DailyControl } from "./daily-control.ts";
import type { PaperIndex } from "./paper-index.ts";
import type { Invocation, Reply } from "./reply.ts";

export type Platform = "discord" | "slack" | "console" | "cli";

/**
 * Who may change what the bot does in a channel (daily posts, follows, adding papers): channel
 * managers; everyone in the console and the CLI; on Slack everyone unless configured otherwise.
 */
export function mayManageChannel(
  platform: Platform,
  user: { canManageChannel?: boolean },
  slackAnyoneCanManage: boolean,
): boolean {
  if (platform === "console" || platform === "cli") return true;
  if (user.canManageChannel === true) return true;
  return platform === "slack" && slackAnyoneCanManage;
}

/**
 * Who mayManageChannel lets through, as the "Only ... can" of a refusal. On Slack the adapter marks
 * workspace admins and owners and the people in DAILY_SLACK_MANAGERS as managers.
 */
export function channelManagers(platform: Platform): string {
  return platform === "slack"
    ? "workspace admins and owners, and people listed in DAILY_SLACK_MANAGERS,"
    : "members who can manage this channel";
}

export interface CommandOption {
  /** Lower case, 1-32 chars (Discord's rule, the strictest). */
  name: string;
  /** 1-100 chars. */
  description: string;
  required?: boolean;
  /** Offer paper titles as the user types (Discord autocomplete). */
  autocomplete?: boolean;
  /** Fixed choices, e.g. daily's on/off/status/now. */
  choices?: readonly string[];
}

export interface CommandContext {
  invocation: Invocation;
  /** The corpus as it is now; a reload swaps it between requests, never during one. */
  papers: PaperIndex;
  platform: Platform;
  user: { id: string; name?: string; canManageChannel?: boolean };
  channel: { id: string; name?: string };
  now: () => Date;
  /** 0 <= x < 1; injected so tests are repeatable. */
  random: () => number;
  /** Present where daily posts run (not in the one-shot CLI). */
  daily?: DailyControl;
  /** Present where papers can be fetched from arXiv (`add`). */
  library?: LibraryControl;
  /** Present where follows run (not in the one-shot CLI). */
  follows?: FollowControl;
}

export interface Command {
  /** Lower case, 1-32 chars. */
  name: string;
  /** 1-100 chars. */
  description: string;
  /** One line shown in help and in hints, e.g. "search <words> [author:name] [year:2023]". */
  usage: string;
  /** Option values are joined, in this order, into `invocation.text` by adapters with typed options. */
  options: readonly CommandOption[];
  run(context: CommandContext): Promise<Reply>;
}
