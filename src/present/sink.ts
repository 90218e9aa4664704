// Where a report goes, and the buffered synchronous writing to it (a large report streams out in
// bounded memory). A report to a regular file is written to a temporary file beside it and renamed
// into place only when complete: a failed run leaves the old file (or none), never half a report.
// Standard output and special files (/dev/null, /dev/full, a FIFO) are written directly.

import { accessSync, closeSync, constants, fchmodSync, fchownSync, fstatSync, lstatSync, openSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { inputStats, sameFile } from '../io/inputs.js';
import { errnoText } from '../io/errno.js';

/** The report cannot be written: the CLI prints the sentence and exits with status 2. */
export class OutputError extends Error {}

/** Why a write or an open failed, in words (the code only when we have no words for it). */
export function writeErrorText(e: unknown): string {
  return errnoText(e, 'no such directory');
}

/** Decided before any capture is read, so that a wrong -o costs nothing. */
export type OutputPlan =
  | { kind: 'fd'; fd: number; shown: string }
  | { kind: 'direct'; path: string; shown: string }
  /** `target`: the file that gets replaced (links followed); `old`: its status when it exists. */
  | { kind: 'replace'; target: string; old: Stats | null; shown: string };

/** The name a path ends at once its own symbolic links are followed (the file may not exist yet). */
function followLinks(path: string): string {
  let p = resolve(path);
  for (let i = 0; i < 40; i++) {
    let st: Stats;
    try { st = lstatSync(p); } catch { return p; }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new OutputError(`cannot write ${path}: too many levels of symbolic links`);
}

/**
 * Checks `output` against the inputs (the same file under any name, link or directory is refused:
 * writing it would destroy the capture) and that it can be written; says how it will be written.
 */
export function planOutput(output: string, inputs: readonly string[]): OutputPlan {
  const ids = inputs.map((given) => ({ given, id: inputStats(given) }));
  const refuseInput = (st: Stats, shown: string): void => {
    const hit = ids.find((i) => sameFile(i.id, st));
    if (hit) throw new OutputError(`${shown} is one of the input captures (the same file as ${hit.given}); choose another -o`);
  };
  const std = output === '-' || output === '/dev/stdout' ? 1 : output === '/dev/stderr' ? 2 : null;
  if (std !== null) {
    const shown = std === 1 ? 'standard output' : 'standard error';
    let st: Stats | null = null;
    try { st = fstatSync(std); } catch { throw new OutputError(`cannot write ${shown}: it is closed`); }
    if (st.isFile()) refuseInput(st, `${shown} (${output})`);
    return { kind: 'fd', fd: std, shown };
  }
  let st: Stats | null = null;
  try {
    st = statSync(output);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new OutputError(`cannot write ${output}: ${writeErrorText(e)}`);
  }
  if (st) {
    refuseInput(st, output);
    if (st.isDirectory()) throw new OutputError(`cannot write ${output}: is a directory`);
    if (!st.isFile()) return { kind: 'direct', path: output, shown: output };
  }
  const target = followLinks(output);
  const dir = dirname(target);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch (e) {
    throw new OutputError(`cannot write ${output}: ${writeErrorText(e)}`);
  }
  if (!dirStat.isDirectory()) throw new OutputError(`cannot write ${output}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new OutputError(`cannot write ${output}: ${writeErrorText(e)} (directory ${dir})`);
  }
  return { kind: 'replace', target, old: st, shown: output };
}

/** Temporary files not yet renamed into place: removed if the process exits before (process.exit). */
const pending = new Set<string>();
let exitHookSet = false;
function track(path: string): void {
  pending.add(path);
  if (exitHookSet) return;
  exitHookSet = true;
  process.on('exit', () => { for (const p of pending) try { unlinkSync(p); } catch { /* gone */ } });
}

export class OutputSink {
  private fd = -1;
  private parts: string[] = [];
  private size = 0;
  private ownsFd: boolean;
  /** The temporary file being written, renamed to the plan's target by finish(). */
  private temp: string | null = null;
  private readonly shown: string;

  constructor(private readonly plan: OutputPlan) {
    this.shown = plan.shown;
    this.ownsFd = plan.kind !== 'fd';
    try {
      if (plan.kind === 'fd') this.fd = plan.fd;
      else if (plan.kind === 'direct') this.fd = openSync(plan.path, 'w');
      else {
        const temp = join(dirname(plan.target), `.${basename(plan.target)}.${randomBytes(4).toString('hex')}.vrrpscope-tmp`);
        this.fd = openSync(temp, 'wx', 0o666);
        this.temp = temp;
        track(temp);
        // A replaced report keeps its permissions (and owner, when we may set it).
        if (plan.old) {
          fchmodSync(this.fd, plan.old.mode & 0o7777);
          if (process.getuid?.() === 0) fchownSync(this.fd, plan.old.uid, plan.old.gid);
        }
      }
    } catch (e) {
      this.discard();
      throw new OutputError(`cannot write ${this.shown}: ${writeErrorText(e)}`);
    }
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
        throw new OutputError(`cannot write ${this.shown}: ${writeErrorText(e)}`);
      }
    }
  }

  /** The report is complete: flushed, closed, and (for a regular file) renamed into place. */
  finish(): void {
    this.flush();
    if (this.ownsFd) {
      const fd = this.fd;
      this.fd = -1;
      try { closeSync(fd); } catch (e) { throw new OutputError(`cannot write ${this.shown}: ${writeErrorText(e)}`); }
    }
    if (this.temp && this.plan.kind === 'replace') {
      try { renameSync(this.temp, this.plan.target); } catch (e) { throw new OutputError(`cannot write ${this.shown}: ${writeErrorText(e)}`); }
      pending.delete(this.temp);
      this.temp = null;
    }
  }

  /** The run failed: the temporary file goes, the target stays as it was. */
  discard(): void {
    if (this.ownsFd && this.fd >= 0) try { closeSync(this.fd); } catch { /* closing anyway */ }
    this.fd = -1;
    if (this.temp) {
      try { unlinkSync(this.temp); } catch { /* already gone */ }
      pending.delete(this.temp);
      this.temp = null;
    }
  }
}
