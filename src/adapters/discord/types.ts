/** What the Discord adapter needs from the process and what it hands back. */
import type { Config } from "../../config.ts";
import type { ReplicatedAdapterDeps } from "../../core/adapter-deps.ts";
import type { ChannelPoster } from "../../core/daily-control.ts";

/**
 * `keys` holds long button state in both modes (so buttons survive restarts, shards and replicas)
 * and, in HTTP mode, the interaction ids already run.
 */
export type DiscordDeps = ReplicatedAdapterDeps;

export type DiscordConfig = NonNullable<Config["discord"]>;

/** A running adapter: graceful stop plus posting outside any interaction (daily posts). */
export interface DiscordHandle extends ChannelPoster {
  /** Finishes in-flight replies, then disconnects. */
  stop(): Promise<void>;
}
