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
  return { ...paperHeading(paper), abstract: latexToText(paper.abstract) };
}

/** Bytes hashed per update: few calls into the hash, no string larger than this built. */
const HASH_CHUNK = 65_536;

/**
 * Everything a paper's document is made of, hashed in order (the abstract as written, LaTeX
 * included). Each string goes in with its length in front, so no two different papers hash the
 * same bytes.
 */
export function papersFingerprint(papers: readonly Paper[]): string {
  const hash = createHash("sha1");
  hash.update(`paperbot documents v${PAPER_DOCUMENTS_VERSION} ${papers.length}\n`);
  let chunk = "";
  for (const paper of papers) {
    const venue = paper.venue ?? "";
    chunk += `${paper.id.length}:${paper.id}${paper.title.length}:${paper.title}${venue.length}:${venue}`;
    chunk += `${paper.authors.length}:`;
    for (const author of paper.authors) chunk += `${author.length}:${author}`;
    chunk += `${paper.categories.length}:`;
    for (const category of paper.categories) chunk += `${category.length}:${category}`;
    chunk += `${paper.abstract.length}:${paper.abstract}`;
    if (chunk.length > HASH_CHUNK) {
      hash.update(chunk);
      chunk = "";
    }
  }
  hash.update(chunk);
  return hash.digest("hex");
}

function headingsOf(papers: readonly Paper[]): (doc: number) => DocumentHeading {
  return (doc) => paperHeading(papers[doc] as Paper);
}

/** Papers as documents, and what PaperIndex does after the engine is made. */
export interface PaperSource extends DocumentSource {
  writtenDocument(doc: number): SearchDocument;
  /**
   * When documents were read (a build, which reads every paper's fields, and its save), lets the
   * papers forget what they decoded: papers shown later decode theirs again.
   */
  afterBuild(): void;
}

/** Documents and fingerprint, each made once on demand; kept in their own scope so nothing else holds them. */
function lazyDocuments(
  papers: readonly Paper[],
): Pick<PaperSource, "documents" | "writtenDocument" | "fingerprint" | "afterBuild"> {
  let documents: SearchDocument[] | undefined;
  let fingerprint: string | undefined;
  let read = false;
  return {
    documents: () => {
      documents ??= papers.map(paperDocument);
      read = true;
      return documents;
    },
    writtenDocument: (doc) => {
      read = true;
      const paper = papers[doc] as Paper;
      return { ...paperHeading(paper), abstract: paper.abstract };
    },
    afterBuild: () => {
      if (read) for (const paper of papers) paper.forgetDecoded?.();
    },
    fingerprint: () => {
      fingerprint ??= papersFingerprint(papers);
      return fingerprint;
    },
  };
}

export function paperSource(papers: readonly Paper[]): PaperSource {
  return {
    size: papers.length,
    ids: papers.map((paper) => paper.id),
    heading: headingsOf(papers),
    ...lazyDocuments(papers),
  };
}
