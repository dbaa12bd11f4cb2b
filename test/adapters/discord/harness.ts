/**
 * Starts the fake Discord and the real adapter (discord.js Client) against it, over loopback, with
 * its own SQLite KeyStore unless `deps.keys` is given.
 */
import { startDiscordGateway } from "../../../src/adapters/discord/gateway.ts";
import type { DiscordConfig, DiscordDeps, DiscordHandle } from "../../../src/adapters/discord/types.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { FAKE_APPLICATION_ID, FakeDiscord, type RecordedCall } from "../../fakes/discord/fake-discord.ts";
import type { InteractionPayload } from "../../fakes/discord/payloads.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys } from "../temp-keys.ts";

export interface GatewayBot {
  fake: FakeDiscord;
  handle: DiscordHandle;
  stop(): Promise<void>;
}

export async function startGatewayBot(
  options: { config?: Partial<DiscordConfig>; deps?: Partial<DiscordDeps> } = {},
): Promise<GatewayBot> {
  const fake = await new FakeDiscord().start();
  const index = await bundledIndex();
  const ownKeys = options.deps?.keys ? undefined : openTempKeys();
  const keys = options.deps?.keys ?? ownKeys?.keys;
  if (!keys) throw new Error("unreachable: a bot always has a KeyStore");
  const handle = await startDiscordGateway(
    { getPapers: () => index, logger: SILENT_LOGGER, random: () => 0, ...options.deps, keys },
    { token: "test-token", applicationId: FAKE_APPLICATION_ID, apiUrl: fake.apiUrl, ...options.config },
  );
  return {
    fake,
    handle,
    async stop() {
      await handle.stop();
      await fake.stop();
      await ownKeys?.close();
    },
  };
}

/** Dispatches an interaction and waits for `count` REST calls made for it. */
export async function interact(
  fake: FakeDiscord,
  payload: InteractionPayload,
  count = 1,
): Promise<RecordedCall[]> {
  fake.dispatch("INTERACTION_CREATE", payload, payload.guild_id);
  return fake.waitFor(
    () => {
      const calls = fake.callsFor(payload);
      return calls.length >= count ? calls : undefined;
    },
    5000,
    `${count} call(s) for interaction ${payload.id}`,
  );
}
