/**
 * Environment loading and validation. Every variable is documented in .env.example.
 * Secrets are read here and never logged.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import { slackTokenProblem } from "./adapters/slack/slack-tokens.ts";
import type { LogLevel } from "./core/logger.ts";
import { readSlackAnyoneCanManage, readSlackManagers } from "./daily/daily-config.ts";

export interface Config {
  papersPath: string;
  port: number;
  databasePath: string;
  /** postgres://... puts every kind of state in PostgreSQL; unset: SQLite at databasePath. */
  databaseUrl?: string;
  /** Saved search index reused by the next start; undefined keeps the index in memory only. */
  indexCachePath?: string;
  logLevel: LogLevel;
  discord?: {
    token?: string;
    applicationId?: string;
    guildId?: string;
    publicKey?: string;
    apiUrl?: string;
    /** Answer "@paperbot question" mentions (adds the GuildMessages and DirectMessages intents). */
    mentions?: boolean;
  };
  slack?: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    /** Slash command names, configurable because Slack reserves some names. */
    commandNames: { paper: string; search?: string; random?: string; ask?: string; daily?: string };
    /**
     * Who may manage daily posts, follows and adds in a channel. Unset: anyone. Read from
     * DAILY_SLACK_ANYONE_CAN_MANAGE (also in DailyConfig) and DAILY_SLACK_MANAGERS.
     */
    manage?: { anyoneCanManage: boolean; managers: readonly string[] };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

/**
 * The nearest folder up from `from` whose package.json is paperbot's: one up from src/ (under tsx
 * and in tests), two up from the compiled dist/src/.
 */
function findInstallDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "paperbot") return dir;
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
    if (dirname(dir) === dir) return resolve(from, "..");
  }
}

/**
 * The paperbot installation folder (the one holding package.json). Defaults live here, so that
 * `npx paperbot` works from any folder; paths the user sets stay relative to the current folder.
 */
export const INSTALL_DIR = findInstallDir(import.meta.dirname);
export const DEFAULT_PAPERS_PATH = join(INSTALL_DIR, "data");
export const DEFAULT_DATABASE_PATH = join(INSTALL_DIR, "paperbot.db");
const INDEX_CACHE_NAME = ".paperbot-index";

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/** The process environment with `.env` (if present) read into it; real environment variables win. */
export function readEnvironment(): Env {
  loadDotenv({ quiet: true });
  return process.env;
}

