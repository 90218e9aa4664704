// Opens capture files, detects their format, and streams frames in bounded memory.

import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { basename } from 'node:path';
import type { Frame } from './frame.js';
import { compareFrameTime } from './frame.js';
import type { CaptureParser } from './parser.js';
import { PcapParser, isPcapMagic } from './pcap.js';
import { PcapngParser, isPcapngMagic } from './pcapng.js';
import type { CaptureWarning } from './warning.js';

const CHUNK = 4 * 1024 * 1024;

/** A capture that cannot be read at all: the CLI prints `message` on one line and exits non-zero. */
export class CaptureError extends Error {}

export interface FrameSource {
  /** The next frame in time order, or null at the end. */
  next(): Frame | null;
  readonly warnings: CaptureWarning[];
  close(): void;
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

/** One capture file read from disk in 4 MiB chunks. */
export class CaptureFile implements FrameSource {
  readonly parser: CaptureParser;
  private fd: number;
  private eof = false;
  readonly name: string;
  readonly size: number;
  bytesRead = 0;

  constructor(readonly path: string, readonly fileIndex: number) {
    this.name = basename(path);
    try {
      this.fd = openSync(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CaptureError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot open (' + code + ')'}`);
    }
    const st = fstatSync(this.fd);
    if (st.isDirectory()) { closeSync(this.fd); throw new CaptureError(`${path}: is a directory, not a capture file`); }
    this.size = st.size;
    const first = this.read();
    if (first.length === 0) { this.close(); throw new CaptureError(`${path}: the file is empty`); }
    const parser = parserFor(first, fileIndex);
    if (!parser) { this.close(); throw new CaptureError(`${path}: ${describeUnknown(first)}`); }
    this.parser = parser;
    parser.push(first);
  }

  private read(): Uint8Array {
    if (this.eof) return new Uint8Array(0);
    const buf = Buffer.allocUnsafeSlow(CHUNK);
    let n = 0;
    try {
      n = readSync(this.fd, buf, 0, CHUNK, null);
    } catch (e) {
      this.parser?.warnings.push({ fileIndex: this.fileIndex, offset: this.bytesRead, message: `read error: ${(e as Error).message}` });
    }
    if (n === 0) { this.eof = true; return new Uint8Array(0); }
    this.bytesRead += n;
    return n === CHUNK ? buf : buf.subarray(0, n);
  }

  get warnings(): CaptureWarning[] {
    return this.parser.warnings;
  }

  next(): Frame | null {
    const p = this.parser;
    for (;;) {
      const f = p.next();
      if (f) return f;
      if (this.eof) {
        if (p.fatal) throw new CaptureError(`${this.path}: ${p.fatal}`);
        return null;
      }
      if (this.refill() === 0) p.finish();
    }
  }

  private refill(): number {
    if (this.eof) return 0;
    const n = this.parser.q.refill(CHUNK, (buf, offset, length) => {
      try {
        return readSync(this.fd, buf, offset, length, null);
      } catch (e) {
        this.parser.warnings.push({ fileIndex: this.fileIndex, offset: this.bytesRead, message: `read error: ${(e as Error).message}` });
        return 0;
      }
    });
    if (n === 0) this.eof = true;
    this.bytesRead += n;
    return n;
  }

  close(): void {
    if (this.fd >= 0) { try { closeSync(this.fd); } catch { /* already closed */ } this.fd = -1; }
  }
}

/**
 * Several sources merged into one time-ordered sequence, as mergecap would: each frame keeps its file,
 * interface and per-file number, and gets its place `n` in the merged sequence.
 * With one source, n equals the file's own frame number (Wireshark's), whatever the timestamps.
 */
export class MergedSource implements FrameSource {
  private heads: (Frame | null)[];
  private count = 0;

  constructor(readonly sources: FrameSource[]) {
    this.heads = sources.map((s) => s.next());
  }

  get warnings(): CaptureWarning[] {
    return this.sources.flatMap((s) => s.warnings);
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
    const f = heads[best]!;
    heads[best] = this.sources[best].next();
    f.n = ++this.count;
    return f;
  }

  close(): void {
    for (const s of this.sources) s.close();
  }
}

export function openCaptures(paths: string[]): { files: CaptureFile[]; source: MergedSource } {
  const files: CaptureFile[] = [];
  try {
    paths.forEach((p, i) => files.push(new CaptureFile(p, i)));
  } catch (e) {
    for (const f of files) f.close();
    throw e;
  }
  return { files, source: new MergedSource(files) };
}
