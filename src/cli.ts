/**
 * One-shot CLI: `npx paperbot <paper|search|random|ask> <text...> [--json] [--page N]`,
 * `npx paperbot add <arXiv id or URL...> [--json]` to add papers for good, and
 * `npx paperbot check [path]` to validate the data folder (exit 1 listing every problem).
 * Works from any folder: default paths belong to the installation (see config.ts).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COMMANDS, runCommand } from "../commands/index.ts";
import { renderReply, type TerminalStyle } from "./adapters/console/render.ts";
import { ArxivConfigError, readArxivConfig } from "./arxiv/arxiv-config.ts";
import { createArxivClient, storedPaperRecords } from "./arxiv/arxiv-runtime.ts";
import { createLibrary } from "./arxiv/library.ts";
import { ConfigError, checkPaths, loadConfig, papersPathProblem, readEnvironment } from "./config.ts";
import { LiveCorpus } from "./core/corpus/live-corpus.ts";
import { loadCorpus } from "./core/corpus/load-corpus.ts";
import { formatDataProblem } from "./core/errors.ts";
import type { Reply } from "./core/reply.ts";
import { createAppLogger } from "./ops/log-setup.ts";
import { readOpsConfig } from "./ops/ops-config.ts";
import { openState, type State } from "./store/state.ts";

/** Commands that belong to a channel over time, not to a one-shot run. */
const CHAT_ONLY = new Set(["daily", "follow"]);

const USAGE = `Usage: paperbot <${COMMANDS.filter((command) => !CHAT_ONLY.has(command.name))
  .map((command) => command.name)
  .join("|")}> <text...> [--json] [--page N]
       paperbot check [path]   validate the data files (default PAPERS_PATH, else the bundled data/)

  --json     print one JSON object instead of text (for scripts)
  --page N   show page N of search or ask results (five a page; default 1)`;

interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** JSON shapes are a contract (design.md): search/ask -> results, paper/random -> paper, failure -> error. */
export function replyToJson(reply: Reply): object {
  switch (reply.kind) {
    case "paper": {
      const { paper } = reply;
      return {
        ...(reply.added === undefined ? {} : { added: reply.added }),
        paper: {
          id: paper.id,
          title: paper.title,
          title_derived: paper.titleDerived,
          authors: paper.authors,
          abstract: paper.abstract,
          venue: paper.venue ?? null,
          published: paper.published ?? null,
          categories: paper.categories,
          url: paper.links.abs,
          pdf_url: paper.links.pdf,
          code_url: paper.links.code ?? null,
        },
      };
    }
    case "results": {
      const results = reply.hits.map((hit) => ({
        id: hit.id,
        title: hit.title,
        score: hit.score,
        ...(hit.answer ? { answer: hit.answer } : {}),
        ...(hit.shared ? { shared: hit.shared } : {}),
      }));
      const answer = reply.hits[0]?.answer;
      return answer ? { results, answer } : { results };
    }
    case "message":
      return reply.tone === "error"
        ? { error: { code: reply.code ?? "bad_input", message: reply.text } }
        : { message: reply.text };
  }
}

/**
 * Text for a one-shot run. It has no buttons, so the console's key hints ("[n] Next page") would
 * do nothing here: they are left out, and paged results say which --page shows the next ones.
 */
export function renderForCli(reply: Reply, style: TerminalStyle): string {
  if (reply.kind === "message") return renderReply(reply, style);
  const text = renderReply({ ...reply, actions: [] }, style);
  const next = reply.actions.find((action) => action.kind === "next")?.invoke.page;
  if (reply.kind !== "results" || next === undefined) return text;
  const pages = Math.ceil(reply.total / reply.pageSize);
  return `${text}\nPage ${reply.page} of ${pages}. For the next page, run the same command with --page ${next}.`;
}

