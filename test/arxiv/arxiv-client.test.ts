import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArxivClient, type ArxivClientOptions } from "../../src/arxiv/arxiv-client.ts";
import { ArxivFeedError, ArxivUnavailableError } from "../../src/arxiv/arxiv-errors.ts";
import { Pacer } from "../../src/arxiv/pacer.ts";
import { FakeArxiv, type RecordedArxivRequest } from "../fakes/arxiv/fake-arxiv.ts";
import { OLD_STYLE, SAMPLE_PAPERS, SCALING, SHARPNESS, VISION } from "../fakes/arxiv/sample-papers.ts";

const USER_AGENT = "paperbot-test/0.1 (+https://example.org/paperbot)";

let fake: FakeArxiv;

beforeEach(async () => {
  fake = await new FakeArxiv(SAMPLE_PAPERS).start();
});

afterEach(async () => {
  await fake.close();
});

/** Short delays and a short pacing interval keep the suite fast; the real defaults are tested by arithmetic. */
function client(options: Partial<ArxivClientOptions> = {}): ArxivClient {
  return new ArxivClient({
    apiUrl: fake.apiUrl,
    pacer: new Pacer(20),
    userAgent: USER_AGENT,
    timeoutMs: 2000,
    retryDelaysMs: [50, 50],
    ...options,
  });
}

function gaps(requests: readonly RecordedArxivRequest[]): number[] {
  return requests
    .slice(1)
    .map((request, i) => request.receivedAt - (requests[i] as RecordedArxivRequest).receivedAt);
}

async function failure<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name}`);
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/query`;
}

