// NumberTable (LVS's pending SYNs): a Map's behaviour for exact numbers, through growth and the
// backward-shift deletes, checked against a Map on a long random mix of sets and deletes.

import { describe, expect, it } from 'vitest';
import { NumberTable } from '../../src/analyse/number-table.js';
import { prng } from '../support/mutate.js';

describe('NumberTable', () => {
  it('agrees with a Map through 200 000 random sets, gets and deletes (keys up to 2^48, clustered and not)', { timeout: 30_000 }, () => {
    const rnd = prng(48);
    const table = new NumberTable<number>(), map = new Map<number, number>();
    const keys: number[] = [];
    const disagreements: string[] = [];
    let disagreed = 0;
    const disagree = (what: string) => { if (disagreed++ < 5) disagreements.push(what); };
    for (let i = 0; i < 200_000; i++) {
      const r = rnd();
      if (r < 0.45 || keys.length === 0) {
        // Keys as LVS makes them (ISN × 65536 + port), some of them one apart (same ISN, next port).
        const k = rnd() < 0.3 && keys.length ? keys[keys.length - 1] + 1 : Math.floor(rnd() * 2 ** 32) * 65536 + Math.floor(rnd() * 65536);
        table.set(k, i); map.set(k, i); keys.push(k);
      } else if (r < 0.9) {
        const k = keys.splice(Math.floor(rnd() * keys.length), 1)[0];
        const [t, m] = [table.delete(k), map.delete(k)];
        if (t !== m) disagree(`step ${i}: delete(${k}) gave ${t}, Map ${m}`);
      } else {
        const k = keys[Math.floor(rnd() * keys.length)];
        const [t, m] = [table.get(k), map.get(k)];
        if (t !== m) disagree(`step ${i}: get(${k}) gave ${t}, Map ${m}`);
      }
      if (table.size !== map.size) disagree(`step ${i}: size ${table.size}, Map ${map.size}`);
    }
    // Counted, not asserted per step: 600 000 expect() calls took longer than the table itself.
    expect(disagreements, 'first disagreements with the Map').toEqual([]);
    expect(disagreed, 'steps where NumberTable and Map disagreed').toBe(0);
    const wrong = [...map].filter(([k, v]) => table.get(k) !== v);
    expect(wrong, 'keys whose value differs at the end').toEqual([]);
    expect(map.size, 'keys left to compare at the end').toBeGreaterThan(100);
    expect(table.keysWhere(() => true).sort((a, b) => a - b)).toEqual([...map.keys()].sort((a, b) => a - b));
    expect(table.get(12345)).toBe(map.get(12345));
  });
});
