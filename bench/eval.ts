/**
 * `npm run eval [-- --engine fuse]`: relevance of search and ask on the real papers in data/.
 * Prints MRR@5 and recall@5 per kind of query, and every query that missed.
 */
import { loadCorpus } from "../src/core/corpus/load-corpus.ts";
import { PaperIndex } from "../src/core/paper-index.ts";
import { createFuseEngine } from "../src/core/search/fuse-engine.ts";
import { createPaperEngine } from "../src/core/search/paper-engine.ts";
import { evaluate } from "./relevance.ts";

const ENGINES = { paperbot: createPaperEngine, fuse: createFuseEngine };

async function main(): Promise<void> {
  const at = process.argv.indexOf("--engine");
  const name = (at >= 0 ? process.argv[at + 1] : "paperbot") as keyof typeof ENGINES;
  const engine = ENGINES[name];
  if (!engine) throw new Error(`unknown engine ${name}; use ${Object.keys(ENGINES).join(" or ")}`);
  const path = process.env.PAPERS_PATH ?? "data";
  const { papers } = await loadCorpus(path);
  const report = evaluate(new PaperIndex(papers, { engine }));

  const lines = [
    `engine ${name}, ${papers.length} papers from ${path}`,
    "",
    "| kind | queries | MRR@5 | recall@5 | passing |",
    "|---|---:|---:|---:|---:|",
    ...Object.entries(report.byKind).map(
      ([kind, k]) =>
        `| ${kind} | ${k.count} | ${k.mrr.toFixed(3)} | ${k.recall.toFixed(3)} | ${k.ok}/${k.count} |`,
    ),
    "",
    `MRR@5 ${report.mrr.toFixed(3)}   recall@5 ${report.recall.toFixed(3)}   ` +
      `top-3 ${report.inTop3}/${report.labelled}   empty when it should be ${report.emptyCorrect}/${report.empties}`,
  ];
  if (report.failures.length) {
    lines.push("", "Misses:");
    for (const f of report.failures) lines.push(`- [${f.query.kind}] "${f.query.query}": ${f.failure}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
