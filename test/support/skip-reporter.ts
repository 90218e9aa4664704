// Prints, after the run, one line per distinct reason tests were skipped for (recorded by skipUnless /
// skipNow in test/support/skip.ts), with the files that gave it; and names any file whose tests were
// skipped without a recorded reason, so that a silent skip shows.

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export default class SkipReasons implements Reporter {
  /** With -t, the tests the filter leaves out count as skipped: no reason to ask of them. */
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.filtered = !!vitest.config.testNamePattern;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const dir = process.env.VRRPSCOPE_SKIP_REASONS;
    const byReason = new Map<string, Set<string>>();
    if (dir && existsSync(dir)) {
      for (const name of readdirSync(dir)) {
        for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
          if (!line) continue;
          const { reason, file } = JSON.parse(line) as { reason: string; file: string };
          if (!byReason.has(reason)) byReason.set(reason, new Set());
          byReason.get(reason)!.add(file);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
    const explained = new Set([...byReason.values()].flatMap((s) => [...s]));
    const silent: string[] = [];
    let skipped = 0;
    for (const m of testModules) {
      const n = [...m.children.allTests('skipped')].length;
      skipped += n;
      const file = relative(process.cwd(), m.moduleId);
      if (n && !explained.has(file) && !this.filtered) silent.push(`${file} (${n})`);
    }
    if (!byReason.size && !silent.length) return;
    const lines = [`Skipped tests: ${skipped}, for these reasons:`];
    for (const [reason, files] of [...byReason].sort((a, b) => a[0].localeCompare(b[0]))) {
      lines.push(`  skipped: ${reason} [${[...files].sort().join(', ')}]`);
    }
    if (silent.length) lines.push(`  skipped without a stated reason: ${silent.join(', ')}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
}
