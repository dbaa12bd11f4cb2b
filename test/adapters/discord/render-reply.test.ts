import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CustomIdCodec } from "../../../src/adapters/discord/custom-id.ts";
import { escapeMarkdown, escapeToFit, safeUrl } from "../../../src/adapters/discord/markdown.ts";
import { type DiscordMessage, renderReply } from "../../../src/adapters/discord/render-reply.ts";
import type { PaperReply, Reply, ResultItem, ResultsReply } from "../../../src/core/reply.ts";
import { samplePaperReply } from "../../fixtures/replies.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";
import { assertWithinDiscordLimits } from "./discord-limits-check.ts";

const OWNER = "1300000000000000001";
const HOSTILE =
  "@everyone @here <@&123456789012345678> <@1> **bold** __under__ [x](https://evil.example) `code` # h\n> quote";

let keys: TempKeys;
let codec: CustomIdCodec;
beforeAll(() => {
  keys = openTempKeys();
  codec = new CustomIdCodec(keys.keys);
});
afterAll(async () => keys.close());

/** Rendered the way the adapter does, long button state stored. */
function render(reply: Reply): Promise<DiscordMessage> {
  return codec.render((buttons) => renderReply(reply, { ownerId: OWNER, buttons }));
}

function paperReply(
  overrides: Partial<PaperReply["paper"]> = {},
  view: PaperReply["view"] = "abstract",
): PaperReply {
  return samplePaperReply(
    {
      published: "2023-05-16",
      abstract: "First sentence. Second sentence.",
      links: {
        abs: "https://arxiv.org/abs/2305.09088",
        pdf: "https://arxiv.org/pdf/2305.09088",
        code: "https://github.com/x/y",
      },
      ...overrides,
    },
    { heading: "Paper of the day", view, bibtex: "@article{x,\n  title = {A ```fence``` title}\n}" },
  );
}

function hit(index: number, text: string): ResultItem {
  return {
    id: `2305.${String(index).padStart(5, "0")}`,
    title: `${text} title ${index}`.repeat(5),
    titleDerived: index % 2 === 0,
    authors: Array.from({ length: 40 }, (_, author) => `Author ${author} ${text}`),
    venue: text,
    year: 2023,
    score: 0.5,
    snippet: [
      { text: `${text} before ` },
      { text: "match", match: true },
      { text: ` after ${text}`.repeat(20) },
    ],
    answer: index % 3 === 0 ? `${text} answer`.repeat(30) : undefined,
    url: `https://arxiv.org/abs/2305.${String(index).padStart(5, "0")}`,
  };
}

function resultsReply(count: number, text: string, query = text): ResultsReply {
  return {
    kind: "results",
    mode: "search",
    query,
    filters: [text, text],
    hits: Array.from({ length: count }, (_, index) => hit(index, text)),
    page: 3,
    pageSize: 5,
    total: 1000,
    actions: [
      { kind: "previous", label: "Previous", invoke: { command: "search", text: query, page: 2 } },
      { kind: "next", label: "Next page", invoke: { command: "search", text: query, page: 4 } },
    ],
  };
}

/** What people see: everything except the (never displayed) custom_ids. */
function shown(message: DiscordMessage) {
  return {
    ...message,
    components: message.components?.map((row) =>
      row.components.map((button) => ("label" in button ? button.label : "")),
    ),
  };
}

