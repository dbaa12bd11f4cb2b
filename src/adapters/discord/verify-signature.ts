/**
 * Ed25519 request signatures of Discord's HTTP interactions: the app's public key over
 * `X-Signature-Timestamp + rawBody`. Discord probes endpoints with bad signatures; each must fail.
 */
import { createPublicKey, verify } from "node:crypto";

// DER header of an Ed25519 SubjectPublicKeyInfo; Discord shows only the raw 32-byte key (64 hex chars).
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
/** Older timestamps are replays; within it, seen-interactions.ts refuses a repeated interaction id. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;
/** Discord signs with its own clock: a timestamp this far ahead of ours is clock drift, further is not. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

export type SignatureCheck = (
  signature: string | undefined,
  timestamp: string | undefined,
  rawBody: Buffer,
) => boolean;

export function createSignatureVerifier(publicKeyHex: string, now: () => number = Date.now): SignatureCheck {
  if (!/^[0-9a-f]{64}$/i.test(publicKeyHex)) throw new Error("DISCORD_PUBLIC_KEY must be 64 hex characters");
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, "hex")]),
    format: "der",
    type: "spki",
  });
  return (signature, timestamp, rawBody) => {
    if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,15}$/.test(timestamp))
      return false;
    const ageSeconds = now() / 1000 - Number(timestamp);
    if (ageSeconds > MAX_SIGNATURE_AGE_SECONDS || ageSeconds < -MAX_CLOCK_SKEW_SECONDS) return false;
    return verify(
      null,
      Buffer.concat([Buffer.from(timestamp, "utf8"), rawBody]),
      key,
      Buffer.from(signature, "hex"),
    );
  };
}
