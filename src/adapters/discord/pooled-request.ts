/**
 * An HTTP strategy for @discordjs/rest (its `makeRequest` option) over a bounded pool of keep-alive
 * connections. The default strategy opens one connection per concurrent request: a burst of 500
 * interactions means 500 TCP (and TLS) handshakes at once, which measured slower than queueing the
 * same requests on a few dozen reused connections (see test/adapters/discord/burst.test.ts).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { ResponseLike } from "discord.js";

/** Enough parallelism for bursts; beyond this, requests wait for a free connection. */
export const MAX_CONNECTIONS = 64;

export interface PooledRequest {
  makeRequest: (url: string, init: RequestLikeInit) => Promise<ResponseLike>;
  /** Closes the pooled connections. */
  close(): void;
}

export interface RequestLikeInit {
  method?: string;
  headers?: unknown;
  body?: unknown;
  signal?: AbortSignal | null;
}

export function createPooledRequest(maxConnections: number = MAX_CONNECTIONS): PooledRequest {
  const options = { keepAlive: true, maxSockets: maxConnections };
  const http = new HttpAgent(options);
  const https = new HttpsAgent(options);
  return {
    makeRequest(url, init) {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const body = toBuffer(init.body);
      const headers = { ...(init.headers as Record<string, string> | undefined) };
      if (body) headers["content-length"] = String(body.length);
      return new Promise<ResponseLike>((resolve, reject) => {
        const request = (secure ? httpsRequest : httpRequest)(
          target,
          {
            method: init.method ?? "GET",
            headers,
            agent: secure ? https : http,
            signal: init.signal ?? undefined,
          },
          (response) => collect(response).then(resolve, reject),
        );
        request.on("error", reject);
        request.end(body);
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

function toBuffer(body: unknown): Buffer | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  // Interaction responses and edits are JSON; file uploads are not sent through this path.
  throw new TypeError("pooled request: only string or byte bodies are supported");
}

async function collect(response: IncomingMessage): Promise<ResponseLike> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  let used = false;
  const use = () => {
    used = true;
    return bytes;
  };
  const status = response.statusCode ?? 0;
  return {
    body: Readable.from(bytes.length > 0 ? [bytes] : []),
    get bodyUsed() {
      return used;
    },
    headers,
    ok: status >= 200 && status < 300,
    status,
    statusText: response.statusMessage ?? "",
    async arrayBuffer() {
      const buffer = use();
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    },
    async text() {
      return use().toString("utf8");
    },
    async json() {
      return JSON.parse(use().toString("utf8"));
    },
  } as ResponseLike;
}
