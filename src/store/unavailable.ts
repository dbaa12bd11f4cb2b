/**
 * Turns a database driver's connection failures into StateUnavailableError, so commands can say
 * "try again shortly" instead of "something went wrong", whichever database is behind the state.
 */
import { StateUnavailableError } from "../core/errors.ts";

/** Connection-level failures: the server restarting, refusing, or gone (PostgreSQL SQLSTATE classes 08 and 57P). */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3])/;
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|database is locked/i;

export function isUnavailable(error: unknown): boolean {
  if (error instanceof StateUnavailableError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
    return true;
  return typeof message === "string" && UNAVAILABLE_MESSAGE.test(message);
}

/** The same store, every async method rethrowing connection failures as StateUnavailableError. */
export function reportingUnavailable<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          throw isUnavailable(error) && !(error instanceof StateUnavailableError)
            ? new StateUnavailableError(error)
            : error;
        });
      };
    },
  });
}
