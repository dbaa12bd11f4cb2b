/**
 * Operations settings from the environment: LOG_FORMAT (text | json) and METRICS_PORT (a separate
 * port that serves only GET /metrics). Problems are reported like every other setting: all at once.
 */
import { ConfigError } from "../config.ts";
import { LOG_FORMATS, type LogFormat } from "../core/logger.ts";

export interface OpsConfig {
  logFormat: LogFormat;
  /** Set: a metrics-only HTTP server listens here. Unset: /metrics is served only where an HTTP receiver mounts it. */
  metricsPort?: number;
}

/** Reads LOG_FORMAT and METRICS_PORT; throws ConfigError listing every problem. */
export function readOpsConfig(env: Record<string, string | undefined>): OpsConfig {
  const problems: string[] = [];
  const config: OpsConfig = { logFormat: "text" };
  const format = (env.LOG_FORMAT?.trim().toLowerCase() || "text") as LogFormat;
  if (LOG_FORMATS.includes(format)) config.logFormat = format;
  else problems.push(`LOG_FORMAT must be one of ${LOG_FORMATS.join(", ")}, got "${env.LOG_FORMAT}"`);
  const portText = env.METRICS_PORT?.trim();
  if (portText) {
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      problems.push(`METRICS_PORT must be a port number, got "${portText}"`);
    else config.metricsPort = port;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
