/** The handler's delivery rules with a recording responder and a controllable command runner. */
import type { APIInteraction, APIInteractionResponse } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CustomIdCodec } from "../../../src/adapters/discord/custom-id.ts";
import { createInteractionHandler } from "../../../src/adapters/discord/interaction-handler.ts";
import type { InteractionResponder } from "../../../src/adapters/discord/interaction-rest.ts";
import type { DiscordMessage } from "../../../src/adapters/discord/render-reply.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { messageReply, type Reply } from "../../../src/core/reply.ts";
import { ALICE, BOB, buttonClick, chatInput } from "../../fakes/discord/payloads.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";

type Step = ["respond", APIInteractionResponse] | ["edit" | "followUp", DiscordMessage] | ["delete"];

function recorder(): { steps: Step[]; responder: InteractionResponder } {
  const steps: Step[] = [];
  return {
    steps,
    responder: {
      respond: async (body) => void steps.push(["respond", body]),
      editOriginal: async (message) => void steps.push(["edit", message]),
      deleteOriginal: async () => void steps.push(["delete"]),
      followUp: async (message) => void steps.push(["followUp", message]),
    },
  };
}

/** A runner whose replies arrive only when the test says so. */
function gatedRunner(reply: Reply) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    run: async () => {
      await gate;
      return reply;
    },
    open: () => open(),
  };
}

let temp: TempKeys;
beforeAll(() => {
  temp = openTempKeys();
});
afterAll(async () => temp.close());

async function handler(run: () => Promise<Reply>) {
  const index = await bundledIndex();
  const buttons = new CustomIdCodec(temp.keys);
  return {
    buttons,
    handle: createInteractionHandler({
      deps: { getPapers: () => index, logger: SILENT_LOGGER, keys: temp.keys },
      buttons,
      deferAfterMs: 5,
      run,
    }),
  };
}

const asInteraction = (payload: Record<string, unknown>) => payload as unknown as APIInteraction;

