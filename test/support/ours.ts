// vrrpscope's own view, through the built CLI exactly as a user runs it.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface OurFrame {
  n: number;
  time: number | null;
  layers: Record<string, Record<string, any>>;
  [k: string]: unknown;
}

export interface OurReport {
  captures: any[];
  events: any[];
  frames: OurFrame[];
  warnings: { frame?: number; message: string }[];
  hosts: any[];
  [k: string]: unknown;
}

export function reportJson(files: string[], extra: string[] = []): OurReport {
  const out = execFileSync('node', [CLI, 'report', ...files, '--format', 'json', '-o', '-', ...extra],
    { encoding: 'utf8', maxBuffer: 1 << 30 });
  return JSON.parse(out) as OurReport;
}

export function runCli(args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('node', [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (e: any) {
    return { status: e.status ?? -1, stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') };
  }
}

// --- the same command, in this process ---
// For tests about what a report says rather than about the command line: the built bundle
// (dist/vrrpscope.cjs, what dist/cli.js runs) loaded once per test file and its main() called with the
// same arguments. Saves a node start-up (~0.2 s of CPU) per report; and a JSON report asked for
// twice with the same arguments is made once per test file.

const BUNDLE = fileURLToPath(new URL('../../dist/vrrpscope.cjs', import.meta.url));
type Main = (argv: string[]) => Promise<number | null>;
let bundleMain: Main | undefined;
let serial: Promise<unknown> = Promise.resolve();

/**
 * `vrrpscope ARGS` run by the bundle's main() in this process: its exit status and what it wrote to
 * stderr. One at a time (main writes to process.stderr, captured meanwhile). Give -o FILE: standard
 * output is this process's.
 */
export function runInProcess(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const job = serial.then(async () => {
    // A turn of the event loop first: main() reads and analyses synchronously, and a test that makes
    // many reports in a row would otherwise keep vitest's replies from this worker for minutes (its 60 s
    // RPC timeout; see yield-setup.ts).
    await new Promise<void>((resolve) => setImmediate(resolve));
    bundleMain ??= (createRequire(import.meta.url)(BUNDLE) as { main: Main }).main;
    let stderr = '';
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
    try {
      return { status: await bundleMain(args), stderr };
    } finally {
      process.stderr.write = write;
    }
  });
  serial = job.catch(() => undefined);
  return job;
}

let scratch: string | undefined;
let made = 0;
const reports = new Map<string, Promise<string>>();

/**
 * reportJson(files, extra) in this process (above), its text made once per test file for the same
 * arguments and parsed anew for each call: no test sees what another changed in its copy. Kept in
 * memory only: a new run analyses again.
 */
export async function reportJsonOnce(files: string[], extra: string[] = []): Promise<OurReport> {
  const key = JSON.stringify([files, extra]);
  let r = reports.get(key);
  if (!r) {
    scratch ??= mkdtempSync(join(tmpdir(), 'vrrpscope-inproc-'));
    const out = join(scratch, `report-${process.pid}-${++made}.json`);
    r = runInProcess(['report', ...files, '--format', 'json', ...extra, '-o', out]).then(({ status, stderr }) => {
      if (status !== 0) throw new Error(`vrrpscope report ${[...files, ...extra].join(' ')}: exit ${status}\n${stderr}`);
      const text = readFileSync(out, 'utf8');
      rmSync(out);
      return text;
    });
    reports.set(key, r);
  }
  return JSON.parse(await r) as OurReport;
}

/** `vrrpscope report ...files --format FORMAT ...extra` in this process: status, stderr and the report's text. */
export async function reportText(files: string[], format: string, extra: string[] = []): Promise<{ status: number | null; stderr: string; stdout: string }> {
  scratch ??= mkdtempSync(join(tmpdir(), 'vrrpscope-inproc-'));
  const out = join(scratch, `report-${process.pid}-${++made}.${format}`);
  const { status, stderr } = await runInProcess(['report', ...files, '--format', format, ...extra, '-o', out]);
  let stdout = '';
  try { stdout = readFileSync(out, 'utf8'); rmSync(out); } catch { /* not written */ }
  return { status, stderr, stdout };
}
