/**
 * Serving GET /metrics: a handler any node:http server can try first (the Discord HTTP server),
 * the same as a Bolt HTTPReceiver custom route (Slack HTTP mode), and a metrics-only server for
 * processes without an HTTP receiver (gateway and Socket Mode, METRICS_PORT).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export const METRICS_PATH = "/metrics";

/** Answers the request if it is for /metrics (true); leaves it untouched otherwise (false). */
export type MetricsHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export function metricsHandler(registry: Registry): MetricsHandler {
  return async (request, response) => {
    if ((request.url ?? "/").split("?")[0] !== METRICS_PATH) return false;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      response.end("method not allowed\n");
      return true;
    }
    try {
      const body = await registry.metrics();
      response.writeHead(200, {
        "content-type": registry.contentType,
        "cache-control": "no-store",
        "content-length": Buffer.byteLength(body),
      });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end(`metrics unavailable: ${(error as Error).message}\n`);
    }
    return true;
  };
}

/** The same handler in the shape of Bolt's CustomRoute, for `new HTTPReceiver({ customRoutes })`. */
export function metricsRoute(registry: Registry): {
  path: string;
  method: string[];
  handler: (request: IncomingMessage, response: ServerResponse) => void;
} {
  const handle = metricsHandler(registry);
  return {
    path: METRICS_PATH,
    method: ["GET"],
    handler: (request, response) => void handle(request, response),
  };
}

export interface MetricsServer {
  /** The bound port (useful when started on port 0). */
  port: number;
  stop(): Promise<void>;
}

/** A server that answers GET /metrics and 404 to everything else. */
export async function startMetricsServer(
  port: number,
  registry: Registry,
  options: { host?: string } = {},
): Promise<MetricsServer> {
  const handle = metricsHandler(registry);
  const server = createServer((request, response) => {
    handle(request, response).then((handled) => {
      if (handled) return;
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("not found\n");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
