/**
 * Production runs dist/: a reload there starts the compiled reload-worker.js, in an installation
 * without tsx (so a worker that still needed the TypeScript sources would fall back and fail here).
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { textRecord } from "../../fixtures/corpus.ts";
import "../../lifecycle/compiled.ts";
import { installCopy } from "../../lifecycle/install-copy.ts";
import { removeTempFolders, tempFolder } from "../../lifecycle/processes.ts";

afterAll(removeTempFolders);

it("reloads through the compiled worker in an installation without tsx", async () => {
  const copy = installCopy({ built: true });
  const data = tempFolder("paperbot-data-");
  writeFileSync(join(data, "papers.txt"), textRecord("2301.00001", "Sharpness aware minimization."));
  const cache = tempFolder("paperbot-cache-");
  const script = join(tempFolder("paperbot-script-"), "reload.mjs");
  const corpusJs = join(copy, "dist/src/core/corpus/live-corpus.js");
  const loggerJs = join(copy, "dist/src/core/logger.js");
  writeFileSync(
    script,
    `import { appendFileSync } from "node:fs";
import { LiveCorpus } from ${JSON.stringify(corpusJs)};
import { createLogger } from ${JSON.stringify(loggerJs)};
const logger = createLogger("info", (line) => console.log(line));
const corpus = await LiveCorpus.open(${JSON.stringify(data)}, { logger, indexCachePath: ${JSON.stringify(join(cache, "index"))} });
appendFileSync(${JSON.stringify(join(data, "papers.txt"))}, ${JSON.stringify(`\n${textRecord("2301.00002", "Cold posteriors revisited.")}`)});
console.log("RESULT", await corpus.reload(), corpus.current().search("posteriors").hits[0]?.paper.id);
corpus.close();
`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: copy });
  expect(stdout).not.toMatch(/the reload worker failed/);
  expect(stdout).toContain("reloaded 2 papers");
  expect(stdout).toContain("RESULT true 2301.00002");
}, 60_000);
