// globalSetup: a folder for this run where skipUnless / skipNow record why tests were skipped, read by
// skip-reporter.ts (the reporter runs in this process, so it finds the folder in the environment).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): void {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-skips-'));
  process.env.VRRPSCOPE_SKIP_REASONS = dir;
  project.provide('skipReasonsDir', dir);
}
