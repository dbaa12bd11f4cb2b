/** What every platform adapter gets from the process: the live corpus, logging, daily posts, clock and dice. */
import type { FollowControl, LibraryControl } from "./arxiv-control.ts";
import type { DailyControl } from "./daily-control.ts";
import type { Logger } from "./logger.ts";
import type { PaperIndex } from "./paper-index.ts";

export interface AdapterDeps {
  /** The corpus as it is now; read once per request so a reload takes effect between requests. */
  getPapers: () => PaperIndex;
  logger: Logger;
  daily?: DailyControl;
  library?: LibraryControl;
  follows?: FollowControl;
  now?: () => Date;
  random?: () => number;
}
