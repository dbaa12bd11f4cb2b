/**
 * A `/daily off` answered on replica A must hold even when replica B, at that moment, starts the
 * channel's next rotation from a copy of the subscription it read before the off. (It once did not:
 * the roll-over saved B's whole stale row back, turning the channel on again.) The rotation now
 * moves by a compare-and-set that touches nothing else, and B's send is guarded by the channel
 * being on.
 *
 * Two daily services on two connections to one PostgreSQL database stand for the two replicas; a
 * gate in B's store holds B's rotation move until A's `/daily off` has answered, so the
 * interleaving is exact rather than left to chance.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelPoster, DailyChannel } from "../../src/core/daily-control.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import { PaperIndex } from "../../src/core/paper-index.ts";
import { newSubscription } from "../../src/daily/daily-commands.ts";
import { DEFAULT_DAILY_CONFIG } from "../../src/daily/daily-config.ts";
import { createDailyService } from "../../src/daily/daily-service.ts";
import { localDay } from "../../src/daily/local-time.ts";
import type { DailyStore } from "../../src/store/daily-store.ts";
import { openState } from "../../src/store/state.ts";
import { bundledIndex } from "../fixtures/corpus.ts";
import { createTestDatabase, pgSuiteEnabled } from "../store/pg-test-database.ts";
import { Resources } from "./replica-process.ts";

const enabled = await pgSuiteEnabled();

const DAY_MS = 24 * 60 * 60_000;
const CHANNEL: DailyChannel = { platform: "slack", channelId: "C1" };

/** `store` with advanceRotation held at a gate: `reached` resolves when a move arrives, `release()` lets it through. */
function gatedSaves(store: DailyStore) {
  let reachedGate: () => void = () => {};
  let release: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    reachedGate = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const gated = new Proxy(store, {
    get(target, property, receiver) {
      if (property === "advanceRotation")
        return async (...args: Parameters<DailyStore["advanceRotation"]>) => {
          reachedGate();
          await gate;
          return target.advanceRotation(...args);
        };
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { gated, reached, release };
}

describe.skipIf(!enabled)("daily rotation roll-over on one replica racing /daily off on another", () => {
  const resources = new Resources();
  afterEach(() => resources.closeAll());

  it("keeps the channel off, and posts nothing, when B starts a rotation from the copy it read before the off", async () => {
    const database = await createTestDatabase();
    resources.add(() => database.drop());
    const a = await openState({ databaseUrl: database.url, databasePath: "" });
    resources.add(() => a.close());
    const b = await openState({ databaseUrl: database.url, databasePath: "" });
    resources.add(() => b.close());

    // A pool of one paper, posted yesterday in rotation 0: today's claim starts rotation 1.
    const paper = (await bundledIndex()).get("2305.09088");
    if (!paper) throw new Error("bundled paper 2305.09088 missing");
    const papers = new PaperIndex([paper]);
    const now = Date.now();
    const since = newSubscription(CHANNEL, now - 2 * DAY_MS, DEFAULT_DAILY_CONFIG);
    await a.daily.saveSubscription({ ...since, time: "00:00", timeZone: "UTC" });
    await a.daily.claimPost({
      ...CHANNEL,
      day: localDay(now - DAY_MS, "UTC"),
      timeZone: "UTC",
      paperId: paper.id,
      rotation: 0,
      idempotencyKey: "pb-yesterday",
      status: "sent",
      attempts: 1,
      nextAttemptAt: now - DAY_MS,
      claimedAt: now - DAY_MS,
      sentAt: now - DAY_MS,
      messageId: "1",
      trigger: "schedule",
    });
    const sent: string[] = [];
    const poster: ChannelPoster = {
      post: async (channelId) => {
        sent.push(channelId);
        return { messageId: `m${sent.length}` };
      },
      wasPosted: async () => false,
    };
    const replicaA = createDailyService({
      store: a.daily,
      getPapers: () => papers,
      logger: SILENT_LOGGER,
      posters: { slack: poster },
    });
    const { gated, reached, release } = gatedSaves(b.daily);
    const replicaB = createDailyService({
      store: gated,
      getPapers: () => papers,
      logger: SILENT_LOGGER,
      posters: { slack: poster },
    });

    const tick = replicaB.tick(); // B claims today and rolls the rotation over: the move waits at the gate
    await Promise.race([reached, tick]);
    const reply = await replicaA.handle(CHANNEL, "off", { id: "U9", canManageChannel: true });
    expect(JSON.stringify(reply)).toContain("Daily paper off");
    release();
    await tick;

    const after = await a.daily.getSubscription(CHANNEL);
    expect(after?.rotation).toBe(1);
    expect(after?.enabled).toBe(false);
    expect(after?.updatedBy).toBe("U9");
    expect(sent).toEqual([]);
  });
});
