/** The pieces every entry point (bot, CLI) builds the same way: the paced client and the stored papers as corpus records. */
import type { PaperRecord } from "../core/corpus/record.ts";
import type { Logger } from "../core/logger.ts";
import type { PaperStore } from "../store/paper-store.ts";
import { ArxivClient } from "./arxiv-client.ts";
import type { ArxivConfig } from "./arxiv-config.ts";
import { entryToRecord } from "./entry-record.ts";
import { Pacer } from "./pacer.ts";

/** arXiv asks API clients to name themselves. */
export const USER_AGENT = "paperbot/0.1 (research-group paper bot; arXiv API client)";

/** One client, one pacer: every arXiv request of the process shares the 3-second spacing. */
export function createArxivClient(
  config: Pick<ArxivConfig, "apiUrl" | "minIntervalMs">,
  logger: Logger,
): ArxivClient {
  return new ArxivClient({
    apiUrl: config.apiUrl,
    pacer: new Pacer(config.minIntervalMs),
    userAgent: USER_AGENT,
    logger,
  });
}

export function storedPaperRecords(papers: PaperStore): () => Promise<PaperRecord[]> {
  return async () => (await papers.list()).map((stored) => entryToRecord(stored.entry));
}

/**
 * Reloads the corpus when another process (a replica, `npx paperbot add`) changed the stored
 * papers. Returns a function that stops watching.
 */
export function followStoredPapers(
  papers: PaperStore,
  reload: () => Promise<unknown>,
  logger: Logger,
  intervalMs = 2000,
): () => void {
  let mark: string | undefined;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = await papers.changeMark();
      if (mark !== undefined && now !== mark) await reload();
      mark = now;
    } catch (error) {
      logger.warn(`could not read the stored papers: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
