/**
 * slack-manifest.json is what people paste to create the app: it must grant the scope of every Web
 * API method the adapter calls, or that feature fails only once installed (users.info without
 * users:read denies every admin).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/** The bot scope each method the adapter calls needs (api.slack.com/methods/<method>). */
const NEEDED: Record<string, string> = {
  "chat.postMessage": "chat:write",
  "chat.postEphemeral": "chat:write",
  "chat.update": "chat:write",
  "conversations.history": "channels:history",
  "users.info": "users:read",
};

describe("slack-manifest.json", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "slack-manifest.json"), "utf8")) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  const scopes = manifest.oauth_config.scopes.bot;

  it.each(Object.entries(NEEDED))("grants what %s needs", (method, scope) => {
    expect(scopes, method).toContain(scope);
  });
});
