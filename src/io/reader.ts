// Opens capture files, detects their format, and streams frames in bounded memory.

import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import type { Frame } from './frame.js';
import { compareFrameTime, FramePool } from './frame.js';
import type { CaptureParser, ParserResumeState } from './parser.js';
import { PcapParser, isPcapMagic } from './pcap.js';
import { PcapngParser, isPcapngMagic } from './pcapng.js';
import type { CaptureWarning } from './warning.js';
import { inputName, openErrorText, stdinFd } from './inputs.js';
import { SpoolFile } from './spool.js';

/** 256 KiB: faster than 4 MiB (a chunk stays in the CPU cache while it is parsed) and ~20 MB less resident memory. */
const CHUNK = 256 * 1024;
/** Reads after a seek are short: a resumed reader usually wants a few frames, not the rest of the file. */
const SEEK_CHUNK = 256 * 1024;

import { CaptureError } from './errno.js';
export { CaptureError };

export interface FrameSource {
  /** The next frame in time order, or null at the end. */
  next(): Frame | null;
  readonly warnings: CaptureWarning[];
  close(): void;
  /** The parser's state just after the frame last returned (see CaptureParser.resumeState). */
  resumeState?(): ParserResumeState;
  /**
   * From now on, frame objects may be reused (FramePool): a frame is valid until the next call to
   * next() (for a merged source: until its own file has handed out two more). For a reader whose
   * consumer keeps numbers, not frames.
   */
  reuseFrames?(): void;
}

/** Makes the parser for a file whose first bytes are `head`, or null when it is no capture we know. */
export function parserFor(head: Uint8Array, fileIndex: number): CaptureParser | null {
  if (isPcapngMagic(head)) return new PcapngParser(fileIndex);
  if (isPcapMagic(head)) return new PcapParser(fileIndex);
  return null;
}

function describeUnknown(head: Uint8Array): string {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'a gzip-compressed file: decompress it first (gunzip)';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) return 'a zip archive, not a capture';
  return 'not a pcap or pcapng capture (unknown magic number)';
}

