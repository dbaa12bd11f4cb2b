/**
 * Requests built per Slack's documented signing scheme: `X-Slack-Signature` is `v0=` + hex
 * HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`), with `X-Slack-Request-Timestamp`.
 */
import { createHmac } from "node:crypto";

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sign with this secret instead (a wrong one makes a bad signature). */
  secret?: string;
  retryNum?: number;
  /** Leave out the signature headers entirely. */
  unsigned?: boolean;
}

export interface SlackSender {
  command(fields: Record<string, string>, options?: SendOptions): Promise<Response>;
  event(body: Record<string, unknown>, options?: SendOptions): Promise<Response>;
  action(payload: Record<string, unknown>, options?: SendOptions): Promise<Response>;
  raw(body: string, contentType: string, options?: SendOptions): Promise<Response>;
}

export function slackSender(endpoint: string, signingSecret: string): SlackSender {
  const raw = async (body: string, contentType: string, options: SendOptions = {}) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { "content-type": contentType };
    if (!options.unsigned) {
      headers["x-slack-request-timestamp"] = String(timestamp);
      headers["x-slack-signature"] = slackSignature(options.secret ?? signingSecret, timestamp, body);
    }
    if (options.retryNum !== undefined) {
      headers["x-slack-retry-num"] = String(options.retryNum);
      headers["x-slack-retry-reason"] = "http_timeout";
    }
    return fetch(endpoint, { method: "POST", headers, body });
  };
  const form = "application/x-www-form-urlencoded";
  return {
    raw,
    command: (fields, options) => raw(new URLSearchParams(fields).toString(), form, options),
    event: (body, options) => raw(JSON.stringify(body), "application/json", options),
    action: (payload, options) =>
      raw(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), form, options),
  };
}
