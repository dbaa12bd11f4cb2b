/**
 * Block Kit limits, enforced by the renderer next to them. Slack answers `invalid_blocks` when any
 * one is exceeded, so every payload is cut to fit whatever the paper or the query.
 */
export const SLACK_LIMITS = Object.freeze({
  BLOCKS_PER_MESSAGE: 50,
  SECTION_TEXT: 3000,
  SECTION_FIELDS: 10,
  FIELD_TEXT: 2000,
  HEADER_TEXT: 150,
  CONTEXT_ELEMENTS: 10,
  CONTEXT_TEXT: 3000,
  ACTIONS_ELEMENTS: 25,
  BUTTON_TEXT: 75,
  BUTTON_VALUE: 2000,
  BUTTON_URL: 3000,
  ACTION_ID: 255,
  BLOCK_ID: 255,
  /** Top-level `text` is the notification and screen-reader fallback; Slack truncates past 40,000, we stay short. */
  MESSAGE_TEXT: 4000,
  /** Slash command and interaction responses must arrive within this. */
  ACK_DEADLINE_MS: 3000,
  /** `response_url` accepts this many uses within 30 minutes. */
  RESPONSE_URL_USES: 5,
});

/** Keep results pages well inside the block budget: each hit takes one section. */
export const MAX_HITS_RENDERED = 10;

/** Authors shown before "et al." in a context line. */
export const MAX_AUTHORS_SHOWN = 8;
