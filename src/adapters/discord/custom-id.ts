/**
 * Button state in a custom_id (max 100 chars): who may update the message and which Invocation
 * the button runs. Short state travels inline; long state (a 6,000-char query) goes to the shared
 * KeyStore under a short key made from its content. Either way a button works after a restart and
 * on every replica: `render` stores a message's long state before the message can be sent.
 */
import { createHash } from "node:crypto";
import type { ActionKind, Invocation } from "../../core/reply.ts";
import type { KeyStore } from "../../store/key-store.ts";
import { DISCORD_LIMITS } from "./limits.ts";

export interface ButtonState {
  /** The user whose message this is: their clicks update it, anyone else gets a private copy. */
  ownerId: string;
  kind: ActionKind;
  invocation: Invocation;
}

export type DecodedButton =
  | { ok: true; state: ButtonState }
  /** "expired": stored state the KeyStore no longer holds; "foreign": not a custom_id we wrote. */
  | { ok: false; reason: "expired" | "foreign" };

/** Mints custom_ids during one synchronous render (see CustomIdCodec.render). */
export interface ButtonEncoder {
  encode(state: ButtonState): string;
}

export const BUTTON_NAMESPACE = "discord-button";
/** Stored state outlives the message's usefulness: people page through week-old results. */
export const BUTTON_STATE_TTL_MS = 7 * 24 * 60 * 60_000;

const INLINE_PREFIX = "pb1.";
const STORED_PREFIX = "pb1~";
/** 22 base64url characters: 132 bits of a SHA-256 of the state, so keys never collide in practice. */
const STORED_KEY_LENGTH = 22;
const STORED_KEY = new RegExp(`^[A-Za-z0-9_-]{${STORED_KEY_LENGTH}}$`);
const KIND_CODES: Readonly<Record<ActionKind, string>> = {
  previous: "p",
  next: "n",
  another: "r",
  abstract: "a",
  bibtex: "b",
  related: "l",
};
const KINDS_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as ActionKind]));
const VIEW_CODES = { abstract: "a", bibtex: "b" } as const;
const COMMAND_NAME = /^[a-z0-9_-]{1,32}$/;
const SNOWFLAKE = /^\d{1,20}$/;
const BASE36 = /^[0-9a-z]{1,14}$/;

export class CustomIdCodec {
  constructor(
    private readonly keys: KeyStore,
    readonly ttlMs: number = BUTTON_STATE_TTL_MS,
  ) {}

  /**
   * Runs a synchronous render with an encoder, then stores the long state that render minted.
   * Resolves with the render's result once each of its buttons resolves on every replica; rejects
   * (and the message must not be sent) when the store cannot be written.
   */
  async render<T>(draw: (buttons: ButtonEncoder) => T): Promise<T> {
    const minted = new Map<string, string>();
    const result = draw({ encode: (state) => encode(state, minted) });
    await Promise.all(
      [...minted].map(([key, value]) => this.keys.put(BUTTON_NAMESPACE, key, this.ttlMs, value)),
    );
    return result;
  }

  /** Inline state is read from the id itself; stored state from the KeyStore (it may throw when that fails). */
  async decode(customId: string): Promise<DecodedButton> {
    if (customId.startsWith(STORED_PREFIX)) {
      // The kind code comes first; ids from before the shared store have another key shape and stay expired.
      const key = customId.slice(STORED_PREFIX.length + 1);
      if (!STORED_KEY.test(key)) return { ok: false, reason: "expired" };
      const state = parseStored(await this.keys.get(BUTTON_NAMESPACE, key));
      return state ? { ok: true, state } : { ok: false, reason: "expired" };
    }
    if (customId.startsWith(INLINE_PREFIX)) {
      const state = decodeInline(customId.slice(INLINE_PREFIX.length));
      if (state) return { ok: true, state };
    }
    return { ok: false, reason: "foreign" };
  }
}

function encode(state: ButtonState, minted: Map<string, string>): string {
  const inline = encodeInline(state);
  if (inline && inline.length <= DISCORD_LIMITS.CUSTOM_ID) return inline;
  const value = JSON.stringify(state);
  const key = createHash("sha256").update(value).digest("base64url").slice(0, STORED_KEY_LENGTH);
  minted.set(key, value);
  return `${STORED_PREFIX}${KIND_CODES[state.kind]}${key}`;
}

/** Stored state as written by `encode`; anything else (a damaged row) reads as expired. */
function parseStored(value: string | undefined): ButtonState | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const { ownerId, kind, invocation } = (parsed ?? {}) as Partial<Record<keyof ButtonState, unknown>>;
  if (typeof ownerId !== "string" || typeof kind !== "string" || !(kind in KIND_CODES)) return undefined;
  const { command, text, page, view } = (invocation ?? {}) as Partial<Record<keyof Invocation, unknown>>;
  if (typeof command !== "string" || typeof text !== "string") return undefined;
  if (page !== undefined && !Number.isInteger(page)) return undefined;
  if (view !== undefined && view !== "abstract" && view !== "bibtex") return undefined;
  const rebuilt: Invocation = { command, text };
  if (page !== undefined) rebuilt.page = page as number;
  if (view !== undefined) rebuilt.view = view;
  return { ownerId, kind: kind as ActionKind, invocation: rebuilt };
}

/** `pb1.<kind>.<owner base36>.<command>.<page base36>.<view>.<text>`; text last, so it may hold dots. */
function encodeInline({ ownerId, kind, invocation }: ButtonState): string | undefined {
  if (!SNOWFLAKE.test(ownerId) || !COMMAND_NAME.test(invocation.command)) return undefined;
  const page = invocation.page === undefined ? "" : invocation.page.toString(36);
  const view = invocation.view ? VIEW_CODES[invocation.view] : "";
  const owner = BigInt(ownerId).toString(36);
  return `${INLINE_PREFIX}${KIND_CODES[kind]}.${owner}.${invocation.command}.${page}.${view}.${invocation.text}`;
}

function decodeInline(body: string): ButtonState | undefined {
  const parts = body.split(".");
  if (parts.length < 6) return undefined;
  const [kindCode = "", owner = "", command = "", page = "", view = ""] = parts;
  const kind = KINDS_BY_CODE.get(kindCode);
  if (!kind || !BASE36.test(owner) || !COMMAND_NAME.test(command)) return undefined;
  if (page !== "" && !BASE36.test(page)) return undefined;
  if (view !== "" && view !== "a" && view !== "b") return undefined;
  const invocation: Invocation = { command, text: parts.slice(5).join(".") };
  if (page !== "") invocation.page = Number.parseInt(page, 36);
  if (view) invocation.view = view === "a" ? "abstract" : "bibtex";
  return { ownerId: base36ToDecimal(owner), kind, invocation };
}

function base36ToDecimal(text: string): string {
  let value = 0n;
  for (const digit of text) value = value * 36n + BigInt(Number.parseInt(digit, 36));
  return value.toString();
}
