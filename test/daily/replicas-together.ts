/**
 * Runs test replicas as real processes that start their work at the same moment: each child
 * prints "ready" once loaded (however long loading takes on a busy machine), and only when all
 * have done so does every child get "go" on stdin. The child side is `readyThenGo()`.
 */
import { spawn } from "node:child_process";

export async function runTogether(
  script: string,
  argsFor: (index: number) => string[],
  count: number,
): Promise<void> {
  const children = Array.from({ length: count }, (_, index) =>
    spawn(process.execPath, ["--import", "tsx", script, ...argsFor(index)], {
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const outputs = children.map(() => "");
  const timer = setTimeout(() => {
    for (const child of children) child.kill("SIGKILL");
  }, 60_000);
  try {
    const ready = children.map(
      (child, index) =>
        new Promise<void>((resolve, reject) => {
          const collect = (chunk: Buffer) => {
            outputs[index] += chunk.toString();
            if (outputs[index]?.includes("ready\n")) resolve();
          };
          child.stdout.on("data", collect);
          child.stderr.on("data", collect);
          child.once("exit", (code) =>
            reject(new Error(`replica ${index} exited (${code}) before it was ready: ${outputs[index]}`)),
          );
        }),
    );
    await Promise.all(ready);
    const exits = children.map(
      (child, index) =>
        new Promise<void>((resolve, reject) =>
          child.once("exit", (code) =>
            code === 0
              ? resolve()
              : reject(new Error(`replica ${index} exited with ${code}: ${outputs[index]}`)),
          ),
        ),
    );
    for (const child of children) child.stdin.end("go\n");
    await Promise.all(exits);
  } finally {
    clearTimeout(timer);
  }
}

/** In a replica: says it is loaded, then waits for the word to start. */
export async function readyThenGo(): Promise<void> {
  process.stdout.write("ready\n");
  await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
}
