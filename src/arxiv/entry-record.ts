/** An arXiv API entry as a corpus record: the comment and journal ref yield venue and code URL as in the text format. */
import { codeUrlFromComment, type PaperRecord, venueFromComment } from "../core/corpus/record.ts";
import type { ArxivEntry } from "./arxiv-entry.ts";

/** How fetched papers are named where a file and line would be (problems, sources). */
export const ARXIV_SOURCE = "arXiv API";

export function entryToRecord(entry: ArxivEntry): PaperRecord {
  const comments = [entry.comment, entry.journalRef && `Journal ref: ${entry.journalRef}`].filter(
    (line): line is string => Boolean(line),
  );
  const record: PaperRecord = {
    id: entry.id,
    version: entry.version,
    title: entry.title,
    authors: entry.authors,
    abstract: entry.abstract,
    categories: entry.categories,
    comments,
    published: entry.published,
    fetched: true,
    source: { file: ARXIV_SOURCE, line: 0 },
  };
  const venue = comments.map(venueFromComment).find(Boolean);
  if (venue) record.venue = venue;
  const codeUrl = entry.comment ? codeUrlFromComment(entry.comment) : undefined;
  if (codeUrl) record.codeUrl = codeUrl;
  if (entry.doi) record.doi = entry.doi;
  return record;
}
