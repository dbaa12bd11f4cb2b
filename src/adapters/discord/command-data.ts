/** COMMANDS -> Discord application command JSON: the one source of truth for registration. */
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { Command } from "../../core/command.ts";
import { DISCORD_LIMITS } from "./limits.ts";
import { fitPlain } from "./markdown.ts";

const CHAT_INPUT = 1;
const STRING_OPTION = 3;

export type CommandData = RESTPostAPIChatInputApplicationCommandsJSONBody;

export function toCommandData(command: Command): CommandData {
  // Discord rejects a required option after an optional one; the declared order still drives invocation text.
  const options = [...command.options]
    .sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)))
    .slice(0, DISCORD_LIMITS.COMMAND_OPTIONS)
    .map((option) => ({
      type: STRING_OPTION,
      name: option.name.slice(0, DISCORD_LIMITS.COMMAND_NAME),
      description: fitPlain(option.description, DISCORD_LIMITS.COMMAND_DESCRIPTION),
      required: Boolean(option.required),
      ...(option.autocomplete && !option.choices ? { autocomplete: true } : {}),
      ...(option.choices
        ? { choices: option.choices.map((choice) => ({ name: choice, value: choice })) }
        : {}),
    }));
  return {
    type: CHAT_INPUT,
    name: command.name.slice(0, DISCORD_LIMITS.COMMAND_NAME),
    description: fitPlain(command.description, DISCORD_LIMITS.COMMAND_DESCRIPTION),
    options,
  };
}

/**
 * The fields we set, in a canonical form, so commands fetched from Discord (with ids, versions and
 * defaults filled in) compare equal to the local definitions when nothing changed.
 */
export function canonicalCommand(command: {
  name: string;
  description: string;
  type?: number;
  options?: readonly {
    type: number;
    name: string;
    description: string;
    required?: boolean;
    autocomplete?: boolean;
    choices?: readonly { name: string; value: string | number }[];
  }[];
}): string {
  return JSON.stringify({
    type: command.type ?? CHAT_INPUT,
    name: command.name,
    description: command.description,
    options: (command.options ?? []).map((option) => ({
      type: option.type,
      name: option.name,
      description: option.description,
      required: Boolean(option.required),
      autocomplete: Boolean(option.autocomplete),
      choices: (option.choices ?? []).map((choice) => [choice.name, choice.value]),
    })),
  });
}

export function sameCommands(
  local: readonly CommandData[],
  remote: readonly Parameters<typeof canonicalCommand>[0][],
): boolean {
  const sorted = (list: readonly Parameters<typeof canonicalCommand>[0][]) =>
    list.map(canonicalCommand).sort();
  return (
    JSON.stringify(sorted(local as Parameters<typeof canonicalCommand>[0][])) ===
    JSON.stringify(sorted(remote))
  );
}
