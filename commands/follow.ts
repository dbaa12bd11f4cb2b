import type { Command } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";

export const followCommand = {
  name: "follow",
  description: "Post new arXiv papers by authors, in categories or on topics here",
  usage: 'follow <author:"Name" category:cs.LG words> | list | off <n|all>',
  options: [
    {
      name: "filters",
      description: 'author:"Name", category:cs.LG, topic words; or list, or off <n|all>',
    },
  ],
  async run(context) {
    if (!context.follows) {
      throw new UserError(
        "bad_input",
        "Follows are not available here.",
        "Run the bot with `npm start` to use them.",
      );
    }
    return context.follows.handle(
      { platform: context.platform, channelId: context.channel.id },
      context.invocation.text,
      context.user,
    );
  },
} satisfies Command;
