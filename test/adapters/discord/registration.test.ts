import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../commands/index.ts";
import { toCommandData } from "../../../src/adapters/discord/command-data.ts";
import { createRest } from "../../../src/adapters/discord/interaction-rest.ts";
import { DISCORD_LIMITS } from "../../../src/adapters/discord/limits.ts";
import { registerCommands } from "../../../src/adapters/discord/registration.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { FAKE_APPLICATION_ID, FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { GUILD_ID } from "../../fakes/discord/payloads.ts";

describe("command registration", () => {
  let fake: FakeDiscord;
  const rest = () => createRest(fake.apiUrl).setToken("test-token");

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
  });
  afterAll(async () => fake?.stop());

  it("builds every command from COMMANDS within Discord's limits, required options first", () => {
    const data = COMMANDS.map(toCommandData);
    expect(data.map((command) => command.name)).toEqual(COMMANDS.map((command) => command.name));
    for (const command of data) {
      expect(command.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(command.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.COMMAND_DESCRIPTION);
      const required = (command.options ?? []).map((option) => Boolean(option.required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
    const query = data.find((command) => command.name === "paper")?.options?.[0];
    expect(query).toMatchObject({ name: "query", type: 3, required: true, autocomplete: true });
  });

  it("registers guild commands once and skips the PUT when nothing changed", async () => {
    const target = { applicationId: FAKE_APPLICATION_ID, guildId: GUILD_ID };
    expect(await registerCommands(rest(), target, COMMANDS, SILENT_LOGGER)).toBe("updated");
    expect(await registerCommands(rest(), target, COMMANDS, SILENT_LOGGER)).toBe("unchanged");
    const guildCalls = fake.callsTo(new RegExp(`/guilds/${GUILD_ID}/commands$`));
    expect(guildCalls.map((call) => call.method)).toEqual(["GET", "PUT", "GET"]);
    expect(fake.commands.get("global")).toBeUndefined();
  });

  it("registers globally without a guild, and again when a definition changes", async () => {
    const target = { applicationId: FAKE_APPLICATION_ID };
    expect(await registerCommands(rest(), target, COMMANDS, SILENT_LOGGER)).toBe("updated");
    const changed = COMMANDS.map((command) =>
      command.name === "ask" ? { ...command, description: "Ask anything about our papers" } : command,
    );
    expect(await registerCommands(rest(), target, changed, SILENT_LOGGER)).toBe("updated");
    expect(fake.commands.get("global")?.find((command) => command.name === "ask")?.description).toBe(
      "Ask anything about our papers",
    );
  });
});
