/**
 * arXiv and follow settings from the environment, including follows seeded for headless setups:
 *   FOLLOW_CHANNELS='slack:C0123 author:"Thomas Hofmann"; discord:987 category:cs.LG diffusion'
 * Entries are separated by `;` or newlines: <platform>:<channel id> <filters>.
 */
import type { Platform } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import { parseFollowFilters } from "./follow-filters.ts";

export const DEFAULT_ARXIV_API_URL = "https://export.arxiv.org/api/query";
const FOLLOW_PLATFORMS: readonly Platform[] = ["discord", "slack", "console"];

export interface FollowSeed {
  entry: string;
  platform: Platform;
  channelId: string;
  filters: string;
}

export interface ArxivConfig {
  apiUrl: string;
  /** arXiv's terms: one request every 3 s from the whole process. Lower only for a local mirror or tests. */
  minIntervalMs: number;
  checkMinutes: number;
  seeds: FollowSeed[];
}

export class ArxivConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`arXiv and follow settings:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ArxivConfigError";
  }
}

function whole(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  problems: string[],
): number {
  if (value === undefined || value.trim() === "") return fallback;
  const number = Number(value.trim());
  if (!Number.isInteger(number) || number < min) {
    problems.push(`${name} must be a whole number from ${min}, got "${value}"`);
    return fallback;
  }
  return number;
}

export function parseFollowSeed(text: string): FollowSeed {
  const entry = text.trim().replace(/\s+/g, " ");
  const match = entry.match(/^([a-z]+):(\S+)\s+(.+)$/i);
  if (!match) throw new UserError("bad_input", `"${entry}" is not <platform>:<channel id> <filters>.`);
  const platform = (match[1] ?? "").toLowerCase() as Platform;
  if (!FOLLOW_PLATFORMS.includes(platform))
    throw new UserError("bad_input", `"${entry}": platform must be one of ${FOLLOW_PLATFORMS.join(", ")}.`);
  const filters = match[3] ?? "";
  parseFollowFilters(filters);
  return { entry, platform, channelId: match[2] ?? "", filters };
}

/** Reads ARXIV_* and FOLLOW_* variables; throws ArxivConfigError listing every problem. */
export function readArxivConfig(env: Record<string, string | undefined>): ArxivConfig {
  const problems: string[] = [];
  const apiUrl = env.ARXIV_API_URL?.trim() || DEFAULT_ARXIV_API_URL;
  if (!URL.canParse(apiUrl)) problems.push(`ARXIV_API_URL must be a URL, got "${apiUrl}"`);
  const config: ArxivConfig = {
    apiUrl,
    minIntervalMs: whole(env.ARXIV_MIN_INTERVAL_MS, "ARXIV_MIN_INTERVAL_MS", 3000, 0, problems),
    checkMinutes: whole(env.FOLLOW_CHECK_MINUTES, "FOLLOW_CHECK_MINUTES", 60, 1, problems),
    seeds: [],
  };
  for (const line of (env.FOLLOW_CHANNELS ?? "").split(/[;\n]/)) {
    const entry = line.replace(/#.*$/, "").trim();
    if (!entry) continue;
    try {
      config.seeds.push(parseFollowSeed(entry));
    } catch (error) {
      const message =
        error instanceof UserError && error.hint
          ? `${error.message} ${error.hint}`
          : (error as Error).message;
      problems.push(`FOLLOW_CHANNELS: ${message}`);
    }
  }
  if (problems.length) throw new ArxivConfigError(problems);
  return config;
}
