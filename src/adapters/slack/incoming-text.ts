/**
 * Slack sends user text in its own markup: `&amp;`, `&lt;`, `&gt;` entities, `<https://url|label>`
 * links, `<@U123>` user and `<#C123|name>` channel references. Commands want what the user typed.
 */

/** The bot's own mention, with or without a display name: `<@U123>` or `<@U123|paperbot>`. */
export function stripMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  return text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, "g"), " ");
}

export function mentionsUser(text: string, userId: string | undefined): boolean {
  return userId !== undefined && new RegExp(`<@${userId}(?:\\|[^>]*)?>`).test(text);
}

export function slackTextToPlain(text: string): string {
  const unlinked = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf("|");
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? undefined : inner.slice(bar + 1);
    if (target.startsWith("@")) return label ? `@${label.replace(/^@/, "")}` : target;
    if (target.startsWith("#")) return label ? `#${label}` : target;
    if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
    // Links: the label is what the user typed (`<http://example.com|example.com>`); a bare URL has none.
    return label ?? target;
  });
  return unlinked
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
