// Silences that are not failures (issue #14; keepalived-semantics.md §3, §5), each rule on a handful of
// literal frames: adverts lost on the way while the master stays master (vrrp.loss), a master found silent
// that shows it still holds the VIP after a backup took over (a dual master from lost adverts), a unicast
// master whose peer's MAC is unresolved (vrrp.peer-unresolved), adverts off their interval (vrrp.cadence).
// The same on real recordings: ground-truth.test.ts and keepalived-logs.test.ts (vrrp-lossy,
// vrrp-unicast-peer-down).

import { describe, expect, it } from 'vitest';
import { VrrpAnalyzer } from '../../src/analyse/vrrp/analyser.js';
import { ArpAnalyzer } from '../../src/analyse/arp/analyser.js';
import { advert, adverts, arp, byTime, macOf, rel, run, type Timed } from '../support/frames.js';

const d1 = '10.0.0.11', d2 = '10.0.0.12', vip = '10.0.0.100';
const analyzers = () => [new VrrpAnalyzer(), new ArpAnalyzer()];
const kinds = (events: { kind: string }[]) => events.filter((e) => e.kind.startsWith('vrrp.')).map((e) => e.kind);
/** Other traffic so that time passes in the capture while nobody advertises. */
const ticks = (from: number, to: number): Timed[] => {
  const out: Timed[] = [];
  for (let t = from; t < to; t += 0.5) out.push([t, arp({ senderIp: '10.0.0.50', targetIp: '10.0.0.1' })]);
  return out;
};
/** keepalived's GARP burst for the VIP from a router's MAC (vrrp_garp_master_repeat 5). */
const garps = (router: string, at: number): Timed[] => Array.from({ length: 5 }, (_, i) => [at + i * 1e-4, arp({ senderIp: vip, senderMac: macOf(router) })] as Timed);
/** d1's adverts every second from 0 to `to`, without those at the times given. */
const lossy = (to: number, lost: number[], o: { src?: string; priority?: number; dst?: string } = {}): Timed[] =>
  adverts({ src: o.src ?? d1, priority: o.priority ?? 150, dst: o.dst }, 0, to).filter(([t]) => !lost.some((x) => Math.abs(x - t) < 1e-6));

