/**
 * Relevance evaluation through PaperIndex (filters and question handling included): MRR@5 and
 * recall@5 over the labelled queries, plus whether every "should be empty" query is empty.
 */
import { UserError } from "../src/core/errors.ts";
import type { IndexResults, PaperIndex } from "../src/core/paper-index.ts";
import { LABELLED_QUERIES, type LabelledQuery, type QueryKind } from "./relevance-queries.ts";

const K = 5;

export interface QueryOutcome {
  query: LabelledQuery;
  ids: string[];
  /** 1-based rank of the first relevant paper, 0 when none in the top K. */
  firstRelevant: number;
  recall: number;
  answer?: string;
  /** What went wrong, when something did. */
  failure?: string;
}

export interface RelevanceReport {
  outcomes: QueryOutcome[];
  mrr: number;
  recall: number;
  labelled: number;
  inTop3: number;
  empties: number;
  emptyCorrect: number;
  byKind: Record<string, { count: number; mrr: number; recall: number; ok: number }>;
  failures: QueryOutcome[];
}

function run(index: PaperIndex, q: LabelledQuery): IndexResults {
  try {
    return q.mode === "ask" ? index.ask(q.query, { limit: K }) : index.search(q.query, { limit: K });
  } catch (error) {
    // A question with nothing searchable left is answered with no papers, as intended.
    if (error instanceof UserError) return { hits: [], total: 0, filters: [] };
    throw error;
  }
}

export function evaluate(
  index: PaperIndex,
  queries: readonly LabelledQuery[] = LABELLED_QUERIES,
): RelevanceReport {
  const outcomes = queries.map((query): QueryOutcome => {
    const results = run(index, query);
    const ids = results.hits.map((hit) => hit.paper.id);
    const answer = results.hits[0]?.answer;
    const outcome: QueryOutcome = { query, ids, firstRelevant: 0, recall: 0, ...(answer ? { answer } : {}) };
    if (query.relevant.length === 0) {
      if (ids.length > 0) outcome.failure = `expected no results, got ${ids.join(", ")}`;
      return outcome;
    }
    const rank = ids.findIndex((id) => query.relevant.includes(id));
    outcome.firstRelevant = rank + 1;
    const found = ids.filter((id) => query.relevant.includes(id)).length;
    outcome.recall = found / Math.min(K, query.relevant.length);
    if (rank < 0 || rank >= 3)
      outcome.failure = `relevant paper not in the top 3 (got ${ids.join(", ") || "nothing"})`;
    else if (query.answerIncludes && !answer?.toLowerCase().includes(query.answerIncludes.toLowerCase())) {
      outcome.failure = `answer sentence lacks "${query.answerIncludes}": ${answer ?? "(none)"}`;
    }
    return outcome;
  });

  const labelled = outcomes.filter((o) => o.query.relevant.length > 0);
  const empties = outcomes.filter((o) => o.query.relevant.length === 0);
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 1);
  const byKind: RelevanceReport["byKind"] = {};
  for (const kind of new Set<QueryKind>(outcomes.map((o) => o.query.kind))) {
    const group = outcomes.filter((o) => o.query.kind === kind);
    const scored = group.filter((o) => o.query.relevant.length > 0);
    byKind[kind] = {
      count: group.length,
      mrr: mean(scored.map((o) => (o.firstRelevant ? 1 / o.firstRelevant : 0))),
      recall: mean(scored.map((o) => o.recall)),
      ok: group.filter((o) => !o.failure).length,
    };
  }
  return {
    outcomes,
    mrr: mean(labelled.map((o) => (o.firstRelevant ? 1 / o.firstRelevant : 0))),
    recall: mean(labelled.map((o) => o.recall)),
    labelled: labelled.length,
    inTop3: labelled.filter((o) => o.firstRelevant >= 1 && o.firstRelevant <= 3).length,
    empties: empties.length,
    emptyCorrect: empties.filter((o) => o.ids.length === 0).length,
    byKind,
    failures: outcomes.filter((o) => o.failure),
  };
}
