import type { Command } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { paperReply } from "../src/core/paper-view.ts";

export const randomCommand = {
  name: "random",
  description: "A random paper, optionally filtered (year:2023, venue:ICML, topic words)",
  usage: "random [words] [year:2023] [venue:ICML] [author:name]",
  options: [
    { name: "filters", description: "Optional: topic words or filters such as year:2023 venue:ICML" },
  ],
  async run({ invocation, papers, random }) {
    const paper = papers.random(invocation.text, random);
    if (!paper) {
      throw new UserError(
        "not_found",
        "No paper matches those filters.",
        "Try fewer filters, e.g. /random year:2023",
      );
    }
    return paperReply(paper, {
      heading: "Random paper",
      view: invocation.view,
      another: { command: "random", text: invocation.text },
    });
  },
} satisfies Command;
