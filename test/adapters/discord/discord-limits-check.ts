/** Checks a payload the bot sent against every Discord limit it could break (limits.ts numbers). */
import { expect } from "vitest";
import { DISCORD_LIMITS as L } from "../../../src/adapters/discord/limits.ts";

interface Embed {
  title?: string;
  description?: string;
  url?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
  author?: { name: string };
}

interface Button {
  type: number;
  label?: string;
  custom_id?: string;
  url?: string;
}

/** Accepts a message body, an interaction callback `{type, data}`, or an autocomplete result. */
export function assertWithinDiscordLimits(payload: unknown): void {
  const outer = payload as { type?: number; data?: unknown };
  const body = (outer && typeof outer.type === "number" && "data" in outer ? outer.data : payload) as
    | Record<string, unknown>
    | undefined;
  if (!body) return;
  if (Array.isArray(body.choices)) {
    const choices = body.choices as { name: string; value: string }[];
    expect(choices.length).toBeLessThanOrEqual(L.AUTOCOMPLETE_CHOICES);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThanOrEqual(1);
      expect(choice.name.length).toBeLessThanOrEqual(L.CHOICE_NAME);
      expect(String(choice.value).length).toBeLessThanOrEqual(L.CHOICE_VALUE);
    }
    return;
  }
  expect(body.allowed_mentions, "allowed_mentions on every message").toMatchObject({ parse: [] });
  if (typeof body.content === "string") expect(body.content.length).toBeLessThanOrEqual(L.CONTENT);
  const embeds = (body.embeds ?? []) as Embed[];
  expect(embeds.length).toBeLessThanOrEqual(L.EMBEDS_PER_MESSAGE);
  let total = 0;
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(L.EMBED_TITLE);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(L.EMBED_DESCRIPTION);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(L.EMBED_FOOTER);
    expect(embed.author?.name.length ?? 0).toBeLessThanOrEqual(L.EMBED_AUTHOR);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(L.EMBED_FIELDS);
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
    total += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThanOrEqual(1);
      expect(field.name.length).toBeLessThanOrEqual(L.EMBED_FIELD_NAME);
      expect(field.value.length).toBeGreaterThanOrEqual(1);
      expect(field.value.length).toBeLessThanOrEqual(L.EMBED_FIELD_VALUE);
      total += field.name.length + field.value.length;
    }
  }
  expect(total).toBeLessThanOrEqual(L.EMBEDS_TOTAL);
  const rows = (body.components ?? []) as { type: number; components: Button[] }[];
  expect(rows.length).toBeLessThanOrEqual(L.ACTION_ROWS);
  const ids = new Set<string>();
  for (const row of rows) {
    expect(row.type).toBe(1);
    expect(row.components.length).toBeGreaterThanOrEqual(1);
    expect(row.components.length).toBeLessThanOrEqual(L.BUTTONS_PER_ROW);
    for (const button of row.components) {
      expect(button.type).toBe(2);
      expect(button.label?.length ?? 0).toBeLessThanOrEqual(L.BUTTON_LABEL);
      if (button.url !== undefined) expect(button.url.length).toBeLessThanOrEqual(L.URL);
      else {
        expect(button.custom_id?.length ?? 0).toBeGreaterThanOrEqual(1);
        expect(button.custom_id?.length ?? 0).toBeLessThanOrEqual(L.CUSTOM_ID);
        expect(ids.has(button.custom_id ?? ""), "custom_ids unique within a message").toBe(false);
        ids.add(button.custom_id ?? "");
      }
    }
  }
  if (typeof body.nonce === "string") expect(body.nonce.length).toBeLessThanOrEqual(L.NONCE);
}