/** Validates an environment into a Config; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const portText = value(env, "PORT") ?? "3000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be a port number, got "${portText}"`);
  const logLevel = (value(env, "LOG_LEVEL") ?? "info").toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);

  const config: Config = {
    papersPath: value(env, "PAPERS_PATH") ?? DEFAULT_PAPERS_PATH,
    port,
    databasePath: value(env, "DATABASE_PATH") ?? DEFAULT_DATABASE_PATH,
    logLevel,
  };
  const databaseUrl = value(env, "DATABASE_URL");
  if (databaseUrl) {
    if (/^postgres(ql)?:\/\//i.test(databaseUrl)) config.databaseUrl = databaseUrl;
    else
      problems.push("DATABASE_URL must start with postgres:// (leave it unset for SQLite at DATABASE_PATH)");
  }
  // Default: beside the SQLite state; "off" keeps the index in memory only.
  const indexCache = value(env, "INDEX_CACHE_PATH");
  if (indexCache !== "off") config.indexCachePath = indexCache ?? defaultIndexCachePath(config.databasePath);

  const discordToken = value(env, "DISCORD_TOKEN");
  const discordPublicKey = value(env, "DISCORD_PUBLIC_KEY");
  if (discordToken || discordPublicKey) {
    config.discord = {
      token: discordToken,
      applicationId: value(env, "DISCORD_APPLICATION_ID"),
      guildId: value(env, "DISCORD_GUILD_ID"),
      publicKey: discordPublicKey,
      apiUrl: value(env, "DISCORD_API_URL"),
      mentions: true,
    };
    const mentions = (value(env, "DISCORD_MENTIONS") ?? "true").toLowerCase();
    // A typo is an error, as for every other true/false setting, not a silent "off".
    if (["0", "false", "no", "off"].includes(mentions)) config.discord.mentions = false;
    else if (!["1", "true", "yes", "on"].includes(mentions))
      problems.push(`DISCORD_MENTIONS must be true or false, got "${value(env, "DISCORD_MENTIONS")}"`);
    if (discordPublicKey && !/^[0-9a-f]{64}$/i.test(discordPublicKey)) {
      problems.push(
        "DISCORD_PUBLIC_KEY must be the 64 hex characters shown on the app's General Information page",
      );
    }
    if (discordPublicKey && !config.discord.applicationId) {
      problems.push("DISCORD_APPLICATION_ID is needed with DISCORD_PUBLIC_KEY (HTTP interactions mode)");
    }
  }

  const slackToken = value(env, "SLACK_BOT_TOKEN");
  if (slackToken) {
    const appToken = value(env, "SLACK_APP_TOKEN");
    const signingSecret = value(env, "SLACK_SIGNING_SECRET");
    if (!appToken && !signingSecret) {
      problems.push(
        "SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) is needed with SLACK_BOT_TOKEN",
      );
    }
    // A swapped or mistyped token is caught here, before Slack answers a bare "invalid_auth".
    for (const problem of [
      slackTokenProblem("SLACK_BOT_TOKEN", slackToken),
      appToken ? slackTokenProblem("SLACK_APP_TOKEN", appToken) : undefined,
    ]) {
      if (problem) problems.push(problem);
    }
    config.slack = {
      botToken: slackToken,
      signingSecret,
      appToken,
      apiUrl: value(env, "SLACK_API_URL"),
      commandNames: {
        paper: value(env, "SLACK_COMMAND_PAPER") ?? "/paper",
        search: value(env, "SLACK_COMMAND_SEARCH"),
        random: value(env, "SLACK_COMMAND_RANDOM"),
        ask: value(env, "SLACK_COMMAND_ASK"),
        daily: value(env, "SLACK_COMMAND_DAILY"),
      },
      manage: {
        anyoneCanManage: readSlackAnyoneCanManage(env, problems),
        managers: readSlackManagers(env, problems),
      },
    };
  } else if (value(env, "SLACK_SIGNING_SECRET") || value(env, "SLACK_APP_TOKEN")) {
    problems.push(
      "SLACK_BOT_TOKEN is needed to run on Slack (SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set without it)",
    );
  }

  if (config.discord?.publicKey && config.slack && !config.slack.appToken) {
    problems.push(
      "Discord HTTP interactions (DISCORD_PUBLIC_KEY) and Slack HTTP mode both listen on PORT: run Slack in Socket Mode (SLACK_APP_TOKEN), or run two processes with different PORT values",
    );
  }
  if (config.discord && !config.discord.publicKey && !config.discord.applicationId) {
    problems.push(
      "DISCORD_APPLICATION_ID is needed with DISCORD_TOKEN (Developer Portal -> General Information)",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function defaultIndexCachePath(databasePath: string): string {
  return join(dirname(databasePath), INDEX_CACHE_NAME);
}

/** What is wrong with PAPERS_PATH (missing or unreadable), or undefined when it can be read. */
export function papersPathProblem(path: string): string | undefined {
  try {
    statSync(path);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT")
      return `PAPERS_PATH "${path}" cannot be read (${code}): point PAPERS_PATH at a readable data file or folder`;
    return path === DEFAULT_PAPERS_PATH
      ? `PAPERS_PATH is not set and the bundled data folder ${path} does not exist: set PAPERS_PATH to your data file or folder`
      : `PAPERS_PATH "${path}" does not exist (looked for ${resolve(path)}): point PAPERS_PATH at your data file or folder, or unset it for the bundled data/ folder`;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A problem when the folder `path` would be written into does not exist: paperbot never creates folders. */
function folderProblem(name: string, path: string, otherwise: string): string | undefined {
  const folder = dirname(resolve(path));
  try {
    if (statSync(folder).isDirectory()) return undefined;
    return `${name} "${path}": ${folder} is not a folder; ${otherwise}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? `${name} "${path}": the folder ${folder} does not exist, and paperbot does not create folders; create it, or ${otherwise}`
      : `${name} "${path}": the folder ${folder} cannot be read (${code}); ${otherwise}`;
  }
}

/**
 * The paths a start reads or writes, checked once before anything opens: PAPERS_PATH exists, and
 * the folders of DATABASE_PATH (with SQLite) and of the saved index exist. Returns every problem.
 */
export function pathProblems(config: Config): string[] {
  const problems: string[] = [];
  const papers = papersPathProblem(config.papersPath);
  if (papers) problems.push(papers);
  const sqlite = !config.databaseUrl;
  if (sqlite) {
    const database = folderProblem(
      "DATABASE_PATH",
      config.databasePath,
      "point DATABASE_PATH at a file in an existing folder",
    );
    if (database) problems.push(database);
    else if (isFolder(config.databasePath))
      problems.push(
        `DATABASE_PATH "${config.databasePath}" is a folder; point it at a file (e.g. paperbot.db)`,
      );
  }
  const index = config.indexCachePath;
  // With SQLite, an index beside the database is covered by the DATABASE_PATH check.
  if (index && !(sqlite && dirname(resolve(index)) === dirname(resolve(config.databasePath)))) {
    const beside =
      index === defaultIndexCachePath(config.databasePath) ? " (its default is beside DATABASE_PATH)" : "";
    const problem = folderProblem(
      "INDEX_CACHE_PATH",
      index,
      `point INDEX_CACHE_PATH into an existing folder, or set it to off${beside}`,
    );
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Throws ConfigError listing every path problem (see pathProblems). */
export function checkPaths(config: Config): void {
  const problems = pathProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
}