describe("ArxivClient.getByIds", () => {
  it("fetches several ids in one request, naming the bot in its User-Agent", async () => {
    const entries = await client().getByIds([SHARPNESS.id, OLD_STYLE.id, VISION.id]);
    expect(entries.map((entry) => [entry.id, entry.version])).toEqual([
      [SHARPNESS.id, 2],
      [OLD_STYLE.id, 1],
      [VISION.id, 3],
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.params).toEqual({
      id_list: "2401.01234,hep-th/9901001,2403.00001",
      max_results: "3",
    });
    expect(fake.requests[0]?.userAgent).toBe(USER_AGENT);
  });

  it("leaves out ids arXiv does not have", async () => {
    const entries = await client().getByIds([SCALING.id, "2401.99999"]);
    expect(entries.map((entry) => entry.id)).toEqual([SCALING.id]);
    expect(fake.requests).toHaveLength(1);
  });

  it("asks once more before believing that none of the ids exists", async () => {
    await expect(client().getByIds(["2401.99999"])).resolves.toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it("finds a paper when arXiv's first answer was wrongly empty", async () => {
    fake.emptyNext();
    const entries = await client().getByIds([SCALING.id]);
    expect(entries.map((entry) => entry.id)).toEqual([SCALING.id]);
    expect(fake.requests.map((request) => request.answer)).toEqual(["empty", "feed"]);
  });

  it("asks nothing for no ids", async () => {
    await expect(client().getByIds([])).resolves.toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("ArxivClient retries", () => {
  it("waits as long as Retry-After asks after a 503", async () => {
    fake.failNext({ status: 503, retryAfterSeconds: 1 });
    await client().getByIds([SCALING.id]);
    expect(fake.requests).toHaveLength(2);
    expect(gaps(fake.requests)[0]).toBeGreaterThanOrEqual(995);
  });

  it("retries a 503 without Retry-After after the planned delays, and says so in the log", async () => {
    const warnings: object[] = [];
    const logger = { warn: (_message: string, fields?: object) => warnings.push(fields ?? {}) };
    fake.failNext();
    fake.failNext();
    const feed = await client({ retryDelaysMs: [100, 200], logger }).searchNewest("au:bachmann", 10);
    expect(feed.entries).toHaveLength(2);
    const [first = 0, second = 0] = gaps(fake.requests);
    expect(first).toBeGreaterThanOrEqual(95);
    expect(second).toBeGreaterThanOrEqual(195);
    expect(warnings).toMatchObject([
      { attempt: 1, problem: "HTTP 503", delayMs: 100 },
      { attempt: 2, problem: "HTTP 503", delayMs: 200 },
    ]);
  });

  it("gives up with ArxivUnavailableError when every try fails", async () => {
    for (let i = 0; i < 3; i++) fake.failNext({ status: 502 });
    const error = await failure(client().getByIds([SCALING.id]), ArxivUnavailableError);
    expect(error.message).toBe("arXiv did not answer (HTTP 502) after 3 tries");
    expect(error.attempts).toBe(3);
    expect(fake.requests).toHaveLength(3);
  });

  it("treats 429 and arXiv's plain 'Rate exceeded.' as passing trouble", async () => {
    fake.failNext({ status: 429 });
    fake.rateExceededNext();
    await expect(client().getByIds([SCALING.id])).resolves.toHaveLength(1);
    expect(fake.requests.map((request) => request.answer)).toEqual(["status", "rateExceeded", "feed"]);
  });

  it("abandons a stalled answer after the time-out and asks again", async () => {
    fake.slowNext(3000);
    const started = performance.now();
    const feed = await client({ timeoutMs: 300 }).searchNewest("au:bachmann", 10);
    expect(feed.entries).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(gaps(fake.requests)[0]).toBeGreaterThanOrEqual(300);
  });

  it("asks again after an answer cut off mid-entry", async () => {
    fake.truncatedNext();
    await expect(client().getByIds([SHARPNESS.id])).resolves.toHaveLength(1);
    expect(fake.requests.map((request) => request.answer)).toEqual(["truncated", "feed"]);
  });

  it("reports ArxivFeedError, not arXiv being down, when every answer is cut off", async () => {
    for (let i = 0; i < 3; i++) fake.truncatedNext();
    const error = await failure(client().getByIds([SHARPNESS.id]), ArxivFeedError);
    expect(error.kind).toBe("malformed");
    expect(error.message).toMatch(/^arXiv sent malformed XML/);
    expect(fake.requests).toHaveLength(3);
  });

  it("reports network failures as ArxivUnavailableError after the tries", async () => {
    const error = await failure(
      client({ apiUrl: await closedPortUrl() }).getByIds([SCALING.id]),
      ArxivUnavailableError,
    );
    expect(error.message).toMatch(/^arXiv did not answer \(network error: ECONNREFUSED\) after 3 tries$/);
  });
});

describe("ArxivClient final answers", () => {
  it("turns arXiv's error entry into ArxivFeedError without asking again", async () => {
    fake.errorEntryNext("incorrect id format for 1234.12345");
    const error = await failure(client().getByIds([SCALING.id]), ArxivFeedError);
    expect(error.kind).toBe("api-error");
    expect(error.message).toBe("arXiv rejected the request: incorrect id format for 1234.12345");
    expect(fake.requests).toHaveLength(1);
  });

  it("passes on arXiv's complaint about a malformed id", async () => {
    const error = await failure(client().getByIds(["1234.12345"]), ArxivFeedError);
    expect(error.message).toBe("arXiv rejected the request: incorrect id format for 1234.12345");
  });

  it("treats a 4xx other than 429 as final", async () => {
    fake.failNext({ status: 400 });
    const error = await failure(client().getByIds([SCALING.id]), ArxivFeedError);
    expect(error).toMatchObject({
      kind: "refused",
      status: 400,
      message: "arXiv refused the request (HTTP 400)",
    });
    expect(fake.requests).toHaveLength(1);
  });
});

describe("ArxivClient.searchNewest", () => {
  it("sends the query URL-encoded, newest first, with paging", async () => {
    const query = '(au:"Gregor Bachmann" OR au:"Alice Smith") AND cat:cs.LG';
    const feed = await client().searchNewest(query, 2);
    expect(fake.requests[0]?.params).toEqual({
      search_query: query,
      start: "0",
      max_results: "2",
      sortBy: "submittedDate",
      sortOrder: "descending",
    });
    expect(feed.totalResults).toBe(3);
    expect(feed.entries.map((entry) => entry.id)).toEqual([VISION.id, SCALING.id]);
    const next = await client().searchNewest(query, 2, { start: 2 });
    expect(next.entries.map((entry) => entry.id)).toEqual([SHARPNESS.id]);
  });

  it("asks again when arXiv answers an empty feed for a query that has results", async () => {
    fake.emptyNext();
    const feed = await client().searchNewest("au:bachmann", 10);
    expect(feed.entries.map((entry) => entry.id)).toEqual([SCALING.id, SHARPNESS.id]);
    expect(fake.requests.map((request) => request.answer)).toEqual(["empty", "feed"]);
  });

  it("believes a search has no results only after every try came back empty", async () => {
    const feed = await client().searchNewest("au:nobody", 10);
    expect(feed).toEqual({ entries: [], totalResults: 0 });
    expect(fake.requests).toHaveLength(3);
  });

  it("believes at once an empty page past the last match", async () => {
    const feed = await client().searchNewest("au:bachmann", 10, { start: 10 });
    expect(feed).toEqual({ entries: [], totalResults: 2 });
    expect(fake.requests).toHaveLength(1);
  });
});

describe("ArxivClient deadline", () => {
  it("gives up instead of starting a retry that could not finish in time", async () => {
    fake.failNext();
    const started = performance.now();
    const error = await failure(
      client({ retryDelaysMs: [3000] }).getByIds([SCALING.id], { deadlineMs: 1500 }),
      ArxivUnavailableError,
    );
    expect(error.message).toBe("arXiv did not answer in time (HTTP 503) after 1 try");
    expect(performance.now() - started).toBeLessThan(500);
    expect(fake.requests).toHaveLength(1);
  });

  it("still retries when the retry fits the deadline", async () => {
    fake.failNext();
    await expect(
      client({ retryDelaysMs: [100] }).getByIds([SCALING.id], { deadlineMs: 5000 }),
    ).resolves.toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it("cuts a stalled request short at the deadline", async () => {
    fake.slowNext(5000);
    const started = performance.now();
    const error = await failure(
      client({ timeoutMs: 15_000, deadlineMs: 400 }).searchNewest("au:bachmann", 10),
      ArxivUnavailableError,
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1500);
    expect(error.message).toMatch(/^arXiv did not answer in time \(no answer within \d+ ms\) after 1 try$/);
  });

  it("gives up its place in line when the deadline passes while earlier requests hold the pacer", async () => {
    const pacer = new Pacer(2000);
    const follow = client({ pacer });
    const add = client({ pacer });
    await follow.searchNewest("au:bachmann", 10);
    const error = await failure(add.getByIds([SCALING.id], { deadlineMs: 300 }), ArxivUnavailableError);
    expect(error.message).toBe("arXiv was not asked: no time was left before the deadline");
    expect(fake.requests).toHaveLength(1);
  });
});

describe("ArxivClient pacing", () => {
  it("keeps one request at a time, at least the interval apart, across many concurrent callers and retries", async () => {
    const pacer = new Pacer(200);
    const follows = client({ pacer });
    const adds = client({ pacer });
    fake.failNext();
    const queries = ["au:bachmann", "cat:cs.LG", "au:smith", "all:hessian", "cat:hep-th", "au:del_maestro"];
    await Promise.all([
      ...queries.map((query) => follows.searchNewest(query, 5)),
      adds.getByIds([SHARPNESS.id, VISION.id]),
      adds.getByIds([OLD_STYLE.id]),
    ]);

    expect(fake.requests).toHaveLength(9);
    expect(fake.maxInFlight).toBe(1);
    for (const gap of gaps(fake.requests)) expect(gap).toBeGreaterThanOrEqual(190);
    fake.requests.slice(1).forEach((request, i) => {
      expect(request.receivedAt).toBeGreaterThanOrEqual(
        fake.requests[i]?.answeredAt ?? Number.POSITIVE_INFINITY,
      );
    });
  });
});
