/**
 * One bot "process" for arXiv tests: real SQLite state, the real corpus over a copy of the bundled
 * data, the real paced client against the local fake arXiv, and a manual clock for the schedule.
 * `restart` and `crash` make a new process on the same database, as after a stop or a `kill -9`.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArxivClient } from "../../src/arxiv/arxiv-client.ts";
import { storedPaperRecords } from "../../src/arxiv/arxiv-runtime.ts";
import { type ArxivService, createArxivService } from "../../src/arxiv/arxiv-service.ts";
import { Pacer } from "../../src/arxiv/pacer.ts";
import { LiveCorpus } from "../../src/core/corpus/live-corpus.ts";
import type { ChannelPoster } from "../../src/core/daily-control.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import type { MessageReply } from "../../src/core/reply.ts";
import { openSqliteState, type State } from "../../src/store/state.ts";
import { type ManualClock, RecordingPoster, TimeLine } from "../daily/helpers.ts";
import { FakeArxiv, type FakePaper } from "../fakes/arxiv/fake-arxiv.ts";

export const DATA = join(import.meta.dirname, "../../data");
export const CHANNEL = { platform: "slack" as const, channelId: "C1" };
export const MANAGER = { id: "u1", canManageChannel: true };
/** Fast pacing for tests; the pacing test sets its own interval and checks it at the fake. */
export const TEST_INTERVAL_MS = 20;

export interface ArxivHarness {
  line: TimeLine;
  fake: FakeArxiv;
  poster: RecordingPoster;
  state: State;
  corpus: LiveCorpus;
  service: ArxivService;
  clock: ManualClock;
  dbPath: string;
  /** Graceful stop, then a new process on the same database and data. */
  restart(): Promise<void>;
  /** The process dies where it stands (timers gone, sends unanswered), then a new one starts. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

export function fakePaper(id: string, submitted: string, overrides: Partial<FakePaper> = {}): FakePaper {
  return {
    id,
    title: `Study ${id}`,
    abstract: `We study diffusion models in paper ${id}.`,
    authors: ["Thomas Hofmann"],
    categories: ["cs.LG"],
    submitted,
    ...overrides,
  };
}

export function text(reply: unknown): string {
  const message = reply as MessageReply;
  return `${message.text}\n${message.hint ?? ""}`;
}

export async function arxivHarness(
  start: string,
  options: { papers?: FakePaper[]; intervalMs?: number; poster?: ChannelPoster } = {},
): Promise<ArxivHarness> {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-arxiv-"));
  const dataPath = join(folder, "data");
  cpSync(DATA, dataPath, { recursive: true });
  const dbPath = join(folder, "state.db");
  const fake = await new FakeArxiv(options.papers ?? []).start();
  const line = new TimeLine(start);
  const poster = new RecordingPoster(() => line.now);
  const pacer = new Pacer(options.intervalMs ?? TEST_INTERVAL_MS);

  const boot = async () => {
    const state = openSqliteState(dbPath);
    const corpus = await LiveCorpus.open(dataPath, {
      logger: SILENT_LOGGER,
      extraRecords: storedPaperRecords(state.papers),
    });
    const clock = line.clock();
    const client = new ArxivClient({
      apiUrl: fake.apiUrl,
      pacer,
      userAgent: "paperbot-test",
      retryDelaysMs: [30, 60],
      timeoutMs: 2000,
    });
    const service = createArxivService({
      stores: state,
      client,
      getPapers: () => corpus.current(),
      reload: () => corpus.reload(),
      logger: SILENT_LOGGER,
      config: { checkMinutes: 60, seeds: [] },
      slackAnyoneCanManage: true,
      clock,
    });
    service.setPoster("slack", options.poster ?? poster);
    return { state, corpus, service, clock };
  };

  const h: ArxivHarness = {
    line,
    fake,
    poster,
    dbPath,
    ...(await boot()),
    async restart() {
      await h.service.stop();
      await h.state.close();
      Object.assign(h, await boot());
      await h.service.start();
    },
    async crash() {
      h.clock.kill();
      await h.state.close();
      Object.assign(h, await boot());
      await h.service.start();
    },
    async close() {
      h.clock.kill();
      await h.state.close();
      h.corpus.close();
      await fake.close();
    },
  };
  return h;
}
