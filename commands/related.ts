import type { Command } from "../src/core/command.ts";
import { displayTitle, relatedReply } from "../src/core/paper-view.ts";
import { messageReply } from "../src/core/reply.ts";

/** Five is a screenful in every client, and past it the papers are rarely near any more. */
export const RELATED_COUNT = 5;

export const relatedCommand = {
  name: "related",
  description: "The papers nearest one paper by meaning, and the words they share",
  usage: "related <arXiv id | title words>",
  options: [
    {
      name: "paper",
      description: "arXiv id (any form) or words from the title",
      required: true,
      autocomplete: true,
    },
  ],
  async run({ invocation, papers }) {
    const paper = papers.find(invocation.text);
    const related = papers.relatedPapers(paper.id, RELATED_COUNT);
    if (related.length === 0 && papers.meaningProblem)
      return messageReply("Related papers are off here: the word vectors could not be loaded.", {
        tone: "error",
        code: "upstream_unavailable",
        ephemeral: true,
        hint: "Searching by words still works; the bot's log says what went wrong with the vectors.",
      });
    if (related.length === 0)
      return messageReply(`No paper here is close in meaning to “${displayTitle(paper)}” yet.`, {
        hint: "Related papers appear as the library grows (/add, /follow).",
      });
    return relatedReply(paper, related);
  },
} satisfies Command;