/** Waits for a stream left non-blocking by whoever opened it (EAGAIN), without spinning. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** readSync that waits for data on a non-blocking descriptor instead of failing. */
function readBlocking(fd: number, buf: Uint8Array, offset: number, length: number, position: number | null): number {
  for (;;) {
    try {
      return readSync(fd, buf, offset, length, position);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a, 0);
  c.set(b, a.length);
  return c;
}

/** One capture file read from disk in 256 KiB chunks. */
export class CaptureFile implements FrameSource {
  readonly parser: CaptureParser;
  private fd: number;
  /** False for standard input: it is not ours to close. */
  private ownsFd = true;
  private eof = false;
  /** How reports name the file: its base name, "stdin" for "-" (see inputName). */
  readonly name: string;
  readonly size: number;
  bytesRead = 0;
  private chunk = CHUNK;
  /**
   * Offset of the next read in a regular file: reads name their position, so that two readers of one
   * file never share an offset. Null for a stream (pipe, FIFO, socket, terminal), read in order.
   */
  private filePos: number | null = null;
  /** A stream's bytes as they are read, for the passes after this one (see SpoolFile). */
  private spool: SpoolFile | null = null;
  /** Frames beyond this file frame number are not handed out (a file that grew since the first pass). */
  private lastFrame = Infinity;

  constructor(readonly path: string, readonly fileIndex: number, firstRead = CHUNK, opts: { lastFrame?: number } = {}) {
    this.name = inputName(path);
    const stdin = stdinFd(path);
    try {
      if (stdin !== null) { this.fd = stdin; this.ownsFd = false; } else this.fd = openSync(path, 'r');
    } catch (e) {
      throw new CaptureError(`${path}: ${openErrorText(e)}`);
    }
    try {
      const st = fstatSync(this.fd);
      if (st.isDirectory()) throw new CaptureError(`${path}: is a directory, not a capture file`);
      if (st.isFile()) this.filePos = 0;
      else this.spool = new SpoolFile(path === '-' ? 'standard input' : path);
      this.size = st.size;
      this.lastFrame = opts.lastFrame ?? Infinity;
      // A stream may hand out a few bytes at a time: the magic number needs its first four.
      let first = this.read(firstRead);
      while (first.length > 0 && first.length < 4 && !this.eof) first = concat(first, this.read(firstRead));
      if (first.length === 0) throw new CaptureError(`${path}: the file is empty`);
      const parser = parserFor(first, fileIndex);
      if (!parser) throw new CaptureError(`${path}: ${describeUnknown(first)}`);
      this.parser = parser;
      parser.push(first);
    } catch (e) {
      // Not a capture: neither the file nor a copy of it stays open.
      this.close();
      this.spool?.close();
      throw e instanceof CaptureError ? e : new CaptureError(`${path}: ${openErrorText(e)}`);
    }
  }

  /** The file a later pass opens: the file itself, or the copy of a stream made while it was read. */
  get rereadPath(): string {
    return this.spool ? this.spool.path : this.path;
  }

  private read(size: number): Uint8Array {
    if (this.eof) return new Uint8Array(0);
    const buf = Buffer.allocUnsafeSlow(size);
    const n = this.readInto(buf, 0, size);
    if (n === 0) { this.eof = true; return new Uint8Array(0); }
    this.bytesRead += n;
    return n === size ? buf : buf.subarray(0, n);
  }

  /** One read at the current place; a read error ends the file with a warning (frames so far stay). */
  private readInto(buf: Uint8Array, offset: number, length: number): number {
    let n = 0;
    try {
      n = readBlocking(this.fd, buf, offset, length, this.filePos);
    } catch (e) {
      this.parser?.warnings.push({ fileIndex: this.fileIndex, offset: this.bytesRead, message: `read error: ${(e as Error).message}` });
      return 0;
    }
    if (this.filePos !== null) this.filePos += n;
    if (n > 0) this.spool?.append(buf, offset, n);
    return n;
  }

  /**
   * Goes to the record at `offset`, whose frame is number `fileFrame` of the file, with the parser in
   * `state` (taken by resumeState() when that frame was read before).
   */
  seek(offset: number, fileFrame: number, state: ParserResumeState): void {
    this.parser.q.reset(offset);
    this.parser.resume(state, fileFrame);
    this.filePos = offset;
    this.eof = false;
    this.chunk = SEEK_CHUNK;
  }

  resumeState(): ParserResumeState {
    return this.parser.resumeState();
  }

  reuseFrames(): void {
    this.parser.pool ??= new FramePool();
  }

  get warnings(): CaptureWarning[] {
    return this.parser.warnings;
  }

  next(): Frame | null {
    const p = this.parser;
    for (;;) {
      const f = p.next();
      if (f) {
        if (f.fileFrame <= this.lastFrame) return f;
        this.eof = true; // grown since the first pass: what follows was not analysed
        return null;
      }
      if (this.eof) {
        if (p.fatal) throw new CaptureError(`${this.path}: ${p.fatal}`);
        return null;
      }
      if (this.refill() === 0) p.finish();
    }
  }

  private refill(): number {
    if (this.eof) return 0;
    const n = this.parser.q.refill(this.chunk, (buf, offset, length) => this.readInto(buf, offset, length));
    if (n === 0) this.eof = true;
    this.bytesRead += n;
    // Reading on in order after a seek: back to full-size chunks.
    if (this.chunk < CHUNK) this.chunk = Math.min(CHUNK, this.chunk * 4);
    return n;
  }

  /** Closes the file; a stream's copy stays open for the passes after this one, until the process ends. */
  close(): void {
    if (this.fd >= 0 && this.ownsFd) { try { closeSync(this.fd); } catch { /* already closed */ } }
    this.fd = -1;
  }
}

/**
 * Several sources merged into one time-ordered sequence, as mergecap would: each frame keeps its file,
 * interface and per-file number, and gets its place `n` in the merged sequence.
 * With one source, n equals the file's own frame number (Wireshark's), whatever the timestamps.
 */
export class MergedSource implements FrameSource {
  private heads: (Frame | null)[];
  private count: number;

  /**
   * `index`: resume points are recorded into it as frames go by. `first`: the number the first frame
   * gets (a source resumed at a point).
   */
  constructor(readonly sources: FrameSource[], private readonly index: ResumeIndex | null = null, first = 1) {
    this.heads = sources.map((s) => s.next());
    this.count = first - 1;
    if (index && sources.some((s) => !s.resumeState)) this.index = null;
  }

  get warnings(): CaptureWarning[] {
    return this.sources.flatMap((s) => s.warnings);
  }

  reuseFrames(): void {
    for (const s of this.sources) s.reuseFrames?.();
  }

  next(): Frame | null {
    const heads = this.heads;
    let best = -1;
    if (heads.length === 1) best = heads[0] ? 0 : -1;
    else {
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h && (best < 0 || compareFrameTime(h, heads[best]!) < 0)) best = i;
      }
    }
    if (best < 0) return null;
    const index = this.index;
    if (index && (this.count & (index.interval - 1)) === 0) this.mark(index);
    const f = heads[best]!;
    heads[best] = this.sources[best].next();
    f.n = ++this.count;
    return f;
  }

  /** Records where every file stands before frame count + 1 is handed out. */
  private mark(index: ResumeIndex): void {
    index.add({
      n: this.count + 1,
      files: this.heads.map((h, i) => h ? { offset: h.offset, fileFrame: h.fileFrame, state: this.sources[i].resumeState!() } : null),
    });
  }

  close(): void {
    for (const s of this.sources) s.close();
  }
}

