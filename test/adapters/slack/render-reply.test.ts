import { describe, expect, it } from "vitest";
import { renderReply } from "../../../src/adapters/slack/render-reply.ts";
import type { MessageReply, PaperReply, ResultItem, ResultsReply } from "../../../src/core/reply.ts";
import { assertWithinSlackLimits, markupProblems } from "../../fakes/slack/assert-within-slack-limits.ts";
import { samplePaperReply } from "../../fixtures/replies.ts";

const HOSTILE =
  "<!channel> <!here|here> <@U123> <#C1|general> <https://evil.example|click> & *bold* _it_ ~s~ `code` ```x``` > quote";

function paperReply(
  overrides: Partial<PaperReply["paper"]> = {},
  extra: Partial<PaperReply> = {},
): PaperReply {
  return samplePaperReply(overrides, { bibtex: "@article{x,\n  title = {A & B <c>}\n}", ...extra });
}

function hit(overrides: Partial<ResultItem> = {}): ResultItem {
  return {
    id: "2305.09088",
    title: "The Hessian perspective",
    titleDerived: false,
    authors: ["Sidak Pal Singh"],
    score: 0.9,
    snippet: [{ text: "the " }, { text: "hessian", match: true }, { text: " rank grows" }],
    url: "https://arxiv.org/abs/2305.09088",
    ...overrides,
  };
}

function resultsReply(query: string, hits: ResultItem[], extra: Partial<ResultsReply> = {}): ResultsReply {
  return {
    kind: "results",
    mode: "search",
    query,
    filters: [],
    hits,
    page: 1,
    pageSize: 5,
    total: hits.length,
    actions: [{ kind: "next", label: "Next page", invoke: { command: "search", text: query, page: 2 } }],
    ...extra,
  };
}

/** Everything Slack displays: button values are data sent back to us, never shown. */
function visibleText(payload: object): string {
  return JSON.stringify(payload, (key, value) => (key === "value" ? undefined : value));
}

