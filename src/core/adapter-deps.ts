/** What every platform adapter gets from the process: the live corpus, logging, daily posts, clock and dice. */
import type { KeyStore } from "../store/key-store.ts";
import type { FollowControl, LibraryControl } from "./arxiv-control.ts";
import type { DailyControl } from "./daily-control.ts";
import type { Logger } from "./logger.ts";
import type { BotMetrics } from "./metrics.ts";
import type { PaperIndex } from "./paper-index.ts";

export interface AdapterDeps {
  /** The corpus as it is now; read once per request so a reload takes effect between requests. */
  getPapers: () => PaperIndex;
  logger: Logger;
  /**
   * Short-lived state every replica of the bot must share: Slack event dedupe and followed threads,
   * Discord interaction ids and long button state. Required by the Slack and Discord adapters
   * (ReplicatedAdapterDeps); the console and the CLI keep no such state.
   */
  keys?: KeyStore;
  daily?: DailyControl;
  /** Counts commands served; absent in tests and the CLI. */
  metrics?: BotMetrics;
  library?: LibraryControl;
  follows?: FollowControl;
  now?: () => Date;
  random?: () => number;
}

/** Deps of an adapter that may run as one of several replicas: the shared KeyStore is a must. */
export interface ReplicatedAdapterDeps extends AdapterDeps {
  keys: KeyStore;
}
