import { describe, expect, it } from "vitest";
import type { LogLevel } from "../../src/core/logger.ts";
import { createPinoLogger } from "../../src/ops/pino-logger.ts";
import { REDACTED } from "../../src/ops/redact.ts";

function capture(level: LogLevel = "debug") {
  const lines: string[] = [];
  const logger = createPinoLogger(level, { write: (line: string) => void lines.push(line) });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe("createPinoLogger", () => {
  it("writes one JSON object per line with level, ISO time, msg and the detail as fields", () => {
    const { logger, lines, records } = capture();
    logger.info("daily: posted", { channel: "slack:C1", paper: "2305.09088" });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    expect(lines[0]?.trim()).not.toContain("\n");
    const [record] = records();
    expect(record).toMatchObject({
      level: "info",
      msg: "daily: posted",
      channel: "slack:C1",
      paper: "2305.09088",
    });
    expect(new Date(record?.time as string).toISOString()).toBe(record?.time);
  });

  it("writes an error with its type, message and stack under err", () => {
    const { logger, records } = capture();
    logger.error("command failed", new TypeError("boom"));
    const [record] = records();
    expect(record?.level).toBe("error");
    expect(record?.err).toMatchObject({ type: "TypeError", message: "boom" });
    expect((record?.err as { stack?: string } | undefined)?.stack).toContain("pino-logger.test.ts");
  });

  it("keeps details that are not objects, or that reuse pino's own field names, under detail", () => {
    const { logger, records } = capture();
    logger.warn("numbers", [1, 2]);
    logger.warn("text", "plain");
    logger.warn("clash", { level: "mine", msg: "mine" });
    logger.warn("no detail");
    expect(records().map((record) => record.detail)).toEqual([
      [1, 2],
      "plain",
      { level: "mine", msg: "mine" },
      undefined,
    ]);
    expect(records().map((record) => record.level)).toEqual(["warn", "warn", "warn", "warn"]);
  });

  it("drops lines below the level", () => {
    const { logger, records } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(records().map((record) => record.msg)).toEqual(["w", "e"]);
    const silent = capture("silent");
    silent.logger.error("nothing");
    expect(silent.lines).toEqual([]);
  });

  it("never writes a secret, in a field, a nested field, an error or the message", () => {
    const { logger, lines } = capture();
    const secrets = {
      token: "discord-token-value",
      slack: { botToken: "xoxb-123-456-secretvalue", signingSecret: "signing-secret-value" },
      headers: { authorization: "Bearer bearer-secret-value-123" },
      password: "hunter2-value",
      DATABASE_URL: "postgres://paperbot:db-password-value@db:5432/paperbot",
    };
    logger.info("config loaded", secrets);
    logger.error("database down", new Error("connect postgres://paperbot:db-password-value@db/x refused"));
    logger.warn("slack said invalid_auth for xoxb-123-456-secretvalue");
    const output = lines.join("");
    for (const secret of [
      "discord-token-value",
      "xoxb-123-456-secretvalue",
      "signing-secret-value",
      "bearer-secret-value",
      "hunter2-value",
      "db-password-value",
    ])
      expect(output).not.toContain(secret);
    expect(output).toContain(REDACTED);
    expect(output).toContain("db:5432/paperbot");
  });
});
