/**
 * A local fake of Discord, enough for the real discord.js Client: REST under /api/v10 and a
 * WebSocket gateway (HELLO op 10, IDENTIFY op 2 -> READY, heartbeat op 1 -> ACK op 11, dispatches
 * op 0 with rising `s`). It records every REST call so tests assert on what the bot sent, and keeps
 * channel messages as Discord does: POST /channels/{id}/messages stores one (a repeated
 * `enforce_nonce` nonce within the window returns the earlier message instead), GET lists them
 * newest first without their nonce. One-shot faults (`failNextAnswer`) lose an answer after the
 * work is done, as Discord does under trouble.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { type WebSocket, WebSocketServer } from "ws";

export const FAKE_APPLICATION_ID = "1100000000000000001";
export const FAKE_BOT_USER_ID = "1100000000000000002";
const DISCORD_EPOCH = 1420070400000n;
/** Discord checks an enforced nonce "in the past few minutes"; the fake takes five. */
export const NONCE_WINDOW_MS = 5 * 60_000;
const MAX_MESSAGES_PAGE = 100;
const DEFAULT_MESSAGES_PAGE = 50;

export const FAKE_BOT_USER = Object.freeze({
  id: FAKE_BOT_USER_ID,
  username: "paperbot",
  discriminator: "0",
  global_name: null,
  avatar: null,
  bot: true,
  flags: 0,
});

/** Discord's answers when a channel cannot be used. */
export const CHANNEL_ERRORS = Object.freeze({
  403: { message: "Missing Access", code: 50001 },
  404: { message: "Unknown Channel", code: 10003 },
});

interface StoredMessage {
  message: Record<string, unknown>;
  /** Kept aside: Discord echoes the nonce on create but fetched messages do not carry it. */
  nonce?: string;
  createdAt: number;
}

/**
 * How an answer is lost after the request was carried out (a message stored): a 5xx status, or
 * "hang", no answer at all until the client gives up and closes the connection.
 */
export type AnswerFault = { status: number } | "hang";

interface PendingFault {
  method: string;
  path: RegExp;
  fault: AnswerFault;
}

export interface RecordedCall {
  method: string;
  /** Path below /api/v10, e.g. /interactions/{id}/{token}/callback. */
  path: string;
  /** The query string, e.g. "?limit=50" ("" without one). */
  search: string;
  body: unknown;
  headers: IncomingMessage["headers"];
  /** performance.now() when the request arrived. */
  at: number;
}

export interface GatewaySession {
  socket: WebSocket;
  shard: [number, number];
  intents: number;
  token: string;
  sequence: number;
}