describe("Slack Block Kit rendering", () => {
  it("renders a paper as header, context, abstract and buttons with a text fallback", () => {
    const message = renderReply(
      paperReply({
        links: {
          abs: "https://arxiv.org/abs/1",
          pdf: "https://arxiv.org/pdf/1",
          code: "https://github.com/x/y",
        },
      }),
    );
    expect(message.blocks.map((block) => block.type)).toEqual(["header", "context", "section", "actions"]);
    expect(message.text).toContain("The Hessian perspective");
    const actions = message.blocks[3] as {
      elements: { text: { text: string }; url?: string; value?: string }[];
    };
    expect(actions.elements.map((element) => element.text.text)).toEqual([
      "arXiv",
      "PDF",
      "Code",
      "Another",
      "BibTeX",
    ]);
    assertWithinSlackLimits(message);
  });

  it("renders the BibTeX view as an escaped code block", () => {
    const message = renderReply(paperReply({}, { view: "bibtex" }));
    const section = message.blocks.find((block) => block.type === "section") as { text: { text: string } };
    expect(section.text.text).toBe("```@article{x,\n  title = {A &amp; B &lt;c&gt;}\n}```");
  });

  it("escapes hostile text everywhere a paper echoes it", () => {
    const message = renderReply(
      paperReply(
        { title: HOSTILE, authors: [HOSTILE, "<@U999>"], venue: HOSTILE, abstract: HOSTILE },
        { heading: HOSTILE },
      ),
    );
    assertWithinSlackLimits(message);
    const text = visibleText(message);
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<@U");
    expect(text).toContain("&lt;!channel&gt;");
  });

  it("escapes a hostile query and hostile snippets in results", () => {
    const message = renderReply(
      resultsReply(HOSTILE, [
        hit({
          title: HOSTILE,
          authors: [HOSTILE],
          venue: HOSTILE,
          answer: HOSTILE,
          snippet: [{ text: HOSTILE, match: true }, { text: HOSTILE }],
        }),
      ]),
    );
    assertWithinSlackLimits(message);
    expect(visibleText(message)).not.toContain("<!here");
  });

  it("keeps a 4,000-character query and enormous papers within every limit", () => {
    const huge = `${"&<>".repeat(700)}${"word ".repeat(700)}`;
    const hits = Array.from({ length: 40 }, (_, index) =>
      hit({
        id: String(index),
        title: huge,
        authors: Array.from({ length: 500 }, () => huge.slice(0, 40)),
        venue: huge,
        answer: huge,
        snippet: Array.from({ length: 200 }, (_unused, at) => ({
          text: `${huge.slice(0, 30)} `,
          match: at % 2 === 0,
        })),
        url: `https://arxiv.org/abs/${"9".repeat(5000)}`,
      }),
    );
    const query = "q&<".repeat(1400);
    const results = renderReply(
      resultsReply(query, hits, {
        filters: [huge, huge],
        actions: [
          { kind: "previous", label: huge, invoke: { command: "search", text: query, page: 1 } },
          { kind: "next", label: "Next page", invoke: { command: "search", text: "short", page: 3 } },
        ],
      }),
    );
    assertWithinSlackLimits(results);
    const paper = renderReply(
      paperReply(
        {
          title: huge,
          authors: Array.from({ length: 300 }, () => huge),
          venue: huge,
          abstract: huge.repeat(5),
          links: {
            abs: "https://arxiv.org/abs/1",
            pdf: "https://arxiv.org/pdf/1",
            code: `https://x.example/${"a".repeat(4000)}`,
          },
        },
        { heading: huge, bibtex: huge.repeat(5), view: "bibtex" },
      ),
    );
    assertWithinSlackLimits(paper);
    const message = renderReply({
      kind: "message",
      tone: "error",
      text: `${huge}\n`.repeat(200),
      hint: huge.repeat(3),
      ephemeral: true,
    } satisfies MessageReply);
    assertWithinSlackLimits(message);
  });

  it("drops a button whose invocation cannot fit in a button value rather than failing the message", () => {
    const query = "a".repeat(2500);
    const message = renderReply(resultsReply(query, [hit()]));
    assertWithinSlackLimits(message);
    expect(message.blocks.some((block) => block.type === "actions")).toBe(false);
  });

  it("never turns a code URL that is not http(s) into a link", () => {
    const message = renderReply(
      paperReply({
        links: {
          abs: "https://arxiv.org/abs/1",
          pdf: "https://arxiv.org/pdf/1",
          code: "javascript:alert(1)",
        },
      }),
    );
    expect(visibleText(message)).not.toContain("javascript:");
  });

  it("marks derived titles so they do not pass for real ones", () => {
    const message = renderReply(paperReply({ title: "We study things", titleDerived: true }));
    const header = message.blocks[0] as { text: { text: string } };
    expect(header.text.text).toContain("(untitled)");
  });

  it("bolds matched snippet words without breaking on surrounding spaces", () => {
    const message = renderReply(resultsReply("hessian", [hit()]));
    expect(visibleText(message)).toContain("the *hessian* rank grows");
  });

  it("says so when there are no results", () => {
    const message = renderReply(resultsReply("nothing", [], { actions: [] }));
    assertWithinSlackLimits(message);
    expect(visibleText(message)).toContain("No paper matches");
  });

  it("has a checker that catches live markup and over-long fields", () => {
    expect(markupProblems("t", "<!channel> hi")).not.toEqual([]);
    expect(markupProblems("t", "a & b")).not.toEqual([]);
    expect(markupProblems("t", "<https://arxiv.org/abs/1|ok> &amp; &lt;")).toEqual([]);
    expect(() =>
      assertWithinSlackLimits({
        text: "x",
        blocks: [{ type: "header", text: { type: "plain_text", text: "x".repeat(151) } }],
      }),
    ).toThrow();
    expect(() =>
      assertWithinSlackLimits({ text: "x", blocks: Array.from({ length: 51 }, () => ({ type: "divider" })) }),
    ).toThrow();
  });
});
