/**
 * A chat platform for multi-process tests: an HTTP server in the test process that records every
 * post (channel, idempotency key, sending process), and the ChannelPoster replicas use to reach it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChannelPoster } from "../../src/core/daily-control.ts";

export interface PlatformOptions {
  /** How long each send takes, as on a real platform, so replicas' attempts overlap. */
  sendMs?: number;
  /** The message lands only as the send ends (a slow platform), so until then wasPosted says no. */
  landsAtEnd?: boolean;
}

export interface ReceivedPost {
  channelId: string;
  key: string;
  pid: number;
}

export interface RecordingPlatform {
  url: string;
  received: ReceivedPost[];
  /** Channels that got more than one post. */
  repeated(): string[];
  close(): void;
}

export function startRecordingPlatform(options: PlatformOptions = {}): Promise<RecordingPlatform> {
  const sendMs = options.sendMs ?? 40;
  const received: ReceivedPost[] = [];
  const server: Server = createServer((request, response) => {
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
      const post = JSON.parse(body) as ReceivedPost;
      if (!options.landsAtEnd) received.push(post);
      setTimeout(() => {
        if (options.landsAtEnd) received.push(post);
        response.end(JSON.stringify({ messageId: `m${received.length}` }));
      }, sendMs);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        received,
        repeated() {
          const counts = new Map<string, number>();
          for (const post of received) counts.set(post.channelId, (counts.get(post.channelId) ?? 0) + 1);
          return [...counts].filter(([, count]) => count > 1).map(([channel]) => channel);
        },
        close: () => server.close(),
      }),
    ),
  );
}

/** What a replica posts through: one HTTP call a post, the truth about what arrived for wasPosted. */
export function recordingPoster(platformUrl: string): ChannelPoster {
  return {
    async post(channelId, _reply, { idempotencyKey }) {
      const response = await fetch(`${platformUrl}/post`, {
        method: "POST",
        body: JSON.stringify({ channelId, key: idempotencyKey, pid: process.pid }),
      });
      return (await response.json()) as { messageId: string };
    },
    async wasPosted(channelId, key) {
      const query = new URLSearchParams({ channelId, key });
      return ((await (await fetch(`${platformUrl}/was-posted?${query}`)).json()) as { posted: boolean })
        .posted;
    },
  };
}
