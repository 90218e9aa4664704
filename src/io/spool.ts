// A copy of an input that can be read only once (a pipe, a FIFO, standard input, a process
// substitution), made of the very bytes the first pass reads, so that later passes read the copy.
// The file is created in a private directory (mode 0700) and unlinked at once: only our open
// descriptor keeps it, so it disappears when the process ends, however it ends (error, Ctrl-C,
// SIGTERM, SIGKILL), and no other user can open it meanwhile.

import { closeSync, mkdtempSync, openSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError } from './errno.js';
import { errnoText } from './errno.js';

export class SpoolFile {
  private fd: number;
  bytes = 0;

  /** `shown`: the input as the user named it, for error messages. */
  constructor(private readonly shown: string) {
    let dir: string;
    try {
      dir = mkdtempSync(join(tmpdir(), 'vrrpscope-'));
    } catch (e) {
      throw this.error(e);
    }
    const path = join(dir, 'spool');
    try {
      this.fd = openSync(path, 'wx+', 0o600);
    } catch (e) {
      rmdirSync(dir);
      throw this.error(e);
    }
    unlinkSync(path);
    rmdirSync(dir);
  }

  /** A path that opens the copy again, each open with its own file offset (Linux /dev/fd semantics). */
  get path(): string {
    return `/dev/fd/${this.fd}`;
  }

  append(buf: Uint8Array, offset: number, length: number): void {
    let done = 0;
    while (done < length) {
      try {
        done += writeSync(this.fd, buf, offset + done, length - done, this.bytes + done);
      } catch (e) {
        throw this.error(e);
      }
    }
    this.bytes += length;
  }

  close(): void {
    if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; }
  }

  private error(e: unknown): CaptureError {
    const why = errnoText(e, (e as Error).message);
    return new CaptureError(`${this.shown}: cannot keep a copy of it in ${tmpdir()} (${why}); set TMPDIR to a directory with room`);
  }
}
