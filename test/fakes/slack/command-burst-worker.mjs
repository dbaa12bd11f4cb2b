/**
 * Load client in a worker thread: fires signed slash commands all at once and times each ack.
 * Kept out of the server's event loop (and in plain JS, so it needs no loader) so that the
 * measured latency is the server's, as Slack would see it.
 */
import { createHmac } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";

const { endpoint, secret, commands } = workerData;

const results = await Promise.all(
  commands.map(async (fields) => {
    const body = new URLSearchParams(fields).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    const started = performance.now();
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": signature,
      },
      body,
    });
    const text = await response.text();
    return { ms: performance.now() - started, status: response.status, body: text };
  }),
);
parentPort.postMessage(results);
