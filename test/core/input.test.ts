import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.ts";
import { cleanInput, hasSearchableText, MAX_QUERY_LENGTH, MAX_RAW_LENGTH } from "../../src/core/input.ts";
import { userError } from "../fixtures/user-error.ts";

describe("cleanInput", () => {
  it.each([
    ["<@U123> hessian rank", "hessian rank"],
    ["<@123456789012345678> <@&42> <#C1|general> <!here|here> <!channel> lottery", "lottery"],
    ["@everyone @Here @CHANNEL tickets", "tickets"],
    ["hess\u0000ian\u200b rank\u202e", "hessian rank"],
    ["  a\n\t b\u00a0\u2028c  ", "a b c"],
    ["@everyonefoo stays", "@everyonefoo stays"],
    ["<@ unclosed and >", "<@ unclosed and >"],
  ])("cleans %j to %j", (raw, clean) => {
    expect(cleanInput(raw)).toBe(clean);
  });

  it("keeps a query of exactly the limit and refuses one character more", () => {
    expect(cleanInput("x".repeat(MAX_QUERY_LENGTH))).toHaveLength(MAX_QUERY_LENGTH);
    const error = userError(() => cleanInput("x".repeat(MAX_QUERY_LENGTH + 1), "question"));
    expect(error.code).toBe("too_long");
    expect(error.message).toBe("That question is 301 characters; I read up to 300.");
  });

  it("measures the limit after cleaning, so padding within the raw bound is forgiven", () => {
    const padded = `<@U123>${" ".repeat(MAX_RAW_LENGTH - 20)}hessian`;
    expect(padded.length).toBeLessThanOrEqual(MAX_RAW_LENGTH);
    expect(cleanInput(padded)).toBe("hessian");
  });

  it("refuses raw text over the raw bound with its raw length, before cleaning it", () => {
    const error = userError(() => cleanInput("<@".repeat(20_000)));
    expect(error.code).toBe("too_long");
    expect(error.message).toBe("That query is 40000 characters; I read up to 300.");
    expect(error.message.length).toBeLessThan(120);
    expect(userError(() => cleanInput(" ".repeat(MAX_RAW_LENGTH + 1))).code).toBe("too_long");
  });
});

describe("hasSearchableText", () => {
  it.each([
    ["hessian", true],
    ["3D", true],
    ["é", true],
    ["?!?!...", false],
    ["😀 👍🏽", false],
    ["", false],
  ])("says %j has searchable text: %s", (text, expected) => {
    expect(hasSearchableText(text)).toBe(expected);
  });
});

/** mulberry32: a small seeded PRNG, so a failing case reproduces from the seed in its message. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ...["<@", "<#", "<!", "<@&", ">", "|", "@", "U123", "42"], // mention syntax
  ...["@everyone", "@here", "@channel", "@Everyone"], // broadcasts
  ...[" ", "  ", "\n", "\t", "\u00a0", "\u200b", "\u202e", "\u00ad", "\ufeff", "\u0085", "\u007f"], // white space, invisibles
  ...["a", "hessian", "é", "😀", "👍🏽", "\ud83d", "\ude00", "\udbff"], // text, emoji, lone surrogates
];

function randomInput(random: () => number): string {
  const pick = (): string => {
    if (random() < 0.1) return String.fromCharCode(Math.floor(random() * 0x20)); // C0 controls
    return PIECES[Math.floor(random() * PIECES.length)] ?? "";
  };
  // Mostly short, now and then long enough to cross MAX_QUERY_LENGTH or MAX_RAW_LENGTH.
  const pieces = random() < 0.9 ? Math.floor(random() * 40) : Math.floor(random() * 800);
  let text = "";
  for (let i = 0; i < pieces; i++) text += pick();
  return text;
}

/**
 * `<@`, `<#` or `<!` closed by `>` in the same white-space-free token. Stricter than the gate's own
 * pattern (whose body stops at `<`, as a real mention's does), and it still holds here because
 * every `<` the generator writes opens `<@`, `<#` or `<!`.
 */
