// buildIncidents on a handful of hand-built events: what it groups, what it leaves alone. (Its timings
// against keepalived's own logs: incidents-logs.test.ts.)

import { describe, expect, it } from 'vitest';
import { buildIncidents } from '../../src/analyse/incidents.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';

const T = 1_800_000_000;
let n = 0;
const ev = (kind: string, time: number, fields: Record<string, unknown>, frames = [++n]): AnalysisEvent =>
  ({ id: `e${++n}`, kind, time: T + time, frames, severity: 'info', ...fields }) as unknown as AnalysisEvent;
const master = (time: number, vrid: number, router: string, previous: string | null, reason: string, extra: Record<string, unknown> = {}) =>
  ev('vrrp.master', time, { vrid, family: 4, version: 2, router, mac: null, priority: 100, reason, previous, prevPriority: 150, resumed: null, gapMs: 3609, expectedMs: 3609, intervalMs: 1000, skewMs: 609, late: false, addresses: [], ...extra }, [10 * vrid, 10 * vrid + 1]);

describe('buildIncidents', () => {
  it('one crash for two VRIDs taken over within one advert interval; a second crash later is another', () => {
    const a = master(10, 51, '10.0.0.12', '10.0.0.11', 'master-down');
    const b = master(10.03, 52, '10.1.0.12', '10.1.0.11', 'master-down');
    const c = master(40, 51, '10.0.0.11', '10.0.0.12', 'master-down');
    const garp = ev('arp.garp', 10.01, { ip: '10.0.0.100', mac: 'm', count: 5, related: a.id, router: '10.0.0.12', vrid: 51, burst: 1, sincePreviousBurstMs: null }, [100, 101, 102, 103, 104]);
    const later = ev('arp.garp', 15.01, { ip: '10.0.0.100', mac: 'm', count: 5, related: a.id, router: '10.0.0.12', vrid: 51, burst: 2, sincePreviousBurstMs: 5000 });
    const inc = buildIncidents([a, garp, b, later, c]);
    expect(inc.map((i) => [i.kind, i.vrids])).toEqual([['crash', [51, 52]], ['crash', [51]]]);
    expect(inc[0].steps.map((s) => s.step)).toEqual(['last-advert', 'last-advert', 'takeover', 'garp', 'takeover']); // by time
    expect(inc[0].steps[0]).toMatchObject({ time: T + 10 - 3.609, frames: [510], router: '10.0.0.11' });
    expect(inc[0].from).toEqual(['10.0.0.11', '10.1.0.11']);
    expect(inc[0].events).not.toContain(later.id); // the second burst is vrrp_garp_master_delay's, not the announcement
  });

  it('a takeover of another reason, an initial master and a router resuming after its own silence are not grouped', () => {
    const inc = buildIncidents([
      master(1, 51, '10.0.0.11', null, 'initial'),
      master(10, 51, '10.0.0.12', '10.0.0.11', 'resignation'),
      master(10.2, 52, '10.1.0.12', '10.1.0.11', 'master-down'),
      master(30, 51, '10.0.0.12', '10.0.0.12', 'master-down', { resumed: 'silence' }),
    ]);
    // (The crash starts at its last advert, 3.61 s before its takeover: before the stop's takeover.)
    expect(inc.map((i) => i.kind)).toEqual(['crash', 'stop']);
  });

  it('passes over kinds and takeover reasons it does not know', () => {
    const inc = buildIncidents([
      ev('vrrp.loss', 5, { vrid: 51, router: '10.0.0.11' }),
      master(10, 51, '10.0.0.12', '10.0.0.11', 'already-master'),
      ev('vrrp.priority', 12, { vrid: 51, router: '10.0.0.11', from: 150, to: 100 }),
    ]);
    expect(inc).toEqual([]);
  });

  it('a server found down by every director that checks it is back when the last one finds it up', () => {
    const hc = (time: number, director: string, state: string) => ev('hc.state', time, { target: '10.1.0.21:80', state, checker: 'tcp', director, reason: state === 'up' ? 'connected' : 'refused', othersUp: [], attempts: 1, spanMs: 0, delayBeforeRetryMs: null, connectTimeoutMs: null, delayLoopMs: null });
    const inc = buildIncidents([hc(5, 'd1', 'down'), hc(5.5, 'd2', 'down'), hc(9, 'd1', 'up'), hc(12, 'd2', 'up'), hc(20, 'd1', 'down')]);
    expect(inc.map((i) => [i.kind, i.closed, i.start - T, i.end - T])).toEqual([['real-server', true, 5, 12], ['real-server', false, 20, 20]]);
  });

  it('an outage explained by a split brain is told in it; an outage nothing explains is an incident of its own', () => {
    const sb = ev('vrrp.split-brain', 3, { vrid: 51, family: 4, routers: ['10.0.0.11', '10.0.0.12'], start: T + 3, end: T + 9, causes: [{ field: 'auth', values: {} }], causeLogs: [] });
    const o1 = ev('svc.outage', 4, { vip: '10.0.0.100:80', probe: 'tcp', start: T + 4, end: T + 6, ongoing: false, durationMs: 2000, failedConnections: 3, related: sb.id });
    const o2 = ev('svc.outage', 20, { vip: '10.0.0.100:80', probe: 'tcp', start: T + 20, end: T + 21, ongoing: false, durationMs: 1000, failedConnections: 1, related: null });
    const inc = buildIncidents([sb, o1, o2]);
    expect(inc.map((i) => [i.kind, i.steps.map((s) => s.step)])).toEqual([['split-brain', ['split-brain', 'outage']], ['outage', ['outage']]]);
    expect(inc[0].steps[0]).toMatchObject({ causes: ['auth'], end: T + 9 });
  });
});
