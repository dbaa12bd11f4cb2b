import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import type { CustomRoute } from "@slack/bolt";
import { register } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { NO_METRICS } from "../../src/core/metrics.ts";
import { createPromMetrics, MAX_LABEL_VALUES } from "../../src/ops/metrics.ts";
import {
  type MetricsServer,
  metricsHandler,
  metricsRoute,
  startMetricsServer,
} from "../../src/ops/metrics-http.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const servers: MetricsServer[] = [];
async function serve(registry: Parameters<typeof startMetricsServer>[1]): Promise<number> {
  const server = await startMetricsServer(0, registry, { host: "127.0.0.1" });
  servers.push(server);
  return server.port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

describe("prom-client metrics", () => {
  it("counts commands by platform, command and outcome, and times them in chat-sized buckets", async () => {
    const { metrics, registry } = createPromMetrics({ defaultMetrics: false });
    metrics.commandServed("discord", "search", "ok", 0.042);
    metrics.commandServed("discord", "search", "ok", 1.5);
    metrics.commandServed("slack", "paper", "user_error", 0.003);
    const text = await registry.metrics();
    expect(text).toContain('paperbot_commands_total{platform="discord",command="search",outcome="ok"} 2');
    expect(text).toContain(
      'paperbot_commands_total{platform="slack",command="paper",outcome="user_error"} 1',
    );
    expect(text).toContain(
      'paperbot_command_duration_seconds_bucket{le="0.01",platform="slack",command="paper"} 1',
    );
    expect(text).toContain(
      'paperbot_command_duration_seconds_bucket{le="0.05",platform="discord",command="search"} 1',
    );
    expect(text).toContain(
      'paperbot_command_duration_seconds_bucket{le="3",platform="discord",command="search"} 2',
    );
    expect(text).toContain(
      'paperbot_command_duration_seconds_bucket{le="5",platform="discord",command="search"} 2',
    );
    expect(text).toContain('paperbot_command_duration_seconds_count{platform="discord",command="search"} 2');
    expect(text).toContain(
      'paperbot_command_duration_seconds_sum{platform="discord",command="search"} 1.542',
    );
  });

  it("counts daily posts, follow posts, follow checks and database errors", async () => {
    const { metrics, registry } = createPromMetrics({ defaultMetrics: false });
    metrics.dailyPost("sent");
    metrics.dailyPost("sent");
    metrics.dailyPost("retry");
    metrics.followPost("failed");
    metrics.followCheck("nothing_new");
    metrics.followCheck("new_papers");
    metrics.databaseError("daily.updatePost");
    const text = await registry.metrics();
    expect(text).toContain('paperbot_daily_posts_total{outcome="sent"} 2');
    expect(text).toContain('paperbot_daily_posts_total{outcome="retry"} 1');
    expect(text).toContain('paperbot_follow_posts_total{outcome="failed"} 1');
    expect(text).toContain('paperbot_follow_checks_total{outcome="nothing_new"} 1');
    expect(text).toContain('paperbot_follow_checks_total{outcome="new_papers"} 1');
    expect(text).toContain('paperbot_database_errors_total{operation="daily.updatePost"} 1');
  });

  it("keeps each process's registry separate from others and from prom-client's global one", async () => {
    const first = createPromMetrics({ defaultMetrics: false });
    const second = createPromMetrics({ defaultMetrics: false });
    first.metrics.dailyPost("sent");
    expect(await second.registry.metrics()).not.toContain('paperbot_daily_posts_total{outcome="sent"}');
    expect(await register.metrics()).not.toContain("paperbot_");
  });

  it("adds the Node.js process metrics by default", async () => {
    const { registry } = createPromMetrics();
    const text = await registry.metrics();
    expect(text).toContain("process_cpu_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });

  it("caps the distinct values of a label so a bug cannot explode the series", async () => {
    const { metrics, registry } = createPromMetrics({ defaultMetrics: false });
    for (let i = 0; i < MAX_LABEL_VALUES + 10; i++) metrics.commandServed("console", `cmd${i}`, "ok", 0.01);
    const text = await registry.metrics();
    expect(text).toContain(`command="cmd${MAX_LABEL_VALUES - 1}"`);
    expect(text).not.toContain(`command="cmd${MAX_LABEL_VALUES}"`);
    expect(text).toContain('paperbot_commands_total{platform="console",command="other",outcome="ok"} 10');
  });

  it("has a no-op implementation that accepts every call", () => {
    NO_METRICS.commandServed("cli", "search", "ok", 0.1);
    NO_METRICS.dailyPost("sent");
    NO_METRICS.followPost("retry");
    NO_METRICS.followCheck("failed");
    NO_METRICS.databaseError("x");
  });
});

describe("GET /metrics over HTTP", () => {
  it("serves the counters in Prometheus text with the registry's content type", async () => {
    const { metrics, registry } = createPromMetrics();
    metrics.commandServed("slack", "ask", "error", 0.2);
    metrics.followCheck("failed");
    const port = await serve(registry);
    const answer = await get(port, "/metrics");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe(registry.contentType);
    expect(answer.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.body).toContain(
      'paperbot_commands_total{platform="slack",command="ask",outcome="error"} 1',
    );
    expect(answer.body).toContain('paperbot_follow_checks_total{outcome="failed"} 1');
    expect(answer.body).toContain("# TYPE paperbot_command_duration_seconds histogram");
    expect(answer.body).toContain("process_resident_memory_bytes");
  });

  it("shows later calls on the next scrape, and accepts a query string", async () => {
    const { metrics, registry } = createPromMetrics({ defaultMetrics: false });
    const port = await serve(registry);
    expect((await get(port, "/metrics")).body).not.toContain('paperbot_daily_posts_total{outcome="sent"}');
    metrics.dailyPost("sent");
    expect((await get(port, "/metrics?x=1")).body).toContain('paperbot_daily_posts_total{outcome="sent"} 1');
  });

  it("answers 404 elsewhere, 405 to other methods, and HEAD without a body", async () => {
    const { registry } = createPromMetrics({ defaultMetrics: false });
    const port = await serve(registry);
    expect((await get(port, "/")).status).toBe(404);
    expect((await get(port, "/metrics/extra")).status).toBe(404);
    const post = await get(port, "/metrics", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    const head = await get(port, "/metrics", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("leaves other paths to the server it is mounted in", async () => {
    const { metrics, registry } = createPromMetrics({ defaultMetrics: false });
    metrics.dailyPost("failed");
    const handle = metricsHandler(registry);
    const server = createServer((req, res) => {
      void handle(req, res).then((handled) => {
        if (handled) return;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, path: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const health = await get(port, "/health");
      expect(health).toMatchObject({ status: 200, body: '{"ok":true,"path":"/health"}' });
      expect(health.headers["content-type"]).toBe("application/json");
      expect((await get(port, "/metrics")).body).toContain('paperbot_daily_posts_total{outcome="failed"} 1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("fits Bolt's HTTPReceiver customRoutes", () => {
    const { registry } = createPromMetrics({ defaultMetrics: false });
    const route: CustomRoute = metricsRoute(registry);
    expect(route).toMatchObject({ path: "/metrics", method: ["GET"] });
    expect(typeof route.handler).toBe("function");
  });
});
