// The scheduler named from the order in which a virtual service's connections reached its real servers.

import { describe, expect, it } from 'vitest';
import { scheduling } from '../../src/analyse/lvs/scheduling.js';

const repeat = (cycle: string[], times: number) => Array.from({ length: times }, () => cycle).flat();

describe('LVS scheduler from the order of choices', () => {
  it('round robin, also when a server leaves the pool and comes back', () => {
    expect(scheduling(repeat(['a', 'b', 'c', 'd'], 10))).toEqual({ scheduler: 'rr', cycle: 4 });
    const withOutage = [...repeat(['a', 'b', 'c', 'd'], 4), ...repeat(['a', 'b', 'c'], 4), ...repeat(['a', 'b', 'c', 'd'], 6), ...repeat(['b', 'c', 'd'], 3), ...repeat(['a', 'b', 'c', 'd'], 4)];
    expect(scheduling(withOutage).scheduler).toBe('rr');
    // Two servers, one out for a while: every connection to the other meanwhile.
    expect(scheduling([...repeat(['a', 'b'], 10), ...repeat(['b'], 12), ...repeat(['a', 'b'], 10)]).scheduler).toBe('rr');
  });

  it('weighted round robin: the cycle IPVS wrr makes from the weights', () => {
    // weights 2:1 → A A B; weights 1:1:2 → C A B C.
    expect(scheduling(repeat(['a', 'a', 'b'], 12))).toEqual({ scheduler: 'wrr', cycle: 3 });
    expect(scheduling(repeat(['c', 'a', 'b', 'c'], 10))).toEqual({ scheduler: 'wrr', cycle: 4 });
    // The heavier server out of the pool for a while does not make it look even.
    expect(scheduling([...repeat(['a', 'a', 'b'], 8), ...repeat(['b'], 20), ...repeat(['a', 'a', 'b'], 8)]).scheduler).toBe('wrr');
  });

  it('uneven shares without a cycle are weighted; even shares without turns are spread; one server is single', () => {
    expect(scheduling(['a', 'a', 'b', 'a', 'a', 'a', 'b', 'a', 'b', 'a', 'a', 'a', 'a', 'b', 'a']).scheduler).toBe('wrr');
    expect(scheduling(['a', 'a', 'b', 'b', 'b', 'a', 'b', 'a', 'a', 'b', 'a', 'b', 'b', 'a', 'a', 'b']).scheduler).toBe('spread');
    expect(scheduling(repeat(['a'], 9)).scheduler).toBe('single');
  });
});
