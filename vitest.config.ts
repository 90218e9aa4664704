import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/sequencer.js';

export default defineConfig({
  test: {
    // A 2-core machine shared with other work: tests that run the command or tshark take seconds, not
    // milliseconds. No test waits on wall-clock time; this only bounds a hang.
    testTimeout: 30_000,
    // Test files in separate processes (forks), three at a time: vitest's default on 2 cores is one
    // (cores - 1), and most of a file's time here is spent waiting on child processes (tshark, the
    // command, a browser, the keepalived lab), so a third file keeps both cores busy meanwhile.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
    // The longest files first (see the file).
    sequence: { sequencer: LongestFirst },
    // Every conditional skip says why (test/support/skip.ts), once per reason, after the summary.
    globalSetup: ['test/support/skip-setup.ts'],
    // A turn of the event loop between tests (see the file); with VRRPSCOPE_CPU_LOG=FILE, each test
    // file's CPU seconds appended to FILE (see the file).
    setupFiles: ['test/support/yield-setup.ts', 'test/support/cpu-setup.ts'],
    reporters: ['default', './test/support/skip-reporter.ts'],
  },
});
