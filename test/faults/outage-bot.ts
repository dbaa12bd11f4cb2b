/**
 * One bot process for the fault tests, wired as src/main.ts wires it, but in-process: the state from
 * `openState` on a PostgreSQL URL (through the test's TCP proxy), a LiveCorpus over data/ plus the
 * stored papers, the daily and arXiv services (real ArxivClient against the fake arXiv), and the
 * console adapter on in-memory streams. Time for the services is a manual clock that only moves when
 * the test sets it; posts land in a RecordingPoster.
 */
import { PassThrough } from "node:stream";
import { type ConsoleHandle, startConsole } from "../../src/adapters/console/console-adapter.ts";
import { ArxivClient } from "../../src/arxiv/arxiv-client.ts";
import { storedPaperRecords } from "../../src/arxiv/arxiv-runtime.ts";
import { type ArxivService, createArxivService } from "../../src/arxiv/arxiv-service.ts";
import { Pacer } from "../../src/arxiv/pacer.ts";
import type { AdapterDeps } from "../../src/core/adapter-deps.ts";
import { LiveCorpus } from "../../src/core/corpus/live-corpus.ts";
import type { ChannelPoster } from "../../src/core/daily-control.ts";
import type { Logger } from "../../src/core/logger.ts";
import { createDailyService, type DailyService } from "../../src/daily/daily-service.ts";
import { openState, type State } from "../../src/store/state.ts";
import { type ManualClock, RecordingPoster, TimeLine } from "../daily/helpers.ts";
import { FakeArxiv, type FakePaper } from "../fakes/arxiv/fake-arxiv.ts";
import { DATA_DIR } from "../fixtures/corpus.ts";

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string, detail?: unknown) =>
    lines.push(`${level} ${message}${detail instanceof Error ? `: ${detail.message}` : ""}`);
  return { lines, debug: () => {}, info: () => {}, warn: record("warn"), error: record("error") };
}

export interface OutageBot {
  line: TimeLine;
  clock: ManualClock;
  logger: RecordingLogger;
  state: State;
  corpus: LiveCorpus;
  daily: DailyService;
  arxiv: ArxivService;
  deps: AdapterDeps;
  poster: RecordingPoster;
  arxivFake: FakeArxiv;
  /** Types a line into the console and resolves with the reply it prints. */
  say(line: string): Promise<string>;
  close(): Promise<void>;
}

export async function startOutageBot(
  databaseUrl: string,
  options: {
    start: string;
    arxivPapers: FakePaper[];
    poster?: (recording: RecordingPoster) => ChannelPoster;
  },
): Promise<OutageBot> {
  const logger = recordingLogger();
  const line = new TimeLine(options.start);
  const clock = line.clock();
  const state = await openState({ databaseUrl, databasePath: "" }, logger);
  const corpus = await LiveCorpus.open(DATA_DIR, { logger, extraRecords: storedPaperRecords(state.papers) });
  const getPapers = () => corpus.current();
  const reload = () => corpus.reload();
  const arxivFake = await new FakeArxiv(options.arxivPapers).start();
  const daily = createDailyService({ store: state.daily, getPapers, logger, clock });
  const arxiv = createArxivService({
    stores: state,
    client: new ArxivClient({
      apiUrl: arxivFake.apiUrl,
      pacer: new Pacer(20),
      userAgent: "paperbot-fault-test",
      retryDelaysMs: [20, 40],
      timeoutMs: 2000,
    }),
    getPapers,
    reload,
    logger,
    config: { checkMinutes: 60, seeds: [] },
    slackAnyoneCanManage: true,
    clock,
  });
  const poster = new RecordingPoster(() => line.now);
  const posting = options.poster ? options.poster(poster) : poster;
  daily.setPoster("console", posting);
  arxiv.setPoster("console", posting);
  const deps: AdapterDeps = {
    getPapers,
    logger,
    daily,
    library: arxiv.library,
    follows: arxiv.follows,
    keys: state.keys,
    now: () => new Date(line.now),
    random: () => 0,
  };
  const input = new PassThrough();
  const output = new PassThrough();
  const printed: string[] = [];
  let wake: (() => void) | undefined;
  output.on("data", (chunk) => {
    printed.push(String(chunk));
    wake?.();
  });
  const console: ConsoleHandle = startConsole({ ...deps, input, output, interactive: false });
  await daily.start();
  await arxiv.start();

  let queue: Promise<unknown> = Promise.resolve();
  const say = (text: string): Promise<string> => {
    const turn = queue.then(async () => {
      const seen = printed.length;
      input.write(`${text}\n`);
      while (printed.length === seen) await new Promise<void>((resolve) => (wake = resolve));
      return printed.slice(seen).join("");
    });
    queue = turn.catch(() => undefined);
    return turn;
  };

  return {
    line,
    clock,
    logger,
    state,
    corpus,
    daily,
    arxiv,
    deps,
    poster,
    arxivFake,
    say,
    async close() {
      input.end();
      await console.stop();
      await arxiv.stop();
      await daily.stop();
      clock.kill();
      await state.close();
      corpus.close();
      await arxivFake.close();
    },
  };
}
