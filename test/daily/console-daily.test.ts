/** `/daily on` typed into the real console adapter posts there at the scheduled minute. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CONSOLE_CHANNEL_ID, startConsole } from "../../src/adapters/console/console-adapter.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import { createDailyService } from "../../src/daily/daily-service.ts";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { bundledIndex } from "../fixtures/corpus.ts";
import { flush, TimeLine } from "./helpers.ts";

async function waitForText(read: () => string, text: string): Promise<void> {
  for (let i = 0; i < 200 && !read().includes(text); i++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(read()).toContain(text);
}

describe("daily posts in the console", () => {
  it("posts at the scheduled minute after /daily on, once", async () => {
    const papers = await bundledIndex();
    const line = new TimeLine("2024-06-03T08:58:10Z");
    const store = openSqliteDailyStore(":memory:");
    const daily = createDailyService({
      store,
      getPapers: () => papers,
      logger: SILENT_LOGGER,
      clock: line.clock(),
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    const terminal = startConsole({
      getPapers: () => papers,
      logger: SILENT_LOGGER,
      daily,
      input,
      output,
      interactive: false,
      now: () => new Date(line.now),
    });
    daily.setPoster("console", terminal);
    await daily.start();

    input.write("/daily on 09:00 UTC\n");
    await waitForText(() => printed, "Daily paper on");
    expect(printed).not.toContain("Paper of the day");
    await line.advanceTo(Date.parse("2024-06-03T08:59:59Z"));
    expect(printed).not.toContain("Paper of the day");
    await line.advanceTo(Date.parse("2024-06-03T09:00:01Z"));
    await flush();
    expect(printed.split("Paper of the day")).toHaveLength(2);
    await line.advanceTo(Date.parse("2024-06-03T12:00:00Z"));
    expect(printed.split("Paper of the day")).toHaveLength(2);
    expect((await store.listPosts({ platform: "console", channelId: CONSOLE_CHANNEL_ID }))[0]?.status).toBe(
      "sent",
    );

    input.end();
    await terminal.finished;
    await daily.stop();
    await store.close();
  });
});
