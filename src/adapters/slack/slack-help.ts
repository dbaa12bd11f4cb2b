/** Help written with the Slack command names this workspace actually has. */
import { COMMANDS } from "../../../commands/index.ts";
import type { MessageReply } from "../../core/reply.ts";
import { normalizeName } from "./command-name.ts";

export interface SlackCommandNames {
  paper: string;
  search?: string;
  random?: string;
  ask?: string;
  daily?: string;
}

export function slackHelpReply(names: SlackCommandNames): MessageReply {
  const lines = COMMANDS.map((command) => {
    const usage = command.usage.replace(new RegExp(`^${command.name}\\b\\s*`), "");
    const viaPaper =
      command.name === "paper" ? `${names.paper} ${usage}` : `${names.paper} ${command.name} ${usage}`;
    const own = names[command.name as keyof SlackCommandNames];
    const alias = command.name !== "paper" && own ? ` (also ${normalizeName(own)})` : "";
    return `${viaPaper.trim()}${alias} - ${command.description}`;
  });
  lines.push(`${names.paper} help - this list`);
  lines.push("Mention me with a question to get papers and the sentence that answers, in a thread.");
  lines.push("Reply in that thread to ask a follow-up; in a direct message just ask.");
  return { kind: "message", tone: "info", text: lines.join("\n"), ephemeral: true };
}
