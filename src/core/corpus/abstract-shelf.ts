/**
 * Abstracts left on disk, in the corpus snapshot (snapshot-format.ts), and read one at a time when a
 * paper is shown: at 100,000 papers they are most of the corpus's text, and a restart that decoded
 * them all spent most of its time and heap on text it never showed.
 *
 * Each abstract has its own CRC-32, checked on every read (the snapshot's CRC covers everything but
 * these bytes). The file stays open for as long as any of its papers lives; a snapshot replaced on
 * disk (renamed over) is still read through the old file until then.
 */
import { closeSync } from "node:fs";
import { crc32 } from "node:zlib";
import { closeLater, readFully, removeIfStillThere } from "../typed-file.ts";

/** Where a snapshot's abstracts lie. */
export interface ShelfHandle {
  /** Open for as long as the shelf lives. */
  fd: number;
  path: string;
  /** Where the abstracts' bytes start in the file. */
  base: number;
  /** Where each abstract ends, from `base` (UTF-8 bytes; Float64: a million abstracts pass 2 GB). */
  ends: Float64Array;
  /** Each abstract's CRC-32, as a signed 32-bit number. */
  crcs: Int32Array;
}

/** Bytes read ahead when abstracts are read in order (a build reads every one). */
const READ_AHEAD_BYTES = 1 << 20;

export class AbstractShelf {
  /** The last abstract read, and the bytes read ahead after it (from `aheadStart`, relative to `base`). */
  private lastRead = -2;
  private ahead = Buffer.alloc(0);
  private aheadStart = 0;

  constructor(private readonly handle: ShelfHandle) {
    closeLater.register(this, handle.fd, this);
  }

  get path(): string {
    return this.handle.path;
  }

  read(at: number): string {
    const { fd, base, ends, crcs } = this.handle;
    const end = ends[at];
    if (end === undefined) throw new RangeError(`no abstract ${at} in ${this.handle.path}`);
    const start = at === 0 ? 0 : (ends[at - 1] as number);
    let bytes: Buffer;
    if (start >= this.aheadStart && end <= this.aheadStart + this.ahead.length) {
      bytes = this.ahead.subarray(start - this.aheadStart, end - this.aheadStart);
    } else if (at === this.lastRead + 1) {
      // Reading in order: one read for the next megabyte of abstracts rather than one per abstract.
      const last = ends[ends.length - 1] as number;
      const ahead = Buffer.allocUnsafe(Math.min(last - start, Math.max(READ_AHEAD_BYTES, end - start)));
      if (!readFully(fd, ahead, base + start)) throw this.damaged();
      this.ahead = ahead;
      this.aheadStart = start;
      bytes = ahead.subarray(0, end - start);
    } else {
      bytes = Buffer.allocUnsafe(end - start);
      if (!readFully(fd, bytes, base + start)) throw this.damaged();
    }
    this.lastRead = at;
    if ((crc32(bytes) | 0) !== crcs[at]) throw this.damaged();
    return bytes.toString("utf8");
  }

  /** For a shelf whose papers were never served (a refused reload): nothing reads it again. */
  close(): void {
    closeLater.unregister(this);
    closeSync(this.handle.fd);
  }

  /**
   * Removes the snapshot (when the path still holds this file) so the next start rebuilds it; the
   * papers already serving cannot be read again until then.
   */
  private damaged(): Error {
    const { fd, path } = this.handle;
    removeIfStillThere(fd, path);
    return new Error(
      `the corpus snapshot ${path} is damaged (an abstract does not match its checksum); it is removed and rebuilt at the next start`,
    );
  }
}
