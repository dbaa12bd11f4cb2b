import { describe, expect, it } from "vitest";
import { createPromMetrics } from "../../src/ops/metrics.ts";
import { countStateErrors, countStoreErrors } from "../../src/ops/store-errors.ts";

class FakeStore {
  #rows = new Map<string, number>([["a", 1]]);
  calls = 0;

  get size(): number {
    return this.#rows.size;
  }

  async get(key: string): Promise<number | undefined> {
    this.calls++;
    return this.#rows.get(key);
  }

  async update(): Promise<void> {
    throw new Error("SQLITE_BUSY: database is locked");
  }

  readNow(key: string): number {
    if (!this.#rows.has(key)) throw new Error(`no row ${key}`);
    return this.#rows.get(key) as number;
  }
}

describe("countStoreErrors", () => {
  it("passes results and failures through and counts each failure by store and method", async () => {
    const { metrics, registry } = createPromMetrics({ defaultMetrics: false });
    const raw = new FakeStore();
    const store = countStoreErrors(raw, "daily", metrics);
    expect(await store.get("a")).toBe(1);
    expect(raw.calls).toBe(1);
    expect(store.readNow("a")).toBe(1);
    await expect(store.update()).rejects.toThrow("SQLITE_BUSY");
    await expect(store.update()).rejects.toThrow("SQLITE_BUSY");
    expect(() => store.readNow("b")).toThrow("no row b");
    expect(store).toBeInstanceOf(FakeStore);
    expect(store.size).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain('paperbot_database_errors_total{operation="daily.update"} 2');
    expect(text).toContain('paperbot_database_errors_total{operation="daily.readNow"} 1');
    expect(text).not.toContain('operation="daily.get"');
  });

  it("wraps every store of a state bundle and leaves its own functions alone", async () => {
    const { metrics, registry } = createPromMetrics({ defaultMetrics: false });
    let closed = false;
    const state = countStateErrors(
      {
        follows: new FakeStore(),
        close: async () => {
          closed = true;
        },
      },
      metrics,
    );
    await expect(state.follows.update()).rejects.toThrow();
    await state.close();
    expect(closed).toBe(true);
    expect(await registry.metrics()).toContain(
      'paperbot_database_errors_total{operation="follows.update"} 1',
    );
  });
});
