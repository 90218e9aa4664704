// Golden reports: the current output of every case of test/golden/list.json equals the committed file.
// A difference is a change to review, never to accept silently: regenerate with `npm run golden`, then
// read `git diff test/golden` before committing.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { goldenCases, renderCase } from '../../scripts/regen-golden.mjs'; // shared with `npm run golden`

const cases = goldenCases();

describe('golden reports (npm run golden regenerates them; review the diff)', () => {
  it('list.json names cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const gc of cases) {
    const rel = gc.file.split('/test/golden/')[1];
    it.skipIf(!gc.available)(rel, () => {
      expect(existsSync(gc.file), `${rel} is missing: run npm run golden and review it`).toBe(true);
      const now = renderCase(gc);
      const golden = readFileSync(gc.file, 'utf8');
      if (now !== golden) {
        const a = golden.split('\n'), b = now.split('\n');
        const i = a.findIndex((line, k) => line !== b[k]);
        expect.fail(`${rel} differs from the current output at line ${i + 1}:\n  golden:  ${a[i]}\n  current: ${b[i]}\n(npm run golden rewrites it; review git diff test/golden)`);
      }
    }, 60_000);
  }
});
