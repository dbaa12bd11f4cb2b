import { describe, expect, it } from "vitest";
import { isSecretKey, REDACTED, redact, redactText } from "../../src/ops/redact.ts";

describe("redact", () => {
  it("replaces the values of secret-looking fields at any depth, whatever their spelling", () => {
    const detail = {
      token: "abc",
      botToken: "xoxb-1",
      DISCORD_TOKEN: "d",
      signing_secret: "s",
      password: "p",
      headers: { Authorization: "Bot abc", "set-cookie": ["a=b"], accept: "text/html" },
      nested: [{ apiKey: "k", clientSecret: "c" }],
      channel: "slack:C1",
    };
    expect(redact(detail)).toEqual({
      token: REDACTED,
      botToken: REDACTED,
      DISCORD_TOKEN: REDACTED,
      signing_secret: REDACTED,
      password: REDACTED,
      headers: { Authorization: REDACTED, "set-cookie": REDACTED, accept: "text/html" },
      nested: [{ apiKey: REDACTED, clientSecret: REDACTED }],
      channel: "slack:C1",
    });
  });

  it("leaves fields that only mention a secret word alone", () => {
    for (const key of ["tokens", "tokenCount", "secretName", "key", "publicKey", "channel"])
      expect(isSecretKey(key)).toBe(false);
  });

  it("masks the credentials of a DATABASE_URL but keeps where it points", () => {
    expect(redact({ DATABASE_URL: "postgres://paperbot:hunter2@db.internal:5432/paperbot" })).toEqual({
      DATABASE_URL: `postgres://${REDACTED}@db.internal:5432/paperbot`,
    });
    expect(redactText("connect failed for postgresql://u:p@10.0.0.1/x: timeout")).toBe(
      `connect failed for postgresql://${REDACTED}@10.0.0.1/x: timeout`,
    );
  });

  it("masks tokens written inside ordinary text", () => {
    const discordToken = `${"M".repeat(24)}.Gabcde.${"x".repeat(38)}`;
    const text = `auth xoxb-123-456-abcdef and xapp-1-A2-3 and ${discordToken} and Bearer abcdefghijklmnopqrstuvwxyz`;
    const masked = redactText(text);
    for (const secret of ["xoxb-123", "xapp-1", discordToken, "abcdefghijklmnop"])
      expect(masked).not.toContain(secret);
    expect(masked).toContain(`Bearer ${REDACTED}`);
  });

  it("keeps ordinary text, paper ids and links unchanged", () => {
    const text = "Bot configuration loaded; see https://arxiv.org/abs/2305.09088v2 and mail a@b.org";
    expect(redactText(text)).toBe(text);
  });

  it("turns errors into plain objects with their stack, cause and own fields, redacted", () => {
    const cause = new Error("socket closed");
    const error = Object.assign(new Error("connect to postgres://u:pw@db/x failed", { cause }), {
      code: "ECONNREFUSED",
      password: "pw",
    });
    const out = redact(error) as Record<string, unknown>;
    expect(out.type).toBe("Error");
    expect(out.message).toBe(`connect to postgres://${REDACTED}@db/x failed`);
    expect(out.stack).toContain("redact.test.ts");
    expect(out.stack).not.toContain(":pw@");
    expect(out.code).toBe("ECONNREFUSED");
    expect(out.password).toBe(REDACTED);
    expect((out.cause as Record<string, unknown>).message).toBe("socket closed");
  });

  it("survives cycles, URLs, dates, bigints and never changes its input", () => {
    const detail: Record<string, unknown> = {
      url: new URL("https://user:secret@example.org/path"),
      at: new Date("2025-01-01T00:00:00Z"),
      big: 12n,
      token: "t",
    };
    detail.self = detail;
    expect(redact(detail)).toEqual({
      url: `https://${REDACTED}@example.org/path`,
      at: "2025-01-01T00:00:00.000Z",
      big: "12",
      token: REDACTED,
      self: "[Circular]",
    });
    expect(detail.token).toBe("t");
  });
});
