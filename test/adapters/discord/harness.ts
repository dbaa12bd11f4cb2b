/** Starts the fake Discord and the real adapter (discord.js Client) against it, over loopback. */
import { startDiscordGateway } from "../../../src/adapters/discord/gateway.ts";
import type { DiscordConfig, DiscordDeps, DiscordHandle } from "../../../src/adapters/discord/types.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { FAKE_APPLICATION_ID, FakeDiscord, type RecordedCall } from "../../fakes/discord/fake-discord.ts";
import type { InteractionPayload } from "../../fakes/discord/payloads.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";

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
  const handle = await startDiscordGateway(
    { getPapers: () => index, logger: SILENT_LOGGER, random: () => 0, ...options.deps },
    { token: "test-token", applicationId: FAKE_APPLICATION_ID, apiUrl: fake.apiUrl, ...options.config },
  );
  return {
    fake,
    handle,
    async stop() {
      await handle.stop();
      await fake.stop();
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
