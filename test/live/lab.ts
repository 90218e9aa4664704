// The real thing, for the lab tests: the namespace lab (scripts/lab.sh) up under a prefix of its own,
// `vrrpscope live --iface br0` inside the bridge's namespace, the scripted failover played meanwhile
// (with the lab's own tcpdump on the same bridge as the reference), SIGINT, and the lab torn down
// whatever happened. The checks compare what live printed, its report and its capture with keepalived's
// logs (the lab's ground truth) and with the reference capture.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { clockTime } from '../../src/cli/live.js';
import { probeCap, type BackendName } from '../../src/io/live.js';
import { expectedMasters } from '../support/ground-truth.js';
import { CLI, ROOT, frameRows, killAll, startCli, type FrameRow } from './support.js';

const LAB_SOURCE = join(ROOT, 'scripts/lab.sh');
const SCENARIO = 'failover';

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Why the lab test cannot run here (then it is skipped with this reason), or null. */
export function labSkipReason(backend: BackendName): string | null {
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, keepalived, capture)';
  const missing = ['ip', 'keepalived', 'tcpdump', 'jq', 'ping'].filter((c) => !have(c));
  if (missing.length) return `the lab needs ${missing.join(', ')} (apt-get install iproute2 keepalived tcpdump jq iputils-ping)`;
  if (!existsSync(CLI)) return 'dist/cli.js is missing (npm run build)';
  if (backend === 'cap') {
    const cap = probeCap();
    // Where cap could have been built (libpcap headers and a compiler), its absence is a failure, not a skip.
    const buildable = (existsSync('/usr/include/pcap/pcap.h') || existsSync('/usr/include/pcap.h')) && have('c++') && have('make');
    if (!cap.available && !buildable) return `the cap backend is unavailable (${cap.why}) and cannot be built here (needs libpcap-dev, make, g++)`;
  }
  return null;
}

export interface LabRun {
  backend: BackendName;
  dir: string;
  groundTruth: string;
  reference: string;
  capture: string;
  report: string;
  stdout: string;
  stderr: string;
  code: number | null;
  seconds: Record<string, number>;
}

/** Labs started and not yet torn down, and the lab.sh commands running: what cleanupLabs ends. */
const active = new Map<string, string>();
const commands = new Set<ChildProcess>();

function labCommand(lab: string, prefix: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [lab, ...args], { env: { ...process.env, VS_LAB_PREFIX: prefix }, stdio: ['ignore', 'pipe', 'pipe'] });
    commands.add(child);
    child.on('close', () => commands.delete(child));
    let output = '';
    child.stdout.on('data', (b) => { output += b; });
    child.stderr.on('data', (b) => { output += b; });
    const t = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => { clearTimeout(t); resolve({ code, output }); });
  });
}

function labDown(lab: string, prefix: string): void {
  spawnSync('bash', [lab, 'down'], { env: { ...process.env, VS_LAB_PREFIX: prefix }, stdio: 'ignore', timeout: 30_000 });
  active.delete(prefix);
}

/**
 * Ends every lab a test started and has not torn down (the test timed out or its worker is ending):
 * the lab.sh commands still running first, then each lab's namespaces and every process in them.
 */
export function cleanupLabs(): void {
  for (const c of commands) try { c.kill('SIGKILL'); } catch { /* gone */ }
  commands.clear();
  for (const [prefix, lab] of [...active]) labDown(lab, prefix);
  killAll();
}
process.once('exit', cleanupLabs);

function namespaces(prefix: string): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(prefix));
}

