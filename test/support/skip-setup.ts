// globalSetup: a folder for this run where skipUnless / skipNow record why tests were skipped, read by
// skip-reporter.ts (the reporter runs in this process, so it finds the folder in the environment);
// and which tshark is installed, asked once for the run.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { probeTsharkVersion } from './tshark-version.js';

export default function setup(project: TestProject): void {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-skips-'));
  process.env.VRRPSCOPE_SKIP_REASONS = dir;
  project.provide('skipReasonsDir', dir);
  // Asked once for the run, not once per test file (tshark takes ~0.5 s of CPU to start): whether
  // tshark is here, and which one, for test/support/tshark-cache.ts.
  project.provide('tsharkVersion', probeTsharkVersion());
}
