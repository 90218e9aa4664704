// Per-analyser event baselines: the current analysis of every case of test/golden/list.json equals its
// test/golden/events/<case>.<domain>.json. They record what was reviewed, not what is true: what keepalived's
// logs say is checked independently by keepalived-logs.test.ts, and a value known to be wrong is named in
// the baseline's "review" notes. A difference is a change to review: `npm run golden` rewrites them, then
// read `git diff test/golden`.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DROPPED, EVENTS_DIR, baselines, existingFiles, goldenCases, renderCase } from '../../scripts/regen-golden.mjs';
import { reportJsonOnce } from '../support/ours.js';

const cases = goldenCases();
// The report `npm run golden` writes them from (regen-golden.mjs reportDoc: the built command, --lang
// given), made in this process: the same bundle and arguments, without a node start-up per case.
const reportDoc = (files: string[], lang: 'en' | 'fr') => reportJsonOnce(files, ['--lang', lang]);

function firstDifference(golden: string, now: string): string {
  const a = golden.split('\n'), b = now.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  return `line ${i + 1}:\n  baseline: ${a[i]}\n  current:  ${b[i]}`;
}

describe('event baselines (npm run golden regenerates them; review the diff)', () => {
  it('list.json names cases, each with its own name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('every file under test/golden/events belongs to a case', () => {
    const owned = new Set(cases.flatMap((c) => existingFiles(c)));
    expect(readdirSync(EVENTS_DIR).filter((f) => !owned.has(f))).toEqual([]);
  });

  for (const gc of cases) {
    it.skipIf(!gc.available)(gc.name, async () => {
      const now = renderCase(gc, await reportDoc(gc.files, 'en'));
      expect(Object.keys(now).length, 'a lab capture with no event at all').toBeGreaterThan(0);
      expect(existingFiles(gc).sort(), 'domains with events (npm run golden writes and removes their files)').toEqual(Object.keys(now).sort());
      for (const [f, text] of Object.entries(now)) {
        const golden = readFileSync(join(EVENTS_DIR, f), 'utf8');
        if (golden !== text) expect.fail(`test/golden/events/${f} differs from the current analysis at ${firstDifference(golden, text)}\n(npm run golden rewrites it; review git diff test/golden)`);
      }
    }, 60_000);
  }

  // No sentence in a baseline: the French report gives the same baselines (a field that carries text in
  // the report's language would differ), and no dropped field is left.
  for (const name of ['vrrp-ttl', 'quorum-sorry-back', 'ivs-checks-variant']) {
    const gc = cases.find((c) => c.name === name);
    it.skipIf(!gc?.available)(`${name}: the same baselines in French, without ${DROPPED.join(' or ')}`, async () => {
      const en = baselines(await reportDoc(gc!.files, 'en')), fr = baselines(await reportDoc(gc!.files, 'fr'));
      expect(fr).toEqual(en);
      for (const events of Object.values(en)) for (const e of events) for (const k of DROPPED) expect(e).not.toHaveProperty(k);
    }, 60_000);
  }

  it('the review notes name domains that have a baseline', () => {
    for (const gc of cases) for (const domain of Object.keys(gc.notes)) {
      expect(existsSync(join(EVENTS_DIR, `${gc.name}.${domain}.json`)), `${gc.name}: notes for ${domain}`).toBe(true);
    }
  });
});