let snowflakeCounter = 0n;
/** Real-looking snowflakes: discord.js and @discordjs/rest parse ids of 17-19 digits. */
export function snowflake(): string {
  snowflakeCounter = (snowflakeCounter + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeCounter).toString();
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly sessions: GatewaySession[] = [];
  /** Registered commands: key "global" or a guild id. */
  readonly commands = new Map<string, Record<string, unknown>[]>();
  readonly dispatchedAt = new Map<string, number>();
  /** Calls per interaction token (callbacks, webhook edits, follow-ups), so bursts are cheap to check. */
  readonly #byToken = new Map<string, RecordedCall[]>();
  /** The bot token the fake accepts (Authorization "Bot <token>"); any other gets Discord's 401. */
  validToken = "test-token";
  /** Successful token checks (GET /users/@me) left before the token is reset, as in the Developer Portal. */
  #tokenChecksLeft = Number.POSITIVE_INFINITY;
  /** Set to make the fake answer interaction callbacks with this status (e.g. 404 for a dead token). */
  callbackStatus = 204;
  /** The fake's clock for nonce windows and message timestamps; tests may move it with their own. */
  now: () => number = () => Date.now();
  nonceWindowMs = NONCE_WINDOW_MS;
  /** Channels that answer every message call with this status (403 missing access, 404 gone). */
  readonly channelFailures = new Map<string, 403 | 404>();
  /** Messages per channel, oldest first. */
  readonly #channels = new Map<string, StoredMessage[]>();
  readonly #faults: PendingFault[] = [];
  #server: Server | undefined;
  #gateway: WebSocketServer | undefined;
  #port = 0;
  #waiters: (() => void)[] = [];

  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: String(error), code: 0 }));
      });
    });
    this.#gateway = new WebSocketServer({ server: this.#server });
    this.#gateway.on("connection", (socket) => this.#connect(socket));
    await new Promise<void>((resolve) =>
      this.#server?.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => resolve()),
    );
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    this.#gateway?.close();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Sends a dispatch to the shard that owns `guildId` (shard 0 for DMs), like Discord does. */
  dispatch(type: string, data: Record<string, unknown>, guildId?: string): void {
    const targets = this.sessions.filter(
      (session) =>
        session.socket.readyState === 1 && session.shard[0] === shardFor(guildId, session.shard[1]),
    );
    if (targets.length === 0) throw new Error(`no gateway session for guild ${guildId ?? "(DM)"}`);
    if (typeof data.id === "string") this.dispatchedAt.set(data.id, performance.now());
    for (const session of targets) {
      session.sequence += 1;
      session.socket.send(JSON.stringify({ op: 0, t: type, s: session.sequence, d: data }));
    }
  }

  /** A channel's messages as GET would list them (newest first, no nonce), without a limit. */
  messagesIn(channelId: string): Record<string, unknown>[] {
    return (this.#channels.get(channelId) ?? []).map((stored) => stored.message).reverse();
  }

  /** Puts a message someone else wrote (a user, another bot) into a channel. */
  addMessage(channelId: string, fields: Record<string, unknown>): Record<string, unknown> {
    const stored = { message: botMessage(fields, channelId, this.now()), createdAt: this.now() };
    this.#messages(channelId).push(stored);
    return stored.message;
  }

  /** The token passes `checks` more GET /users/@me calls, then is reset: every later call gets 401. */
  resetTokenAfter(checks: number): void {
    this.#tokenChecksLeft = checks;
    if (checks <= 0) this.validToken = "reset";
  }

  /** The next `method` request to a path matching `path` is carried out, then its answer is lost. */
  failNextAnswer(method: string, path: RegExp, fault: AnswerFault): void {
    this.#faults.push({ method, path, fault });
  }

  callsTo(pattern: RegExp, method?: string): RecordedCall[] {
    return this.calls.filter((call) => pattern.test(call.path) && (!method || call.method === method));
  }

  /** Every REST call made for one interaction (callback, webhook edits, follow-ups), in order. */
  callsFor(interaction: { id: string; token: string }): RecordedCall[] {
    return this.#byToken.get(interaction.token) ?? [];
  }

  /** Resolves when `predicate` holds (checked after every REST call and gateway event). */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5000, what = "condition"): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #connect(socket: WebSocket): void {
    const session: GatewaySession = { socket, shard: [0, 1], intents: 0, token: "", sequence: 0 };
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null }));
    socket.on("message", (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (frame.op === 2) {
        session.shard = (frame.d.shard as [number, number] | undefined) ?? [0, 1];
        session.intents = Number(frame.d.intents);
        session.token = String(frame.d.token);
        this.sessions.push(session);
        session.sequence += 1;
        socket.send(JSON.stringify({ op: 0, t: "READY", s: session.sequence, d: this.#ready(session) }));
        this.#notify();
      }
    });
    socket.on("close", () => this.#notify());
  }

  #ready(session: GatewaySession): Record<string, unknown> {
    return {
      v: 10,
      user: { ...FAKE_BOT_USER },
      guilds: [],
      session_id: `session-${snowflake()}`,
      resume_gateway_url: this.gatewayUrl,
      shard: session.shard,
      application: { id: FAKE_APPLICATION_ID, flags: 0 },
      private_channels: [],
      relationships: [],
      user_settings: {},
      guild_join_requests: [],
      presences: [],
      geo_ordered_rtc_regions: [],
    };
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://fake");
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, "");
    const method = request.method ?? "GET";
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const call = { method, path, search: url.search, body, headers: request.headers, at };
    this.calls.push(call);
    const token = path.match(/^\/(?:interactions\/\d+|webhooks\/\d+)\/([^/]+)/)?.[1];
    if (token) this.#byToken.set(token, [...(this.#byToken.get(token) ?? []), call]);
    const [status, answer] = this.#route(method, path, body, request, url.searchParams);
    const fault = this.#takeFault(method, path);
    if (fault === "hang") {
      this.#notify();
      await once(response, "close");
    } else if (fault) {
      respond(response, fault.status, { message: `${fault.status}: Internal Server Error`, code: 0 }, path);
    } else {
      respond(response, status, answer, path);
    }
    this.#notify();
  }

  #takeFault(method: string, path: string): AnswerFault | undefined {
    const index = this.#faults.findIndex((pending) => pending.method === method && pending.path.test(path));
    return index < 0 ? undefined : this.#faults.splice(index, 1)[0]?.fault;
  }

  #route(
    method: string,
    path: string,
    body: unknown,
    request: IncomingMessage,
    query: URLSearchParams,
  ): [number, unknown] {
    const botCall = method === "GET" && (path === "/users/@me" || path === "/gateway/bot");
    if (botCall && request.headers.authorization !== `Bot ${this.validToken}`)
      return [401, { message: "401: Unauthorized", code: 0 }];
    if (method === "GET" && path === "/users/@me") {
      this.#tokenChecksLeft -= 1;
      if (this.#tokenChecksLeft <= 0) this.validToken = "reset";
      return [200, FAKE_BOT_USER];
    }
    if (method === "GET" && path === "/gateway/bot") {
      return [
        200,
        {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
        },
      ];
    }
    if (method === "POST" && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      return this.callbackStatus === 204
        ? [204, undefined]
        : [this.callbackStatus, { message: "Unknown interaction", code: 10062 }];
    }
    const webhookMessage = path.match(/^\/webhooks\/\d+\/[^/]+\/messages\/(@original|\d+)$/);
    if (webhookMessage && method === "PATCH") return [200, botMessage(body, "0")];
    if (webhookMessage && method === "DELETE") return [204, undefined];
    if (method === "POST" && /^\/webhooks\/\d+\/[^/]+$/.test(path)) return [200, botMessage(body, "0")];
    const channelMessages = path.match(/^\/channels\/(\d+)\/messages$/);
    if (channelMessages) {
      const channelId = channelMessages[1] ?? "0";
      const failure = this.channelFailures.get(channelId);
      if (failure) return [failure, CHANNEL_ERRORS[failure]];
      if (method === "POST") return [200, this.#createMessage(channelId, body as Record<string, unknown>)];
      if (method === "GET") return this.#listMessages(channelId, query);
    }
    const commands = path.match(/^\/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/);
    if (commands) {
      const scope = commands[1] ?? "global";
      if (method === "GET") return [200, this.commands.get(scope) ?? []];
      if (method === "PUT") {
        const stored = (body as Record<string, unknown>[]).map((command) => ({
          id: snowflake(),
          application_id: FAKE_APPLICATION_ID,
          version: snowflake(),
          default_member_permissions: null,
          nsfw: false,
          ...command,
        }));
        this.commands.set(scope, stored);
        return [200, stored];
      }
    }
    return [404, { message: "404: Not Found", code: 0 }];
  }

  #messages(channelId: string): StoredMessage[] {
    let messages = this.#channels.get(channelId);
    if (!messages) {
      messages = [];
      this.#channels.set(channelId, messages);
    }
    return messages;
  }

  /** The bot writes every channel message the fake receives; an enforced nonce dedupes per author. */
  #createMessage(channelId: string, body: Record<string, unknown>): Record<string, unknown> {
    const now = this.now();
    // allowed_mentions steers the send only; Discord's message object has no such field.
    const { nonce, enforce_nonce: enforce, allowed_mentions: _sendOnly, ...fields } = body;
    const key = typeof nonce === "string" || typeof nonce === "number" ? String(nonce) : undefined;
    if (key !== undefined && enforce === true) {
      for (const stored of this.#channels.values()) {
        const earlier = stored.find(
          (entry) =>
            entry.nonce === key &&
            now - entry.createdAt < this.nonceWindowMs &&
            (entry.message.author as { id?: string } | undefined)?.id === FAKE_BOT_USER_ID,
        );
        if (earlier) return { ...earlier.message, nonce: key };
      }
    }
    const created = botMessage(fields, channelId, now);
    this.#messages(channelId).push({
      message: created,
      createdAt: now,
      ...(key === undefined ? {} : { nonce: key }),
    });
    return key === undefined ? created : { ...created, nonce: key };
  }

  /** GET /channels/{id}/messages: newest first, `limit` 1-100 (default 50), `before` an id. */
  #listMessages(channelId: string, query: URLSearchParams): [number, unknown] {
    const limit = query.has("limit") ? Number(query.get("limit")) : DEFAULT_MESSAGES_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MESSAGES_PAGE)
      return [400, { message: "Invalid Form Body", code: 50035 }];
    const before = query.get("before");
    const page = this.messagesIn(channelId)
      .filter((entry) => !before || BigInt(String(entry.id)) < BigInt(before))
      .slice(0, limit);
    return [200, page];
  }
}

