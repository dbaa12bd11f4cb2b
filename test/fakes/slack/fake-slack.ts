/**
 * A local fake of the parts of Slack paperbot talks to: the Web API (auth.test, chat.postMessage,
 * chat.update, chat.postEphemeral, conversations.history, users.info, apps.connections.open), response_url
 * endpoints, and a Socket Mode WebSocket. It records every call and, like Slack, rejects payloads
 * outside Block Kit limits with `invalid_blocks`. It can also lose an answer after doing the work,
 * as Slack sometimes does: the message is stored, yet the caller sees a 5xx or no answer in time.
 * Loopback only.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { slackLimitProblems } from "./assert-within-slack-limits.ts";

export const FAKE_BOT = { userId: "UBOT", botId: "BBOT", teamId: "T1", appId: "A1" } as const;

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface StoredMessage {
  ts: string;
  text?: string;
  user: string;
  bot_id: string;
  thread_ts?: string;
  metadata?: unknown;
}

/** How an answer is lost after the work is done: an HTTP error status, or an answer held back this long. */
export type LostAnswer = { status: number } | { stallMs: number };

/** What users.info reports for a member; a member not given any is an ordinary member of the bot's workspace. */
export interface WorkspaceRole {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  /** A guest. */
  is_restricted?: boolean;
  /** The member's own workspace: another one for someone in a Slack Connect channel. */
  team_id?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly socketAcks: SocketAck[] = [];
  /** Make calls of a method fail with this Slack error. */
  readonly failures = new Map<string, string>();
  /** Make calls of a method answer HTTP 429 with this Retry-After (seconds), as Slack's rate limiter does. */
  readonly rateLimits = new Map<string, number>();
  /** Like rateLimits, for the next call of a method only. */
  private readonly nextRateLimits = new Map<string, number>();
  /** Roles users.info reports, by member id (setRole). */
  private readonly roles = new Map<string, WorkspaceRole>();
  private readonly lostAnswers = new Map<string, LostAnswer>();
  private readonly history = new Map<string, StoredMessage[]>();
  private readonly responseUses = new Map<string, number>();
  private readonly server: Server;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly openSockets = new Set<WebSocket>();
  private readonly ackWaiters = new Map<string, (ack: SocketAck) => void>();
  private tsCounter = 0;
  port = 0;

