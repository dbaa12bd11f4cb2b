/**
 * The native text format users paste: abstract paragraph(s), optional comment lines (venue,
 * code URL, page counts), `arXiv:ID`, `Created: YYYY-MM-DD`, records separated by blank lines.
 */
import { parseArxivId } from "../arxiv-id.ts";
import {
  codeUrlFromComment,
  emptyParse,
  isIsoDate,
  type PaperRecord,
  type ParsedFile,
  splitLines,
  venueFromComment,
} from "./record.ts";

interface Block {
  line: number;
  lines: string[];
}

const ID_LINE = /^arxiv\s*:/i;
const CREATED_LINE = /^created\s*:\s*(.*)$/i;
const COMMENT_CUE =
  /https?:\/\/|\b(?:pages?|figures?|tables?|accepted|appear|published|proceedings|conference|workshop|journal|code|submitted|version|preprint|camera[- ]ready|oral|spotlight|(?:19|20)\d{2})\b/i;

/** A short block after the abstract that reads like a note rather than prose. */
function isCommentBlock(block: Block): boolean {
  return block.lines.every(
    (line) => line.length <= 240 && (COMMENT_CUE.test(line) || line.split(/\s+/).length < 15),
  );
}

export function parseTextFormat(content: string, file: string): ParsedFile {
  const result = emptyParse();
  const lines = splitLines(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  let blocks: Block[] = [];
  let current: Block | undefined;
  let pending: { record: PaperRecord; blocks: Block[] } | undefined;

  const problem = (line: number, message: string) => result.problems.push({ file, line, message });

  const finishRecord = (createdLine?: { line: number; value: string }) => {
    if (!pending) return;
    const { record } = pending;
    if (!createdLine) problem(record.source.line, `record ${record.id} has no "Created: YYYY-MM-DD" line`);
    else if (!isIsoDate(createdLine.value)) {
      problem(
        createdLine.line,
        `record ${record.id} has a bad date "${createdLine.value.slice(0, 40)}" (expected YYYY-MM-DD)`,
      );
    } else record.published = createdLine.value;
    result.records.push(record);
    pending = undefined;
  };

  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = (lines[index] as string).trim();
    if (line === "") {
      current = undefined;
      continue;
    }
    // Only a line starting with c or a can be a Created: or arXiv: line: most lines skip both regexes.
    const first = line.charCodeAt(0) | 0x20;
    const created = first === 0x63 ? line.match(CREATED_LINE) : null;
    if (created) {
      current = undefined;
      if (pending) finishRecord({ line: lineNumber, value: (created[1] ?? "").trim() });
      else problem(lineNumber, "a Created: line with no arXiv: line before it (the record has no arXiv id)");
      blocks = [];
      continue;
    }
    if (first === 0x61 && ID_LINE.test(line)) {
      current = undefined;
      finishRecord();
      const id = parseArxivId(line);
      if (!id) {
        problem(lineNumber, `"${line.slice(0, 60)}" is not a valid arXiv id`);
        blocks = [];
        continue;
      }
      if (blocks.length === 0) problem(lineNumber, `record ${id.id} has no abstract`);
      pending = { record: buildRecord(id, blocks, file, lineNumber), blocks };
      blocks = [];
      continue;
    }
    if (pending) finishRecord();
    if (!current) {
      current = { line: lineNumber, lines: [] };
      blocks.push(current);
    }
    current.lines.push(line);
  }
  finishRecord();
  const leftover = blocks[0];
  if (leftover) problem(leftover.line, "text with no arXiv: line after it (the record has no arXiv id)");
  return result;
}

function buildRecord(
  id: { id: string; version?: number },
  blocks: Block[],
  file: string,
  idLine: number,
): PaperRecord {
  const [first, ...rest] = blocks;
  const abstractParts = first ? [first.lines.join(" ")] : [];
  const comments: string[] = [];
  for (const block of rest) {
    if (isCommentBlock(block)) comments.push(...block.lines);
    else abstractParts.push(block.lines.join(" "));
  }
  const record: PaperRecord = {
    id: id.id,
    abstract: abstractParts.join("\n\n"),
    comments,
    source: { file, line: first?.line ?? idLine },
  };
  if (id.version) record.version = id.version;
  for (const comment of comments) {
    record.venue ??= venueFromComment(comment);
    record.codeUrl ??= codeUrlFromComment(comment);
  }
  return record;
}
