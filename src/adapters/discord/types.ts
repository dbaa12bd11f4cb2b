/** What the Discord adapter needs from the process and what it hands back. */
import type { Config } from "../../config.ts";
import type { AdapterDeps } from "../../core/adapter-deps.ts";
import type { ChannelPoster } from "../../core/daily-control.ts";

export type DiscordDeps = AdapterDeps;

export type DiscordConfig = NonNullable<Config["discord"]>;

/** A running adapter: graceful stop plus posting outside any interaction (daily posts). */
export interface DiscordHandle extends ChannelPoster {
  /** Finishes in-flight replies, then disconnects. */
  stop(): Promise<void>;
}
