/**
 * Runs a command for a Slack user, marked a channel manager or not (SlackManagers), and keeps count
 * of work still in flight, so stop() can let answers already being written finish before the process
 * exits.
 */
import { runCommand } from "../../../commands/index.ts";
import type { ReplicatedAdapterDeps } from "../../core/adapter-deps.ts";
import type { CommandContext } from "../../core/command.ts";
import type { Logger } from "../../core/logger.ts";
import type { Invocation, Reply } from "../../core/reply.ts";
import { type SlackCommandNames, slackHelpReply } from "./slack-help.ts";
import type { SlackManagers } from "./slack-managers.ts";

/** `keys` holds event dedupe and followed threads, shared by every replica (Socket Mode too spreads events over connections). */
export type SlackDeps = ReplicatedAdapterDeps;

export interface Asker {
  user: { id: string; name?: string };
  channel: { id: string; name?: string };
}

export class SlackRunner {
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    readonly deps: SlackDeps,
    readonly names: SlackCommandNames,
    private readonly managers: SlackManagers,
  ) {}

  get logger(): Logger {
    return this.deps.logger;
  }

  /** Never throws: failures come back as an ephemeral MessageReply (runCommand's contract). */
  async run(invocation: Invocation, asker: Asker): Promise<Reply> {
    if (invocation.command === "help") return slackHelpReply(this.names);
    const canManageChannel = await this.managers.canManageChannel(
      invocation,
      asker.user.id,
      asker.channel.id,
    );
    const context: CommandContext = {
      invocation,
      papers: this.deps.getPapers(),
      platform: "slack",
      user: { ...asker.user, canManageChannel },
      channel: asker.channel,
      now: this.deps.now ?? (() => new Date()),
      random: this.deps.random ?? Math.random,
      daily: this.deps.daily,
      library: this.deps.library,
      follows: this.deps.follows,
    };
    return runCommand(context, this.deps.logger, this.deps.metrics);
  }

  /** Runs background work (after the ack) and logs instead of crashing on failure. */
  background(what: string, work: () => Promise<unknown>): void {
    const promise = work().catch((error: unknown) => this.deps.logger.error(`slack: ${what} failed`, error));
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
  }

  async drain(timeoutMs: number): Promise<void> {
    if (this.inflight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.inflight]), timeout]);
    clearTimeout(timer);
  }
}
