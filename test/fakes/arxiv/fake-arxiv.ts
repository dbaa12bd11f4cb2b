/**
 * A local fake of the arXiv API (GET /api/query) on 127.0.0.1: answers id_list lookups and
 * search_query searches over the papers a test gives it, sorted by submittedDate with start and
 * max_results, in feeds shaped like arXiv's. It records every request with its arrival and answer
 * times (performance.now) so tests can check pacing, and misbehaves on request like arXiv under
 * load: 503s with or without Retry-After, empty feeds, slow or cut-off answers, error entries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArxivId } from "../../../src/core/arxiv-id.ts";
import { atomErrorFeed, atomFeed, type FakePaper } from "./atom-feed.ts";
import { FakeQueryError, parseFakeQuery } from "./fake-query.ts";

export { atomErrorFeed, atomFeed, type FakePaper, type FeedMeta } from "./atom-feed.ts";

export interface RecordedArxivRequest {
  /** Decoded query parameters. */
  params: Record<string, string>;
  userAgent?: string;
  /** performance.now() when the request arrived. */
  receivedAt: number;
  /** performance.now() when the answer was sent (or the client went away); undefined while in flight. */
  answeredAt?: number;
  /** What the fake did: "feed", or the fault it played. */
  answer: string;
}

export type ArxivFault =
  | { kind: "status"; status: number; retryAfterSeconds?: number }
  | { kind: "empty" }
  | { kind: "slow"; ms: number }
  | { kind: "truncated" }
  | { kind: "errorEntry"; message: string }
  | { kind: "rateExceeded" };

const ATOM_TYPE = "application/atom+xml; charset=utf-8";

export class FakeArxiv {
  readonly requests: RecordedArxivRequest[] = [];
  /** The most requests ever open at once: arXiv asks for one connection at a time. */
  maxInFlight = 0;
  private readonly papers: FakePaper[] = [];
  private readonly faults: ArxivFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: Server;
  private inFlight = 0;
  port = 0;

  constructor(papers: readonly FakePaper[] = []) {
    this.addPapers(...papers);
    this.server = createServer((request, response) => this.handle(request, response));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/query`;
  }

  /** Adds papers; one with an id already held replaces it, as a new version does at arXiv. */
  addPapers(...papers: FakePaper[]): void {
    for (const paper of papers) {
      const held = this.papers.findIndex((known) => known.id === paper.id);
      if (held >= 0) this.papers[held] = paper;
      else this.papers.push(paper);
    }
  }

  /** The next answer is this HTTP status (503 by default), with Retry-After when given. */
  failNext(fault: { status?: number; retryAfterSeconds?: number } = {}): void {
    this.faults.push({
      kind: "status",
      status: fault.status ?? 503,
      retryAfterSeconds: fault.retryAfterSeconds,
    });
  }

  /** The next answer is a well-formed feed with no entries and totalResults 0, although papers match. */
  emptyNext(): void {
    this.faults.push({ kind: "empty" });
  }

  /** The next answer is held back this long, then given normally. */
  slowNext(ms: number): void {
    this.faults.push({ kind: "slow", ms });
  }

  /** The next answer is cut off in the middle of its first entry (complete HTTP framing, broken XML). */
  truncatedNext(): void {
    this.faults.push({ kind: "truncated" });
  }

  /** The next answer is arXiv's error feed with this message, as for a malformed id. */
  errorEntryNext(message = "incorrect id format for 1234.12345"): void {
    this.faults.push({ kind: "errorEntry", message });
  }

  /** The next answer is HTTP 200 with the plain body "Rate exceeded.", as arXiv's throttle sends. */
  rateExceededNext(): void {
    this.faults.push({ kind: "rateExceeded" });
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const record: RecordedArxivRequest = {
      params: Object.fromEntries(url.searchParams),
      userAgent: request.headers["user-agent"],
      receivedAt: performance.now(),
      answer: "feed",
    };
    this.requests.push(record);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    response.on("close", () => {
      this.inFlight -= 1;
      record.answeredAt = performance.now();
    });
    if (url.pathname !== "/api/query") {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not Found");
      return;
    }
    const fault = this.faults.shift();
    if (fault) record.answer = fault.kind;
    if (fault?.kind === "slow") {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!response.destroyed) this.answer(url.searchParams, response);
      }, fault.ms);
      this.timers.add(timer);
      return;
    }
    this.answer(url.searchParams, response, fault);
  }

  private answer(params: URLSearchParams, response: ServerResponse, fault?: ArxivFault): void {
    switch (fault?.kind) {
      case "status": {
        const headers: Record<string, string> = { "Content-Type": "text/html" };
        if (fault.retryAfterSeconds !== undefined) headers["Retry-After"] = String(fault.retryAfterSeconds);
        response.writeHead(fault.status, headers).end(`<html><body><h1>${fault.status}</h1></body></html>`);
        return;
      }
      case "rateExceeded":
        response.writeHead(200, { "Content-Type": "text/plain" }).end("Rate exceeded.");
        return;
      case "errorEntry":
        response.writeHead(200, { "Content-Type": ATOM_TYPE }).end(atomErrorFeed(fault.message));
        return;
    }
    let xml = this.feedFor(params, fault?.kind === "empty");
    if (fault?.kind === "truncated") {
      const entryStart = xml.indexOf("<entry>");
      xml = xml.slice(0, entryStart < 0 ? Math.floor(xml.length / 2) : entryStart + 120);
    }
    response.writeHead(200, { "Content-Type": ATOM_TYPE, "Content-Length": Buffer.byteLength(xml) }).end(xml);
  }

  private feedFor(params: URLSearchParams, empty: boolean): string {
    const searchQuery = params.get("search_query") ?? "";
    const idList = (params.get("id_list") ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    const start = Number(params.get("start") ?? 0);
    const max = Number(params.get("max_results") ?? 10);
    const echo = `search_query=${searchQuery}&id_list=${idList.join(",")}&start=${start}&max_results=${max}`;
    const badId = idList.find((id) => !parseArxivId(id));
    if (badId) return atomErrorFeed(`incorrect id format for ${badId}`, echo);
    let matches: FakePaper[];
    try {
      matches = this.select(idList, searchQuery, params);
    } catch (error) {
      if (error instanceof FakeQueryError) return atomErrorFeed(`Invalid query string: ${searchQuery}`, echo);
      throw error;
    }
    const page = empty ? [] : matches.slice(start, start + max);
    const totalResults = empty ? 0 : matches.length;
    return atomFeed(page, { query: echo, totalResults, startIndex: start, itemsPerPage: max });
  }

  /** id_list alone: those papers in the order asked; with search_query: the matching ones, sorted. */
  private select(idList: string[], searchQuery: string, params: URLSearchParams): FakePaper[] {
    const wanted = idList.map((id) => parseArxivId(id)?.id);
    let found = idList.length
      ? wanted.flatMap((id) => this.papers.filter((paper) => paper.id === id))
      : [...this.papers];
    if (!searchQuery) return idList.length ? found : [];
    const matcher = parseFakeQuery(searchQuery);
    found = found.filter(matcher);
    const byUpdated = params.get("sortBy") === "lastUpdatedDate";
    const stamp = (paper: FakePaper) =>
      Date.parse(byUpdated ? (paper.updated ?? paper.submitted) : paper.submitted);
    const direction = params.get("sortOrder") === "ascending" ? 1 : -1;
    return found.sort((a, b) => direction * (stamp(a) - stamp(b)));
  }
}
