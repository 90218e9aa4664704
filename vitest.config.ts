import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every conditional skip says why (test/support/skip.ts), once per reason, after the summary.
    globalSetup: ['test/support/skip-setup.ts'],
    reporters: ['default', './test/support/skip-reporter.ts'],
  },
});
