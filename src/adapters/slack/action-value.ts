/**
 * A button carries the invocation it re-runs in its `value` (<= 2000 chars), so a click needs no
 * server-side state and works on any replica. Values are parsed defensively: they come back to us
 * inside a signed request, but a stale message from an older version must not crash anything.
 */
import type { ActionKind, Invocation } from "../../core/reply.ts";
import { SLACK_LIMITS } from "./slack-limits.ts";

export const ACTION_ID_PREFIX = "paperbot:";
export const ACTION_ID_PATTERN = /^paperbot:/;

interface EncodedInvocation {
  c: string;
  t: string;
  p?: number;
  v?: "abstract" | "bibtex";
}

export function actionId(kind: ActionKind | "link", index: number): string {
  return `${ACTION_ID_PREFIX}${kind}:${index}`;
}

/** The encoded invocation, or undefined when it would not fit in a button value. */
export function encodeInvocation(invocation: Invocation): string | undefined {
  const encoded: EncodedInvocation = { c: invocation.command, t: invocation.text };
  if (invocation.page !== undefined) encoded.p = invocation.page;
  if (invocation.view !== undefined) encoded.v = invocation.view;
  const value = JSON.stringify(encoded);
  return value.length <= SLACK_LIMITS.BUTTON_VALUE ? value : undefined;
}

export function decodeInvocation(value: string | undefined): Invocation | undefined {
  if (!value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { c, t, p, v } = parsed as Record<string, unknown>;
  if (typeof c !== "string" || typeof t !== "string") return undefined;
  const invocation: Invocation = { command: c, text: t };
  if (typeof p === "number" && Number.isInteger(p) && p >= 1) invocation.page = p;
  if (v === "abstract" || v === "bibtex") invocation.view = v;
  return invocation;
}
