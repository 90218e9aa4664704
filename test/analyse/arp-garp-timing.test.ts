// Which burst of a takeover is which: the takeover's, the one delayed burst (vrrp_garp_master_delay) or a
// refresh (vrrp_garp_master_refresh), with the refresh period and how the first refresh was timed. The
// sequences are keepalived's schedules from its source (keepalived-semantics.md §8.21): 2.2.7 arms the
// refresh at the takeover and sends it with the first advert after it expires; 2.3.2 and later start the
// first refresh at delay + refresh.

import { describe, expect, it } from 'vitest';
import { garpTiming } from '../../src/analyse/arp/analyser.js';

type Burst = { start: number; count: number };
/** Classifies bursts one after the other, as the analyser does when each closes. */
function classify(bursts: Burst[], advertS = 1) {
  const previous: (Burst & { cause: ReturnType<typeof garpTiming>['cause'] })[] = [];
  return bursts.map((b) => {
    const r = garpTiming(b, previous, advertS);
    previous.push({ ...b, cause: r.cause });
    return { cause: r.cause, ...r.fields };
  });
}

describe('gratuitous ARP bursts of one takeover', () => {
  it('refresh (2 s, 1 GARP) shorter than the delay (5 s, 5 GARPs), keepalived 2.2.7: refreshes come first', () => {
    const got = classify([{ start: 0, count: 5 }, { start: 2.02, count: 1 }, { start: 4.02, count: 1 }, { start: 5, count: 5 }, { start: 6.03, count: 1 }]);
    expect(got.map((g) => g.cause)).toEqual(['takeover', 'garp-refresh', 'garp-refresh', 'garp-delay', 'garp-refresh']);
    expect(got[1]).toMatchObject({ refreshIndex: 1, refreshPeriodMs: 2020, sinceFirstBurstMs: 2020 });
    expect(got[3]).toEqual({ cause: 'garp-delay', sinceFirstBurstMs: 5000 });
    // a refresh before the delayed burst: only keepalived < 2.3.2 does that
    expect(got[4]).toMatchObject({ refreshIndex: 3, refreshPeriodMs: 2010, firstRefresh: 'after-takeover' });
  });

  it('refresh (9 s) longer than the delay (6 s), keepalived 2.2.7: the first refresh counts from the takeover', () => {
    const got = classify([{ start: 0, count: 3 }, { start: 6, count: 3 }, { start: 9, count: 2 }, { start: 18, count: 2 }]);
    expect(got.map((g) => g.cause)).toEqual(['takeover', 'garp-delay', 'garp-refresh', 'garp-refresh']);
    // the first refresh alone cannot tell the versions apart: no period, the time since the delayed burst
    expect(got[2]).toEqual({ cause: 'garp-refresh', sinceFirstBurstMs: 9000, refreshIndex: 1, sinceDelayedBurstMs: 3000 });
    expect(got[3]).toMatchObject({ refreshPeriodMs: 9000, firstRefresh: 'after-takeover' });
  });

  it('keepalived >= 2.3.2 (delay 5 s, refresh 3 s): the first refresh at delay + refresh', () => {
    const got = classify([{ start: 0, count: 5 }, { start: 5, count: 5 }, { start: 8, count: 1 }, { start: 11, count: 1 }]);
    expect(got.map((g) => g.cause)).toEqual(['takeover', 'garp-delay', 'garp-refresh', 'garp-refresh']);
    expect(got[3]).toMatchObject({ refreshPeriodMs: 3000, firstRefresh: 'after-delayed-burst' });
  });

  it('no refresh configured: the takeover burst and the delayed one', () => {
    expect(classify([{ start: 0, count: 5 }, { start: 5, count: 5 }]).map((g) => g.cause)).toEqual(['takeover', 'garp-delay']);
  });
});
