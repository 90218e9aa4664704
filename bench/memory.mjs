#!/usr/bin/env node
// npm run bench:memory: peak resident memory of `vrrpscope report` (json, html, md) on the captures
// the 150 MB promise is about: the 1.2 M- and 12 M-frame bench captures (10 and 100 time-shifted copies
// of ../shared/captures/bench/http-load-120k.pcap) and the two hostile pcapng generators of
// ../shared/captures/regressions (65 535 interface blocks and 4.2 M frames; 195 MB of section-header
// comments). Peak RSS is the command's own getrusage maximum (bench/peak-rss.cjs), not a poll.
// The generated files go to a temporary directory under /tmp and are deleted at the end (2 GB).
//
//   npm run bench:memory                      # all four captures, json html md
//   BENCH_ALL_FRAMES=1 npm run bench:memory   # also html --all-frames on 1.2 M frames (~2 min, 1.5 GB of output to /dev/null)
//   BENCH_ONLY=many-interfaces npm run bench:memory

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeasured } from './peak-rss.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'captures');
const BUDGET_MB = 150;

function die(msg) { console.error('bench:memory: ' + msg); process.exit(2); }
function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) die(`${cmd} ${args.join(' ')} failed`);
}

if (!existsSync(join(shared, 'bench', 'make-big.sh'))) die(`no ${shared}: the shared captures are needed`);
if (spawnSync('mergecap', ['-h'], { stdio: 'ignore' }).status !== 0) die('mergecap/editcap missing: apt-get install wireshark-common');
if (spawnSync('python3', ['-V'], { stdio: 'ignore' }).status !== 0) die('python3 missing');

const captures = [
  ['bench 1.2 M frames', 'big-10.pcap', (out) => run('bash', [join(shared, 'bench', 'make-big.sh'), '10', out])],
  ['bench 12 M frames', 'big-100.pcap', (out) => run('bash', [join(shared, 'bench', 'make-big.sh'), '100', out])],
  ['65 535 interfaces, 4.2 M frames', 'many-interfaces.pcapng', (out) => run('python3', [join(shared, 'regressions', 'mk-many-interfaces.py'), out, '65535', '4200000'])],
  ['3 000 sections, 195 MB of comments', 'shb-comments.pcapng', (out) => run('python3', [join(shared, 'regressions', 'mk-shb-comments.py'), out])],
].filter(([, file]) => !process.env.BENCH_ONLY || file.startsWith(process.env.BENCH_ONLY));

const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-memory-'));
const rows = [];
try {
  for (const [label, file, make] of captures) {
    const path = join(dir, file);
    make(path);
    const runs = [['json'], ['html'], ['md']];
    if (file === 'big-10.pcap' && process.env.BENCH_ALL_FRAMES) runs.push(['html', '--all-frames']);
    for (const [format, ...extra] of runs) {
      const r = await runMeasured(['report', path, '--format', format, ...extra, '-o', '/dev/null']);
      if (r.status !== 0) die(`${label} ${format} failed (exit ${r.status}): ${r.stderr.split('\n')[0]}`);
      rows.push({ label, size: statSync(path).size / 1e6, what: [format, ...extra].join(' '), seconds: r.seconds, peakMB: r.peakMB });
      console.log(`${label.padEnd(36)} ${[format, ...extra].join(' ').padEnd(17)} ${r.seconds.toFixed(2).padStart(7)} s ${r.peakMB.toFixed(0).padStart(5)} MB`);
    }
    rmSync(path);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const worst = Math.max(...rows.map((r) => r.peakMB));
console.log(`\nnode ${process.version}; worst peak RSS ${worst.toFixed(0)} MB: budget of ${BUDGET_MB} MB ${worst <= BUDGET_MB ? 'met' : 'MISSED'}`);
process.exitCode = worst <= BUDGET_MB ? 0 : 1;
