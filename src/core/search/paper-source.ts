/**
 * Papers as an engine's documents, made only when an engine is really built. The fingerprint
 * hashes the raw papers (no LaTeX clean-up), so checking a saved index costs one pass of SHA-1.
 */
import { createHash } from "node:crypto";
import { latexToText } from "../latex.ts";
import type { Paper } from "../paper.ts";
import type { DocumentHeading, DocumentSource, SearchDocument } from "./engine.ts";

/** Bump whenever the way a paper becomes a document changes (fields, LaTeX clean-up): saved indexes go stale. */
export const PAPER_DOCUMENTS_VERSION = 1;

export function paperHeading(paper: Paper): DocumentHeading {
  return {
    id: paper.id,
    title: paper.title,
    authors: paper.authors.join("; "),
    venue: paper.venue ?? "",
    categories: paper.categories.join(" "),
  };
}

export function paperDocument(paper: Paper): SearchDocument {
  return {
    id: paper.id,
    title: paper.title,
    authors: paper.authors.join("; "),
    venue: paper.venue ?? "",
    categories: paper.categories.join(" "),
    abstract: latexToText(paper.abstract),
  };
}

/** Everything a paper's document is made of, hashed in order. */
export function papersFingerprint(papers: readonly Paper[]): string {
  const hash = createHash("sha1");
  hash.update(`paperbot documents v${PAPER_DOCUMENTS_VERSION}\n`);
  for (const paper of papers) {
    hash.update(
      `${paper.id}\u0000${paper.title}\u0000${paper.authors.join("\u0002")}\u0000${paper.venue ?? ""}\u0000` +
        `${paper.categories.join("\u0002")}\u0000`,
    );
    hash.update(paper.abstract);
    hash.update("\u0001");
  }
  return hash.digest("hex");
}

export function paperSource(papers: readonly Paper[]): DocumentSource {
  let documents: SearchDocument[] | undefined;
  let fingerprint: string | undefined;
  return {
    size: papers.length,
    heading: (doc) => paperHeading(papers[doc] as Paper),
    documents: () => {
      documents ??= papers.map(paperDocument);
      return documents;
    },
    fingerprint: () => {
      fingerprint ??= papersFingerprint(papers);
      return fingerprint;
    },
  };
}
