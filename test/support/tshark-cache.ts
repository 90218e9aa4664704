// tshark's reading of a file, run once per (tshark version, arguments, file content) and kept in a
// cache folder shared by the test files and by later runs: tshark takes ~0.5 s of CPU to start (it
// registers every dissector), and the suite asks it about the same captures from several files.
// The key is the content of the file (SHA-256), not its name or time, so an edited capture, a newly
// written pcapng or another tshark (its --version line) is always read again. Runs asynchronously,
// at most TSHARK_JOBS at a time per test file, so a file can ask for many captures at once.
// VRRPSCOPE_TSHARK_CACHE=off runs tshark every time; =DIR puts the cache in DIR
// (default: <tmp>/vrrpscope-tshark-cache).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { probeTsharkVersion } from './tshark-version.js';

declare module 'vitest' {
  export interface ProvidedContext { tsharkVersion: string }
}

export interface TsharkResult { stdout: string; stderr: string; status: number | null }

const setting = process.env.VRRPSCOPE_TSHARK_CACHE;
const CACHE = setting === 'off' ? null : setting || join(tmpdir(), 'vrrpscope-tshark-cache');
const TSHARK_JOBS = 2;

let version: string | undefined;
/**
 * tshark's version line ('' when it is not installed), part of every key: asked once per run by the
 * global setup (test/support/skip-setup.ts), here only when the tests run without vitest.config.ts.
 */
export function tsharkVersion(): string {
  if (version === undefined) {
    try { version = inject('tsharkVersion'); } catch { version = undefined; }
    if (typeof version !== 'string') version = probeTsharkVersion();
  }
  return version;
}

function keyOf(args: string[], file: string): string {
  const content = createHash('sha256').update(readFileSync(file)).digest('hex');
  // The file's name is not part of the key (a copy reads the same): only its place among the arguments.
  const shape = args.map((a) => (a === file ? '<file>' : a));
  return createHash('sha256').update(JSON.stringify({ v: tsharkVersion(), shape, content })).digest('hex');
}

function cached(key: string): TsharkResult | null {
  if (!CACHE) return null;
  try { return JSON.parse(readFileSync(join(CACHE, key + '.json'), 'utf8')) as TsharkResult; } catch { return null; }
}

function store(key: string, r: TsharkResult): void {
  if (!CACHE) return;
  mkdirSync(CACHE, { recursive: true });
  // Written aside then renamed: a reader in another worker sees the whole entry or none.
  const tmp = join(CACHE, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(tmp, JSON.stringify(r));
  renameSync(tmp, join(CACHE, key + '.json'));
}

let running = 0;
const queue: (() => void)[] = [];
async function slot<T>(job: () => Promise<T>): Promise<T> {
  if (running >= TSHARK_JOBS) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try { return await job(); } finally { running--; queue.shift()?.(); }
}

/** `tshark ...args` where `file` (one of the arguments) is the capture it reads; cached as above. */
export function tshark(args: string[], file: string): Promise<TsharkResult> {
  const key = keyOf(args, file);
  const hit = cached(key);
  if (hit) return Promise.resolve(hit);
  return slot(() => new Promise<TsharkResult>((resolve, reject) => {
    execFile('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (err && status === null) { reject(err); return; } // not run at all, or killed
      const r = { stdout, stderr, status };
      store(key, r);
      resolve(r);
    });
  }));
}

/** As tshark(), and the output only when tshark succeeded (else a rejection naming its stderr). */
export async function tsharkOut(args: string[], file: string): Promise<string> {
  const r = await tshark(args, file);
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * For a test file that asks about many captures in turn: `get(key)` starts the job of `key` and of
 * the next TSHARK_JOBS - 1 keys of the list (if not started yet), so tshark reads the next capture
 * while this one is checked. Each job runs once; its promise is returned to every caller.
 */
export function ahead<T>(keys: string[], job: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  const start = (k: string) => {
    let p = started.get(k);
    if (!p) {
      p = job(k);
      p.catch(() => undefined); // a job started ahead whose test is not run (filtered) must not be an unhandled rejection
      started.set(k, p);
    }
    return p;
  };
  return (key) => {
    const i = keys.indexOf(key);
    for (let j = i + 1; j > i && j < keys.length && j < i + TSHARK_JOBS; j++) start(keys[j]);
    return start(key);
  };
}
