// The episodes worked out once from the final event list (src/analyse/episodes.ts): master tenures per
// VRID and family, how each ended, and host roles; kinds and reasons added later are passed over.

import { describe, expect, it } from 'vitest';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { buildEpisodes, episodesOf, tenureEnd, tenuresOf } from '../../src/analyse/episodes.js';

const T0 = 1795550000;
type E = Record<string, unknown> & { kind: string; time: number };
const master = (time: number, router: string, reason: string, previous: string | null, gapMs: number | null, extra: Partial<E> = {}): E =>
  ({ kind: 'vrrp.master', time, vrid: 51, family: 4, version: 2, router, mac: null, priority: 100, reason, previous, prevPriority: null, resumed: null, gapMs, expectedMs: null, intervalMs: 1000, skewMs: 609, late: false, addresses: ['10.0.0.100'], ...extra });
function events(list: E[]): AnalysisEvent[] {
  return list.map((e, i) => ({ id: `e${i + 1}`, frames: [i + 1], severity: 'info', ...e, time: T0 + e.time }) as unknown as AnalysisEvent);
}
const rel = (t: number) => Math.round((t - T0) * 1000) / 1000;
const tenures = (ev: AnalysisEvent[], vrid = 51) => tenuresOf(buildEpisodes(ev), vrid).map((t) => [t.router, t.family, rel(t.start), t.end === null ? null : rel(t.end), t.ended, t.event.id]);

describe('master tenures', () => {
  it('a silent master ends at its last advert (the takeover gapMs), a preempted one when the new master is heard, a resigning one at priority 0', () => {
    const ev = events([
      master(0, '10.0.0.11', 'initial', null, null),
      { kind: 'vrrp.silent', time: 6, vrid: 51, family: 4, router: '10.0.0.11', lastAdvertFrame: 3, takenOverBy: '10.0.0.12', takeoverGapMs: 3600 },
      master(6.6, '10.0.0.12', 'master-down', '10.0.0.11', 3600),
      master(20, '10.0.0.11', 'preemption', '10.0.0.12', 900),
      { kind: 'vrrp.resign', time: 30, vrid: 51, family: 4, version: 2, router: '10.0.0.11', skewMs: 609 },
      master(30.6, '10.0.0.12', 'resignation', '10.0.0.11', 600),
    ]);
    expect(tenures(ev)).toEqual([
      ['10.0.0.11', 4, 0, 3, 'silent', 'e1'],
      ['10.0.0.12', 4, 6.6, 20, 'next', 'e3'],
      ['10.0.0.11', 4, 20, 30, 'resign', 'e4'],
      ['10.0.0.12', 4, 30.6, null, 'capture-end', 'e6'],
    ]);
    const last = tenuresOf(buildEpisodes(ev), 51)[3];
    expect(rel(tenureEnd(last, T0 + 40))).toBe(40);
  });

  it('two masters at once (a contender beside the master): both open, one ends without closing the other', () => {
    const ev = events([
      master(0, '10.0.0.11', 'initial', null, null),
      master(5, '10.0.0.12', 'initial', null, null),
      { kind: 'vrrp.resign', time: 10, vrid: 51, family: 4, version: 2, router: '10.0.0.11', skewMs: 609 },
    ]);
    expect(tenures(ev)).toEqual([
      ['10.0.0.11', 4, 0, 10, 'resign', 'e1'],
      ['10.0.0.12', 4, 5, null, 'capture-end', 'e2'],
    ]);
  });

  it('one VRID in both families: one tenure each; other VRIDs apart', () => {
    const ev = events([
      master(0, '10.0.0.11', 'initial', null, null),
      master(1, 'fe80::11', 'initial', null, null, { family: 6, version: 3 }),
      master(2, '10.0.0.21', 'initial', null, null, { vrid: 52 }),
    ]);
    expect(tenures(ev)).toEqual([['10.0.0.11', 4, 0, null, 'capture-end', 'e1'], ['fe80::11', 6, 1, null, 'capture-end', 'e2']]);
    expect(tenures(ev, 52)).toEqual([['10.0.0.21', 4, 2, null, 'capture-end', 'e3']]);
  });

  it('a reason added later ends the previous tenure like any takeover; `unknown` does not; a kind added later is passed over', () => {
    const ev = events([
      master(0, '10.0.0.11', 'initial', null, null),
      { kind: 'vrrp.priority', time: 1, vrid: 51, family: 4, router: '10.0.0.11', from: 100, to: 90 },
      master(4, '10.0.0.12', 'some-new-reason', '10.0.0.11', 1000),
      master(8, '10.0.0.13', 'unknown', '10.0.0.12', null),
    ]);
    expect(tenures(ev)).toEqual([
      ['10.0.0.11', 4, 0, 3, 'next', 'e1'],
      ['10.0.0.12', 4, 4, null, 'capture-end', 'e3'],
      ['10.0.0.13', 4, 8, null, 'capture-end', 'e4'],
    ]);
  });
});

describe('host roles', () => {
  it('from the typed events: routers and checkers are directors, targets real servers, VIPs from GARPs and services', () => {
    const hosts = buildEpisodes(events([
      master(0, '10.0.0.11', 'initial', null, null),
      { kind: 'arp.garp', time: 0.1, ip: '10.0.0.100', mac: '02:00:0a:00:00:0b', count: 5, related: 'e1', router: '10.0.0.11', vrid: 51, burst: 1, sincePreviousBurstMs: null, cause: 'takeover' },
      { kind: 'hc.probe', time: 1, checker: 'http', director: '10.1.0.11', target: '10.1.0.21:80', count: 3, intervalMs: 3000, up: 3, down: 0, details: '' },
      { kind: 'lvs.sorry', time: 2, vip: '10.0.0.100:80', sorryServer: '[fd00::99]:80', start: T0 + 2, end: null },
      { kind: 'future.kind', time: 3, router: '10.9.9.9' },
    ])).hosts;
    expect(hosts).toEqual([
      { ip: '10.0.0.11', macs: [], roles: ['director'] },
      { ip: '10.0.0.100', macs: ['02:00:0a:00:00:0b'], roles: ['vip'] },
      { ip: '10.1.0.11', macs: [], roles: ['director'] },
      { ip: '10.1.0.21', macs: [], roles: ['real-server'] },
      { ip: 'fd00::99', macs: [], roles: ['sorry-server'] },
    ]);
  });
});

describe('computed once', () => {
  it('the same list gives the same object (the pipeline and the checklist share it)', () => {
    const ev = events([master(0, '10.0.0.11', 'initial', null, null)]);
    expect(episodesOf(ev)).toBe(episodesOf(ev));
    expect(episodesOf(ev)).not.toBe(episodesOf([...ev]));
  });
});
