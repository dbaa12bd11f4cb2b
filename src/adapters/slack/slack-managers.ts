/**
 * Who may manage daily posts, follows and adds in a Slack channel. Slack has no per-channel
 * "manage" right, so with DAILY_SLACK_ANYONE_CAN_MANAGE=false the managers are: the asker in a DM
 * (their own conversation), the people in DAILY_SLACK_MANAGERS, and workspace admins and owners
 * (users.info, which needs the users:read scope). A users.info answer is kept ROLE_CACHE_TTL_MS, so a
 * burst of clicks costs one call; a lookup that fails means "not allowed" (the refusal says who is)
 * and is logged once per kind of failure, not once per click.
 */
import { findCommand } from "../../../commands/index.ts";
import type { Logger } from "../../core/logger.ts";
import type { Invocation } from "../../core/reply.ts";
import type { WebClient } from "./web-clients.ts";

export const ROLE_CACHE_TTL_MS = 5 * 60_000;
/** A failed lookup is tried again after this, not on every click of a burst. */
export const FAILED_LOOKUP_TTL_MS = 30_000;
/** Past this many cached members, expired answers are dropped (and all of them if none expired). */
const MAX_CACHED = 10_000;
/** The commands that may change what the bot does in a channel: only they need a lookup. */
const MANAGING_COMMANDS = new Set(["daily", "follow", "add"]);

export interface ManagePolicy {
  anyoneCanManage: boolean;
  /** Slack member ids (DAILY_SLACK_MANAGERS). */
  managers: readonly string[];
}

/** Slack's default: any member may manage. */
export const ANYONE_MANAGES: ManagePolicy = Object.freeze({ anyoneCanManage: true, managers: [] });

/** Whether a member is a workspace admin or owner; rejects when Slack cannot say. */
export type RoleLookup = (userId: string) => Promise<boolean>;

/**
 * users.info, read strictly: an admin of this workspace (auth.test's team, asked once), never a guest,
 * a bot, or someone from another organisation in a shared channel (whose flags describe their own).
 */
export function usersInfoLookup(client: WebClient): RoleLookup {
  let homeTeam: string | undefined;
  return async (userId) => {
    homeTeam ??= (await client.auth.test()).team_id;
    const { user } = await client.users.info({ user: userId });
    if (!user || user.team_id !== homeTeam) return false;
    if (user.deleted || user.is_bot || user.is_restricted || user.is_ultra_restricted || user.is_stranger)
      return false;
    return Boolean(user.is_admin || user.is_owner || user.is_primary_owner);
  };
}

interface CachedRole {
  /** Infinity while the lookup is in flight, so concurrent clicks share it. */
  until: number;
  isAdmin: Promise<boolean>;
}

export class SlackManagers {
  private readonly managers: ReadonlySet<string>;
  private readonly cache = new Map<string, CachedRole>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly policy: ManagePolicy,
    private readonly lookUp: RoleLookup,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.managers = new Set(policy.managers);
  }

  /**
   * The request's canManageChannel: true for a manager; false for anyone else when managing is
   * restricted; undefined where it does not matter (anyone may, or the command changes nothing), which
   * leaves the decision to the command's own rule.
   */
  async canManageChannel(
    invocation: Invocation,
    userId: string,
    channelId: string,
  ): Promise<boolean | undefined> {
    if (channelId.startsWith("D")) return true;
    if (this.policy.anyoneCanManage) return undefined;
    const command = findCommand(invocation.command)?.name;
    if (!command || !MANAGING_COMMANDS.has(command)) return undefined;
    if (this.managers.has(userId)) return true;
    return this.isWorkspaceAdmin(userId);
  }

  private isWorkspaceAdmin(userId: string): Promise<boolean> {
    const now = this.now();
    const cached = this.cache.get(userId);
    if (cached && cached.until > now) return cached.isAdmin;
    if (this.cache.size >= MAX_CACHED) this.prune(now);
    const entry: CachedRole = { until: Number.POSITIVE_INFINITY, isAdmin: Promise.resolve(false) };
    entry.isAdmin = this.lookUp(userId).then(
      (isAdmin) => {
        entry.until = this.now() + ROLE_CACHE_TTL_MS;
        return isAdmin;
      },
      (error: unknown) => {
        entry.until = this.now() + FAILED_LOOKUP_TTL_MS;
        this.report(error);
        return false;
      },
    );
    this.cache.set(userId, entry);
    return entry.isAdmin;
  }

  private prune(now: number): void {
    for (const [userId, entry] of this.cache) if (entry.until <= now) this.cache.delete(userId);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
  }

  private report(error: unknown): void {
    const reason = slackErrorCode(error);
    if (this.reported.has(reason)) return;
    this.reported.add(reason);
    const advice =
      reason === "missing_scope"
        ? "add the users:read bot scope (it is in slack-manifest.json) and reinstall the app"
        : `Slack is asked again after ${FAILED_LOOKUP_TTL_MS / 1000} s`;
    this.logger.warn(
      `slack: could not ask Slack whether a member is a workspace admin or owner (${reason}), so admins are refused as if they were members: ${advice}. People in DAILY_SLACK_MANAGERS are not affected. (Logged once for ${reason}.)`,
    );
  }
}

/** Slack's error code (`missing_scope`), else the client's (`slack_webapi_request_error`). */
function slackErrorCode(error: unknown): string {
  const { data, code, message } = error as { data?: { error?: unknown }; code?: unknown; message?: unknown };
  if (typeof data?.error === "string") return data.error;
  if (typeof code === "string") return code;
  return typeof message === "string" ? message.slice(0, 100) : "unknown error";
}
