import type { Command } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";

export const dailyCommand = {
  name: "daily",
  description: "Post a paper to this channel every day",
  usage: "daily on [HH:MM] [timezone] [filters] | off | status | now",
  options: [
    {
      name: "action",
      description: "on, off, status or now",
      required: true,
      choices: ["on", "off", "status", "now"],
    },
    {
      name: "settings",
      description: "For on: time HH:MM, IANA timezone, filters (e.g. 08:30 Europe/Zurich year:2023)",
    },
  ],
  async run(context) {
    if (!context.daily) {
      throw new UserError(
        "bad_input",
        "Daily posts are not available here.",
        "Run the bot with `npm start` to use them.",
      );
    }
    return context.daily.handle(
      { platform: context.platform, channelId: context.channel.id },
      context.invocation.text,
      context.user,
    );
  },
} satisfies Command;
