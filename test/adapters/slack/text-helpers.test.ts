import { describe, expect, it } from "vitest";
import { decodeInvocation, encodeInvocation } from "../../../src/adapters/slack/action-value.ts";
import { mentionsUser, slackTextToPlain, stripMention } from "../../../src/adapters/slack/incoming-text.ts";
import { escapeSlack, fitEscaped, truncate } from "../../../src/adapters/slack/mrkdwn.ts";
import { slackApiUrl } from "../../../src/adapters/slack/start-slack.ts";

describe("Slack text helpers", () => {
  it("escapes only &, < and >", () => {
    expect(escapeSlack("<!channel> & *x* _y_")).toBe("&lt;!channel&gt; &amp; *x* _y_");
  });

  it("fits escaped text without cutting an entity or a surrogate pair", () => {
    expect(fitEscaped("ab&cd", 5)).toBe("ab…");
    expect(fitEscaped("abcdef", 10)).toBe("abcdef");
    const emoji = "😀".repeat(10);
    const cut = truncate(emoji, 6);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(() => encodeURIComponent(cut)).not.toThrow();
    for (let max = 1; max < 30; max += 1) {
      const fitted = fitEscaped("a&b<c>d&&e", max);
      expect(fitted.length).toBeLessThanOrEqual(max);
      expect(fitted.replace(/&(amp|lt|gt);/g, "")).not.toMatch(/[&<>]/);
    }
  });

  it("turns Slack markup back into what the user typed", () => {
    expect(slackTextToPlain("<https://arxiv.org/abs/2305.09088v1>")).toBe(
      "https://arxiv.org/abs/2305.09088v1",
    );
    expect(slackTextToPlain("see <http://example.com|example.com> &amp; a &lt; b &gt; c")).toBe(
      "see example.com & a < b > c",
    );
    expect(slackTextToPlain("hi <@U123|ada> in <#C1|general> <!here>")).toBe("hi @ada in #general @here");
  });

  it("removes the bot's own mention only", () => {
    expect(stripMention("<@UBOT> hi <@U2>", "UBOT").trim()).toBe("hi <@U2>");
    expect(mentionsUser("<@UBOT|paperbot> hi", "UBOT")).toBe(true);
    expect(mentionsUser("hi", "UBOT")).toBe(false);
  });

  it("round-trips an invocation through a button value and rejects junk", () => {
    const invocation = { command: "search", text: "hessian & <rank>", page: 2 };
    expect(decodeInvocation(encodeInvocation(invocation))).toEqual(invocation);
    expect(decodeInvocation(encodeInvocation({ command: "paper", text: "1", view: "bibtex" }))?.view).toBe(
      "bibtex",
    );
    expect(encodeInvocation({ command: "search", text: "x".repeat(2000) })).toBeUndefined();
    expect(decodeInvocation("{")).toBeUndefined();
    expect(decodeInvocation('{"c":1,"t":"x"}')).toBeUndefined();
    expect(decodeInvocation('{"c":"search","t":"x","p":-3,"v":"evil"}')).toEqual({
      command: "search",
      text: "x",
    });
  });

  it("keeps the Web API base URL's trailing slash", () => {
    expect(slackApiUrl("http://127.0.0.1:9/api")).toBe("http://127.0.0.1:9/api/");
    expect(slackApiUrl("http://127.0.0.1:9/api/")).toBe("http://127.0.0.1:9/api/");
    expect(slackApiUrl(undefined)).toBe("https://slack.com/api/");
  });
});
