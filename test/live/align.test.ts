// The lab test's capture comparison (alignCaptures in lab.ts) on made-up frame lists: it must accept what
// two capture sockets legitimately differ in (two frames of the same microsecond in either order, the
// first pair included: a CI run once failed on two routers' IGMP joins stamped alike) and reject a frame
// missing, added or moved.

import { describe, expect, it } from 'vitest';
import { alignCaptures } from './lab.js';
import type { FrameRow } from './support.js';

/** 60 frames 0.1 s apart, two of them (at `pair`) in the same microsecond. */
function reference(pair: number): FrameRow[] {
  return Array.from({ length: 60 }, (_, i) => ({
    sec: 1000 + Math.floor((i <= pair ? i : i - 1) / 10), ns: ((i <= pair ? i : i - 1) % 10) * 100_000_000,
    caplen: 54, origLen: 54, hash: `frame-${i}`,
  }));
}
const swap = (rows: FrameRow[], i: number) => { const r = [...rows]; [r[i], r[i + 1]] = [r[i + 1], r[i]]; return r; };

describe('alignCaptures (live lab test)', () => {
  it('accepts a pair of same-microsecond frames in either order, at the start or further on', () => {
    for (const pair of [0, 30]) {
      const ref = reference(pair);
      expect(alignCaptures(ref, swap(ref, pair), 0)).toMatchObject({ skipped: 0, before: 0, after: 0 });
      expect(alignCaptures(ref, ref, 0)).toMatchObject({ before: 0, after: 0 });
    }
  });

  it('rejects a frame missing, an extra frame inside the run, and frames of different times swapped', () => {
    const ref = reference(0);
    expect(() => alignCaptures(ref, ref.filter((_, i) => i !== 20), 0)).toThrow(/1 reference frames not matched/);
    expect(() => alignCaptures(ref, [...ref.slice(0, 20), { ...ref[20], hash: 'stranger' }, ...ref.slice(20)], 0)).toThrow();
    expect(() => alignCaptures(ref, swap(ref, 20), 0)).toThrow(/not matched/);
  });
});