/** Up, live in the switch namespace, the failover played, SIGINT, down (always). */
export async function runLab(backend: BackendName): Promise<LabRun> {
  if (backend === 'cap' && !probeCap().available) {
    throw new Error(`the cap module does not load here: ${(probeCap() as { why: string }).why}; run npm ci (or npm rebuild cap) with libpcap-dev installed`);
  }
  const prefix = `vl${process.pid % 100000}${backend === 'cap' ? 'c' : 't'}-`;
  const dir = mkdtempSync(join(tmpdir(), `vrrpscope-lab-${backend}-`));
  const run: LabRun = {
    backend, dir,
    groundTruth: join(dir, `vrrp-${SCENARIO}/ground-truth.json`),
    reference: join(dir, `vrrp-${SCENARIO}.pcap`),
    capture: join(dir, 'live.pcapng'),
    report: join(dir, 'live.json'),
    stdout: '', stderr: '', code: null, seconds: {},
  };
  // bash reads a script as it runs it: a snapshot, so that editing scripts/lab.sh meanwhile cannot break the run
  const lab = join(dir, 'lab.sh');
  copyFileSync(LAB_SOURCE, lab);
  const down = () => labDown(lab, prefix);
  const t0 = Date.now();
  const lap = (name: string, since: number) => { run.seconds[name] = Math.round((Date.now() - since) / 100) / 10; return Date.now(); };
  try {
    down(); // (a lab left by an earlier run under the same prefix)
    active.set(prefix, lab);
    let t = Date.now();
    const up = await labCommand(lab, prefix, ['up', SCENARIO], 60_000);
    if (up.code !== 0) throw new Error(`lab up failed:\n${up.output}`);
    t = lap('up', t);
    const live = startCli(['live', '--iface', 'br0', '--backend', backend, '--write', run.capture, '--format', 'json', '-o', run.report],
      {}, ['ip', 'netns', 'exec', `${prefix}sw`, process.execPath, CLI]);
    try {
      await live.waitFor('stderr', /capturing on br0 with/, 20_000);
      t = lap('live start', t);
      const play = await labCommand(lab, prefix, ['play', SCENARIO, dir], 100_000);
      if (play.code !== 0) throw new Error(`lab play failed (exit ${play.code}):\n${play.output}\nlive stderr:\n${live.stderr}`);
      t = lap('play', t);
      live.signal('SIGINT');
      run.code = (await live.end(30_000)).code;
      lap('stop + report', t);
    } finally {
      run.stdout = live.stdout;
      run.stderr = live.stderr;
      live.signal('SIGKILL');
    }
  } finally {
    const t = Date.now();
    down();
    lap('down', t);
    run.seconds.total = Math.round((Date.now() - t0) / 100) / 10;
  }
  expect(namespaces(prefix), 'namespaces left behind').toEqual([]);
  return run;
}

interface PrintedEvent { time: string; kind: string; frames: number[]; summary: string }

