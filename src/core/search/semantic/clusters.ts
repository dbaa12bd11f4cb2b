/**
 * Groups unit vectors (the corpus words' vectors) into clusters, so a query word is compared with
 * a few hundred centroids and the words of its nearest clusters instead of every word: two-level
 * spherical k-means (a few top clusters, each split again), deterministic, a few passes each.
 */

export interface Clusters {
  /** count * dims, unit length. */
  centroids: Float32Array;
  /** count + 1 offsets into members. */
  offsets: Int32Array;
  /** Item ids grouped by cluster. */
  members: Int32Array;
}

const ITERATIONS = 5;
/** Items used to place centroids; every item is assigned afterwards. */
const SAMPLE = 12_000;

/** `vector(i, out)` writes item i's unit vector into out. */
type VectorOf = (item: number, out: Float32Array) => void;

function dot(a: Float32Array, aAt: number, b: Float32Array, bAt: number, dims: number): number {
  let s = 0;
  for (let k = 0; k < dims; k++) s += (a[aAt + k] as number) * (b[bAt + k] as number);
  return s;
}

function normalize(v: Float32Array, at: number, dims: number): void {
  let s = 0;
  for (let k = 0; k < dims; k++) s += (v[at + k] as number) ** 2;
  const n = Math.sqrt(s);
  if (n > 0) for (let k = 0; k < dims; k++) v[at + k] = (v[at + k] as number) / n;
}

/** Spherical k-means of `items` (rows of `data`), k centroids; returns centroids and assignment. */
function kmeans(
  data: Float32Array,
  items: Int32Array,
  k: number,
  dims: number,
): { centroids: Float32Array; assign: Int32Array } {
  const n = items.length;
  const centroids = new Float32Array(k * dims);
  // Evenly spaced items as seeds: deterministic, and spread over the (frequency-ordered) list.
  for (let c = 0; c < k; c++) {
    const item = items[Math.floor(((c + 0.5) * n) / k)] as number;
    centroids.set(data.subarray(item * dims, item * dims + dims), c * dims);
  }
  const assign = new Int32Array(n);
  const step = Math.max(1, Math.floor(n / SAMPLE));
  for (let iteration = 0; iteration <= ITERATIONS; iteration++) {
    const last = iteration === ITERATIONS;
    const sums = new Float32Array(k * dims);
    for (let i = 0; i < n; i += last ? 1 : step) {
      const at = (items[i] as number) * dims;
      let best = 0;
      let bestSim = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const s = dot(data, at, centroids, c * dims, dims);
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
      assign[i] = best;
      if (!last)
        for (let d = 0; d < dims; d++)
          sums[best * dims + d] = (sums[best * dims + d] as number) + (data[at + d] as number);
    }
    if (last) break;
    for (let c = 0; c < k; c++) {
      let empty = true;
      for (let d = 0; d < dims; d++) if (sums[c * dims + d] !== 0) empty = false;
      if (empty) continue; // keeps its seed
      centroids.set(sums.subarray(c * dims, c * dims + dims), c * dims);
      normalize(centroids, c * dims, dims);
    }
  }
  return { centroids, assign };
}

/** Clusters `count` items with about `perCluster` items each (at least one cluster). */
export function clusterVectors(count: number, dims: number, vectorOf: VectorOf, perCluster = 48): Clusters {
  const data = new Float32Array(count * dims);
  const out = new Float32Array(dims);
  for (let i = 0; i < count; i++) {
    vectorOf(i, out);
    data.set(out, i * dims);
  }
  const wanted = Math.max(1, Math.round(count / perCluster));
  const top = Math.max(1, Math.round(Math.sqrt(wanted)));
  const all = Int32Array.from({ length: count }, (_, i) => i);
  const first = kmeans(data, all, Math.min(top, Math.max(1, count)), dims);
  // Split every top cluster in proportion to its size.
  const groups: number[][] = Array.from({ length: top }, () => []);
  first.assign.forEach((c, i) => {
    groups[c]?.push(i);
  });
  const centroidList: Float32Array[] = [];
  const memberLists: number[][] = [];
  for (const group of groups) {
    if (group.length === 0) continue;
    const items = Int32Array.from(group);
    const k = Math.max(1, Math.min(items.length, Math.round(group.length / perCluster)));
    const second = kmeans(data, items, k, dims);
    const lists: number[][] = Array.from({ length: k }, () => []);
    second.assign.forEach((c, i) => {
      lists[c]?.push(items[i] as number);
    });
    lists.forEach((list, c) => {
      if (list.length === 0) return;
      centroidList.push(second.centroids.slice(c * dims, c * dims + dims));
      memberLists.push(list);
    });
  }
  const centroids = new Float32Array(centroidList.length * dims);
  centroidList.forEach((c, i) => {
    centroids.set(c, i * dims);
  });
  const offsets = new Int32Array(memberLists.length + 1);
  const members = new Int32Array(count);
  let at = 0;
  memberLists.forEach((list, c) => {
    members.set(list, at);
    at += list.length;
    offsets[c + 1] = at;
  });
  return { centroids, offsets, members };
}
