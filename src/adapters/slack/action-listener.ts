/**
 * Button clicks: ack at once, then re-run the invocation the button carries. Navigation (next,
 * previous, another, abstract) replaces the message; BibTeX, Related and errors go to the clicker only.
 * response_url works for ephemeral and normal messages alike; chat.update is the fallback (safe to
 * resend, so Bolt's retrying client makes it), and private answers without one go through `replies`.
 */
import type { App, BlockAction, RespondArguments } from "@slack/bolt";
import { ERROR_MESSAGES } from "../../core/errors.ts";
import { messageReply, type Reply } from "../../core/reply.ts";
import { ACTION_ID_PATTERN, ACTION_ID_PREFIX, decodeInvocation } from "./action-value.ts";
import { isEphemeral, renderReply } from "./render-reply.ts";
import type { ReplyPoster } from "./reply-poster.ts";
import type { SlackRunner } from "./slack-runner.ts";

/** Actions whose result is personal rather than a change to the shared message. */
const PRIVATE_KINDS = new Set(["bibtex", "related"]);

export function registerActions(app: App, runner: SlackRunner, replies: ReplyPoster): void {
  app.action<BlockAction>(ACTION_ID_PATTERN, async ({ ack, body, action, respond, client }) => {
    await ack();
    // Link buttons (arXiv, PDF, Code) open in the browser; Slack still reports the click.
    if (action.type !== "button" || !action.value) return;
    const kind = action.action_id.slice(ACTION_ID_PREFIX.length).split(":")[0] ?? "";
    const channelId = body.channel?.id ?? body.container?.channel_id ?? "";
    const invocation = decodeInvocation(action.value);
    runner.background("answering a button", async () => {
      const reply: Reply = invocation
        ? await runner.run(invocation, {
            user: { id: body.user.id, name: body.user.name },
            channel: { id: channelId, name: body.channel?.name },
          })
        : messageReply("That button is from an older message and no longer works.", {
            tone: "error",
            ephemeral: true,
            hint: ERROR_MESSAGES.bad_input,
          });
      const rendered = renderReply(reply);
      if (isEphemeral(reply) || PRIVATE_KINDS.has(kind)) {
        const message: RespondArguments = {
          response_type: "ephemeral",
          replace_original: false,
          ...rendered,
        };
        if (body.response_url) await respond(message);
        else if (channelId)
          await replies.postEphemeral({ channel: channelId, user: body.user.id, ...rendered });
        return;
      }
      if (body.response_url) {
        await respond({ replace_original: true, ...rendered });
      } else if (channelId && body.message?.ts) {
        await client.chat.update({ channel: channelId, ts: body.message.ts, ...rendered });
      }
    });
  });
}
