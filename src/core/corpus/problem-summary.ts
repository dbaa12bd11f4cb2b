/**
 * Data problems as log lines: the first few of each file and a count of the rest, so 30,000 broken
 * records make a screenful, not 30,000 lines. `paperbot check` still lists every one.
 */
import { type DataProblem, formatDataProblem } from "../errors.ts";

/** Problems named per file; enough to see the pattern of a mistake. */
export const PROBLEMS_SHOWN_PER_FILE = 3;

export function problemLines(problems: readonly DataProblem[], perFile = PROBLEMS_SHOWN_PER_FILE): string[] {
  const byFile = new Map<string, DataProblem[]>();
  for (const problem of problems) {
    const list = byFile.get(problem.file);
    if (list) list.push(problem);
    else byFile.set(problem.file, [problem]);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    for (const problem of list.slice(0, perFile)) lines.push(formatDataProblem(problem));
    const more = list.length - perFile;
    if (more > 0) lines.push(`${file}: ${more} more problem(s) (npx paperbot check lists every one)`);
  }
  return lines;
}
