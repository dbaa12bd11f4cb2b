/**
 * The REST path for interaction callbacks and webhook edits. Discord keeps interaction endpoints
 * outside the bot's global rate limit, but @discordjs/rest counts webhook edits against its 50 req/s
 * global limiter; a burst of interactions would queue behind it past the 3 s deadline. This client
 * has that limiter switched off (Discord's own 429s, if any, are still honoured), sends over a
 * bounded pool of keep-alive connections, and needs no token: the interaction token in the URL is
 * the credential.
 */
import { type APIInteractionResponse, REST, type RESTOptions, Routes } from "discord.js";
import { createPooledRequest } from "./pooled-request.ts";
import type { DiscordMessage } from "./render-reply.ts";

export interface InteractionResponder {
  /** The initial response; must reach Discord within 3 s of the interaction. */
  respond(body: APIInteractionResponse): Promise<void>;
  editOriginal(message: DiscordMessage): Promise<void>;
  deleteOriginal(): Promise<void>;
  followUp(message: DiscordMessage): Promise<void>;
}

/** The bot's ordinary REST client (channel messages, registration), pointed at DISCORD_API_URL when set. */
export function createRest(apiUrl: string | undefined): REST {
  return new REST({ version: "10", ...(apiUrl ? { api: apiUrl } : {}) });
}

export interface InteractionRest {
  rest: REST;
  close(): void;
}

export function createInteractionRest(apiUrl: string | undefined): InteractionRest {
  const pool = createPooledRequest();
  const rest = new REST({
    version: "10",
    ...(apiUrl ? { api: apiUrl } : {}),
    globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    makeRequest: pool.makeRequest as RESTOptions["makeRequest"],
  });
  return {
    rest,
    close() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      pool.close();
    },
  };
}

interface InteractionIds {
  id: string;
  token: string;
  application_id: string;
}

/** Webhook calls for one interaction; `respond` is replaced in HTTP mode (the HTTP response is the callback). */
export function webhookResponder(
  rest: REST,
  interaction: InteractionIds,
  respond?: (body: APIInteractionResponse) => Promise<void>,
): InteractionResponder {
  const original = Routes.webhookMessage(interaction.application_id, interaction.token, "@original");
  return {
    respond:
      respond ??
      (async (body) => {
        await rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
      }),
    async editOriginal(message) {
      await rest.patch(original, { body: message, auth: false });
    },
    async deleteOriginal() {
      await rest.delete(original, { auth: false });
    },
    async followUp(message) {
      await rest.post(Routes.webhook(interaction.application_id, interaction.token), {
        body: message,
        auth: false,
      });
    },
  };
}
