import type { Command } from "../src/core/command.ts";
import { PAGE_SIZE, resultsReply } from "../src/core/paper-view.ts";

export const searchCommand = {
  name: "search",
  description: "Search papers by words, author:, year:, venue:, category:, before:, after:",
  usage: "search <words> [author:name] [year:2023] [venue:ICML]",
  options: [
    {
      name: "query",
      description: "Words, typos welcome; filters like author:Bachmann year:2023",
      required: true,
    },
  ],
  async run({ invocation, papers }) {
    const page = Math.max(1, Math.floor(invocation.page ?? 1));
    const results = papers.search(invocation.text, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    return resultsReply("search", invocation.text, results, page);
  },
} satisfies Command;
