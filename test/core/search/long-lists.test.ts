import { describe, expect, it } from "vitest";
import type { SearchDocument } from "../../../src/core/search/engine.ts";
import { UNSORTED_LIST_MAX } from "../../../src/core/search/inverted-index.ts";
import { PaperEngine } from "../../../src/core/search/paper-engine.ts";

// Enough documents that "model" has a posting list long enough to be impact-ordered and cut.
const COUNT = UNSORTED_LIST_MAX * 5;
const documents: SearchDocument[] = Array.from({ length: COUNT }, (_, i) => ({
  id: `doc${i}`,
  title: i === 4321 ? "Model model model" : `Paper ${i}`,
  authors: "",
  venue: "",
  categories: "",
  abstract: `We study a model of type ${i}. ${i === 777 ? "It uses a rare zygomorphic kernel." : "Filler text here."}`,
}));
const engine = PaperEngine.build(documents);

describe("long posting lists", () => {
  it("orders long lists by impact so the most prominent documents come first", () => {
    expect(engine.search("model", { limit: 1 })[0]?.id).toBe("doc4321");
  });

  it("still finds a rare word next to a word that is everywhere", () => {
    expect(engine.search("model zygomorphic", { limit: 3 })[0]?.id).toBe("doc777");
    expect(engine.search("model zygomorhic", { limit: 3 })[0]?.id).toBe("doc777");
  });

  it("returns at most the limit from a word in every document", () => {
    expect(engine.search("model", { limit: 100 })).toHaveLength(100);
  });
});
