import type { Command } from "../src/core/command.ts";
import { paperReply } from "../src/core/paper-view.ts";

export const paperCommand = {
  name: "paper",
  description: "Show one paper in full: by arXiv id or title words",
  usage: "paper <arXiv id | title words>",
  options: [
    {
      name: "query",
      description: "arXiv id (any form) or words from the title",
      required: true,
      autocomplete: true,
    },
  ],
  async run({ invocation, papers }) {
    return paperReply(papers.find(invocation.text), { view: invocation.view });
  },
} satisfies Command;
