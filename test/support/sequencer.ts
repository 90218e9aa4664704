// The order test files start in: the longest first, named here, so that a run does not end with one
// long file alone on a core. vitest's own order (by the durations of the last run, kept in
// node_modules/.vite) follows for the rest, and is lost whenever node_modules is reinstalled.

import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first (measured on the 2-core machine, warm tshark cache, 2026-12-03). */
const LONGEST = [
  'test/present/browser.test.ts', // Chromium: 11 reports in one tab
  'test/live/lab.test.ts', // ~50 s, mostly waiting on the keepalived lab's scripted failover
  'test/io/read-once.test.ts', // ~16 runs of the command
  'test/live/cli.test.ts', // ~46 s
  'test/robustness/fuzz-analysis.test.ts',
  'test/present/incidents-browser.test.ts',
  'test/present/cli.test.ts',
  'test/analyse/keepalived-logs.test.ts',
  'test/cli/io-safety.test.ts',
  'test/present/display-filters.test.ts',
  'test/present/pcapng.test.ts',
  'test/oracle/field-names.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((name) => f.moduleId.endsWith('/' + name));
      return i < 0 ? LONGEST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
