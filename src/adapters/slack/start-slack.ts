/**
 * Slack entry point. HTTP mode (signing secret, no app token): Bolt's HTTPReceiver on PORT at
 * /slack/events for events, commands and interactivity, with Bolt's signature and 5-minute replay
 * checks, plus GET /health. Socket Mode (app token): no public URL needed. Whatever must hold across
 * requests lives in the shared KeyStore (deps.keys), so replicas behind a load balancer act as one bot.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type CustomRoute, HTTPReceiver } from "@slack/bolt";
import type { Config } from "../../config.ts";
import type { ChannelPoster } from "../../core/daily-control.ts";
import { registerActions } from "./action-listener.ts";
import { boltLogger } from "./bolt-logger.ts";
import { createChannelPoster } from "./channel-poster.ts";
import { registerCommands } from "./command-listener.ts";
import { normalizeNames } from "./command-name.ts";
import { ConversationMemory } from "./conversation-memory.ts";
import { registerMentions } from "./mention-listener.ts";
import { createReplyPoster } from "./reply-poster.ts";
import { ANYONE_MANAGES, SlackManagers, usersInfoLookup } from "./slack-managers.ts";
import { type SlackDeps, SlackRunner } from "./slack-runner.ts";
import { listenStartupError, socketTimeoutError, tokenStartupError } from "./startup-errors.ts";
import { createWebClients, repeatableCallOptions, WEB_API_TIMEOUT_MS } from "./web-clients.ts";

export type SlackConfig = NonNullable<Config["slack"]>;

export interface SlackHandle extends ChannelPoster {
  mode: "http" | "socket";
  /** The bound port in HTTP mode (useful when started on port 0). */
  port?: number;
  stop(): Promise<void>;
}

export const EVENTS_PATH = "/slack/events";
export const HEALTH_PATH = "/health";
const DRAIN_TIMEOUT_MS = 10_000;
/**
 * Socket Mode retries apps.connections.open on its own for as long as Slack answers with a
 * recoverable error; at start that is a misconfiguration to report, not a wait without end.
 */
export const SOCKET_START_TIMEOUT_MS = 30_000;
const BODY_LIMIT = "1mb";

/** Slack's Web API base; the WebClient appends method names, so it must end with a slash. */
export function slackApiUrl(apiUrl: string | undefined): string {
  const base = apiUrl ?? "https://slack.com/api/";
  return base.endsWith("/") ? base : `${base}/`;
}

export interface SlackOptions {
  /** GET /metrics on the HTTP receiver, when metrics share this port. */
  metricsRoute?: CustomRoute;
  /** How long a slash command may take to be answered in the ack itself (default 2000 ms). */
  inlineAnswerBudgetMs?: number;
  /** How long one Web API request may take (default WEB_API_TIMEOUT_MS). */
  webApiTimeoutMs?: number;
  /** How long Socket Mode may take to connect at start (default SOCKET_START_TIMEOUT_MS). */
  socketStartTimeoutMs?: number;
}

export async function startSlack(
  deps: SlackDeps,
  config: SlackConfig,
  port: number,
  options: SlackOptions = {},
): Promise<SlackHandle> {
  if (!deps.keys)
    throw new Error("Slack needs the shared key store (deps.keys) for event dedupe and threads");
  const mode = config.appToken ? "socket" : "http";
  if (mode === "http" && !config.signingSecret) {
    throw new Error("Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)");
  }
  const logger = boltLogger(deps.logger);
  const apiUrl = slackApiUrl(config.apiUrl);
  const clientSettings = { apiUrl, timeoutMs: options.webApiTimeoutMs ?? WEB_API_TIMEOUT_MS };
  const clients = createWebClients(config.botToken, clientSettings, logger);
  const receiver =
    mode === "http"
      ? new HTTPReceiver({
          signingSecret: config.signingSecret ?? "",
          endpoints: EVENTS_PATH,
          port,
          logger,
          bodyLimit: BODY_LIMIT,
          customRoutes: [healthRoute(deps), ...(options.metricsRoute ? [options.metricsRoute] : [])],
        })
      : undefined;
  const app = new App({
    token: config.botToken,
    logger,
    // Bolt's own client keeps retries, so it only makes calls that are safe to repeat.
    clientOptions: repeatableCallOptions(clientSettings),
    deferInitialization: true,
    // No conversation store: nothing here reads it, and it would be one more per-request lookup.
    convoStore: false,
    ...(receiver
      ? { receiver }
      : {
          socketMode: true,
          appToken: config.appToken,
          // Socket Mode builds its own WebClient (for apps.connections.open) from these options.
          installerOptions: { clientOptions: { slackApiUrl: apiUrl } },
        }),
  });

  const memory = new ConversationMemory(deps.keys, deps.logger);
  // Retries carry the same event_id, and may reach another replica: answer once, whether or not
  // the first copy had a retry header. Bolt acks an event before this middleware runs, so waiting
  // for the store costs no ack time (commands and actions carry no event_id and pass straight on).
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !(await memory.firstDelivery(eventId))) {
      deps.logger.debug(`slack: duplicate delivery of ${eventId} ignored`);
      return;
    }
    await next();
  });
  const managers = new SlackManagers(
    config.manage ?? ANYONE_MANAGES,
    usersInfoLookup(clients.roles),
    deps.logger,
  );
  const runner = new SlackRunner(deps, normalizeNames(config.commandNames), managers);
  registerCommands(app, runner, options.inlineAnswerBudgetMs);
  const replies = createReplyPoster(clients.posting);
  registerMentions(app, runner, memory, replies);
  registerActions(app, runner, replies);
  app.error(async (error) => {
    deps.logger.error("slack: listener failed", error);
  });

  const target = { apiUrl, custom: config.apiUrl !== undefined };
  // init() checks the bot token (auth.test); start() opens the socket with the app token, or listens.
  await app.init().catch((error: unknown) => {
    throw tokenStartupError(error, "SLACK_BOT_TOKEN", target);
  });
  const started = await (mode === "http"
    ? app.start(port)
    : within(app.start(), options.socketStartTimeoutMs ?? SOCKET_START_TIMEOUT_MS)
  ).catch(async (error: unknown) => {
    // Nothing may keep the process alive after a failed start: no server, no reconnect timer.
    await app.stop().catch(() => {});
    if (mode === "http") throw listenStartupError(error, port);
    if (error instanceof DeadlineError) throw socketTimeoutError(error.timeoutMs);
    throw tokenStartupError(error, "SLACK_APP_TOKEN", target);
  });
  const boundPort = mode === "http" ? ((started as Server).address() as AddressInfo | null)?.port : undefined;
  deps.logger.info(
    mode === "http"
      ? `slack: listening on port ${boundPort} at ${EVENTS_PATH}`
      : "slack: connected in Socket Mode",
  );

  const poster = createChannelPoster(clients, memory);
  let stopping: Promise<void> | undefined;
  return {
    mode,
    port: boundPort,
    post: poster.post,
    wasPosted: poster.wasPosted,
    stop() {
      stopping ??= (async () => {
        await app.stop();
        await runner.drain(DRAIN_TIMEOUT_MS);
        deps.logger.info("slack: stopped");
      })();
      return stopping;
    },
  };
}

class DeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`not done within ${timeoutMs} ms`);
  }
}

/** `work`, or a DeadlineError once `timeoutMs` passed; a late failure of `work` is then ignored. */
async function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(timeoutMs)), timeoutMs);
  });
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function healthRoute(deps: SlackDeps): CustomRoute {
  return {
    path: HEALTH_PATH,
    method: ["GET"],
    handler: (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true, papers: deps.getPapers().size }));
    },
  };
}
