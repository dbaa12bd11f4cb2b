/**
 * The local console: type `/search hessian`, `/paper 2305.09088`, `/random`, or a plain question.
 * Works on a TTY (prompt, colour) and with piped stdin (one reply per line, exits at EOF).
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { parseCommandLine, runCommand } from "../../../commands/index.ts";
import type { AdapterDeps } from "../../core/adapter-deps.ts";
import type { Action, Invocation, Reply } from "../../core/reply.ts";
import { ACTION_KEYS, renderReply, type TerminalStyle } from "./render.ts";

export const CONSOLE_CHANNEL_ID = "console";

export interface ConsoleDeps extends AdapterDeps {
  input: Readable;
  output: Writable;
  /** Prompt and colour; false when piped. */
  interactive: boolean;
}

export interface ConsoleHandle {
  /** Resolves when input ends (EOF, "exit" or stop()). */
  finished: Promise<void>;
  post(channelId: string, reply: Reply, options: { idempotencyKey: string }): Promise<{ messageId: string }>;
  wasPosted(channelId: string, idempotencyKey: string): Promise<boolean>;
  stop(): Promise<void>;
}

const WELCOME =
  "paperbot: type /search <words>, /paper <id>, /random, /ask <question>, or just ask. /help lists all, exit quits.";

export function startConsole(deps: ConsoleDeps): ConsoleHandle {
  const style: TerminalStyle = {
    color: deps.interactive,
    width: Math.min(Math.max((deps.output as { columns?: number }).columns ?? 100, 40), 120),
  };
  const lines = createInterface({
    input: deps.input,
    output: deps.interactive ? deps.output : undefined,
    terminal: deps.interactive,
  });
  const print = (text: string) => deps.output.write(`${text}\n`);
  let lastActions: Action[] = [];
  let posted = 0;

  const invocationFor = (line: string): Invocation => {
    const pressed = lastActions.find((action) => ACTION_KEYS[action.kind] === line.toLowerCase());
    return pressed ? pressed.invoke : parseCommandLine(line);
  };

  const handle = async (line: string) => {
    const invocation = invocationFor(line);
    const reply = await runCommand(
      {
        invocation,
        papers: deps.getPapers(),
        platform: "console",
        user: { id: "console", canManageChannel: true },
        channel: { id: CONSOLE_CHANNEL_ID },
        now: deps.now ?? (() => new Date()),
        random: deps.random ?? Math.random,
        daily: deps.daily,
        library: deps.library,
        follows: deps.follows,
      },
      deps.logger,
    );
    lastActions = reply.kind === "message" ? lastActions : (reply.actions ?? []);
    print(`${renderReply(reply, style)}\n`);
  };

  const finished = (async () => {
    if (deps.interactive) {
      print(WELCOME);
      lines.setPrompt("paperbot> ");
      lines.prompt();
    }
    for await (const raw of lines) {
      const line = raw.trim();
      if (/^\/?(exit|quit)$/i.test(line)) break;
      if (line) await handle(line);
      if (deps.interactive) lines.prompt();
    }
    lines.close();
  })();

  return {
    finished,
    async post(_channelId, reply) {
      print(`${renderReply(reply, style)}\n`);
      posted++;
      return { messageId: `console-${posted}` };
    },
    async wasPosted() {
      // The console keeps no history; the daily store's claim is the only record.
      return false;
    },
    async stop() {
      lines.close();
      await finished;
    },
  };
}