function parsePrinted(stdout: string): PrintedEvent[] {
  return stdout.split('\n').filter(Boolean).map((line) => {
    const m = /^(\d\d:\d\d:\d\d\.\d{3})  (\S+) +(#\S+)  (.*)$/.exec(line);
    expect(m, `printed line: ${line}`).not.toBe(null);
    return { time: m![1], kind: m![2], frames: [...m![3].matchAll(/#(\d+)/g)].map((x) => Number(x[1])), summary: m![4] };
  });
}

/**
 * The reference capture (the lab's tcpdump on the same bridge, started after live and stopped before
 * it) must be a contiguous run of live's capture: same frames, same bytes, same order, nothing missing
 * or added in between. Times agree to the microsecond with tcpdump (both kernel timestamps); cap passes
 * no timestamps, so its frames are stamped on arrival and must be within `tolerance` s (a few ms
 * usually; the margin is for a loaded CI machine, and stays below the 1 s between identical adverts).
 */
export function alignCaptures(reference: FrameRow[], live: FrameRow[], tolerance: number): { skipped: number; before: number; after: number; maxLagMs: number } {
  const t = (r: FrameRow) => r.sec + r.ns / 1e9;
  const us = (r: FrameRow) => r.sec * 1e6 + Math.floor(r.ns / 1000);
  const same = (a: FrameRow, b: FrameRow) => a.hash === b.hash && a.caplen === b.caplen && a.origLen === b.origLen
    && (tolerance === 0 ? us(a) === us(b) : Math.abs(t(a) - t(b)) <= tolerance);
  // Frames of the reference from before live started would be allowed to be missing (not in this set-up).
  let skip = 0;
  const earlier = (r: FrameRow) => (tolerance === 0 ? us(r) < us(live[0]) : t(r) < t(live[0]) - tolerance);
  while (skip < reference.length && earlier(reference[skip])) skip++;
  const ref = reference.slice(skip);
  expect(ref.length, 'reference frames inside the live capture').toBeGreaterThan(50);
  // Two frames the kernel hands over at the same moment (sent from two CPUs) may reach two capture
  // sockets in either order: such a pair (stamped within 1 ms of each other) may be swapped; any other
  // difference in order, and any missing or added frame, fails. That holds for the first frames too
  // (two routers' IGMP joins in the same microsecond): live's run starts at the first frame that is
  // one of the reference frames stamped within 1 ms of its first.
  const opening = ref.filter((r) => t(r) - t(ref[0]) <= 0.001);
  const start = live.findIndex((r) => opening.some((q) => same(r, q)));
  expect(start, 'first reference frame in the live capture').toBeGreaterThanOrEqual(0);
  const missing: string[] = [];
  const used = new Set<number>();
  let offset = 0;
  for (let i = 0; i < ref.length; i++) {
    const at = start + offset + i;
    let hit = !used.has(at) && live[at] && same(live[at], ref[i]) ? at : -1;
    for (let d = -3; hit < 0 && d <= 3; d++) {
      const j = at + d, r = ref[i + d];
      if (d && !used.has(j) && live[j] && r && Math.abs(t(r) - t(ref[i])) <= 0.001 && same(live[j], ref[i])) hit = j;
    }
    if (hit >= 0) { used.add(hit); continue; }
    missing.push(`reference frame ${skip + i + 1} (${t(ref[i]).toFixed(6)}, ${ref[i].origLen} bytes) vs live frame ${at + 1}`);
    // Carry on past a frame live lacks, so one gap is reported once rather than as every frame after it.
    const next = live.findIndex((r, k) => k > at && i + 1 < ref.length && same(r, ref[i + 1]));
    if (next > at + 1) offset = next - (start + i + 1);
    else offset -= 1;
  }
  expect(missing.slice(0, 10), `${missing.length} reference frames not matched in order`).toEqual([]);
  const after = live.length - start - ref.length;
  // Extra frames only where live ran alone: before the reference started, after it stopped.
  for (const r of live.slice(0, start)) expect(t(r)).toBeLessThanOrEqual(t(ref[0]) + tolerance);
  for (const r of live.slice(start + ref.length)) expect(t(r)).toBeGreaterThanOrEqual(t(ref[ref.length - 1]) - tolerance);
  const lags = ref.map((r, i) => t(live[start + i]) - t(r));
  return { skipped: skip, before: start, after, maxLagMs: Math.round(Math.max(...lags.map(Math.abs)) * 1e4) / 10 };
}

export function checkLabRun(run: LabRun): void {
  expect(run.code, `live exit status\n${run.stderr}`).toBe(0);
  expect(run.stderr).toMatch(new RegExp(`capturing on br0 with ${run.backend} \\(`));
  expect(run.stderr).not.toMatch(/dropped by the kernel|reports \d+ frames captured but|\n\s+at /);

  // keepalived's own account: four master changes, for the four reasons the scenario provokes.
  const expected = expectedMasters(run.groundTruth);
  expect(expected.map((x) => [x.router, x.reason])).toEqual([
    ['10.0.0.11', 'initial'], ['10.0.0.12', 'master-down'], ['10.0.0.11', 'preemption'], ['10.0.0.12', 'resignation'],
  ]);

  // The report: the same master changes, in order, each within one advert interval of keepalived's log line.
  const report = JSON.parse(readFileSync(run.report, 'utf8'));
  const masters = report.events.filter((e: { kind: string }) => e.kind === 'vrrp.master');
  expect(masters.map((e: { router: string; reason: string }) => [e.router, e.reason])).toEqual(expected.map((x) => [x.router, x.reason]));
  masters.forEach((e: { time: number }, i: number) => {
    expect(Math.abs(e.time - expected[i].time), `master change ${i + 1}: report ${e.time} vs keepalived ${expected[i].time}`).toBeLessThanOrEqual(expected[i].intervalS);
  });

  // What was printed, as it happened: one line per event of the report (same kind, time and frames),
  // the master changes among them in keepalived's order.
  const printed = parsePrinted(run.stdout);
  expect(printed.length).toBe(report.events.length);
  const unmatched = [...report.events];
  for (const p of printed) {
    const i = unmatched.findIndex((e: { kind: string; time: number; frames: number[] }) => e.kind === p.kind && clockTime(e.time) === p.time && e.frames[0] === p.frames[0]);
    expect(i, `printed event not in the report: ${JSON.stringify(p)}`).toBeGreaterThanOrEqual(0);
    unmatched.splice(i, 1);
  }
  const printedMasters = printed.filter((p) => p.kind === 'vrrp.master');
  expect(printedMasters.map((p) => p.time)).toEqual(masters.map((e: { time: number }) => clockTime(e.time)));
  printedMasters.forEach((p, i) => expect(p.summary).toContain(expected[i].router));

  // The capture: every frame the reference tcpdump saw on the bridge, and the report numbers the same file.
  const reference = frameRows(run.reference), live = frameRows(run.capture);
  expect(report.captures[0].frames).toBe(live.length);
  const extra = alignCaptures(reference, live, run.backend === 'tcpdump' ? 0 : 0.5);
  expect(live.length).toBe(reference.length - extra.skipped + extra.before + extra.after);
  console.log(`lab ${run.backend}: ${live.length} frames live, ${reference.length} in the reference (${extra.skipped} before live started; live: +${extra.before} before, +${extra.after} after it; max time difference ${extra.maxLagMs} ms); ` +
    `${printed.length} events printed; seconds ${JSON.stringify(run.seconds)}`);
}
