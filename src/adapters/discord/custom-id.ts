/**
 * Button state in a custom_id (max 100 chars): who may update the message and which Invocation
 * the button runs. Short state travels inline, so buttons survive restarts and replicas; long
 * state (a 6,000-char query) stays in a bounded in-memory map under a short key.
 */
import type { ActionKind, Invocation } from "../../core/reply.ts";
import { DISCORD_LIMITS } from "./limits.ts";

export interface ButtonState {
  /** The user whose message this is: their clicks update it, anyone else gets a private copy. */
  ownerId: string;
  kind: ActionKind;
  invocation: Invocation;
}

export type DecodedButton =
  | { ok: true; state: ButtonState }
  /** "expired": a stored key this process no longer holds; "foreign": not a custom_id we wrote. */
  | { ok: false; reason: "expired" | "foreign" };

const INLINE_PREFIX = "pb1.";
const STORED_PREFIX = "pb1~";
const KIND_CODES: Readonly<Record<ActionKind, string>> = {
  previous: "p",
  next: "n",
  another: "r",
  abstract: "a",
  bibtex: "b",
};
const KINDS_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as ActionKind]));
const VIEW_CODES = { abstract: "a", bibtex: "b" } as const;
const COMMAND_NAME = /^[a-z0-9_-]{1,32}$/;
const SNOWFLAKE = /^\d{1,20}$/;
const BASE36 = /^[0-9a-z]{1,14}$/;

export const DEFAULT_STORED_BUTTONS = 10_000;

export class CustomIdCodec {
  readonly #stored = new Map<string, ButtonState>();
  // A per-process prefix, so a key minted by an earlier process (or another replica) never resolves here.
  readonly #epoch = (Date.now() % 36 ** 6).toString(36) + Math.floor(Math.random() * 36 ** 2).toString(36);
  #counter = 0;

  constructor(readonly maxStored: number = DEFAULT_STORED_BUTTONS) {}

  encode(state: ButtonState): string {
    const inline = encodeInline(state);
    if (inline && inline.length <= DISCORD_LIMITS.CUSTOM_ID) return inline;
    const key = `${this.#epoch}.${(this.#counter++).toString(36)}`;
    this.#stored.set(key, state);
    // Map iteration is insertion order: the first key is the oldest.
    while (this.#stored.size > this.maxStored)
      this.#stored.delete(this.#stored.keys().next().value as string);
    return `${STORED_PREFIX}${KIND_CODES[state.kind]}${key}`;
  }

  decode(customId: string): DecodedButton {
    if (customId.startsWith(STORED_PREFIX)) {
      const state = this.#stored.get(customId.slice(STORED_PREFIX.length + 1));
      return state ? { ok: true, state } : { ok: false, reason: "expired" };
    }
    if (customId.startsWith(INLINE_PREFIX)) {
      const state = decodeInline(customId.slice(INLINE_PREFIX.length));
      if (state) return { ok: true, state };
    }
    return { ok: false, reason: "foreign" };
  }
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
