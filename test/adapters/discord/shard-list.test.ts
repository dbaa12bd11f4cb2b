import { describe, expect, it } from "vitest";
import { parseShardList } from "../../../src/adapters/discord/shard-list.ts";

describe("DISCORD_SHARDS", () => {
  it("reads ranges and single ids, in order, once each", () => {
    expect(parseShardList("0-3", 8)).toEqual([0, 1, 2, 3]);
    expect(parseShardList("6, 4-5 ,4", 8)).toEqual([4, 5, 6]);
  });

  it("names what is wrong: a bad part, a shard past the count, nothing listed", () => {
    expect(parseShardList("0-x", 8)).toContain('"0-x" is not a shard id');
    expect(parseShardList("3-1", 8)).toContain('"3-1" is not a shard id');
    expect(parseShardList("6-8", 8)).toContain("shard 8 does not exist with 8 shards");
    expect(parseShardList(" , ", 8)).toBe("DISCORD_SHARDS lists no shards");
  });
});
