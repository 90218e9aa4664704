// The order test files start in: the longest first, named here, so that a run does not end with one
// long file alone on a core. vitest's own order (by the durations of the last run, kept in
// node_modules/.vite) follows for the rest, and is lost whenever node_modules is reinstalled.

import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first (seconds measured on the 2-core machine, cold tshark cache). */
const LONGEST = [
  'test/live/lab.test.ts', // ~50 s, mostly waiting on the keepalived lab's scripted failover
  'test/present/pcapng-readback-1.test.ts',
  'test/present/pcapng-readback-2.test.ts',
  'test/oracle/tshark-fields-1.test.ts',
  'test/oracle/tshark-fields-2.test.ts',
  'test/live/cli.test.ts',
  'test/io/pcapng-conformance.test.ts',
  'test/present/browser.test.ts',
  'test/analyse/baselines.test.ts',
  'test/io/read-once.test.ts',
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