describe("interaction delivery", () => {
  it("defers a slow command publicly, then edits the original", async () => {
    const gated = gatedRunner(messageReply("done"));
    const { handle } = await handler(gated.run);
    const { steps, responder } = recorder();
    const running = handle(asInteraction(chatInput("search", { query: "x" })), responder);
    await new Promise((resolve) => setTimeout(resolve, 20));
    gated.open();
    await running;
    expect(steps.map((step) => step[0])).toEqual(["respond", "edit"]);
    expect(steps[0]?.[1]).toEqual({ type: 5, data: {} });
    expect((steps[1]?.[1] as DiscordMessage | undefined)?.flags).toBeUndefined();
  });

  it("swaps a public deferral for an ephemeral follow-up when the slow reply is an error", async () => {
    const gated = gatedRunner(messageReply("nope", { tone: "error", ephemeral: true }));
    const { handle } = await handler(gated.run);
    const { steps, responder } = recorder();
    const running = handle(asInteraction(chatInput("search", { query: "x" })), responder);
    await new Promise((resolve) => setTimeout(resolve, 20));
    gated.open();
    await running;
    expect(steps.map((step) => step[0])).toEqual(["respond", "delete", "followUp"]);
    expect((steps[2]?.[1] as DiscordMessage | undefined)?.flags).toBe(64);
  });

  /** A click on Alice's Next button by `userId`, answered by a command that is slow until released. */
  async function slowClickOnAlicesButton(userId: string, text: string) {
    const gated = gatedRunner(messageReply(text));
    const { handle, buttons } = await handler(gated.run);
    const id = await buttons.render((encoder) =>
      encoder.encode({ ownerId: ALICE, kind: "next", invocation: { command: "search", text: "x", page: 2 } }),
    );
    const { steps, responder } = recorder();
    const running = handle(asInteraction(buttonClick(id, { userId })), responder);
    await new Promise((resolve) => setTimeout(resolve, 20));
    gated.open();
    await running;
    return steps;
  }

  it("defers a slow owner's click as an update (type 6) and edits the message", async () => {
    const steps = await slowClickOnAlicesButton(ALICE, "page two");
    expect(steps[0]?.[1]).toEqual({ type: 6 });
    expect(steps[1]?.[0]).toBe("edit");
    expect((steps[1]?.[1] as DiscordMessage | undefined)?.content).toBe("page two");
  });

  it("defers someone else's slow click privately", async () => {
    const steps = await slowClickOnAlicesButton(BOB, "their copy");
    expect(steps[0]?.[1]).toEqual({ type: 5, data: { flags: 64 } });
    expect(steps[1]?.[0]).toBe("edit");
  });

  it("answers a click whose command now fails privately, leaving the message alone", async () => {
    const { handle, buttons } = await handler(async () =>
      messageReply("gone", { tone: "error", ephemeral: true }),
    );
    const id = await buttons.render((encoder) =>
      encoder.encode({
        ownerId: ALICE,
        kind: "bibtex",
        invocation: { command: "paper", text: "1", view: "bibtex" },
      }),
    );
    const { steps, responder } = recorder();
    await handle(asInteraction(buttonClick(id, { userId: ALICE })), responder);
    expect(steps).toHaveLength(1);
    expect(steps[0]?.[1]).toMatchObject({ type: 4, data: { flags: 64, content: "gone" } });
  });

  it("joins option values in the command's declared order into the invocation text", async () => {
    const seen: string[] = [];
    const index = await bundledIndex();
    const handle = createInteractionHandler({
      deps: { getPapers: () => index, logger: SILENT_LOGGER, keys: temp.keys },
      buttons: new CustomIdCodec(temp.keys),
      run: async (context) => {
        seen.push(
          `${context.invocation.command}|${context.invocation.text}|${context.user.canManageChannel}`,
        );
        return messageReply("ok");
      },
    });
    const payload = chatInput(
      "daily",
      { settings: "08:30 Europe/Zurich", action: "on" },
      { permissions: "16" },
    );
    await handle(asInteraction(payload), recorder().responder);
    expect(seen).toEqual(["daily|on 08:30 Europe/Zurich|true"]);
  });

  it("answers privately with an apology when stored button state cannot be read", async () => {
    const broken = openTempKeys();
    const buttons = new CustomIdCodec(broken.keys);
    const id = await buttons.render((encoder) =>
      encoder.encode({
        ownerId: ALICE,
        kind: "next",
        invocation: { command: "search", text: "y".repeat(200) },
      }),
    );
    await broken.close();
    const index = await bundledIndex();
    let runs = 0;
    const handle = createInteractionHandler({
      deps: { getPapers: () => index, logger: SILENT_LOGGER, keys: broken.keys },
      buttons,
      run: async () => {
        runs++;
        return messageReply("ran");
      },
    });
    const { steps, responder } = recorder();
    await handle(asInteraction(buttonClick(id, { userId: ALICE })), responder);
    expect(runs).toBe(0);
    expect(steps).toHaveLength(1);
    expect(steps[0]?.[1]).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/went wrong/) },
    });
  });

  it("sends no message with dead buttons when their long state cannot be stored", async () => {
    const broken = openTempKeys();
    await broken.close();
    const index = await bundledIndex();
    const handle = createInteractionHandler({
      deps: { getPapers: () => index, logger: SILENT_LOGGER, keys: broken.keys },
      buttons: new CustomIdCodec(broken.keys),
    });
    const { steps, responder } = recorder();
    await handle(asInteraction(chatInput("search", { query: "neural ".repeat(35).trim() })), responder);
    expect(steps).toHaveLength(1);
    const answer = steps[0]?.[1] as APIInteractionResponse & { data?: DiscordMessage };
    expect(answer).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/went wrong/) },
    });
    expect(answer.data?.components ?? []).toEqual([]);
  });

  it("never rejects when the response cannot be delivered", async () => {
    const { handle } = await handler(async () => messageReply("ok"));
    const responder = recorder().responder;
    responder.respond = async () => {
      throw new Error("Unknown interaction");
    };
    await expect(
      handle(asInteraction(chatInput("search", { query: "x" })), responder),
    ).resolves.toBeUndefined();
  });
});
