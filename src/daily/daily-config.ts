/**
 * Daily-post settings from the environment, including subscriptions seeded for headless setups:
 *   DAILY_CHANNELS="discord:123@09:00 Europe/Zurich year:2023,slack:C123@08:30"
 *   DAILY_CHANNELS_FILE=daily-channels.txt   (one entry per line, # comments)
 * Entry: <platform>:<channel id>[@[HH:MM] [IANA zone] [filters]].
 */
import { readFileSync } from "node:fs";
import type { Platform } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import {
  parseScheduleSettings,
  parseTime,
  type ScheduleSettings,
  timeZoneError,
} from "./schedule-settings.ts";
import { resolveTimeZone } from "./time-zones.ts";

export const DAILY_PLATFORMS: readonly Platform[] = ["discord", "slack", "console"];

export interface SeedEntry {
  /** The entry as written (whitespace normalised): a changed entry is re-applied, an unchanged one is not. */
  entry: string;
  platform: Platform;
  channelId: string;
  settings: ScheduleSettings;
}

export interface DailyConfig {
  /** Default "HH:MM" for `/daily on` without a time. */
  defaultTime: string;
  /** Default IANA zone for `/daily on` without one. */
  defaultTimeZone: string;
  /**
   * Slack has no "manage channel" right, so by default any member may change a schedule; when false,
   * the Slack adapter lets workspace admins and owners and DAILY_SLACK_MANAGERS (config.ts) through.
   */
  slackAnyoneCanManage: boolean;
  seeds: SeedEntry[];
}

export const DEFAULT_DAILY_CONFIG: Readonly<DailyConfig> = Object.freeze({
  defaultTime: "09:00",
  defaultTimeZone: "UTC",
  slackAnyoneCanManage: true,
  seeds: [],
});

export class DailyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Daily post settings:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "DailyConfigError";
  }
}

function describe(error: unknown): string {
  if (error instanceof UserError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Parses one DAILY_CHANNELS entry; throws UserError with what is wrong. */
export function parseSeedEntry(text: string): SeedEntry {
  const entry = text.trim().replace(/\s+/g, " ");
  const match = entry.match(/^([a-z]+):([^\s@]+)(?:\s*@\s*(.*))?$/i);
  if (!match) {
    throw new UserError("bad_input", `"${entry}" is not <platform>:<channel id>[@HH:MM zone filters].`);
  }
  const platform = (match[1] ?? "").toLowerCase() as Platform;
  if (!DAILY_PLATFORMS.includes(platform)) {
    throw new UserError("bad_input", `"${entry}": platform must be one of ${DAILY_PLATFORMS.join(", ")}.`);
  }
  return { entry, platform, channelId: match[2] ?? "", settings: parseScheduleSettings(match[3] ?? "") };
}

/** Entries from DAILY_CHANNELS (comma, semicolon or newline separated) and DAILY_CHANNELS_FILE (one a line). */
export function parseSeedList(
  text: string,
  separators = /[,;\n]/,
): { seeds: SeedEntry[]; problems: string[] } {
  const seeds: SeedEntry[] = [];
  const problems: string[] = [];
  for (const line of text.split(separators)) {
    const entry = line.replace(/#.*$/, "").trim();
    if (!entry) continue;
    try {
      seeds.push(parseSeedEntry(entry));
    } catch (error) {
      problems.push(describe(error));
    }
  }
  return { seeds, problems };
}

type Env = Record<string, string | undefined>;

function flag(value: string | undefined, fallback: boolean, name: string, problems: string[]): boolean {
  if (value === undefined || value.trim() === "") return fallback;
  const lowered = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(lowered)) return true;
  if (["0", "false", "no", "off"].includes(lowered)) return false;
  problems.push(`${name} must be true or false, got "${value}"`);
  return fallback;
}

/** DAILY_SLACK_ANYONE_CAN_MANAGE (default true); read here and, for the Slack adapter, in config.ts. */
export function readSlackAnyoneCanManage(env: Env, problems: string[]): boolean {
  return flag(
    env.DAILY_SLACK_ANYONE_CAN_MANAGE,
    DEFAULT_DAILY_CONFIG.slackAnyoneCanManage,
    "DAILY_SLACK_ANYONE_CAN_MANAGE",
    problems,
  );
}

/** A Slack member id: U... or, in Enterprise Grid, W... */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * DAILY_SLACK_MANAGERS: Slack member ids (comma or space separated) who may manage daily posts,
 * follows and adds in any channel when DAILY_SLACK_ANYONE_CAN_MANAGE=false.
 */
export function readSlackManagers(env: Env, problems: string[]): string[] {
  const ids: string[] = [];
  for (const word of (env.DAILY_SLACK_MANAGERS ?? "").split(/[\s,;]+/)) {
    if (!word) continue;
    const id = word.toUpperCase();
    if (SLACK_USER_ID.test(id)) {
      if (!ids.includes(id)) ids.push(id);
    } else {
      problems.push(
        `DAILY_SLACK_MANAGERS: "${word.slice(0, 40)}" is not a Slack member id like U0123ABCD (in Slack: the person's profile, ⋮ menu, Copy member ID)`,
      );
    }
  }
  return ids;
}

/** Reads DAILY_* variables; throws DailyConfigError listing every problem. */
export function readDailyConfig(env: Env): DailyConfig {
  const problems: string[] = [];
  const config: DailyConfig = { ...DEFAULT_DAILY_CONFIG, seeds: [] };
  const time = env.DAILY_DEFAULT_TIME?.trim();
  if (time) {
    try {
      const parsed = parseTime(time);
      if (parsed) config.defaultTime = parsed;
      else problems.push(`DAILY_DEFAULT_TIME must be a time like 09:00, got "${time}"`);
    } catch (error) {
      problems.push(`DAILY_DEFAULT_TIME: ${describe(error)}`);
    }
  }
  const zone = env.DAILY_TIMEZONE?.trim();
  if (zone) {
    const resolved = resolveTimeZone(zone);
    if (resolved) config.defaultTimeZone = resolved;
    else problems.push(`DAILY_TIMEZONE: ${describe(timeZoneError(zone))}`);
  }
  config.slackAnyoneCanManage = readSlackAnyoneCanManage(env, problems);
  const inline = parseSeedList(env.DAILY_CHANNELS ?? "");
  config.seeds.push(...inline.seeds);
  problems.push(...inline.problems.map((problem) => `DAILY_CHANNELS: ${problem}`));
  const file = env.DAILY_CHANNELS_FILE?.trim();
  if (file) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      problems.push(`DAILY_CHANNELS_FILE "${file}" could not be read: ${describe(error)}`);
    }
    const fromFile = parseSeedList(text, /\n/);
    config.seeds.push(...fromFile.seeds);
    problems.push(...fromFile.problems.map((problem) => `DAILY_CHANNELS_FILE: ${problem}`));
  }
  const seen = new Set<string>();
  for (const seed of config.seeds) {
    const key = `${seed.platform}:${seed.channelId}`;
    if (seen.has(key))
      problems.push(`${key} is listed more than once in DAILY_CHANNELS / DAILY_CHANNELS_FILE`);
    seen.add(key);
  }
  if (problems.length > 0) throw new DailyConfigError(problems);
  return config;
}
