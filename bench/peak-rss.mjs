// Runs the built command with bench/peak-rss.cjs preloaded and returns its wall time and peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI = join(here, '..', 'dist', 'cli.js');

/** `args` after `node dist/cli.js`; resolves { seconds, peakMB, status, stderr }. */
export function runMeasured(args) {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-rss-'));
  const file = join(dir, 'peak');
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', join(here, 'peak-rss.cjs'), CLI, ...args],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, VRRPSCOPE_PEAK_RSS_FILE: file } });
    let stderr = '';
    child.stderr.on('data', (d) => { if (stderr.length < 1e5) stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      let kb = NaN;
      try { kb = Number(readFileSync(file, 'utf8')); } catch { /* the command died before its exit handler */ }
      rmSync(dir, { recursive: true, force: true });
      resolve({ seconds, peakMB: kb / 1024, status, stderr });
    });
  });
}
