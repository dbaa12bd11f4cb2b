/** DISCORD_SHARDS: which shards this machine runs, as ranges and single ids ("0-7", "8-15", "0,2,4"). */
export function parseShardList(text: string, totalShards: number): number[] | string {
  const ids = new Set<number>();
  for (const part of text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)) {
    const match = part.match(/^(\d+)(?:\s*-\s*(\d+))?$/);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (!match || from > to) return `DISCORD_SHARDS: "${part}" is not a shard id or a range like 0-7`;
    if (to >= totalShards)
      return `DISCORD_SHARDS: shard ${to} does not exist with ${totalShards} shards (ids 0 to ${totalShards - 1}; set DISCORD_SHARD_COUNT)`;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  if (ids.size === 0) return "DISCORD_SHARDS lists no shards";
  return [...ids].sort((a, b) => a - b);
}
