/**
 * Environment loading and validation. Every variable is documented in .env.example.
 * Secrets are read here and never logged.
 */
import { dirname, join } from "node:path";
import { config as loadDotenv } from "dotenv";
import type { LogLevel } from "./core/logger.ts";

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
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

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
    papersPath: value(env, "PAPERS_PATH") ?? "data",
    port,
    databasePath: value(env, "DATABASE_PATH") ?? "paperbot.db",
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
  if (indexCache !== "off")
    config.indexCachePath = indexCache ?? join(dirname(config.databasePath), ".paperbot-index");

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
