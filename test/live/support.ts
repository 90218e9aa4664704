// Running `vrrpscope live` as a user does: a child process whose stdout and stderr are collected, that
// can be waited on for a line, signalled, and always ends (killed at the latest when the test ends).

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureFile } from '../../src/io/reader.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');

export class Run {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private listeners: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (s: string) => { this.stdout += s; this.poke(); });
    child.stderr?.on('data', (s: string) => { this.stderr += s; this.poke(); });
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => { this.poke(); resolve({ code, signal }); }));
  }

  private poke(): void {
    for (const l of this.listeners.splice(0)) l();
  }

  /** Resolves when `pattern` appears on the stream; rejects after `ms` or if the process ends first. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    let ended = false;
    void this.exited.then(() => { ended = true; });
    while (!pattern.test(this[stream])) {
      if (ended) throw new Error(`process ended before ${pattern} on ${stream}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${pattern} on ${stream} within ${ms} ms\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      // Woken by the next output or the end of the process (poke); the timer only bounds a hang.
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.listeners.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  signal(s: NodeJS.Signals): void {
    try { this.child.kill(s); } catch { /* gone */ }
  }

  /** Waits for the end; kills the process if it takes longer than `ms`. */
  async end(ms = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const t = setTimeout(() => this.signal('SIGKILL'), ms);
    try {
      return await this.exited;
    } finally {
      clearTimeout(t);
    }
  }
}

const running = new Set<Run>();
/** Kills whatever a test left running (call from afterEach/afterAll). */
export function killAll(): void {
  for (const r of running) r.signal('SIGKILL');
  running.clear();
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, command: string[] = [process.execPath, CLI]): Run {
  const child = spawn(command[0], [...command.slice(1), ...args], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, VRRPSCOPE_TCPDUMP: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = new Run(child);
  running.add(run);
  void run.exited.then(() => running.delete(run));
  return run;
}

/**
 * The fake tcpdump, copied where it is surely executable: a shell script in front of it that answers
 * `tcpdump --version` (which the command asks before every capture) itself, with the same text as
 * fake-tcpdump.mjs, and runs node only for the capture (a node start-up is ~0.15 s
 * of CPU; the live tests start the command ~40 times).
 */
export function fakeTcpdump(): string {
  const d = mkdtempSync(join(tmpdir(), 'vrrpscope-fake-'));
  const replay = join(d, 'fake-tcpdump.mjs');
  copyFileSync(join(ROOT, 'test/live/fake-tcpdump.mjs'), replay);
  const p = join(d, 'tcpdump');
  writeFileSync(p, `#!/bin/sh
for a in "$@"; do
  if [ "$a" = --version ]; then printf 'tcpdump version 4.99.3-fake\\nlibpcap version 1.10.3 (with TPACKET_V3)\\n'; exit 0; fi
done
exec '${process.execPath}' '${replay}' "$@"
`);
  chmodSync(p, 0o755);
  chmodSync(d, 0o755);
  return p;
}

/**
 * Resolves once the capture file being written at `path` holds `n` frames (it is written through as
 * frames arrive): the sign that vrrpscope has received everything the fake tcpdump sent. Counted again
 * whenever the file's folder changes (inotify) and when `run` ends; rejects if `run` ended short, or
 * after `ms` (a bound on a hang, not a wait).
 */
export async function waitForSavedFrames(run: Run, path: string, n: number, ms = 20_000): Promise<void> {
  const count = (): number => {
    try { return frameRows(path).length; } catch { return -1; } // not there yet, or a block half written
  };
  if (count() === n) return;
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      if (err) reject(err); else resolve();
    };
    const check = (ended: boolean) => {
      const have = count();
      if (have === n) finish();
      else if (ended) finish(new Error(`process ended with ${have} of ${n} frames in ${path}\nstderr: ${run.stderr}`));
    };
    const watcher = watch(dirname(path), () => check(false));
    const timer = setTimeout(() => finish(new Error(`${path} holds ${count()} of ${n} frames after ${ms} ms\nstderr: ${run.stderr}`)), ms);
    void run.exited.then(() => check(true));
    check(false); // (written between the first count and the watch)
  });
}

export interface FrameRow { sec: number; ns: number; caplen: number; origLen: number; hash: string }

/** Every frame of a capture file: time, lengths and a hash of the bytes. */
export function frameRows(path: string): FrameRow[] {
  const f = new CaptureFile(path, 0);
  const rows: FrameRow[] = [];
  try {
    let fr;
    while ((fr = f.next())) rows.push({ sec: fr.tsSec, ns: fr.tsNs, caplen: fr.caplen, origLen: fr.origLen, hash: createHash('sha1').update(fr.data).digest('hex') });
  } finally {
    f.close();
  }
  return rows;
}
