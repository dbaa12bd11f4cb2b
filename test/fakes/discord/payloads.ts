/**
 * Gateway dispatch payloads as Discord sends them, with the fields discord.js needs to accept them
 * (`entitlements`, `authorizing_integration_owners`, a full message on component interactions).
 */
import { botMessage, FAKE_APPLICATION_ID, FAKE_BOT_USER_ID, snowflake } from "./fake-discord.ts";

export const GUILD_ID = "1200000000000000001";
export const CHANNEL_ID = "1200000000000000002";
export const ALICE = "1300000000000000001";
export const BOB = "1300000000000000002";
/** Member permissions: View Channel + Send Messages; MANAGE_CHANNELS adds 0x10. */
export const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n));

export interface InteractionOptions {
  userId?: string;
  guildId?: string | null;
  channelId?: string;
  permissions?: string;
}

export interface InteractionPayload extends Record<string, unknown> {
  id: string;
  token: string;
  guild_id?: string;
}

function user(id: string) {
  return {
    id,
    username: `user${id.slice(-4)}`,
    discriminator: "0",
    global_name: `User ${id.slice(-4)}`,
    avatar: null,
  };
}

function base(type: number, options: InteractionOptions): InteractionPayload {
  const id = snowflake();
  const guildId = options.guildId === undefined ? GUILD_ID : options.guildId;
  const channelId = options.channelId ?? CHANNEL_ID;
  const who = user(options.userId ?? ALICE);
  const payload: InteractionPayload = {
    id,
    token: `token-${id}`,
    application_id: FAKE_APPLICATION_ID,
    type,
    version: 1,
    channel_id: channelId,
    locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: { "0": guildId ?? who.id },
    app_permissions: "1126894608236096",
    attachment_size_limit: 10485760,
  };
  if (guildId) {
    payload.guild_id = guildId;
    payload.guild_locale = "en-US";
    payload.context = 0;
    payload.channel = { id: channelId, type: 0, guild_id: guildId, name: "papers", flags: 0, position: 0 };
    payload.member = {
      user: who,
      roles: [],
      permissions: options.permissions ?? MEMBER_PERMISSIONS,
      joined_at: "2024-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
      premium_since: null,
    };
  } else {
    payload.context = 1;
    payload.channel = { id: channelId, type: 1, recipients: [who], flags: 0 };
    payload.user = who;
  }
  return payload;
}

export function chatInput(
  name: string,
  values: Record<string, string>,
  options: InteractionOptions = {},
): InteractionPayload {
  const payload = base(2, options);
  payload.data = {
    id: snowflake(),
    name,
    type: 1,
    options: Object.entries(values).map(([optionName, value]) => ({ name: optionName, type: 3, value })),
  };
  return payload;
}

export function autocomplete(
  name: string,
  focused: string,
  value: string,
  options: InteractionOptions = {},
): InteractionPayload {
  const payload = base(4, options);
  payload.data = {
    id: snowflake(),
    name,
    type: 1,
    options: [{ name: focused, type: 3, value, focused: true }],
  };
  return payload;
}

/** A click on a button of a message the bot sent in answer to `ownerId`'s command. */
export function buttonClick(
  customId: string,
  options: InteractionOptions & { ownerId?: string; message?: Record<string, unknown> } = {},
): InteractionPayload {
  const payload = base(3, options);
  const owner = user(options.ownerId ?? ALICE);
  payload.data = { custom_id: customId, component_type: 2 };
  payload.message = botMessage(
    {
      type: 20,
      application_id: FAKE_APPLICATION_ID,
      interaction_metadata: {
        id: snowflake(),
        type: 2,
        user: owner,
        authorizing_integration_owners: { "0": GUILD_ID },
      },
      ...options.message,
    },
    options.channelId ?? CHANNEL_ID,
  );
  return payload;
}

/** MESSAGE_CREATE for a user message; `mentionBot` puts the bot in `mentions` as Discord does. */
export function messageCreate(
  content: string,
  options: { authorId?: string; mentionBot?: boolean; bot?: boolean; guildId?: string | null } = {},
): Record<string, unknown> & { id: string } {
  const guildId = options.guildId === undefined ? GUILD_ID : options.guildId;
  const author = { ...user(options.authorId ?? ALICE), ...(options.bot ? { bot: true } : {}) };
  return {
    id: snowflake(),
    channel_id: CHANNEL_ID,
    ...(guildId
      ? {
          guild_id: guildId,
          member: { roles: [], joined_at: "2024-01-01T00:00:00.000Z", deaf: false, mute: false },
        }
      : {}),
    author,
    type: 0,
    content,
    embeds: [],
    components: [],
    attachments: [],
    mentions: options.mentionBot
      ? [{ id: FAKE_BOT_USER_ID, username: "paperbot", discriminator: "0", bot: true }]
      : [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
  };
}
