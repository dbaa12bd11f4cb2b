/** What the Slack adapter remembers between requests, on the shared SQLite KeyStore. */
import { afterEach, describe, expect, it } from "vitest";
import {
  ConversationMemory,
  EVENT_DEDUPE_TTL_MS,
  THREAD_TTL_MS,
} from "../../../src/adapters/slack/conversation-memory.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { openTempKeys, openTempKeysWithClock, type TempKeys } from "../temp-keys.ts";

const MINUTE = 60_000;
let opened: TempKeys[] = [];

afterEach(async () => {
  for (const temp of opened) await temp.close();
  opened = [];
});

function memoryAt(now: () => number): ConversationMemory {
  const temp = openTempKeysWithClock(now);
  opened.push(temp);
  return new ConversationMemory(temp.keys, SILENT_LOGGER);
}

describe("Slack conversation memory", () => {
  it("lets an event id through once for well over Slack's retry span, then forgets it", async () => {
    let time = 1_000_000;
    const memory = memoryAt(() => time);
    expect(EVENT_DEDUPE_TTL_MS).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(await memory.firstDelivery("Ev1")).toBe(true);
    time += 10 * MINUTE;
    expect(await memory.firstDelivery("Ev1")).toBe(false);
    time += EVENT_DEDUPE_TTL_MS;
    expect(await memory.firstDelivery("Ev1")).toBe(true);
  });

  it("gives exactly one of two memories on one database each event and each message", async () => {
    const temp = openTempKeys();
    opened.push(temp);
    const [a, b] = [
      new ConversationMemory(temp.keys, SILENT_LOGGER),
      new ConversationMemory(temp.keys, SILENT_LOGGER),
    ];
    expect(await Promise.all([a.firstDelivery("Ev2"), b.firstDelivery("Ev2")])).toEqual([true, false]);
    expect(await b.firstAnswer("C1", "1.2")).toBe(true);
    expect(await a.firstAnswer("C1", "1.2")).toBe(false);
    expect(await a.firstAnswer("C2", "1.2")).toBe(true);
  });

  it("follows a thread for a week after the bot last posted in it", async () => {
    let time = 1_000_000;
    const memory = memoryAt(() => time);
    expect(await memory.follows("C1", "1.0")).toBe(false);
    await memory.follow("C1", "1.0");
    time += THREAD_TTL_MS - 1;
    expect(await memory.follows("C1", "1.0")).toBe(true);
    await memory.follow("C1", "1.0");
    time += THREAD_TTL_MS - 1;
    expect(await memory.follows("C1", "1.0")).toBe(true);
    expect(await memory.follows("C2", "1.0")).toBe(false);
    time += 1;
    expect(await memory.follows("C1", "1.0")).toBe(false);
  });

  it("lets events through and follows no thread when the store cannot be reached", async () => {
    const temp = openTempKeys();
    const memory = new ConversationMemory(temp.keys, SILENT_LOGGER);
    await temp.close();
    expect(await memory.firstDelivery("Ev3")).toBe(true);
    expect(await memory.firstAnswer("C1", "1.3")).toBe(true);
    expect(await memory.follows("C1", "1.3")).toBe(false);
    await expect(memory.follow("C1", "1.3")).resolves.toBeUndefined();
  });
});
