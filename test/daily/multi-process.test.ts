/**
 * Three replicas on one SQLite file, as a department runs them: real processes ticking at the same
 * moment over the same due channels. Each channel must get its day's post exactly once.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDailyStore } from "../../src/daily/sqlite-daily-store.ts";

const CHANNELS = 24;
const REPLICAS = 3;
/** Each send takes a while, as on a real platform, so replicas' attempts overlap. */
const SEND_MS = 40;

interface Received {
  channelId: string;
  key: string;
  pid: number;
}

function recordingPlatform(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://platform");
    if (url.pathname === "/was-posted") {
      const posted = received.some(
        (post) =>
          post.channelId === url.searchParams.get("channelId") && post.key === url.searchParams.get("key"),
      );
      response.end(JSON.stringify({ posted }));
      return;
    }
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push(JSON.parse(body) as Received);
      setTimeout(() => response.end(JSON.stringify({ messageId: `m${received.length}` })), SEND_MS);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }),
    ),
  );
}

let platform: Awaited<ReturnType<typeof recordingPlatform>> | undefined;
afterEach(() => {
  platform?.server.close();
  platform = undefined;
});

describe("daily posts from several processes on one SQLite file", () => {
  it("posts each channel's day exactly once when three replicas tick together", async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "paperbot-replicas-")), "state.db");
    const store = openSqliteDailyStore(dbPath);
    for (let i = 1; i <= CHANNELS; i++) {
      await store.saveSubscription({
        platform: "slack",
        channelId: `C${i}`,
        enabled: true,
        time: "09:00",
        timeZone: "UTC",
        filters: "",
        activeFrom: 0,
        seed: `seed-${i}`,
        rotation: 0,
        rotationStartedAt: 0,
        source: "chat",
        createdAt: 0,
        updatedAt: 0,
      });
    }
    await store.close();
    platform = await recordingPlatform();
    const goAt = Date.now() + 4000; // after every replica has loaded
    const child = join(import.meta.dirname, "multi-process-child.ts");
    const runs = Array.from({ length: REPLICAS }, () =>
      promisify(execFile)(
        process.execPath,
        ["--import", "tsx", child, dbPath, platform?.url ?? "", "2024-03-15T09:00:30Z", String(goAt)],
        { timeout: 30_000 },
      ),
    );
    await Promise.all(runs);
    const perChannel = new Map<string, Received[]>();
    for (const post of platform.received)
      perChannel.set(post.channelId, [...(perChannel.get(post.channelId) ?? []), post]);
    const repeated = [...perChannel].filter(([, posts]) => posts.length > 1).map(([channel]) => channel);
    expect(repeated).toEqual([]);
    expect(perChannel.size).toBe(CHANNELS);
    // The work really was shared: more than one replica posted.
    expect(new Set(platform.received.map((post) => post.pid)).size).toBeGreaterThan(1);
  }, 40_000);
});