function shardFor(guildId: string | undefined, shardCount: number): number {
  return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) : 0;
}

/** A message the bot sent, in Discord's documented shape; `body` fields win. */
export function botMessage(body: unknown, channelId: string, at = Date.now()): Record<string, unknown> {
  return {
    id: snowflake(),
    channel_id: channelId,
    type: 0,
    content: "",
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date(at).toISOString(),
    edited_timestamp: null,
    flags: 0,
    author: { id: FAKE_BOT_USER_ID, username: "paperbot", discriminator: "0", bot: true, avatar: null },
    ...(body as Record<string, unknown>),
  };
}

function respond(response: ServerResponse, status: number, body: unknown, path: string): void {
  // Rate-limit headers as Discord sends them keep discord.js's limiter from guessing.
  const headers: Record<string, string> = {
    "x-ratelimit-limit": "50",
    "x-ratelimit-remaining": "49",
    "x-ratelimit-reset-after": "1",
    "x-ratelimit-reset": String(Date.now() / 1000 + 1),
    "x-ratelimit-bucket": Buffer.from(path.replace(/\d{17,19}/g, ":id"))
      .toString("base64url")
      .slice(0, 32),
  };
  if (status === 204 || body === undefined) {
    // No JSON content-type on an empty body, or discord.js tries to parse it.
    response.writeHead(status === 200 ? 204 : status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, "content-type": "application/json" });
  response.end(text);
}
