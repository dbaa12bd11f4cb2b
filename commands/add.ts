import { parseArxivId } from "../src/core/arxiv-id.ts";
import type { Command } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { cleanInput } from "../src/core/input.ts";

/** One `/add` fetches at most this many papers (one arXiv request). */
export const MAX_IDS_PER_ADD = 20;
const ADD_HINT = "Use /add 2305.09088, an arXiv URL, or several ids separated by spaces or commas.";

/** The distinct arXiv ids in the text, in the order given; a word that is not one is a friendly error. */
export function parseIdList(text: string): string[] {
  const words = cleanInput(text, "list of ids")
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (words.length === 0) throw new UserError("bad_input", "Which paper should I add?", ADD_HINT);
  const ids: string[] = [];
  for (const word of words) {
    const parsed = parseArxivId(word);
    if (!parsed) throw new UserError("bad_input", `"${word.slice(0, 60)}" is not an arXiv id.`, ADD_HINT);
    if (!ids.includes(parsed.id)) ids.push(parsed.id);
  }
  if (ids.length > MAX_IDS_PER_ADD)
    throw new UserError(
      "bad_input",
      `That is ${ids.length} ids; I add up to ${MAX_IDS_PER_ADD} at a time.`,
      ADD_HINT,
    );
  return ids;
}

export const addCommand = {
  name: "add",
  description: "Add a paper from arXiv to the library by id or URL",
  usage: "add <arXiv id or URL> [more ids]",
  options: [{ name: "ids", description: "arXiv ids or URLs, separated by spaces or commas", required: true }],
  async run(context) {
    const ids = parseIdList(context.invocation.text);
    if (!context.library) {
      throw new UserError(
        "bad_input",
        "Adding papers is not available here.",
        "Run the bot with `npm start`.",
      );
    }
    return context.library.add(
      { platform: context.platform, channelId: context.channel.id },
      ids,
      context.user,
    );
  },
} satisfies Command;
