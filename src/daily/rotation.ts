/**
 * Which paper a channel gets next. Within a rotation no paper repeats: first the papers added
 * since the rotation began (oldest addition first), then the rest of the pool in a shuffled
 * order that is stable for the channel's seed and rotation number (adding a paper never
 * reshuffles the others). When every paper in the pool was posted, a new rotation begins.
 */
import { createHash } from "node:crypto";

export interface RotationState {
  rotation: number;
  /** When the current rotation began (ms); papers first seen after it count as new. */
  startedAt: number;
}

export interface RotationInput {
  /** Ids the channel's filters admit today. */
  pool: readonly string[];
  /** Ids posted (or being posted) in this channel during `state.rotation`. */
  posted: ReadonlySet<string>;
  /** When each paper was first seen by the bot (ms); a missing id counts as new now. */
  firstSeen: ReadonlyMap<string, number>;
  state: RotationState;
  seed: string;
  /** The last paper posted in the channel, kept from opening a new rotation (no back-to-back repeat). */
  lastPosted?: string;
  now: number;
}

export interface RotationPick {
  paperId: string;
  state: RotationState;
}

/** A stable pseudo-random rank for a paper within one channel's rotation. */
export function shuffleRank(seed: string, rotation: number, paperId: string): string {
  return createHash("sha256").update(`${seed}\u0000${rotation}\u0000${paperId}`).digest("hex");
}

/** The order the remaining pool will be posted in (undefined first seen counts as new). */
export function rotationOrder(
  candidates: readonly string[],
  firstSeen: ReadonlyMap<string, number>,
  state: RotationState,
  seed: string,
): string[] {
  const isNew = (id: string) => (firstSeen.get(id) ?? Number.POSITIVE_INFINITY) > state.startedAt;
  const fresh = candidates
    .filter(isNew)
    .sort(
      (a, b) =>
        (firstSeen.get(a) ?? Number.POSITIVE_INFINITY) - (firstSeen.get(b) ?? Number.POSITIVE_INFINITY) ||
        a.localeCompare(b),
    );
  const archive = candidates
    .filter((id) => !isNew(id))
    .map((id) => ({ id, rank: shuffleRank(seed, state.rotation, id) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map((entry) => entry.id);
  return [...fresh, ...archive];
}

/** The next paper, or undefined when the pool is empty. */
export function pickNextPaper(input: RotationInput): RotationPick | undefined {
  const pool = [...new Set(input.pool)];
  if (pool.length === 0) return undefined;
  const remaining = pool.filter((id) => !input.posted.has(id));
  if (remaining.length > 0) {
    const [paperId] = rotationOrder(remaining, input.firstSeen, input.state, input.seed);
    if (paperId !== undefined) return { paperId, state: input.state };
  }
  const state = { rotation: input.state.rotation + 1, startedAt: input.now };
  const order = rotationOrder(pool, input.firstSeen, state, input.seed);
  if (order.length > 1 && order[0] === input.lastPosted) order.push(order.shift() as string);
  const paperId = order[0] as string;
  return { paperId, state };
}
