/**
 * Makes a log detail safe and JSON-ready: secret-looking fields are replaced, credentials inside
 * strings (URLs with a password, Slack and Discord tokens, Authorization values) are masked, and
 * errors become plain objects with their stack. Used by the JSON logger before pino sees anything.
 */

export const REDACTED = "[Redacted]";
const MAX_DEPTH = 8;

/**
 * Keys whose values are secrets, compared without case, "_" or "-": token, botToken, DISCORD_TOKEN,
 * signingSecret, password, authorization, cookie, apiKey, privateKey, credentials.
 */
const SECRET_KEY =
  /(token|secret|password|passwd|passphrase|authorization|cookie|apikey|privatekey|credentials?)$/;

/** Secrets that show up inside ordinary strings (error messages, URLs, headers). */
const SECRET_TEXT: readonly [RegExp, string][] = [
  // postgres://user:password@host/db and any scheme://user:pass@ (DATABASE_URL, proxies).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, `$1${REDACTED}@`],
  // Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xapp-.
  [/\b(?:xox[abprs]|xapp)-[A-Za-z0-9-]+/g, REDACTED],
  // Discord bot tokens (user id, timestamp, HMAC) and JWTs: three long base64url parts joined by dots.
  [/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{20,}/g, REDACTED],
  // Authorization header values written into a message ("Bot <token>" is caught above).
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g, `$1 ${REDACTED}`],
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[_-]/g, ""));
}

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` that is safe to log; the original is never changed. */
export function redact(value: unknown): unknown {
  return clean(value, 0, new WeakSet());
}

function clean(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Too deep]";
  seen.add(value);
  try {
    if (value instanceof Error) return cleanFields(errorFields(value), depth, seen);
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    const json = (value as { toJSON?: () => unknown }).toJSON;
    // Dates, URLs and the like say how they want to be written; a URL's text is then scrubbed.
    if (typeof json === "function") return clean(json.call(value), depth + 1, seen);
    if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1, seen) ?? null);
    if (value instanceof Map) return cleanFields(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return [...value].map((item) => clean(item, depth + 1, seen) ?? null);
    return cleanFields(value as Record<string, unknown>, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function cleanFields(fields: Record<string, unknown>, depth: number, seen: WeakSet<object>) {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    if (field === undefined) continue;
    out[key] = isSecretKey(key) && field !== null && field !== "" ? REDACTED : clean(field, depth + 1, seen);
  }
  return out;
}

/** type, message, stack, then the error's own fields (code, status, ...) and its cause. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [key, field] of Object.entries(error)) if (!(key in fields)) fields[key] = field;
  if (error.cause !== undefined) fields.cause = error.cause;
  if (error instanceof AggregateError) fields.errors = error.errors;
  return fields;
}
