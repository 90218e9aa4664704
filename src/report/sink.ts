// Buffered synchronous output to a file or to standard output, so that a large report streams out in
// bounded memory.

import { openSync, writeSync, closeSync } from 'node:fs';

export class OutputSink {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  private ownsFd: boolean;

  constructor(path: string | '-') {
    this.ownsFd = path !== '-';
    this.fd = path === '-' ? 1 : openSync(path, 'w');
  }

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }

  writeBytes(b: Uint8Array): void {
    this.flush();
    this.writeAll(b);
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    this.writeAll(buf);
  }

  private writeAll(buf: Uint8Array): void {
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // non-blocking pipe full: try again
        if (code === 'EPIPE') return; // reader went away (| head): stop quietly
        throw e;
      }
    }
  }

  close(): void {
    this.flush();
    if (this.ownsFd) closeSync(this.fd);
  }
}
