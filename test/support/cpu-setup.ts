// With VRRPSCOPE_CPU_LOG=FILE: after each test file, one line appended to FILE with the CPU seconds its
// worker process used (user + system, its own and that of the child processes it waited for: the
// command, tshark, Chromium), from /proc/self/stat. Wall time on a shared machine is noise; this is what
// a test file costs. vitest's main process (transforms, reporting) is not in it.

import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll } from 'vitest';

const LOG = process.env.VRRPSCOPE_CPU_LOG;
const TICKS = 100; // USER_HZ (getconf CLK_TCK) on Linux

if (LOG) {
  afterAll((suite) => {
    // Fields after the command's name: utime, stime, cutime, cstime are 14-17 (1-based) of the whole line.
    const f = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ').map(Number);
    const [self, children] = [(f[11] + f[12]) / TICKS, (f[13] + f[14]) / TICKS];
    const file = 'filepath' in suite ? relative(process.cwd(), (suite as { filepath: string }).filepath) : suite.name;
    appendFileSync(LOG, `${(self + children).toFixed(2)}\t${self.toFixed(2)}\t${children.toFixed(2)}\t${file}\n`);
  });
}
