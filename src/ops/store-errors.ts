/**
 * Counts failed state store calls without touching the stores: each method of a store is wrapped
 * so a throw or a rejected promise adds one to paperbot_database_errors_total{operation="daily.updatePost"}
 * and is then passed on unchanged.
 */
import type { BotMetrics } from "../core/metrics.ts";

/** `store` with every method counted as `${name}.${method}` when it fails. */
export function countStoreErrors<T extends object>(store: T, name: string, metrics: BotMetrics): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key) {
      // Read on the store itself: getters and methods that use private fields need the real `this`.
      const value = Reflect.get(target, key);
      if (typeof value !== "function" || typeof key !== "string" || key === "constructor") return value;
      let wrapper = wrapped.get(key);
      if (!wrapper) {
        const operation = `${name}.${key}`;
        const failed = (error: unknown) => {
          metrics.databaseError(operation);
          throw error;
        };
        wrapper = (...args: unknown[]) => {
          try {
            const method = Reflect.get(target, key) as (...a: unknown[]) => unknown;
            const result = method.apply(target, args);
            return result instanceof Promise ? result.catch(failed) : result;
          } catch (error) {
            return failed(error);
          }
        };
        wrapped.set(key, wrapper);
      }
      return wrapper;
    },
  });
}

/** Every store of a state bundle ({ daily, papers, follows, keys, close }) counted under its own name. */
export function countStateErrors<S extends object>(state: S, metrics: BotMetrics): S {
  const counted = { ...state } as Record<string, unknown>;
  for (const [name, store] of Object.entries(state)) {
    if (typeof store === "object" && store !== null) counted[name] = countStoreErrors(store, name, metrics);
  }
  return counted as S;
}
