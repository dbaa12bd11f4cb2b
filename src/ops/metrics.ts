/**
 * BotMetrics on prom-client. Each call of createPromMetrics makes its own Registry (never
 * prom-client's global one), so tests and several bots in one process stay apart. Label values
 * come from code, but a cap per label keeps a bug from turning into unbounded time series.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { BotMetrics, CommandOutcome, FollowCheckOutcome, PostOutcome } from "../core/metrics.ts";

/** Chat answers: 10 ms to 5 s, with Discord's and Slack's 3 s acknowledgement deadline as a bucket. */
export const COMMAND_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5,
]);
/** Distinct values one label may take before further ones are counted as "other". */
export const MAX_LABEL_VALUES = 64;
const OTHER = "other";

export interface PromMetrics {
  metrics: BotMetrics;
  registry: Registry;
}

export interface PromMetricsOptions {
  /** Defaults to a new Registry. */
  registry?: Registry;
  /** Node.js process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

export function createPromMetrics(options: PromMetricsOptions = {}): PromMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const commands = new Counter({
    name: "paperbot_commands_total",
    help: "Commands answered, by platform, command and outcome (ok, user_error, error).",
    labelNames: ["platform", "command", "outcome"] as const,
    registers,
  });
  const commandDuration = new Histogram({
    name: "paperbot_command_duration_seconds",
    help: "Time to run a command until its reply is ready (sending it not included).",
    labelNames: ["platform", "command"] as const,
    buckets: [...COMMAND_DURATION_BUCKETS],
    registers,
  });
  const dailyPosts = new Counter({
    name: "paperbot_daily_posts_total",
    help: "Daily post attempts, by outcome (sent, retry, failed).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const followPosts = new Counter({
    name: "paperbot_follow_posts_total",
    help: "New-on-arXiv post attempts, by outcome (sent, retry, failed).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const followChecks = new Counter({
    name: "paperbot_follow_checks_total",
    help: "Follow checks against arXiv, by outcome (new_papers, nothing_new, failed).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const databaseErrors = new Counter({
    name: "paperbot_database_errors_total",
    help: "Failed state store operations, by operation.",
    labelNames: ["operation"] as const,
    registers,
  });

  const platformLabel = boundedLabel();
  const commandLabel = boundedLabel();
  const operationLabel = boundedLabel();
  const metrics: BotMetrics = {
    commandServed(platform: string, command: string, outcome: CommandOutcome, seconds: number) {
      const labels = { platform: platformLabel(platform), command: commandLabel(command) };
      commands.inc({ ...labels, outcome });
      if (Number.isFinite(seconds) && seconds >= 0) commandDuration.observe(labels, seconds);
    },
    dailyPost: (outcome: PostOutcome) => dailyPosts.inc({ outcome }),
    followPost: (outcome: PostOutcome) => followPosts.inc({ outcome }),
    followCheck: (outcome: FollowCheckOutcome) => followChecks.inc({ outcome }),
    databaseError: (operation: string) => databaseErrors.inc({ operation: operationLabel(operation) }),
  };
  return { metrics, registry };
}

/** The value itself while fewer than MAX_LABEL_VALUES distinct ones have been seen, then "other". */
function boundedLabel(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const label = value.trim().slice(0, 64) || "unknown";
    if (seen.has(label)) return label;
    if (seen.size >= MAX_LABEL_VALUES) return OTHER;
    seen.add(label);
    return label;
  };
}
