/** Registers COMMANDS with Discord, skipping the PUT when what Discord holds already matches. */
import { type REST, Routes } from "discord.js";
import type { Command } from "../../core/command.ts";
import type { Logger } from "../../core/logger.ts";
import { type CommandData, sameCommands, toCommandData } from "./command-data.ts";

export interface RegistrationTarget {
  applicationId: string;
  /** Guild commands update instantly (good for development); global ones roll out lazily. */
  guildId?: string;
}

export async function registerCommands(
  rest: REST,
  target: RegistrationTarget,
  commands: readonly Command[],
  logger: Logger,
): Promise<"unchanged" | "updated"> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  const scope = target.guildId ? `guild ${target.guildId}` : "global";
  const local: CommandData[] = commands.map(toCommandData);
  const remote = (await rest.get(route)) as Parameters<typeof sameCommands>[1];
  if (sameCommands(local, remote)) {
    logger.info(`discord: ${local.length} ${scope} commands already up to date`);
    return "unchanged";
  }
  // One bulk overwrite: creates, updates and deletes in a single call (creates count toward 200/day).
  await rest.put(route, { body: local });
  logger.info(
    `discord: registered ${local.length} ${scope} commands: ${local.map((c) => `/${c.name}`).join(" ")}`,
  );
  return "updated";
}
