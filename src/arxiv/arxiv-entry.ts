/** One paper as the arXiv API describes it, already cleaned up (folded white space, id without version). */
export interface ArxivEntry {
  /** Identity without version: "2401.01234", "hep-th/9901001". */
  id: string;
  /** From the <id> URL ("…/abs/2401.01234v2" -> 2); 1 when the URL carries none. */
  version: number;
  /** Runs of white space and line breaks folded to one space, trimmed. */
  title: string;
  /** <summary>, folded like the title. */
  abstract: string;
  authors: string[];
  /** arXiv categories only (ACM and MSC class terms left out), primary first, no duplicates. */
  categories: string[];
  primaryCategory?: string;
  /** YYYY-MM-DD of version 1 (<published>). */
  published: string;
  /** Full ISO timestamp of version 1 (<published>); the parser always sets it. */
  submitted?: string;
  /** Full ISO timestamp of this version (<updated>). */
  updated: string;
  comment?: string;
  journalRef?: string;
  doi?: string;
  /** https://arxiv.org/abs/<id>, no version. */
  absUrl: string;
  /** From <link title="pdf">, on https. */
  pdfUrl?: string;
}

export interface ArxivFeed {
  entries: ArxivEntry[];
  /** opensearch:totalResults: how many papers match, beyond this page too. */
  totalResults: number;
}
