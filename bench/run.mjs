#!/usr/bin/env node
// npm run bench: throughput and memory of vrrpscope against tshark on the same 1.2 M-frame capture,
// in the same run (the report and tshark taken in turn, median of BENCH_RUNS each). Targets (2-core
// machine): decoding >= 4 M frames/s, RSS <= 150 MB, >= 10x tshark.
//
//   npm run bench                 # builds bench/out/big.pcap once (10 × the shared 120 k-frame capture)
//   BENCH_COPIES=20 npm run bench # a bigger file (RSS must not grow with it)

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'captures', 'bench');
const outDir = join(root, 'bench', 'out');
const copies = Number(process.env.BENCH_COPIES ?? 10);
const big = join(outDir, `big-${copies}.pcap`);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function die(msg) { console.error('bench: ' + msg); process.exit(2); }

mkdirSync(outDir, { recursive: true });
if (!existsSync(big)) {
  if (!existsSync(join(shared, 'make-big.sh'))) die(`no ${shared}/make-big.sh: the shared bench capture is needed`);
  if (spawnSync('mergecap', ['-h'], { stdio: 'ignore' }).status !== 0) die('mergecap/editcap missing: apt-get install wireshark-common');
  console.log(`building ${big} (${copies} time-shifted copies of http-load-120k.pcap)…`);
  const r = spawnSync('bash', [join(shared, 'make-big.sh'), String(copies), big], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) die('make-big.sh failed');
}
const sizeMB = statSync(big).size / 1e6;

/** Runs a command, polling /proc for its peak RSS (VmHWM), and returns wall seconds and MB. */
function measure(cmd, args) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d) => { if (stdout.length < 1e5) stdout += d; });
    let hwm = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 5);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, rssMB: Math.round(hwm / 1024), code, stdout });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function summary(label, runs) {
  if (runs.some((r) => r.code !== 0)) die(`${label} failed (exit ${runs.map((r) => r.code).join(',')})`);
  return { seconds: median(runs.map((r) => r.seconds)), rssMB: Math.max(...runs.map((r) => r.rssMB)), stdout: runs[0].stdout, all: runs.map((r) => r.seconds) };
}

async function best(label, cmd, args) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(cmd, args));
  return summary(label, runs);
}

/**
 * The report and tshark taken in turn, run after run: a shared machine's slower spells then fall on
 * both alike instead of on whichever was measured at the time.
 */
async function inTurn(a, b) {
  const runsA = [], runsB = [];
  for (let i = 0; i < RUNS; i++) {
    runsA.push(await measure(a.cmd, a.args));
    if (b) runsB.push(await measure(b.cmd, b.args));
  }
  return [summary(a.label, runsA), b ? summary(b.label, runsB) : null];
}

const cli = join(root, 'dist', 'cli.js');
const decode = JSON.parse((await best('decode', 'node', [join(root, 'bench', 'decode.mjs'), big, 'decode'])).stdout);
const read = JSON.parse((await best('read', 'node', [join(root, 'bench', 'decode.mjs'), big, 'read'])).stdout);
const haveTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
const [report, tshark] = await inTurn(
  { label: 'vrrpscope report', cmd: 'node', args: [cli, 'report', big, '--format', 'json', '-o', '/dev/null'] },
  haveTshark ? { label: 'tshark', cmd: 'tshark', args: ['-r', big] } : null);
const frames = decode.decode.frames;

const rows = [
  ['reader alone (in process)', read.read.seconds, read.read.framesPerSecond, read.maxRssMB],
  ['reader + decoders (in process)', decode.decode.seconds, decode.decode.framesPerSecond, decode.maxRssMB],
  ['vrrpscope report --format json (whole CLI)', report.seconds, Math.round(frames / report.seconds), report.rssMB],
];
if (tshark) rows.push(['tshark -r (same file)', tshark.seconds, Math.round(frames / tshark.seconds), tshark.rssMB]);

console.log(`\n${frames.toLocaleString('en')} frames, ${sizeMB.toFixed(0)} MB (${big}), median of ${RUNS} runs, node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
console.log('what'.padEnd(46) + 'seconds'.padStart(9) + 'frames/s'.padStart(13) + 'peak RSS MB'.padStart(13));
for (const [what, s, fps, rss] of rows) console.log(what.padEnd(46) + s.toFixed(3).padStart(9) + fps.toLocaleString('en').padStart(13) + String(rss).padStart(13));
console.log(`\nruns (report and tshark taken in turn): report ${report.all.map((x) => x.toFixed(3)).join(' ')} s` + (tshark ? `; tshark ${tshark.all.map((x) => x.toFixed(2)).join(' ')} s` : ''));
const ratio = tshark ? tshark.seconds / report.seconds : null;
if (ratio) console.log(`\nvrrpscope report is ${ratio.toFixed(1)}x faster than tshark -r on this file.`);
// Decoding alone is timed in process (Node's start-up, ~0.05 s, not counted; tshark's is): the foundation's
// share of the work, beside the whole command above that also runs every analyser.
const decodeRatio = tshark ? tshark.seconds / decode.decode.seconds : null;
if (decodeRatio) console.log(`reader + decoders alone are ${decodeRatio.toFixed(1)}x faster than tshark -r (in process, no rules).`);

const targets = [
  ['decoding >= 4 M frames/s', decode.decode.framesPerSecond >= 4e6],
  ['report peak RSS <= 150 MB', report.rssMB <= 150],
  ['report >= 10x faster than tshark', ratio === null ? null : ratio >= 10],
];
console.log('\ntargets: ' + targets.map(([t, ok]) => `${t}: ${ok === null ? 'not measured (no tshark)' : ok ? 'met' : 'MISSED'}`).join('; '));
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ date: new Date().toISOString(), file: big, frames, sizeMB, read: read.read, decode: decode.decode, report, tshark, ratio, decodeRatio, targets }, null, 2));
