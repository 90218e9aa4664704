// Every conditional skip says why, once per reason for the whole run: skipUnless / skipNow record the
// reason (and the test file) in a folder that test/support/skip-setup.ts made for this run, and
// test/support/skip-reporter.ts prints one line per distinct reason at the end, and names any test file
// that skipped tests without giving a reason.

import { appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext { skipReasonsDir: string }
}

const said = new Set<string>();

/** The test file that called us (the first stack frame in a *.test.* file). */
function callerFile(): string {
  const m = new Error().stack?.match(/\/(test\/[^\s:)]+\.test\.[cm]?[jt]s)/);
  return m ? m[1] : 'unknown';
}

function record(reason: string): void {
  const file = callerFile();
  const key = `${reason}\0${file}`;
  if (said.has(key)) return;
  said.add(key);
  let dir: string | undefined;
  try { dir = inject('skipReasonsDir'); } catch { dir = undefined; }
  if (!dir) { console.warn(`skipped: ${reason}`); return; } // run without vitest.config.ts: say it here
  const name = createHash('sha1').update(reason).digest('hex').slice(0, 16);
  appendFileSync(join(dir, name), JSON.stringify({ reason, file }) + '\n');
}

/**
 * For `it.skipIf` / `describe.skipIf`: true (skip) when `condition` is false, and then `reason` is
 * printed at the end of the run, once however many tests or files give it.
 */
export function skipUnless(condition: unknown, reason: string): boolean {
  if (condition) return false;
  record(reason);
  return true;
}

/** Inside a running test: skip it now, saying why (once per reason, as skipUnless). */
export function skipNow(ctx: { skip: (note?: string) => never }, reason: string): never {
  record(reason);
  return ctx.skip(reason);
}

// The reasons the suite gives in more than one file, in the same words so that they are printed once.
export const REASONS = {
  tshark: 'tshark is not installed (apt-get install tshark): no comparison with tshark',
  chromium: 'chromium is not installed (apt-get install chromium): the HTML report is not checked in a browser',
  script: 'script(1) is not installed (apt-get install bsdutils): no test on a pseudo-terminal',
  extended: '../shared/captures is not beside the repository: the extended suite (networklessons captures, no licence, so not in test/fixtures) is not run',
} as const;

/**
 * In a suite that loops over fixtureCaptures() and extendedCaptures(): a test that the extended captures
 * were found, skipped (saying why) when ../shared is absent, so the smaller run shows in the output.
 */
export function itHasExtendedCaptures(have: boolean, count: () => number): void {
  it.skipIf(skipUnless(have, REASONS.extended))('the extended captures of ../shared/captures are included (public/networklessons)', () => {
    expect(count()).toBeGreaterThanOrEqual(8);
  });
}