/** Where each file stood when frame `n` of the merged sequence came next: enough to read on from there. */
export interface ResumePoint {
  n: number;
  /** Per file: the next frame's record (null when the file had no frame left). */
  files: ({ offset: number; fileFrame: number; state: ParserResumeState } | null)[];
}

/**
 * A sparse index of resume points, one every `interval` frames (a power of two), so that a second pass
 * wanting a few frames of a big capture reads only around them. Bounded: past `max` points, every other
 * one is dropped and the interval doubles.
 */
export class ResumeIndex {
  readonly points: ResumePoint[] = [];

  constructor(public interval = 1024, private readonly max = 4096) {}

  add(p: ResumePoint): void {
    this.points.push(p);
    if (this.points.length <= this.max) return;
    this.interval *= 2;
    let k = 0;
    for (const q of this.points) if (((q.n - 1) & (this.interval - 1)) === 0) this.points[k++] = q;
    this.points.length = k;
  }

  /** The last point at or before frame `n`, or null. */
  before(n: number): ResumePoint | null {
    const ps = this.points;
    let lo = 0, hi = ps.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ps[mid].n <= n) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best < 0 ? null : ps[best];
  }
}

/** A file with no frames left (at a resume point). */
class Exhausted implements FrameSource {
  readonly warnings: CaptureWarning[] = [];
  next(): Frame | null { return null; }
  close(): void { /* nothing open */ }
}

/**
 * The files of a first pass, or of a later one: `lastFrames` (per file) are the frames the first pass
 * took, so that a file grown since is read no further.
 */
export function openCaptures(paths: string[], index: ResumeIndex | null = null, lastFrames?: readonly number[]): { files: CaptureFile[]; source: MergedSource } {
  const files: CaptureFile[] = [];
  try {
    paths.forEach((p, i) => files.push(new CaptureFile(p, i, CHUNK, { lastFrame: lastFrames?.[i] })));
  } catch (e) {
    for (const f of files) f.close();
    throw e;
  }
  return { files, source: new MergedSource(files, index) };
}

/** The files read again from a resume point recorded by openCaptures (same paths, same order). */
export function openCapturesAt(paths: string[], point: ResumePoint, lastFrames?: readonly number[]): MergedSource {
  const sources: FrameSource[] = [];
  try {
    paths.forEach((p, i) => {
      const at = point.files[i];
      if (!at) { sources.push(new Exhausted()); return; }
      const file = new CaptureFile(p, i, 4096, { lastFrame: lastFrames?.[i] });
      sources.push(file);
      file.seek(at.offset, at.fileFrame, at.state);
    });
  } catch (e) {
    for (const s of sources) s.close();
    throw e;
  }
  return new MergedSource(sources, null, point.n);
}
