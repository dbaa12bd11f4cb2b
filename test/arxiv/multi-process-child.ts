/**
 * One paperbot "replica" for the multi-process follow test: the real arXiv service on a shared
 * SQLite file and data folder, asking the test's fake arXiv and posting through HTTP to the test's
 * recording platform. Argv: database path, data path, arXiv URL, platform URL, wall-clock ms to start at.
 */
import { ArxivClient } from "../../src/arxiv/arxiv-client.ts";
import { storedPaperRecords } from "../../src/arxiv/arxiv-runtime.ts";
import { createArxivService } from "../../src/arxiv/arxiv-service.ts";
import { Pacer } from "../../src/arxiv/pacer.ts";
import { LiveCorpus } from "../../src/core/corpus/live-corpus.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import { openSqliteState } from "../../src/store/state.ts";
import { recordingPoster } from "../daily/recording-platform.ts";
import { readyThenGo } from "../daily/replicas-together.ts";

const [dbPath = "", dataPath = "", arxivUrl = "", platformUrl = ""] = process.argv.slice(2);
const state = openSqliteState(dbPath);
const corpus = await LiveCorpus.open(dataPath, {
  logger: SILENT_LOGGER,
  extraRecords: storedPaperRecords(state.papers),
});
const service = createArxivService({
  stores: state,
  client: new ArxivClient({
    apiUrl: arxivUrl,
    pacer: new Pacer(10),
    userAgent: "paperbot-test",
    retryDelaysMs: [20],
  }),
  getPapers: () => corpus.current(),
  reload: () => corpus.reload(),
  logger: SILENT_LOGGER,
  config: { checkMinutes: 60, seeds: [] },
  slackAnyoneCanManage: true,
});
service.setPoster("slack", recordingPoster(platformUrl));
await readyThenGo();
for (let tick = 0; tick < 3; tick++) {
  await service.tick();
  await new Promise((resolve) => setTimeout(resolve, 30));
}
await service.stop();
await state.close();
corpus.close();
