import type { Command } from "../src/core/command.ts";
import { resultsReply } from "../src/core/paper-view.ts";

const ANSWERS_PER_PAGE = 3;

export const askCommand = {
  name: "ask",
  description: "Ask a question in plain language; get papers and the sentence that answers",
  usage: "ask <question>",
  options: [
    {
      name: "question",
      description: "e.g. which paper is about forgetting in continual learning?",
      required: true,
    },
  ],
  async run({ invocation, papers }) {
    const page = Math.max(1, Math.floor(invocation.page ?? 1));
    const results = papers.ask(invocation.text, {
      offset: (page - 1) * ANSWERS_PER_PAGE,
      limit: ANSWERS_PER_PAGE,
    });
    return resultsReply("ask", invocation.text, results, page, ANSWERS_PER_PAGE);
  },
} satisfies Command;
