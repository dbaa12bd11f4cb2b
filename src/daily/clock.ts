/** Time as a dependency: the service reads the clock and sets timers only through this, so tests drive both. */
export interface Clock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): unknown;
  clearTimer(handle: unknown): void;
}

/** Node's timers can wait at most 2^31-1 ms; longer waits are re-armed by the caller. */
export const MAX_TIMER_MS = 2_147_483_647;

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimer: (delayMs, callback) => {
    const handle = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    // Timers never keep the process alive: adapters do, and a shutdown must not wait for tomorrow's post.
    handle.unref();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
