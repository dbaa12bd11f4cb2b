import { beforeAll, describe, expect, it } from "vitest";
import type { PaperIndex } from "../../src/core/paper-index.ts";
import { bundledIndex } from "../fixtures/corpus.ts";
import { userError } from "../fixtures/user-error.ts";

let papers: PaperIndex;
beforeAll(async () => {
  papers = await bundledIndex();
});

const ids = (query: string) => papers.search(query, { limit: 10 }).hits.map((hit) => hit.paper.id);

describe("PaperIndex lookup", () => {
  it.each([
    "2305.09088",
    "2305.09088v2",
    "arXiv:2305.09088",
    "https://arxiv.org/abs/2305.09088v1",
    "https://arxiv.org/pdf/2305.09088v1.pdf",
  ])("finds the Hessian paper by %s", (form) => {
    expect(papers.get(form)?.id).toBe("2305.09088");
    expect(papers.find(form).id).toBe("2305.09088");
    expect(ids(form)).toEqual(["2305.09088"]);
  });

  it("finds a paper by title words", () => {
    expect(papers.find("random teachers good teachers").id).toBe("2302.12091");
  });

  it("says which id it could not find", () => {
    const error = userError(() => papers.find("2401.00001"));
    expect(error.code).toBe("not_found");
    expect(error.message).toContain("2401.00001");
  });
});

describe("PaperIndex search", () => {
  it("ranks the paper about the query first", () => {
    expect(ids("hessian rank")[0]).toBe("2305.09088");
    expect(ids("lottery tickets")[0]).toBe("2302.12091");
    expect(ids("galaxy redshift")[0]).toBe("2211.12346");
  });

  it("matches words inside LaTeX markup", () => {
    expect(ids("dark knowledge")[0]).toBe("2302.12091");
  });

  it("returns nothing for a query nothing is about", () => {
    expect(ids("zzqx wvvk")).toEqual([]);
  });

  it("applies author, year, venue, category and date filters", () => {
    expect(ids("author:Bachmann").sort()).toEqual(["2205.13900", "2210.14019", "2302.12091", "2304.06061"]);
    expect(ids("author:scholkopf")).toEqual(["2305.09088"]);
    expect(ids('author:"Gregor Bachmann" year:2022').sort()).toEqual(["2205.13900", "2210.14019"]);
    expect(ids("venue:ICML").sort()).toEqual(["2205.13900", "2302.12091", "2305.09088"]);
    expect(ids("category:cs.CV")).toEqual(["2303.09483", "2210.00828"]);
    expect(ids("after:2023-03-01 before:2023-05-01")).toEqual(["2304.06061", "2303.09483"]);
    expect(ids("neural venue:ICML year:2022")).toEqual(["2205.13900"]);
  });

  it("explains filters it understood", () => {
    expect(papers.search("author:Bachmann year:2023").filters).toEqual(["author: Bachmann", "year: 2023"]);
  });

  it("pages through results", () => {
    const all = papers.search("author:Hofmann", { limit: 100 });
    const second = papers.search("author:Hofmann", { offset: 5, limit: 5 });
    expect(all.total).toBe(10);
    expect(second.hits.map((hit) => hit.paper.id)).toEqual(all.hits.slice(5, 10).map((hit) => hit.paper.id));
  });

  it("marks matched words in the snippet", () => {
    const [hit] = papers.search("lottery tickets").hits;
    expect(hit?.snippet.some((run) => run.match && /lottery/i.test(run.text))).toBe(true);
    expect(hit?.snippet.map((run) => run.text).join("").length).toBeLessThanOrEqual(170);
  });

  it.each([
    ["", "empty_query"],
    ["   ", "empty_query"],
    ["x".repeat(10_000), "too_long"],
    ["?!?!...", "bad_input"],
    ["@everyone", "empty_query"],
    ["<!channel>", "empty_query"],
    ["year:20x", "bad_input"],
    ["before:yesterday", "bad_input"],
  ])("answers %j with a friendly %s", (query, code) => {
    const error = userError(() => papers.search(query));
    expect(error.code).toBe(code);
    expect(error.message.length).toBeLessThan(120);
  });

  it("survives unbalanced quotes and control characters", () => {
    expect(ids('author:"Bachmann')).toHaveLength(4);
    expect(ids("hess\u0000ian\u0007 rank")).toBeInstanceOf(Array);
    expect(ids('"hessian')[0]).toBe("2305.09088");
  });
});

describe("PaperIndex ask", () => {
  it("answers a topic question with the paper and its best sentence", () => {
    const [hit] = papers.ask("which paper is about forgetting in continual learning?").hits;
    expect(hit?.paper.id).toBe("2303.09483");
    expect(hit?.answer).toMatch(/forgetting|continual/i);
  });

  it("understands venue and year in a question", () => {
    const results = papers.ask("what did we publish at ICML 2023?", { limit: 10 });
    expect(results.hits.map((hit) => hit.paper.id).sort()).toEqual(["2302.12091", "2305.09088"]);
  });

  it("understands an author in a question", () => {
    const results = papers.ask("papers by Gregor Bachmann", { limit: 10 });
    expect(results.hits.map((hit) => hit.paper.id).sort()).toEqual([
      "2205.13900",
      "2210.14019",
      "2302.12091",
      "2304.06061",
    ]);
  });

  it("asks for a topic when the question has none", () => {
    expect(userError(() => papers.ask("what do we have?")).code).toBe("empty_query");
  });
});

describe("PaperIndex random and suggest", () => {
  it("picks from the filtered pool", () => {
    const picks = new Set([0, 0.3, 0.6, 0.99].map((value) => papers.random("year:2022", () => value)?.id));
    for (const id of picks)
      expect(["2211.12346", "2210.14019", "2210.12084", "2210.00828", "2207.12319", "2205.13900"]).toContain(
        id,
      );
    expect(papers.random("year:1999", () => 0.5)).toBeUndefined();
  });

  it("suggests titles as the user types, at most 25, titles within 100 chars", () => {
    expect(papers.suggest("hess")[0]?.id).toBe("2305.09088");
    expect(papers.suggest("2305")[0]?.id).toBe("2305.09088");
    expect(papers.suggest("").length).toBe(10);
    expect(papers.suggest("year:20")).toBeInstanceOf(Array);
    expect(papers.suggest("x".repeat(5000))).toEqual([]);
  });
});