const LIVE_MENTION = /<[@#!][^\s>]*>/;
const BROADCAST = /@(?:everyone|here|channel)\b/i;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

describe("cleanInput fuzzed with adversarial pieces", () => {
  const SEED = 20_240_611;
  const CASES = 3_000;

  it(`keeps its invariants on ${CASES} random inputs (seed ${SEED})`, () => {
    const random = prng(SEED);
    let cleaned = 0;
    let refused = 0;
    for (let index = 0; index < CASES; index++) {
      const raw = randomInput(random);
      const label = `seed ${SEED}, case ${index}: ${JSON.stringify(raw)}`;
      let out: string;
      try {
        out = cleanInput(raw);
      } catch (error) {
        expect(error, label).toBeInstanceOf(UserError);
        expect((error as UserError).code, label).toBe("too_long");
        refused++;
        continue;
      }
      cleaned++;
      expect(out.length, label).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
      expect(out, label).not.toMatch(LIVE_MENTION);
      expect(out, label).not.toMatch(BROADCAST);
      expect(out, label).not.toMatch(CONTROL_OR_FORMAT);
      expect(out, label).not.toMatch(/^\s|\s$|\s\s|[^\S ]/);
      expect(cleanInput(out), label).toBe(out);
    }
    // The generator reaches both outcomes, so neither branch is checked vacuously.
    expect(cleaned).toBeGreaterThan(CASES / 2);
    expect(refused).toBeGreaterThan(20);
  });
});

/** Exactly `length` characters of `unit` repeated. */
const cycle = (unit: string, length: number): string =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

const ADVERSARIAL: ReadonlyArray<readonly [string, (length: number) => string]> = [
  ["<@<@<@…", (length) => cycle("<@", length)],
  ["<#<#<#…", (length) => cycle("<#", length)],
  ["<!<!<!…", (length) => cycle("<!", length)],
  ["@everyone @everyone …", (length) => cycle("@everyone ", length)],
  [
    "mixed mentions and controls, no white space",
    (length) => cycle("<@<#<!@here\u200b<@&1\u0000@everyone<!|", length),
  ],
];

function attempt(raw: string): void {
  try {
    cleanInput(raw);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
}

/**
 * Median milliseconds per call over several batches of at least 3 ms each. Gives up after a
 * second: a quadratic gate has made its point by then.
 */
function msPerCall(raw: string): number {
  const samples: number[] = [];
  const began = performance.now();
  while (samples.length < 9 && performance.now() - began < 1_000) {
    let calls = 0;
    let elapsed = 0;
    const start = performance.now();
    do {
      attempt(raw);
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < 3);
    samples.push(elapsed / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

/**
 * The smallest of up to three measurements of `ratio`, stopping once one is under `bound`: noise
 * from a busy machine only ever inflates a ratio once in a while, a rescanning pattern every time.
 */
function leastOfThree(ratio: () => number, bound: number): number {
  let least = ratio();
  for (let tries = 1; tries < 3 && least >= bound; tries++) least = Math.min(least, ratio());
  return least;
}

// Growth ratios, not speed targets: they compare the gate with itself on one machine.
describe("cleanInput cost growth", () => {
  it.each(ADVERSARIAL)("costs about the same for 100,000 characters of %s as for 1,000", (_name, make) => {
    const small = make(1_000);
    const large = make(100_000);
    msPerCall(small); // warm up the JIT
    const ratio = leastOfThree(() => msPerCall(large) / msPerCall(small), 30);
    // Linear after the raw bound: about 1. The old quadratic gate: about 10,000.
    expect(ratio).toBeLessThan(30);
  });

  it.each(ADVERSARIAL)("spends flat time per character on %s up to the raw bound", (_name, make) => {
    const small = make(MAX_RAW_LENGTH / 20);
    const large = make(MAX_RAW_LENGTH);
    msPerCall(small); // warm up the JIT
    const perCharacter = (raw: string): number => msPerCall(raw) / raw.length;
    const ratio = leastOfThree(() => perCharacter(large) / perCharacter(small), 4);
    // Linear patterns: at most about 1. A pattern that rescans (quadratic): about 20.
    expect(ratio).toBeLessThan(4);
  });
});
