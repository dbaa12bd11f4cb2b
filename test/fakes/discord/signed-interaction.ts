/**
 * Requests as Discord signs them for an HTTP interactions endpoint: Ed25519 over
 * `timestamp + rawBody`, in X-Signature-Ed25519 / X-Signature-Timestamp, with a generated key pair.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

export interface AppKeyPair {
  /** The 32-byte raw public key in hex, as DISCORD_PUBLIC_KEY holds it. */
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function keyPair(): AppKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return { publicKeyHex: raw.toString("hex"), privateKey };
}

/** A type alias, not an interface, so it still passes as a Record<string, string> of headers. */
export type SignatureHeaders = {
  "x-signature-ed25519": string;
  "x-signature-timestamp": string;
};

export function signed(
  privateKey: KeyObject,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
): SignatureHeaders {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

/** POSTs a signed interaction to an endpoint; the status and the JSON answer (typed as the caller expects). */
export async function postSigned<Json = Record<string, unknown>>(
  url: string,
  privateKey: KeyObject,
  body: string,
  headers: Record<string, string> = signed(privateKey, body),
): Promise<{ status: number; json: Json }> {
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  return { status: response.status, json: (await response.json()) as Json };
}