  constructor() {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    this.server.on("upgrade", (request, socket, head) => {
      if (!request.url?.startsWith("/socket")) {
        socket.destroy();
        return;
      }
      this.sockets.handleUpgrade(request, socket, head, (ws) => this.onSocket(ws));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Web API base, with the trailing slash the WebClient needs. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string = randomUUID()): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  responsesTo(url: string): RecordedResponse[] {
    const id = url.slice(url.lastIndexOf("/") + 1);
    return this.responses.filter((response) => response.id === id);
  }

  /** The next call of `method` is carried out (a post is stored), but its answer is lost. */
  loseNextAnswer(method: string, how: LostAnswer): void {
    this.lostAnswers.set(method, how);
  }

  /** The next call of `method` is refused with HTTP 429 and this Retry-After (seconds). */
  rateLimitNext(method: string, retryAfterSeconds: number): void {
    this.nextRateLimits.set(method, retryAfterSeconds);
  }

  /** users.info reports these role flags for the member (`{ is_admin: true }`, `{ is_owner: true }`, ...). */
  setRole(userId: string, role: WorkspaceRole): void {
    this.roles.set(userId, role);
  }

  /** Messages stored in a channel (thread replies included), newest first. */
  messagesIn(channel: string): readonly StoredMessage[] {
    return this.history.get(channel) ?? [];
  }

  /** Everything visible as an answer: Web API posts and response_url uses. */
  answerCount(): number {
    return (
      this.callsTo("chat.postMessage").length +
      this.callsTo("chat.postEphemeral").length +
      this.callsTo("chat.update").length +
      this.responses.length
    );
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() - started > timeoutMs) throw new Error("FakeSlack.waitFor timed out");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Sends a Socket Mode envelope to every connected client and resolves with the client's ack. */
  async sendEnvelope(
    type: string,
    payload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<SocketAck> {
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve) => this.ackWaiters.set(envelopeId, resolve));
    const frame = JSON.stringify({
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: true,
      ...extra,
    });
    for (const socket of this.openSockets) socket.send(frame);
    return acked;
  }

  get connectedSockets(): number {
    return this.openSockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.openSockets) socket.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSocket(ws: WebSocket): void {
    this.openSockets.add(ws);
    ws.on("close", () => this.openSockets.delete(ws));
    ws.on("message", (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      this.socketAcks.push(ack);
      this.ackWaiters.get(ack.envelope_id)?.(ack);
      this.ackWaiters.delete(ack.envelope_id);
    });
    ws.send(
      JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: FAKE_BOT.appId } }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(request);
    if (url.pathname.startsWith("/response/")) {
      const id = url.pathname.slice("/response/".length);
      const uses = (this.responseUses.get(id) ?? 0) + 1;
      this.responseUses.set(id, uses);
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      if (uses > 5) return sendJson(response, 404, { ok: false, error: "used_too_many_times" });
      const problems = slackLimitProblems(body);
      if (problems.length > 0)
        return sendJson(response, 400, { ok: false, error: "invalid_blocks", problems });
      this.responses.push({ id, body, at: Date.now() });
      return sendJson(response, 200, { ok: true });
    }
    if (!url.pathname.startsWith("/api/")) return sendJson(response, 404, { ok: false, error: "not_found" });
    const method = url.pathname.slice("/api/".length);
    const args = parseArgs(raw, request.headers["content-type"]);
    const token =
      String(request.headers.authorization ?? "").replace(/^Bearer /, "") || (args.token as string);
    this.calls.push({ method, args, token, at: Date.now() });
    const retryAfter = this.nextRateLimits.get(method) ?? this.rateLimits.get(method);
    this.nextRateLimits.delete(method);
    if (retryAfter !== undefined) {
      response.writeHead(429, { "retry-after": String(retryAfter), "content-type": "application/json" });
      response.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    const failure = this.failures.get(method);
    if (failure) return sendJson(response, 200, { ok: false, error: failure });
    const answer = this.answer(method, args, token);
    const lost = this.lostAnswers.get(method);
    this.lostAnswers.delete(method);
    if (lost && "status" in lost)
      return sendJson(response, lost.status, { ok: false, error: "internal_error" });
    // Past the client's timeout the client has hung up; the late answer goes nowhere.
    if (lost) await new Promise((resolve) => setTimeout(resolve, lost.stallMs));
    if (!response.destroyed) sendJson(response, 200, answer);
  }

  private answer(
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://fake.slack.test/",
          team: "Lab",
          user: "paperbot",
          team_id: FAKE_BOT.teamId,
          user_id: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
        };
      case "apps.connections.open":
        if (!token?.startsWith("xapp-")) return { ok: false, error: "invalid_auth" };
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${randomUUID()}` };
      case "chat.postMessage":
      case "chat.update":
      case "chat.postEphemeral": {
        const problems = slackLimitProblems(args);
        if (problems.length > 0)
          return { ok: false, error: "invalid_blocks", response_metadata: { messages: problems } };
        const channel = String(args.channel ?? "");
        if (method === "chat.postEphemeral") return { ok: true, message_ts: this.nextTs() };
        if (method === "chat.update") return { ok: true, channel, ts: args.ts, text: args.text };
        const message: StoredMessage = {
          ts: this.nextTs(),
          text: args.text as string | undefined,
          user: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
          thread_ts: args.thread_ts as string | undefined,
          metadata: args.metadata,
        };
        this.history.set(channel, [message, ...(this.history.get(channel) ?? [])]);
        return { ok: true, channel, ts: message.ts, message };
      }
      case "users.info":
        return this.userInfo(String(args.user ?? ""));
      case "conversations.history": {
        const all = this.history.get(String(args.channel ?? "")) ?? [];
        const messages = all.map((message) =>
          args.include_all_metadata === true || args.include_all_metadata === "true"
            ? message
            : { ...message, metadata: undefined },
        );
        return { ok: true, messages: messages.slice(0, Number(args.limit ?? 100)), has_more: false };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  /** users.info as documented (api.slack.com/methods/users.info): any U... or W... id is a member. */
  private userInfo(id: string): Record<string, unknown> {
    if (!/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: "user_not_found" };
    const role = this.roles.get(id) ?? {};
    const name = id.toLowerCase();
    return {
      ok: true,
      user: {
        id,
        team_id: role.team_id ?? FAKE_BOT.teamId,
        name,
        deleted: false,
        color: "9f69e7",
        real_name: name,
        tz: "Europe/Zurich",
        tz_label: "Central European Time",
        tz_offset: 3600,
        profile: { real_name: name, display_name: name, team: FAKE_BOT.teamId },
        is_admin: role.is_admin === true,
        is_owner: role.is_owner === true,
        is_primary_owner: role.is_primary_owner === true,
        is_restricted: role.is_restricted === true,
        is_ultra_restricted: false,
        is_bot: false,
        is_app_user: false,
        updated: 1700000000,
        has_2fa: false,
      },
    };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, "0")}`;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** The WebClient sends form-encoded bodies with nested values (blocks, metadata) as JSON strings. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
