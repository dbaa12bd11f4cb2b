import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { documentSource } from "../../../../src/core/search/engine.ts";
import { PaperEngine } from "../../../../src/core/search/paper-engine.ts";
import {
  loadEngine,
  loadOrBuildPaperEngine,
  openSavedIndex,
  saveEngine,
  serializeEngine,
} from "../../../../src/core/search/persist.ts";
import { sharedWordVectors } from "../../../../src/core/search/semantic/vector-store.ts";
import { DOCUMENTS } from "../fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "paperbot-meaning-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const QUESTIONS = ["sharpening the posterior", "second derivatives of the loss", "medieval tax records"];

describe("meaning in the saved index", () => {
  it("answers by meaning after a restart exactly as when it was built", () => {
    const built = PaperEngine.build(DOCUMENTS);
    expect(built.meaningProblem).toBeUndefined();
    const path = join(dir, "meaning.pbix");
    saveEngine(built, path, "fp");
    expect(openSavedIndex(serializeEngine(built)).meaningSource).toBe(sharedWordVectors().vectors?.source);
    const { engine } = loadEngine(path);
    for (const q of QUESTIONS) {
      expect(engine.searchByMeaning(q, { limit: 5 })).toEqual(built.searchByMeaning(q, { limit: 5 }));
    }
    expect(engine.related("2305.09088", 2)).toEqual(built.related("2305.09088", 2));
  });

  it("reads the word vectors only when a question needs them", () => {
    const path = join(dir, "lazy.pbix");
    const source = documentSource(DOCUMENTS);
    loadOrBuildPaperEngine(source, path);
    let asked = 0;
    const supply = () => {
      asked++;
      return sharedWordVectors();
    };
    const { engine, outcome } = loadOrBuildPaperEngine(source, path, supply);
    expect(outcome.reused).toBe(true);
    expect(asked).toBe(0);
    expect(engine.search("hessian", { limit: 1 })[0]?.id).toBe("2305.09088");
    expect(asked).toBe(0);
    expect(engine.searchByMeaning("sharpening the posterior", { limit: 1 })?.[0]?.id).toBe("2205.13900");
    expect(asked).toBe(1);
  });

  it("is built again when the index was saved without word vectors and they are there now", () => {
    const path = join(dir, "without.pbix");
    const source = documentSource(DOCUMENTS);
    const first = loadOrBuildPaperEngine(source, path, { problem: "not installed" });
    expect(first.engine.searchByMeaning("sharpening the posterior", { limit: 1 })).toBeUndefined();
    expect(first.engine.meaningProblem).toBe("not installed");
    const second = loadOrBuildPaperEngine(source, path);
    expect(second.outcome).toMatchObject({ reused: false, reason: "it was built without word vectors" });
    expect(second.engine.searchByMeaning("sharpening the posterior", { limit: 1 })?.[0]?.id).toBe(
      "2205.13900",
    );
  });

  it("is reused, lexically, when the word vectors are gone", () => {
    const path = join(dir, "gone.pbix");
    const source = documentSource(DOCUMENTS);
    loadOrBuildPaperEngine(source, path);
    const { engine, outcome } = loadOrBuildPaperEngine(source, path, { problem: "vectors gone" });
    expect(outcome.reused).toBe(true);
    expect(engine.search("hessian", { limit: 1 })[0]?.id).toBe("2305.09088");
    expect(engine.searchByMeaning("sharpening the posterior", { limit: 1 })).toBeUndefined();
    expect(engine.meaningProblem).toBe("vectors gone");
  });
});
