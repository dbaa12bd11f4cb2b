import { describe, expect, it } from "vitest";
import {
  FAILED_LOOKUP_TTL_MS,
  type ManagePolicy,
  ROLE_CACHE_TTL_MS,
  SlackManagers,
} from "../../../src/adapters/slack/slack-managers.ts";
import { createLogger } from "../../../src/core/logger.ts";

const RESTRICTED: ManagePolicy = { anyoneCanManage: false, managers: ["UALLOWED"] };
const DAILY_ON = { command: "daily", text: "on" };

/** SlackManagers with a counted, scripted users.info and a clock the test moves. */
function managers(answers: Record<string, boolean | Error>, policy = RESTRICTED) {
  const clock = { now: 1_000_000 };
  const calls: string[] = [];
  const logged: string[] = [];
  const checker = new SlackManagers(
    policy,
    async (userId) => {
      calls.push(userId);
      const answer = answers[userId] ?? false;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    createLogger("debug", (line) => logged.push(line)),
    () => clock.now,
  );
  return { checker, calls, logged, clock };
}

describe("SlackManagers", () => {
  it("leaves the decision to the command's rule when anyone may manage", async () => {
    const { checker, calls } = managers({}, { anyoneCanManage: true, managers: [] });
    expect(await checker.canManageChannel(DAILY_ON, "U1", "C1")).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("marks admins and the allowlist as managers, members not, and the asker in a DM always", async () => {
    const { checker, calls } = managers({ UADMIN: true });
    expect(await checker.canManageChannel(DAILY_ON, "UADMIN", "C1")).toBe(true);
    expect(await checker.canManageChannel(DAILY_ON, "UMEMBER", "C1")).toBe(false);
    expect(await checker.canManageChannel(DAILY_ON, "UALLOWED", "C1")).toBe(true);
    expect(await checker.canManageChannel(DAILY_ON, "UMEMBER", "D1")).toBe(true);
    expect(calls).toEqual(["UADMIN", "UMEMBER"]);
  });

  it("looks up only for commands that manage a channel (daily, follow, add, however typed)", async () => {
    const { checker, calls } = managers({});
    for (const command of ["search", "paper", "random", "ask", "help", "nonsense"]) {
      expect(await checker.canManageChannel({ command, text: "x" }, "U1", "C1")).toBeUndefined();
    }
    expect(calls).toEqual([]);
    for (const command of ["daily", "/follow", "ADD"])
      await checker.canManageChannel({ command, text: "" }, "U1", "C1");
    expect(calls).toEqual(["U1"]);
  });

  it("keeps an answer for five minutes, and shares one lookup between concurrent requests", async () => {
    const { checker, calls, clock } = managers({ UADMIN: true });
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => checker.canManageChannel(DAILY_ON, "UADMIN", "C1")),
    );
    expect(burst).toEqual([true, true, true, true, true]);
    expect(calls).toHaveLength(1);
    clock.now += ROLE_CACHE_TTL_MS - 1;
    await checker.canManageChannel(DAILY_ON, "UADMIN", "C1");
    expect(calls).toHaveLength(1);
    clock.now += 1;
    await checker.canManageChannel(DAILY_ON, "UADMIN", "C1");
    expect(calls).toHaveLength(2);
  });

  it("denies when the lookup fails, tries again after a short while, and logs each kind of failure once", async () => {
    const missingScope = Object.assign(new Error("An API error occurred: missing_scope"), {
      code: "slack_webapi_platform_error",
      data: { ok: false, error: "missing_scope" },
    });
    const { checker, calls, logged, clock } = managers({ UADMIN: missingScope, UOTHER: missingScope });
    expect(await checker.canManageChannel(DAILY_ON, "UADMIN", "C1")).toBe(false);
    expect(await checker.canManageChannel(DAILY_ON, "UADMIN", "C1")).toBe(false);
    expect(await checker.canManageChannel(DAILY_ON, "UOTHER", "C1")).toBe(false);
    expect(calls).toEqual(["UADMIN", "UOTHER"]);
    clock.now += FAILED_LOOKUP_TTL_MS;
    expect(await checker.canManageChannel(DAILY_ON, "UADMIN", "C1")).toBe(false);
    expect(calls).toEqual(["UADMIN", "UOTHER", "UADMIN"]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("missing_scope");
    expect(logged[0]).toContain("users:read");
  });
});
