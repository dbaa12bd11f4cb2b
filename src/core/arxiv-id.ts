/** arXiv identifiers in every form people paste: bare, versioned, `arXiv:` prefix, abs/pdf/html URLs, old style. */
export interface ArxivId {
  /** Identity: the id without version, e.g. `2305.09088` or `hep-th/9901001`. */
  id: string;
  version?: number;
}

const NEW_STYLE = String.raw`\d{4}\.\d{4,5}`;
const OLD_STYLE = String.raw`[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7}`;
const ID_WITH_VERSION = String.raw`(${NEW_STYLE}|${OLD_STYLE})(?:v(\d+))?`;

const WHOLE_ID = new RegExp(
  String.raw`^(?:arxiv:\s*)?(?:(?:https?://)?(?:(?:www|export)\.)?arxiv\.org/(?:abs|pdf|html)/)?${ID_WITH_VERSION}(?:\.pdf)?/?$`,
  "i",
);
const ID_IN_TEXT = new RegExp(
  String.raw`(?:arxiv:\s*|arxiv\.org/(?:abs|pdf|html)/|(?<![\w./-]))${ID_WITH_VERSION}(?![\w/-]|\.\d)`,
  "gi",
);

/** New-style ids: YYMM is a real month from 0704 on; the number has 4 digits until 1412 and 5 from 1501. */
function isPlausible(id: string): boolean {
  const match = id.match(/^(\d{2})(\d{2})\.(\d+)$/);
  if (!match) return true;
  const month = Number(match[2]);
  const yymm = Number(`${match[1]}${match[2]}`);
  return month >= 1 && month <= 12 && yymm >= 704 && (match[3]?.length ?? 0) === (yymm >= 1501 ? 5 : 4);
}

function toArxivId(match: RegExpMatchArray): ArxivId | undefined {
  const rawId = match[1] ?? "";
  // Old-style archive names are lower case (hep-th, math.AG keeps its subject class upper case).
  const id = rawId.includes("/") ? rawId.replace(/^[^/.]+/, (archive) => archive.toLowerCase()) : rawId;
  if (!isPlausible(id)) return undefined;
  return match[2] ? { id, version: Number(match[2]) } : { id };
}

/** Parses text that is nothing but an arXiv id (in any pasted form); undefined otherwise. */
export function parseArxivId(text: string): ArxivId | undefined {
  const match = text.trim().match(WHOLE_ID);
  return match ? toArxivId(match) : undefined;
}

/** Finds the first arXiv id mentioned anywhere in free text. */
export function findArxivId(text: string): ArxivId | undefined {
  for (const match of text.matchAll(ID_IN_TEXT)) {
    const id = toArxivId(match);
    if (id) return id;
  }
  return undefined;
}

export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function pdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}
