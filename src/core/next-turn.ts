/**
 * Yielding between slices of long work on the main thread, so requests are answered in between.
 */

/** Lets I/O and other requests run before the next slice. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lets due timers run too (setImmediate alone would run before them). */
export const afterTimers = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
