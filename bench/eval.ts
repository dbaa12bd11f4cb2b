/**
 * `npm run eval [-- --engine fuse]`: relevance of search and ask on the real papers in data/.
 * Prints MRR@5 and recall@5 per kind of query, and every query that missed; then, for the
 * paraphrased questions and the off-topic ones, lexical only vs meaning only vs both fused.
 */
import { loadCorpus } from "../src/core/corpus/load-corpus.ts";
import { SILENT_LOGGER } from "../src/core/logger.ts";
import type { Paper } from "../src/core/paper.ts";
import { PaperIndex } from "../src/core/paper-index.ts";
import type { SearchEngine, SearchEngineFactory } from "../src/core/search/engine.ts";
import { createFuseEngine } from "../src/core/search/fuse-engine.ts";
import { createPaperEngine, PaperEngine } from "../src/core/search/paper-engine.ts";
import { evaluate, type QueryOutcome } from "./relevance.ts";
import { NEGATIVES, PARAPHRASES } from "./relevance-queries.ts";

const ENGINES = { paperbot: createPaperEngine, fuse: createFuseEngine };

/** The three ways of answering compared for paraphrases: words only, meaning only, both. */
const MODES: Record<string, SearchEngineFactory> = {
  lexical: (source) => PaperEngine.fromSource(source, {}),
  meaning: (source): SearchEngine => {
    const engine = PaperEngine.fromSource(source);
    return {
      search: () => [],
      searchByMeaning: (text, options) => engine.searchByMeaning(text, options),
      answerScorer: (text) => engine.answerScorer(text),
    };
  },
  fused: createPaperEngine,
};

const mrr = (outcomes: QueryOutcome[]) =>
  outcomes.reduce((sum, o) => sum + (o.firstRelevant ? 1 / o.firstRelevant : 0), 0) / outcomes.length;
const recallAt3 = (outcomes: QueryOutcome[]) =>
  outcomes.filter((o) => o.firstRelevant >= 1 && o.firstRelevant <= 3).length / outcomes.length;

function meaningTable(papers: readonly Paper[]): string[] {
  const lines = [
    "",
    `Paraphrased questions (${PARAPHRASES.length}, none shares a content word with its paper's title) and off-topic ones (${NEGATIVES.length}):`,
    "",
    "| answered by | MRR@5 | recall@3 | paraphrases answered with nothing | off-topic answered |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const [mode, engine] of Object.entries(MODES)) {
    const index = new PaperIndex(papers, { engine, logger: SILENT_LOGGER });
    const para = evaluate(index, PARAPHRASES).outcomes;
    const neg = evaluate(index, NEGATIVES).outcomes;
    lines.push(
      `| ${mode} | ${mrr(para).toFixed(3)} | ${recallAt3(para).toFixed(3)} | ` +
        `${para.filter((o) => o.ids.length === 0).length}/${para.length} | ` +
        `${neg.filter((o) => o.ids.length > 0).length}/${neg.length} |`,
    );
  }
  return lines;
}

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
  if (name === "paperbot") lines.push(...meaningTable(papers));
  if (report.failures.length) {
    lines.push("", "Misses:");
    for (const f of report.failures) lines.push(`- [${f.query.kind}] "${f.query.query}": ${f.failure}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