describe("renderReply", () => {
  it("renders a paper as an embed with arXiv link, fields and buttons", async () => {
    const message = await render(paperReply());
    assertWithinDiscordLimits(message);
    const embed = message.embeds?.[0];
    expect(embed?.url).toBe("https://arxiv.org/abs/2305.09088");
    expect(embed?.author?.name).toBe("Paper of the day");
    expect(embed?.fields?.map((field) => field.name)).toEqual(["Authors", "Published", "Links"]);
    expect(embed?.fields?.[2]?.value).toContain("[Code](https://github.com/x/y)");
    expect(
      message.components?.[0]?.components.map((button) => ("label" in button ? button.label : "")),
    ).toEqual(["Another", "BibTeX"]);
  });

  it("cuts an abstract over 4096 characters at a sentence boundary", async () => {
    const sentence = "This sentence is about neural networks and their Hessians. ";
    const message = await render(paperReply({ abstract: sentence.repeat(200) }));
    assertWithinDiscordLimits(message);
    const description = message.embeds?.[0]?.description ?? "";
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description.length).toBeGreaterThan(2000);
    expect(description).toMatch(/Hessians\. …$/);
  });

  it("keeps every part of a maximal hostile paper within limits, the total under 6000", async () => {
    const long = `${HOSTILE} `.repeat(100);
    const reply = paperReply({
      title: long,
      titleDerived: true,
      authors: Array.from({ length: 500 }, (_, index) => `${HOSTILE} ${index}`),
      venue: long,
      categories: Array.from({ length: 300 }, () => "cs.LG"),
      abstract: long.repeat(10),
      links: {
        abs: "https://arxiv.org/abs/2305.09088",
        pdf: "https://arxiv.org/pdf/2305.09088",
        code: `https://x.y/${"a".repeat(600)}`,
      },
    });
    reply.heading = long;
    reply.actions = Array.from({ length: 40 }, (_, index) => ({
      kind: "next" as const,
      label: long,
      invoke: { command: "search", text: long, page: index },
    }));
    const message = await render(reply);
    assertWithinDiscordLimits(message);
    expect(JSON.stringify(shown(message))).not.toMatch(/@everyone|@here/);
  });

  it("shows BibTeX in a code block no fence inside can break", async () => {
    const message = await render(paperReply({}, "bibtex"));
    const description = message.embeds?.[0]?.description ?? "";
    expect(description.startsWith("```bibtex\n@article{x,")).toBe(true);
    expect(description.endsWith("\n```")).toBe(true);
    expect(description.slice(3, -3)).not.toContain("```");
  });

  it("lists 100 hostile results within limits, saying how many did not fit", async () => {
    const message = await render(resultsReply(100, HOSTILE, HOSTILE.repeat(60)));
    assertWithinDiscordLimits(message);
    const description = message.embeds?.[0]?.description ?? "";
    expect(description).toMatch(/…and \d+ more on this page\.$/);
    expect(description).toContain("**11.**");
    expect(JSON.stringify(shown(message))).not.toMatch(/@everyone|@here|(?<!\\\\)<@/);
  });

  it("numbers results from the page and bolds matched words", async () => {
    const message = await render(resultsReply(2, "plain"));
    const description = message.embeds?.[0]?.description ?? "";
    expect(description).toContain("**11.** [“plain title 0");
    expect(description).toContain("**12.** [plain title 1");
    expect(description).toContain("**match**");
    expect(message.embeds?.[0]?.footer?.text).toBe("Page 3 of 200 · 1000 papers");
  });

  it("makes errors ephemeral and escapes their text", async () => {
    const message = await render({
      kind: "message",
      tone: "error",
      text: "No **match** for @everyone",
      hint: "Try /search",
      ephemeral: true,
    });
    assertWithinDiscordLimits(message);
    expect(message.flags).toBe(64);
    expect(message.content).toBe("No \\*\\*match\\*\\* for @\u200beveryone\nTry /search");
  });

  it("fits a 6,000-character message into 2,000", async () => {
    const message = await render({
      kind: "message",
      tone: "info",
      text: HOSTILE.repeat(60),
      hint: HOSTILE.repeat(60),
      ephemeral: false,
    });
    assertWithinDiscordLimits(message);
    expect(message.flags).toBeUndefined();
  });
});

describe("markdown helpers", () => {
  it("escapes inline and line-start markup, mentions and mass mentions", () => {
    expect(escapeMarkdown("a *b* _c_ ~d~ `e` |f| [g] <@1>")).toBe(
      "a \\*b\\* \\_c\\_ \\~d\\~ \\`e\\` \\|f\\| \\[g\\] \\<@1>",
    );
    expect(escapeMarkdown("# h\n- item\n> q\n1. one")).toBe("\\# h\n\\- item\n\\> q\n1\\. one");
    expect(escapeMarkdown("@everyone and @here")).toBe("@\u200beveryone and @\u200bhere");
    expect(escapeMarkdown("state-of-the-art (2023): fine")).toBe("state-of-the-art (2023): fine");
  });

  it("never splits an escape when fitting", () => {
    for (let max = 1; max < 40; max++) {
      const fitted = escapeToFit("*".repeat(50), max);
      expect(fitted.length).toBeLessThanOrEqual(max);
      expect(fitted.replace(/…$/, "")).toMatch(/^(\\\*)*$/);
    }
  });

  it("accepts only http(s) URLs within the limit and encodes parentheses", () => {
    expect(safeUrl("javascript:alert(1)", 512)).toBeUndefined();
    expect(safeUrl("https://x.y/a(b)", 512)).toBe("https://x.y/a%28b%29");
    expect(safeUrl(`https://x.y/${"a".repeat(600)}`, 512)).toBeUndefined();
    expect(safeUrl(undefined, 512)).toBeUndefined();
  });
});
