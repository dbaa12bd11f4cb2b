/**
 * Discord's payload limits (over any of them the API answers HTTP 400). The renderers in this
 * folder enforce them; the tests check every payload against the same numbers.
 */
export const DISCORD_LIMITS = Object.freeze({
  CONTENT: 2000,
  EMBEDS_PER_MESSAGE: 10,
  EMBED_TITLE: 256,
  EMBED_DESCRIPTION: 4096,
  EMBED_FIELDS: 25,
  EMBED_FIELD_NAME: 256,
  EMBED_FIELD_VALUE: 1024,
  EMBED_FOOTER: 2048,
  EMBED_AUTHOR: 256,
  /** Sum of title, description, field names and values, footer and author over all embeds of a message. */
  EMBEDS_TOTAL: 6000,
  ACTION_ROWS: 5,
  BUTTONS_PER_ROW: 5,
  BUTTON_LABEL: 80,
  CUSTOM_ID: 100,
  URL: 512,
  AUTOCOMPLETE_CHOICES: 25,
  CHOICE_NAME: 100,
  CHOICE_VALUE: 100,
  COMMAND_NAME: 32,
  COMMAND_DESCRIPTION: 100,
  COMMAND_OPTIONS: 25,
  /** Channel-message nonce, used as the idempotency key of daily posts. */
  NONCE: 25,
});

/** Discord's deadline for the first response to an interaction. */
export const INTERACTION_DEADLINE_MS = 3000;