async function check(path: string, output: CliOutput): Promise<number> {
  const corpus = await loadCorpus(path);
  // Not problems (the exit code ignores them), but said, so nobody wonders why notes.md found nothing.
  for (const { file, reason } of corpus.skipped) output.stdout(`skipped: ${file} (${reason})`);
  for (const problem of corpus.problems) output.stdout(formatDataProblem(problem));
  const skipped = corpus.skipped.length ? `, ${corpus.skipped.length} skipped` : "";
  const summary = `${corpus.papers.length} papers from ${corpus.files.length} file(s) under ${path}${skipped}`;
  if (corpus.problems.length) {
    output.stdout(`${corpus.problems.length} problem(s); ${summary}`);
    return 1;
  }
  output.stdout(`OK: ${summary}`);
  return 0;
}

export async function runCli(
  argv: string[],
  output: CliOutput,
  env: Record<string, string | undefined>,
): Promise<number> {
  const json = argv.includes("--json");
  const pageAt = argv.indexOf("--page");
  const page = pageAt >= 0 ? Number(argv[pageAt + 1]) : undefined;
  const words = argv.filter(
    (arg, index) => arg !== "--json" && (pageAt < 0 || (index !== pageAt && index !== pageAt + 1)),
  );
  const [command, ...rest] = words;
  const fail = (code: string, message: string) => {
    if (json) output.stdout(JSON.stringify({ error: { code, message } }));
    else output.stderr(message);
    return 1;
  };
  if (!command || command === "help" || command === "--help") {
    output.stdout(USAGE);
    return command ? 0 : 1;
  }
  try {
    const config = loadConfig(env);
    if (command === "check") {
      const [path] = rest;
      if (path && !existsSync(path)) return fail("bad_input", `Nothing to check: ${path} does not exist.`);
      const problem = path ? undefined : papersPathProblem(config.papersPath);
      if (problem) throw new ConfigError([problem]);
      return await check(path ?? config.papersPath, output);
    }
    if (!COMMANDS.some((known) => known.name === command) || CHAT_ONLY.has(command)) {
      return fail("unknown_command", `Unknown command "${command}".\n${USAGE}`);
    }
    if (page !== undefined && !(Number.isInteger(page) && page >= 1))
      return fail("bad_input", "--page takes a page number from 1.");
    // Before anything opens: a missing data path or state folder is a configuration error, never created.
    checkPaths(config);
    const logger = createAppLogger(env.LOG_LEVEL ? config.logLevel : "error", readOpsConfig(env).logFormat);
    // Papers added from arXiv live in the state database; a search needs it only when it exists.
    let state: State | undefined;
    if (command === "add" || config.databaseUrl || existsSync(config.databasePath))
      state = await openState(config, logger);
    let reply: Reply;
    try {
      const corpus = await LiveCorpus.open(config.papersPath, {
        logger,
        indexCachePath: config.indexCachePath,
        ...(state ? { extraRecords: storedPaperRecords(state.papers) } : {}),
      });
      const library =
        command === "add" && state
          ? createLibrary({
              arxiv: createArxivClient(readArxivConfig(env), logger),
              papers: state.papers,
              getPapers: () => corpus.current(),
              reload: () => corpus.reload(),
              now: Date.now,
              logger,
              slackAnyoneCanManage: false,
            })
          : undefined;
      reply = await runCommand(
        {
          invocation: { command, text: rest.join(" "), page },
          papers: corpus.current(),
          platform: "cli",
          user: { id: "cli" },
          channel: { id: "cli" },
          now: () => new Date(),
          random: Math.random,
          ...(library ? { library } : {}),
        },
        logger,
      );
    } finally {
      await state?.close();
    }
    if (json) output.stdout(JSON.stringify(replyToJson(reply)));
    else
      output.stdout(
        renderForCli(reply, { color: Boolean(process.stdout.isTTY), width: process.stdout.columns ?? 100 }),
      );
    return reply.kind === "message" && reply.tone === "error" ? 1 : 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ArxivConfigError)
      return fail("bad_config", error.message);
    return fail("internal", `paperbot failed: ${(error as Error).message}`);
  }
}

// Compared as paths, not URLs: an installation folder with spaces is percent-encoded in the URL.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const code = await runCli(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(`${text}\n`),
      stderr: (text) => process.stderr.write(`${text}\n`),
    },
    readEnvironment(),
  );
  process.exitCode = code;
}
