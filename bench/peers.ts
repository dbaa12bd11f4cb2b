/**
 * The engines paperbot is measured against, each configured as in the anchor table:
 * FlexSearch 0.8 (defaults, no typo tolerance), Orama 3 (tolerance 1), MiniSearch 7 (fuzzy 0.2),
 * plain Fuse.js over every field (paperbot's former engine). All index title + abstract.
 */
import { create, insertMultiple, search as oramaSearch } from "@orama/orama";
import { Index as FlexIndex } from "flexsearch";
import MiniSearch from "minisearch";
import { documentSource, type SearchDocument } from "../src/core/search/engine.ts";
import { createFuseEngine } from "../src/core/search/fuse-engine.ts";

export type EngineName = "paperbot" | "paperbot-reload" | "fuse" | "minisearch" | "orama" | "flexsearch";
/** Build-time adapters return a search function: query text, limit -> ids best first. */
export type SearchFn = (text: string, limit: number) => string[];
type PeerName = Exclude<EngineName, "paperbot" | "paperbot-reload">;

export const PEER_ADAPTERS: Readonly<Record<PeerName, (docs: SearchDocument[]) => Promise<SearchFn>>> = {
  async fuse(docs) {
    const engine = createFuseEngine(documentSource(docs));
    return (text, limit) => engine.search(text, { limit }).map((hit) => hit.id);
  },
  async minisearch(docs) {
    const mini = new MiniSearch<SearchDocument>({
      fields: ["title", "abstract"],
      searchOptions: { fuzzy: 0.2, boost: { title: 2 } },
    });
    mini.addAll(docs);
    return (text, limit) =>
      mini
        .search(text)
        .slice(0, limit)
        .map((r) => String(r.id));
  },
  async orama(docs) {
    const db = create({ schema: { title: "string", abstract: "string" } as const });
    await insertMultiple(
      db,
      docs.map((d) => ({ id: d.id, title: d.title, abstract: d.abstract })),
      1000,
    );
    return (text, limit) => {
      const found = oramaSearch(db, { term: text, tolerance: 1, limit });
      if (found instanceof Promise) throw new Error("orama search unexpectedly async");
      return found.hits.map((h) => h.id);
    };
  },
  async flexsearch(docs) {
    const index = new FlexIndex();
    docs.forEach((d, i) => {
      index.add(i, `${d.title} ${d.abstract}`);
    });
    return (text, limit) => (index.search(text, { limit }) as number[]).map((i) => docs[i]?.id ?? "");
  },
};
