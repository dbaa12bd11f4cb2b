/**
 * An attempt in flight holds its post with a lease: the record's next attempt time, pushed ahead
 * while the send runs. Other processes skip a post whose time has not come, so a slow send by a
 * live process never looks like a crashed one; a crashed process stops renewing, and the lease
 * runs out after `leaseMs`.
 */
import type { Clock } from "./clock.ts";

export async function whileLeased<T>(
  clock: Clock,
  leaseMs: number,
  renew: (until: number) => Promise<boolean>,
  work: () => Promise<T>,
): Promise<T> {
  let held = true;
  let timer: unknown;
  const arm = () => {
    timer = clock.setTimer(leaseMs / 3, () => {
      if (!held) return;
      void renew(clock.now() + leaseMs).then(
        (renewed) => {
          if (held && renewed) arm();
        },
        () => {
          if (held) arm(); // a failed write is tried again; the lease still runs until it expires
        },
      );
    });
  };
  arm();
  try {
    return await work();
  } finally {
    held = false;
    clock.clearTimer(timer);
  }
}
