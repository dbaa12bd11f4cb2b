/** arXiv failures as the user sees them: what happened, and that nothing changed. */
import { UserError } from "../core/errors.ts";
import { ArxivFeedError, ArxivUnavailableError } from "./arxiv-errors.ts";

export function upstreamError(error: unknown): unknown {
  if (error instanceof ArxivUnavailableError)
    return new UserError(
      "upstream_unavailable",
      `arXiv is not answering right now (${error.message}). Nothing was changed.`,
      "Please try again in a few minutes.",
    );
  if (error instanceof ArxivFeedError)
    return new UserError(
      "upstream_unavailable",
      `arXiv sent an answer I could not use (${error.message}). Nothing was changed.`,
      "Please try again in a few minutes.",
    );
  return error;
}
