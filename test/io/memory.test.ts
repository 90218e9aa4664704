// Memory stays bounded (issue #11): the whole command's peak RSS, measured exactly (getrusage, through
// bench/peak-rss.cjs), on the two hostile pcapng shapes of ../shared/captures/regressions, made here at
// a size that went far over the 150 MB budget before the fixes.

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { runMeasured } from '../../bench/peak-rss.mjs';
import { writeManyInterfaces, writeSectionComments } from './hostile-pcapng.js';

const BUDGET_MB = 150;
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function peak(file: string, format = 'json'): Promise<number> {
  const r = await runMeasured(['report', file, '--format', format, '-o', '/dev/null']);
  expect(r.status, r.stderr).toBe(0);
  return r.peakMB;
}

describe('peak memory of the report', () => {
  it('65 535 interface blocks and 600 000 frames: the resume index shares the interface list', async () => {
    // 586 resume points: a copy of the 65 535 interfaces in each was 300 MB.
    const file = join(dir, 'many-interfaces.pcapng');
    writeManyInterfaces(file, 65_535, 600_000);
    expect(await peak(file)).toBeLessThanOrEqual(BUDGET_MB);
  }, 120_000);

  it('2 500 sections with a 65 000-byte comment each (163 MB): the comments are not kept', async () => {
    const file = join(dir, 'section-comments.pcapng');
    writeSectionComments(file, 2_500);
    expect(await peak(file)).toBeLessThanOrEqual(BUDGET_MB);
    rmSync(file);
  }, 120_000);
});
