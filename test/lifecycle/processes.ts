/**
 * Real processes started as a user starts them (`npm start`, `npm run start:sharded`, the direct
 * service command), each in its own process group so a test can signal the top process alone and
 * clean up whatever a broken start leaves behind. Shared by the lifecycle tests.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { freePort } from "../fixtures/free-port.ts";

export { freePort };

export const ROOT = join(import.meta.dirname, "..", "..");

export interface Started {
  top: ChildProcess;
  /** stdout and stderr as they arrived, interleaved. */
  output: () => string;
  stderr: () => string;
  /** The exit code (null after a signal), once the top process has exited. */
  exited: Promise<number | null>;
}

/** How long the pipes of a process that exited may take to deliver its last lines. */
const PIPE_DRAIN_MS = 2000;

const started: Started[] = [];
const folders: string[] = [];

export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string = ROOT,
): Started {
  const top = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  let stderr = "";
  top.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  top.stderr?.on("data", (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  // "exit", not "close": a left-behind child would keep the pipes open. But what the process wrote
  // last may arrive after "exit": its pipes get a moment to drain first. A signal that ended the
  // process is told in its output, so a failing test says which.
  const drained = Promise.all(
    [top.stdout, top.stderr].map((stream) => (stream ? once(stream, "close").catch(() => {}) : undefined)),
  );
  const exited = new Promise<number | null>((resolve) =>
    top.once("exit", (code, signal) => {
      const settle = () => {
        if (signal) output += `\n[ended by ${signal}]\n`;
        resolve(code);
      };
      void Promise.race([drained, delay(PIPE_DRAIN_MS)]).then(settle);
    }),
  );
  const run = { top, output: () => output, stderr: () => stderr, exited };
  started.push(run);
  return run;
}

/** For afterEach: kills every process group started so far. */
export function killStarted(): void {
  for (const run of started.splice(0)) {
    try {
      process.kill(-(run.top.pid as number), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Live (not zombie) processes of the group a started process leads, e.g. shards left behind. */
export function groupMembers(run: Started): string[] {
  const group = String(run.top.pid);
  return execFileSync("ps", ["-eo", "pgid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([pgid, stat]) => pgid === group && stat !== undefined && !stat.startsWith("Z"))
    .map((fields) => fields.slice(2).join(" "));
}

export function tempFolder(prefix = "paperbot-lifecycle-"): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** For afterAll: removes the folders tempFolder made. */
export function removeTempFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the exit code, or fails naming what the process printed if it runs past `ms`. */
export async function exitWithin(run: Started, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${run.output()}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
