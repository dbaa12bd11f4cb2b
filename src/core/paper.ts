/** Where a record came from, so every problem and every paper can be traced to file and line. */
export interface SourceRef {
  file: string;
  line: number;
}

/** One paper after loading and merging every source that mentions it. */
export interface Paper {
  /** arXiv id without version: identity across every pasted form. */
  id: string;
  /** Highest version seen, when any source named one. */
  version?: number;
  /** The real title, or a display title derived from the abstract (then `titleDerived` is true). */
  title: string;
  titleDerived: boolean;
  authors: string[];
  /** Abstract as written in the source, LaTeX included; render through `latexToText`. */
  abstract: string;
  categories: string[];
  venue?: string;
  /** Free comment lines from the native text format (venue, page counts, code notes). */
  comments: string[];
  codeUrl?: string;
  doi?: string;
  /** YYYY-MM-DD */
  published?: string;
  sources: SourceRef[];
  /**
   * A paper read from the corpus snapshot keeps the fields it decodes; this lets them go (they are
   * decoded again when read), after a build has read every paper once.
   */
  forgetDecoded?(): void;
}

export function paperYear(paper: Pick<Paper, "published">): number | undefined {
  return paper.published ? Number(paper.published.slice(0, 4)) : undefined;
}