// The made-up captures start on d1's advert with no gratuitous ARP after it: its first tenure is reason already-master.
describe('vrrp.loss: adverts missing while the master stays master', () => {
  it('counts gaps on the master\'s own cadence as missing adverts, not as late ones', () => {
    // 1 missing at 5 s, 2 missing at 10-11 s; a late advert (1.6 s) is still a late advert
    const frames = [...lossy(20, [5, 10, 11]), [20.6, advert({ src: d1, priority: 150 })] as Timed];
    const { events, comments } = run(analyzers(), frames);
    expect(kinds(events).sort()).toEqual(['vrrp.jitter', 'vrrp.loss', 'vrrp.master']);
    const loss = events.find((e) => e.kind === 'vrrp.loss')!;
    expect(loss).toMatchObject({ router: d1, missing: 3, gaps: 2, intervalMs: 1000, severity: 'notice' });
    expect(loss.longestGapMs).toBeCloseTo(3000, 0);
    expect(rel(loss)).toBe(4);
    expect(loss.end - 1795550000).toBeCloseTo(12, 3);
    expect(events.find((e) => e.kind === 'vrrp.jitter')).toMatchObject({ lateAdverts: 1 });
    expect(comments.get(loss.frames[0])).toMatch(/missing before it .*: 1/);
  });

  it('a master whose adverts are missing for longer than Master_Down but whose GARPs go on is not silent', () => {
    // d1's adverts at 5-9 s are lost; its second GARP burst (vrrp_garp_master_delay) at 7 s is on the wire
    const frames = [...lossy(15, [5, 6, 7, 8, 9]), ...garps(d1, 7.002), ...ticks(5.1, 10)].sort(byTime);
    const { events } = run(analyzers(), frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.loss']);
    expect(events.find((e) => e.kind === 'vrrp.loss')).toMatchObject({ missing: 5, gaps: 1, severity: 'warning' });
    // without the GARPs, and back off its cadence (a restart: 0.4 s into an interval), a silence and a new vrrp.master
    const restart = [...adverts({ src: d1, priority: 150 }, 0, 5), ...ticks(5.1, 10), ...adverts({ src: d1, priority: 150 }, 10.4, 15)].sort(byTime);
    expect(kinds(run(analyzers(), restart).events)).toEqual(['vrrp.master', 'vrrp.silent', 'vrrp.master']);
  });

  it('a master back on its own cadence after a silence, nobody in between and no rejoin, lost its adverts', () => {
    // d1's adverts at 5-10 s lost: found silent at 8 s, back at 11 s, 7 intervals after its last advert
    const frames = [...lossy(16, [5, 6, 7, 8, 9, 10]), ...ticks(5.1, 11)].sort(byTime);
    const { events, comments } = run(analyzers(), frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.loss']);
    expect(events.find((e) => e.kind === 'vrrp.loss')).toMatchObject({ missing: 6, gaps: 1, severity: 'warning' });
    // its last advert before the gap is not called its last one
    expect(comments.get(5)).not.toMatch(/fell silent/);
    // a backup taking over in between makes it a failover and a preemption again
    const taken = [...frames, ...adverts({ src: d2, priority: 100 }, 7.61, 10)].sort(byTime);
    expect(run(analyzers(), taken).events.filter((e) => e.kind === 'vrrp.master').map((e) => e.reason)).toEqual(['already-master', 'master-down', 'preemption']);
  });

  it('a backup that missed the master\'s adverts is a dual master, not a failover: the master\'s GARPs answer it', () => {
    // d1's adverts at 5-9 s lost; d2 (100) takes over 3.61 s after d1's last advert (4 s); d1 answers its
    // lower-priority advert with GARPs (keepalived: "forcing new election"); d1's next advert reaches d2, which yields
    const frames = [...lossy(15, [5, 6, 7, 8, 9]), ...ticks(4.1, 7.6), [7.61, advert({ src: d2, priority: 100 })] as Timed, ...garps(d1, 7.611),
      [8.61, advert({ src: d2, priority: 100 })] as Timed].sort(byTime);
    const { events } = run(analyzers(), frames);
    const masters = events.filter((e) => e.kind === 'vrrp.master');
    expect(masters.map((e) => [e.router, e.reason])).toEqual([[d1, 'already-master'], [d2, 'unknown']]);
    const garpFrame = frames.findIndex(([t]) => t === 7.611) + 1;
    expect(masters[1]).toMatchObject({ previous: d1, previousAliveFrame: garpFrame });
    expect(masters[1].summary).toMatch(/still master: it answered .* gratuitous ARPs \(frame \d+\)/);
    // d1's silence is withdrawn; its missing adverts are counted
    expect(events.filter((e) => e.kind === 'vrrp.silent' && e.router === d1)).toEqual([]);
    expect(events.find((e) => e.kind === 'vrrp.loss' && e.router === d1)).toMatchObject({ missing: 5 });
    // and the same GARPs from a use_vmac virtual MAC name no router: d1 silent, d2 took over, d1 preempted back
    const vmac = '00:00:5e:00:01:33';
    const shared = frames.map(([t, b]): Timed => (t >= 7.611 && t < 7.612 ? [t, arp({ senderIp: vip, senderMac: vmac })] : [t, b]));
    expect(run(analyzers(), shared).events.filter((e) => e.kind === 'vrrp.master').map((e) => e.reason)).toEqual(['already-master', 'master-down', 'preemption']);
  });
});

describe('vrrp.peer-unresolved: a unicast master whose adverts wait for the peer\'s MAC', () => {
  // d1 advertises to d2 by unicast; from 6 s its adverts stay in the kernel's neighbour queue and the wire
  // shows "who-has 10.0.0.12 tell 10.0.0.11", 3 per resolution attempt 1 s apart, until d2 answers at 16.3 s
  const whoHas = [6, 7, 8, 10, 11, 12, 14, 15, 16].map((t): Timed => [t + 0.01, arp({ senderIp: d1, targetIp: d2 })]);
  const unicast = (withArp: boolean): Timed[] => [...lossy(6, [], { dst: d2 }), ...(withArp ? whoHas : ticks(6, 16.3)),
    [16.3, advert({ src: d1, priority: 150, dst: d2 })] as Timed, ...adverts({ src: d1, priority: 150, dst: d2 }, 17, 20)].sort(byTime);

  it('is told as one fact with its ARP requests, and the return is not a new election', () => {
    const frames = unicast(true);
    const { events, comments } = run(analyzers(), frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.peer-unresolved']);
    const e = events.find((x) => x.kind === 'vrrp.peer-unresolved')!;
    const resume = frames.findIndex(([t]) => t === 16.3) + 1;
    expect(e).toMatchObject({ router: d1, peer: d2, arpRequests: 9, broadcast: 9, resumeFrame: resume, lastAdvertFrame: 6 });
    expect(e.end - 1795550000).toBeCloseTo(16.3, 3);
    expect(rel(e)).toBe(5);
    expect(e.summary).toMatch(/stays master.*who has 10\.0\.0\.12\?.*9 ARP requests.*back 11\.30\ss after/);
    expect(comments.get(resume)).toMatch(/not a new election/);
    // (the first master here sends no GARP at all; its return would have been a second missing one)
    expect(events.filter((x) => x.kind === 'arp.missing-garp' && rel(x) > 0)).toEqual([]);
  });

  it('is a silence and a restart without the ARP requests', () => {
    expect(kinds(run(analyzers(), unicast(false)).events)).toEqual(['vrrp.master', 'vrrp.silent', 'vrrp.master']);
  });

  it('ends open when the capture ends before the peer answers', () => {
    const frames = unicast(true).filter(([t]) => t < 16.2);
    const e = run(analyzers(), frames).events.find((x) => x.kind === 'vrrp.peer-unresolved')!;
    expect(e).toMatchObject({ end: null, resumeFrame: null, arpRequests: 9 });
    expect(e.summary).toMatch(/Still so at the end of the capture/);
  });
});

describe('vrrp.cadence: adverts much faster or slower than their interval', () => {
  it('tells a sub-second sender once', () => {
    const frames = adverts({ src: d1, priority: 150, intervalS: 1 }, 0, 20, 0.25);
    const { events } = run(analyzers(), frames, 'fr');
    const c = events.filter((e) => e.kind === 'vrrp.cadence');
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ router: d1, intervalMs: 1000, observedMs: 250, samples: 16 });
    expect(c[0].summary).toMatch(/bien plus vite que l’intervalle qu’elles portent/);
  });

  it('tells a slow sender once, and its gaps are neither lost adverts nor a loaded host\'s lateness', () => {
    const frames = adverts({ src: d1, priority: 150, intervalS: 1 }, 0, 40, 2);
    const { events } = run(analyzers(), frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.cadence']);
    expect(events.find((e) => e.kind === 'vrrp.cadence')).toMatchObject({ observedMs: 2000 });
  });

  it('says nothing of a master on its interval', () => {
    expect(kinds(run(analyzers(), adverts({ src: d1, priority: 150 }, 0, 30)).events)).toEqual(['vrrp.master']);
  });
});
