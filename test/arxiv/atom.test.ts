import { describe, expect, it } from "vitest";
import { ArxivFeedError } from "../../src/arxiv/arxiv-errors.ts";
import { parseArxivFeed } from "../../src/arxiv/atom.ts";
import { atomErrorFeed, atomFeed, type FakePaper } from "../fakes/arxiv/atom-feed.ts";
import { OLD_STYLE, SAMPLE_PAPERS, SHARPNESS } from "../fakes/arxiv/sample-papers.ts";

const meta = (totalResults: number) => ({
  query: "search_query=all:hessian&id_list=&start=0&max_results=10",
  totalResults,
  startIndex: 0,
  itemsPerPage: 10,
});

function feedOf(...papers: FakePaper[]): string {
  return atomFeed(papers, meta(papers.length));
}

function feedError(xml: string): ArxivFeedError {
  try {
    parseArxivFeed(xml);
  } catch (error) {
    if (error instanceof ArxivFeedError) return error;
    throw error;
  }
  throw new Error("parseArxivFeed did not throw");
}

/** Shaped like the example answers in arXiv's API user manual: a namespace on every element, id-less padding. */
const MANUAL_SHAPED = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link xmlns="http://www.w3.org/2005/Atom" href="http://arxiv.org/api/query?search_query=&amp;id_list=cond-mat/0702661,2201.99999&amp;start=0&amp;max_results=2" rel="self" type="application/atom+xml"/>
  <title xmlns="http://www.w3.org/2005/Atom">ArXiv Query: search_query=&amp;id_list=cond-mat/0702661,2201.99999&amp;start=0&amp;max_results=2</title>
  <id xmlns="http://www.w3.org/2005/Atom">http://arxiv.org/api/abcdefghijklmnopqrstuvwxyz0</id>
  <updated xmlns="http://www.w3.org/2005/Atom">2007-10-08T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
     2
  </opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:itemsPerPage>
  <entry xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
    <id xmlns="http://www.w3.org/2005/Atom">
        http://arxiv.org/abs/cond-mat/0702661
    </id>
    <published xmlns="http://www.w3.org/2005/Atom">2007-02-27T16:02:02-05:00</published>
    <updated xmlns="http://www.w3.org/2005/Atom">2007-06-25T17:09:59-04:00</updated>
    <title xmlns="http://www.w3.org/2005/Atom">
        Vortex   Lattices in a Rotating
      Condensate
    </title>
    <summary xmlns="http://www.w3.org/2005/Atom">  Vortices form a lattice.
    </summary>
    <author xmlns="http://www.w3.org/2005/Atom">
      <name xmlns="http://www.w3.org/2005/Atom">Jane Q. Public</name>
      <arxiv:affiliation xmlns:arxiv="http://arxiv.org/schemas/atom">Somewhere</arxiv:affiliation>
    </author>
    <link xmlns="http://www.w3.org/2005/Atom" href="http://arxiv.org/abs/cond-mat/0702661v2" rel="alternate" type="text/html"/>
    <link xmlns="http://www.w3.org/2005/Atom" title="pdf" href="http://arxiv.org/pdf/cond-mat/0702661v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cond-mat.other" scheme="http://arxiv.org/schemas/atom"/>
    <category xmlns="http://www.w3.org/2005/Atom" term="cond-mat.other" scheme="http://arxiv.org/schemas/atom"/>
    <category xmlns="http://www.w3.org/2005/Atom" term="I.2.6" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="" scheme="http://arxiv.org/schemas/atom"/>
    <category term="" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>`;

describe("parseArxivFeed", () => {
  it("reads every field of an entry", () => {
    const feed = parseArxivFeed(feedOf(SHARPNESS));
    expect(feed).toEqual({
      totalResults: 1,
      entries: [
        {
          id: "2401.01234",
          version: 2,
          title:
            "Sharpness and the Hessian: How the Curvature of the Loss Landscape Shapes What Deep Networks Learn & Forget",
          abstract:
            "We study the Hessian of the training loss <H> and show that sharpness falls as training proceeds. Our analysis covers transformers, convolutional networks and multilayer perceptrons trained with stochastic gradient descent at scale.",
          authors: ["Gregor Bachmann", "Thomas Hofmann"],
          categories: ["cs.LG", "stat.ML"],
          primaryCategory: "cs.LG",
          published: "2024-01-03",
          submitted: "2024-01-03T18:59:59Z",
          updated: "2024-02-10T09:30:00Z",
          comment:
            "ICML 2024; 30 pages, 12 figures; code at https://github.com/example/sharpness-hessian and more text to wrap",
          journalRef:
            "Proceedings of the 41st International Conference on Machine Learning, PMLR 235 (2024) 1-30",
          doi: "10.48550/example.2401.01234",
          absUrl: "https://arxiv.org/abs/2401.01234",
          pdfUrl: "https://arxiv.org/pdf/2401.01234v2",
        },
      ],
    });
  });

  it("folds the line breaks and runs of spaces arXiv puts inside titles, abstracts and comments", () => {
    const xml = feedOf(SHARPNESS);
    expect(xml).toMatch(/<title>[^<]*\n {2}[^<]*<\/title>/);
    expect(xml).toMatch(/<summary> {2}[^<]*\n[^<]*<\/summary>/);
    const [entry] = parseArxivFeed(xml).entries;
    for (const text of [entry?.title, entry?.abstract, entry?.comment]) {
      expect(text).not.toMatch(/\s{2}|\n|^\s|\s$/);
    }
  });

  it("leaves optional fields out when arXiv does not send them", () => {
    const [entry] = parseArxivFeed(feedOf(OLD_STYLE)).entries;
    expect(entry).not.toHaveProperty("comment");
    expect(entry).not.toHaveProperty("journalRef");
    expect(entry).not.toHaveProperty("doi");
  });

  it("reads old-style ids and takes the version from the <id> URL", () => {
    const [entry] = parseArxivFeed(feedOf({ ...OLD_STYLE, version: 4 })).entries;
    expect(entry).toMatchObject({
      id: "hep-th/9901001",
      version: 4,
      absUrl: "https://arxiv.org/abs/hep-th/9901001",
      pdfUrl: "https://arxiv.org/pdf/hep-th/9901001v4",
      categories: ["hep-th"],
    });
  });

  it("reads the manual's shape: namespaces on every element, an <id> without version, id-less padding entries", () => {
    const feed = parseArxivFeed(MANUAL_SHAPED);
    expect(feed.totalResults).toBe(2);
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]).toMatchObject({
      id: "cond-mat/0702661",
      version: 1,
      title: "Vortex Lattices in a Rotating Condensate",
      abstract: "Vortices form a lattice.",
      authors: ["Jane Q. Public"],
      categories: ["cond-mat.other"],
      primaryCategory: "cond-mat.other",
      published: "2007-02-27",
      updated: "2007-06-25T17:09:59-04:00",
    });
  });

  it("keeps every value a string, even a title that looks like a number", () => {
    const [entry] = parseArxivFeed(feedOf({ ...OLD_STYLE, title: "1e5" })).entries;
    expect(entry?.title).toBe("1e5");
  });

  it("reads several entries in order and the total count", () => {
    const feed = parseArxivFeed(atomFeed(SAMPLE_PAPERS, meta(42)));
    expect(feed.totalResults).toBe(42);
    expect(feed.entries.map((entry) => entry.id)).toEqual(SAMPLE_PAPERS.map((paper) => paper.id));
  });

  it("reads an empty feed as no entries", () => {
    expect(parseArxivFeed(atomFeed([], meta(0)))).toEqual({ entries: [], totalResults: 0 });
  });

  it("turns arXiv's error entry into ArxivFeedError carrying arXiv's message", () => {
    const error = feedError(atomErrorFeed("incorrect id format for 1234.12345"));
    expect(error.kind).toBe("api-error");
    expect(error.message).toBe("arXiv rejected the request: incorrect id format for 1234.12345");
  });

  it("rejects a feed cut off in the middle of an entry", () => {
    const xml = feedOf(SHARPNESS);
    const error = feedError(xml.slice(0, xml.indexOf("<summary>") + 20));
    expect(error.kind).toBe("malformed");
    expect(error.message).toMatch(/^arXiv sent malformed XML/);
  });

  it("rejects text that is not XML at all", () => {
    expect(feedError("Rate exceeded.").kind).toBe("malformed");
    expect(feedError("").kind).toBe("malformed");
  });

  it("rejects HTML error pages, well-formed or not", () => {
    const sloppy =
      "<!DOCTYPE html><html><head><meta charset=utf-8><title>503</title></head><body>Down</body></html>";
    expect(feedError(sloppy).kind).toBe("malformed");
    const xhtml = '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Service Unavailable</p></body></html>';
    const error = feedError(xhtml);
    expect(error.kind).toBe("not-atom");
    expect(error.message).toBe("arXiv sent something that is not an Atom feed (root element <html>)");
  });
});
