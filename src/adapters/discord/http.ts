/**
 * HTTP interactions mode: Discord POSTs each interaction to /discord/interactions; the first
 * response is the HTTP response, later edits go through the webhook REST path. What must hold across
 * requests (interaction ids already run, long button state) lives in the shared KeyStore
 * (deps.keys), so any number of replicas behind a load balancer answer as one bot.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIInteraction, APIInteractionResponse } from "discord.js";
import { createChannelPoster } from "./channel-poster.ts";
import { CustomIdCodec } from "./custom-id.ts";
import { SHUTDOWN_GRACE_MS } from "./gateway.ts";
import { InFlight } from "./in-flight.ts";
import { createInteractionHandler } from "./interaction-handler.ts";
import { createInteractionRest, createRest, webhookResponder } from "./interaction-rest.ts";
import { createSeenInteractions } from "./seen-interactions.ts";
import { createSingleAttemptRest } from "./single-attempt-rest.ts";
import type { DiscordConfig, DiscordDeps, DiscordHandle } from "./types.ts";
import { createSignatureVerifier } from "./verify-signature.ts";

export const INTERACTIONS_PATH = "/discord/interactions";
export const HEALTH_PATH = "/health";
/** Interaction payloads are a few KB; anything far larger is not from Discord. */
const MAX_BODY_BYTES = 1_000_000;
const PING = 1;
const PONG = 1;

export interface DiscordHttpHandle extends DiscordHandle {
  /** The bound port (useful when started on port 0). */
  port: number;
}

export async function startDiscordHttp(
  deps: DiscordDeps,
  config: DiscordConfig,
  port: number,
  options: {
    host?: string;
    now?: () => number;
    /** Answers GET /metrics (returns false for other paths) when metrics share this port. */
    metricsHandler?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  } = {},
): Promise<DiscordHttpHandle> {
  if (!config.publicKey) throw new Error("DISCORD_PUBLIC_KEY is needed for the HTTP interactions endpoint");
  if (!deps.keys)
    throw new Error("Discord needs the shared key store (deps.keys) for replay defence and buttons");
  const { logger } = deps;
  const verifySignature = createSignatureVerifier(config.publicKey, options.now);
  const interactionRest = createInteractionRest(config.apiUrl);
  const seenInteractions = createSeenInteractions(deps.keys);
  // Daily posts are created through the single-attempt client; reads may retry.
  const botRest = config.token
    ? {
        send: createSingleAttemptRest(config.apiUrl).setToken(config.token),
        read: createRest(config.apiUrl).setToken(config.token),
      }
    : undefined;
  const buttons = new CustomIdCodec(deps.keys);
  const inFlight = new InFlight();
  const handleInteraction = createInteractionHandler({ deps, buttons });

  async function interactions(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request);
    if (!body) return send(response, 413, { error: "request too large" });
    const signature = header(request, "x-signature-ed25519");
    const timestamp = header(request, "x-signature-timestamp");
    if (!verifySignature(signature, timestamp, body))
      return send(response, 401, { error: "invalid request signature" });
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString("utf8")) as APIInteraction;
    } catch {
      return send(response, 400, { error: "invalid JSON" });
    }
    if (interaction.type === PING) return send(response, 200, { type: PONG });
    // A validly signed request seen before is a replay: Discord delivers each interaction once.
    // (A PING runs nothing, so it is answered every time.)
    if (typeof interaction.id !== "string") return send(response, 400, { error: "no interaction id" });
    if (!(await seenInteractions.firstSeen(interaction.id)))
      return send(response, 409, { error: "interaction already received" });

    let answered = false;
    const firstResponse = new Promise<APIInteractionResponse | undefined>((resolve) => {
      const responder = webhookResponder(interactionRest.rest, interaction, async (callback) => {
        answered = true;
        resolve(callback);
      });
      const work = handleInteraction(interaction, responder).finally(() => resolve(undefined));
      inFlight.track(work);
    });
    const callback = await firstResponse;
    if (!callback || !answered) return send(response, 500, { error: "no response" });
    send(response, 200, callback);
  }

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "POST" && path === INTERACTIONS_PATH) {
      interactions(request, response).catch((error: unknown) => {
        logger.error("discord http: request failed", error);
        if (!response.headersSent) send(response, 500, { error: "internal error" });
      });
    } else if (request.method === "GET" && path === HEALTH_PATH) {
      send(response, 200, { ok: true, papers: deps.getPapers().size });
    } else if (options.metricsHandler) {
      void options.metricsHandler(request, response).then((handled) => {
        if (!handled) send(response, 404, { error: "not found" });
      });
    } else {
      send(response, 404, { error: "not found" });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, options.host ?? "0.0.0.0", () => resolve());
  });
  const boundPort = (server.address() as AddressInfo).port;
  logger.info(`discord: HTTP interactions on :${boundPort}${INTERACTIONS_PATH}`);

  const poster = createChannelPoster(botRest, buttons);
  return {
    port: boundPort,
    post: poster.post,
    wasPosted: poster.wasPosted,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (!(await inFlight.drain(SHUTDOWN_GRACE_MS)))
        logger.warn("discord: stopped with replies still running");
      server.closeAllConnections();
      await closed;
      interactionRest.close();
      for (const rest of botRest ? [botRest.send, botRest.read] : []) {
        rest.clearHashSweeper();
        rest.clearHandlerSweeper();
      }
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The raw bytes (the signature covers them exactly); undefined when over the size limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
