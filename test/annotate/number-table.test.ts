// NumberTable (LVS's pending SYNs): a Map's behaviour for exact numbers, through growth and the
// backward-shift deletes, checked against a Map on a long random mix of sets and deletes.

import { describe, expect, it } from 'vitest';
import { NumberTable } from '../../src/annotate/number-table.js';
import { prng } from '../support/mutate.js';

describe('NumberTable', () => {
  it('agrees with a Map through 200 000 random sets, gets and deletes (keys up to 2^48, clustered and not)', () => {
    const rnd = prng(48);
    const table = new NumberTable<number>(), map = new Map<number, number>();
    const keys: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const r = rnd();
      if (r < 0.45 || keys.length === 0) {
        // Keys as LVS makes them (ISN × 65536 + port), some of them one apart (same ISN, next port).
        const k = rnd() < 0.3 && keys.length ? keys[keys.length - 1] + 1 : Math.floor(rnd() * 2 ** 32) * 65536 + Math.floor(rnd() * 65536);
        table.set(k, i); map.set(k, i); keys.push(k);
      } else if (r < 0.9) {
        const k = keys.splice(Math.floor(rnd() * keys.length), 1)[0];
        expect(table.delete(k)).toBe(map.delete(k));
      } else {
        const k = keys[Math.floor(rnd() * keys.length)];
        expect(table.get(k)).toBe(map.get(k));
      }
      expect(table.size).toBe(map.size);
    }
    for (const [k, v] of map) expect(table.get(k)).toBe(v);
    expect(table.keysWhere(() => true).sort((a, b) => a - b)).toEqual([...map.keys()].sort((a, b) => a - b));
    expect(table.get(12345)).toBe(map.get(12345));
  });
});
