/** What the Discord adapter needs from the process and what it hands back. */
import type { Config } from "../../config.ts";
import type { ChannelPoster, DailyControl } from "../../core/daily-control.ts";
import type { Logger } from "../../core/logger.ts";
import type { PaperIndex } from "../../core/paper-index.ts";

export interface DiscordDeps {
  /** The corpus as it is now; read once per request. */
  getPapers: () => PaperIndex;
  logger: Logger;
  daily?: DailyControl;
  now?: () => Date;
  random?: () => number;
}

export type DiscordConfig = NonNullable<Config["discord"]>;

/** A running adapter: graceful stop plus posting outside any interaction (daily posts). */
export interface DiscordHandle extends ChannelPoster {
  /** Finishes in-flight replies, then disconnects. */
  stop(): Promise<void>;
}
