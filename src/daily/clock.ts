/** Time as a dependency: the service reads the clock and sets timers only through this, so tests drive both. */
export interface Clock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): unknown;
  clearTimer(handle: unknown): void;
}

/** Resolves when `work` settles or `timeoutMs` passes on `clock`, whichever is first; never rejects. */
export function waitAtMost(clock: Clock, work: Promise<unknown>, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = clock.setTimer(timeoutMs, () => resolve());
    void work.finally(() => {
      clock.clearTimer(timer);
      resolve();
    });
  });
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
