import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.ts";
import { readOpsConfig } from "../../src/ops/ops-config.ts";

describe("readOpsConfig", () => {
  it("defaults to text logs and no metrics server", () => {
    expect(readOpsConfig({})).toEqual({ logFormat: "text" });
    expect(readOpsConfig({ LOG_FORMAT: " ", METRICS_PORT: "" })).toEqual({ logFormat: "text" });
  });

  it("reads LOG_FORMAT=json in any case and METRICS_PORT", () => {
    expect(readOpsConfig({ LOG_FORMAT: "JSON", METRICS_PORT: "9464" })).toEqual({
      logFormat: "json",
      metricsPort: 9464,
    });
  });

  it("lists every problem at once", () => {
    try {
      readOpsConfig({ LOG_FORMAT: "yaml", METRICS_PORT: "http" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'LOG_FORMAT must be one of text, json, got "yaml"',
        'METRICS_PORT must be a port number, got "http"',
      ]);
    }
  });
});

describe("createAppLogger", () => {
  const child = fileURLToPath(new URL("./log-child.ts", import.meta.url));
  const run = (format: string) =>
    spawnSync(process.execPath, ["--import", "tsx", child, format], { encoding: "utf8", timeout: 15_000 });

  it("writes the human format to stderr by default, nothing to stdout", () => {
    const { stdout, stderr, status } = run("text");
    expect(status).toBe(0);
    expect(stdout).toBe("");
    expect(stderr.trim()).toMatch(/^\d{4}-\d\d-\d\dT\S+ INFO hello \{"channel":"slack:C1",/);
  });

  it("writes one JSON object per line to stderr with LOG_FORMAT=json, nothing to stdout", () => {
    const { stdout, stderr, status } = run("json");
    expect(status).toBe(0);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "info",
      msg: "hello",
      channel: "slack:C1",
      token: "[Redacted]",
    });
  });
});
