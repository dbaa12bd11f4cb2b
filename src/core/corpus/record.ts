import type { DataProblem } from "../errors.ts";
import type { SourceRef } from "../paper.ts";

/** What one source says about one paper, before merging. */
export interface PaperRecord {
  id: string;
  version?: number;
  title?: string;
  authors?: string[];
  abstract?: string;
  categories?: string[];
  venue?: string;
  comments?: string[];
  codeUrl?: string;
  doi?: string;
  published?: string;
  /** The date is only known to the month or year (BibTeX); an exact date from another source wins. */
  publishedApproximate?: boolean;
  /** Fetched from the arXiv API: arXiv's own text, so it wins over a file's record of the same version. */
  fetched?: boolean;
  source: SourceRef;
}

export interface ParsedFile {
  /** Paper records (text, BibTeX, JSON). */
  records: PaperRecord[];
  /** Verified metadata that overrides title/authors/categories/venue (papers.meta.tsv). */
  overlays: PaperRecord[];
  problems: DataProblem[];
}

export function emptyParse(): ParsedFile {
  return { records: [], overlays: [], problems: [] };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar date written YYYY-MM-DD (proleptic Gregorian, years 0000-9999). */
export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}

/** Lines of a file, split at \r\n, \r or \n (no regex work for the usual \n-only file). */
export function splitLines(content: string): string[] {
  return content.includes("\r") ? content.split(/\r\n|\r|\n/) : content.split("\n");
}

const VENUE =
  /\b(?:ICML|NeurIPS|NIPS|ICLR|CVPRW?|ICCVW?|ECCVW?|AAAI|IJCAI|ACL|EMNLP|NAACL|EACL|COLING|KDD|WWW|SIGIR|WSDM|UAI|AISTATS|COLT|TMLR|JMLR|MICCAI|WACV|BMVC|CoRL|RSS|ICRA|IROS|INTERSPEECH|ICASSP|TACL|TPAMI|ALT|MLSys|CHI|3DV)\b(?:\s*'?(?:19|20)\d{2})?(?:\s+(?:Workshop|Oral|Spotlight))?/;

/** Reads a venue such as "ICML 2023" out of a free comment line. */
export function venueFromComment(line: string): string | undefined {
  return line.match(VENUE)?.[0].replace(/\s+/g, " ");
}

export function codeUrlFromComment(line: string): string | undefined {
  const url = line.match(/https?:\/\/[^\s<>"')\]]+/)?.[0]?.replace(/[.,;:]+$/, "");
  if (!url) return undefined;
  return /github\.com|gitlab\.|bitbucket\.org|huggingface\.co|\bcode\b/i.test(`${url} ${line}`)
    ? url
    : undefined;
}

/** A binary file has NUL bytes or is mostly not text. */
export function looksBinary(content: string): boolean {
  if (content.includes("\u0000")) return true;
  const sample = content.slice(0, 4096);
  const replacement = sample.match(/\uFFFD/g)?.length ?? 0;
  return sample.length > 0 && replacement / sample.length > 0.05;
}
