// Each VRRP/ARP rule alone, on a handful of literal frames.

import { describe, expect, it } from 'vitest';
import { VrrpAnalyzer } from '../../src/analyse/vrrp/analyser.js';
import { ArpAnalyzer } from '../../src/analyse/arp/analyser.js';
import { advert, adverts, arp, byTime, macOf, rel, run, type Timed } from '../support/frames.js';

const d1 = '10.0.0.11', d2 = '10.0.0.12';
const analyzers = () => [new VrrpAnalyzer(), new ArpAnalyzer()];
const kinds = (events: { kind: string }[]) => events.map((e) => e.kind);
/** Other traffic so that time passes in the capture while nobody advertises. */
const ticks = (from: number, to: number): Timed[] => {
  const out: Timed[] = [];
  for (let t = from; t < to; t += 0.5) out.push([t, arp({ senderIp: '10.0.0.50', targetIp: '10.0.0.1' })]);
  return out;
};
/** n gratuitous ARPs for `ip` from a router's MAC, 0.1 ms apart (a keepalived burst). */
const garps = (ip: string, routerIp: string, at: number, n = 5): Timed[] =>
  Array.from({ length: n }, (_, i) => [at + i * 0.0001, arp({ senderIp: ip, senderMac: macOf(routerIp) })] as Timed);

describe('vrrp.master reasons and gaps', () => {
  it('master-down: d1 falls silent, d2 takes over after Master_Down_Interval', () => {
    const frames = [...adverts({ src: d1, priority: 150 }, 0, 5), ...ticks(4.1, 8), ...adverts({ src: d2, priority: 100 }, 7.61, 12)].sort(byTime);
    const { events } = run([new VrrpAnalyzer()], frames);
    const masters = events.filter((e) => e.kind === 'vrrp.master');
    // d1 advertises from the capture's first frame, without GARPs: already master when it started.
    expect(masters.map((e) => [e.router, e.reason])).toEqual([[d1, 'already-master'], [d2, 'master-down']]);
    expect(masters[1].gapMs).toBeCloseTo(3610, 0);
    expect(masters[1].expectedMs).toBe(3609.375);
    expect(masters[1].late).toBe(false);
    const silent = events.find((e) => e.kind === 'vrrp.silent')!;
    expect(silent).toMatchObject({ router: d1, takenOverBy: d2 });
  });

  it('the first master: already master at the capture\'s start, or elected inside it', () => {
    const first = (frames: Timed[]) => run(analyzers(), frames.sort(byTime)).events.find((e) => e.kind === 'vrrp.master')!;
    // Its first advert within 1.5 intervals of the first frame, no GARP after it: elected before the capture.
    expect(first([...ticks(0, 1), ...adverts({ src: d1, priority: 150 }, 1.2, 5)]).reason).toBe('already-master');
    // Its GARPs right after that advert: it has just become master (an address owner starts as master at once).
    expect(first([...ticks(0, 1), ...adverts({ src: d1, priority: 150 }, 1.2, 5), ...garps('10.0.0.100', d1, 1.2005)]).reason).toBe('initial');
    // First heard 2 intervals into the capture: keepalived's Master_Down_Interval as a backup, then an election.
    expect(first([...ticks(0, 2), ...adverts({ src: d1, priority: 150 }, 2, 5)]).reason).toBe('initial');
  });

  it('a preempted master that advertises again after a gap has taken over again (advert_int 3)', () => {
    // d1 preempts d2 at 10 s; d2 goes BACKUP at once; d1 resigns at 14 s, d2 takes over Skew_Time later,
    // inside what would have been d2's Master_Down_Interval had it still been counted as master.
    const frames: Timed[] = [
      ...adverts({ src: d2, priority: 100, intervalS: 3 }, 0, 10), ...adverts({ src: d1, priority: 150, intervalS: 3 }, 10, 14),
      [14, advert({ src: d1, priority: 0, intervalS: 3 })], ...adverts({ src: d2, priority: 100, intervalS: 3 }, 14.61, 20),
    ].sort(byTime);
    const masters = run([new VrrpAnalyzer()], frames).events.filter((e) => e.kind === 'vrrp.master');
    expect(masters.map((e) => [e.router, e.reason])).toEqual([[d2, 'already-master'], [d1, 'preemption'], [d2, 'resignation']]);
  });

  it('flags a takeover slower than theory by more than one interval', () => {
    const frames = [...adverts({ src: d1, priority: 150 }, 0, 5), ...ticks(4.1, 10), ...adverts({ src: d2, priority: 100 }, 9.5, 12)].sort(byTime);
    const m = run([new VrrpAnalyzer()], frames).events.find((e) => e.kind === 'vrrp.master' && e.router === d2)!;
    expect(m).toMatchObject({ reason: 'master-down', late: true, severity: 'warning' });
  });

  it('resignation: priority 0, then the backup after Skew_Time', () => {
    const frames: Timed[] = [...adverts({ src: d1, priority: 150 }, 0, 3), [3, advert({ src: d1, priority: 0 })], ...adverts({ src: d2, priority: 100 }, 3.61, 6)];
    const { events } = run([new VrrpAnalyzer()], frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.resign', 'vrrp.master']);
    expect(events[2]).toMatchObject({ reason: 'resignation', previous: d1, expectedMs: 609.375 });
    expect(events[2].gapMs).toBeCloseTo(610, 0);
  });

  it('FAULT: two priority-0 adverts ms apart are one resignation', () => {
    const frames: Timed[] = [...adverts({ src: d1, priority: 150 }, 0, 3), [3, advert({ src: d1, priority: 0 })], [3.002, advert({ src: d1, priority: 0 })], ...adverts({ src: d2, priority: 100 }, 3.61, 6)];
    const { events } = run([new VrrpAnalyzer()], frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.resign', 'vrrp.master']);
    expect(events[1].frames).toEqual([4, 5]);
  });

  it('preemption: a higher priority takes over while the master still advertises; no split brain', () => {
    const frames = [...adverts({ src: d2, priority: 100 }, 0, 10.2), ...adverts({ src: d1, priority: 150 }, 10.1, 20)].sort(byTime);
    const { events, comments } = run([new VrrpAnalyzer()], frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.master']);
    expect(events[1]).toMatchObject({ router: d1, reason: 'preemption', previous: d2 });
    const lastOfD2 = frames.findIndex((f) => f[0] === 10) + 1;
    expect(comments.get(lastOfD2)).toMatch(/steps down/);
  });
});

describe('preemption waits for the timer (keepalived vrrp_state_backup)', () => {
  // d1 (150) master, then silent from 5 s; d2 (100) takes over; d1 comes back (an ARP at 15 s is its first frame).
  const back = (takeover: number): Timed[] => [
    ...adverts({ src: d1, priority: 150 }, 0, 5), ...adverts({ src: d2, priority: 100 }, 7.61, takeover + 2),
    [15, arp({ senderIp: d1, senderMac: macOf(d1), targetIp: '10.0.0.50' })], ...adverts({ src: d1, priority: 150 }, takeover, takeover + 5),
  ].sort(byTime);

  it('a returning higher priority takes over its Master_Down_Interval after it came back, not as soon as it is heard', () => {
    const { events } = run([new VrrpAnalyzer()], back(18.45));
    const m = events.filter((e) => e.kind === 'vrrp.master')[2];
    expect(m).toMatchObject({ router: d1, reason: 'preemption', expectedMs: 3414.063, late: false, waitFrom: 'first-frame' });
    expect(m.waitMs).toBeCloseTo(3450, 0);
    expect(m.summary).toMatch(/took over 3\.45.s later\. That is the timer\./);
    expect(m.summary).not.toMatch(/as soon as/);
  });

  it('an excess of about N s over the timer is a preempt_delay of N s', () => {
    const m = run([new VrrpAnalyzer()], back(23.4)).events.filter((e) => e.kind === 'vrrp.master')[2];
    expect(m.waitMs).toBeCloseTo(8400, 0);
    expect(m.summary).toMatch(/a preempt_delay of about 5 s/);
  });

  it('a master whose advertised priority falls below a backup\'s: the wait runs from its last advert at the old priority', () => {
    const frames = [...adverts({ src: d1, priority: 150 }, 0, 5), ...adverts({ src: d1, priority: 90 }, 5, 9), ...adverts({ src: d2, priority: 100 }, 8.61, 12)].sort(byTime);
    const { events } = run([new VrrpAnalyzer()], frames);
    const m = events.filter((e) => e.kind === 'vrrp.master')[1];
    expect(m).toMatchObject({ router: d2, reason: 'preemption', waitFrom: 'priority-drop', waitFromFrame: 5, expectedMs: 3609.375 });
    expect(m.waitMs).toBeCloseTo(4610, 0);
  });

  it('an equal priority beside a live master is no preemption: a keepalived backup never preempts it', () => {
    const frames = [...adverts({ src: d1, priority: 100 }, 0, 10.2), ...adverts({ src: d2, priority: 100 }, 10.1, 20)].sort(byTime);
    const { events, comments } = run([new VrrpAnalyzer()], frames);
    const m = events.filter((e) => e.kind === 'vrrp.master')[1];
    expect(m).toMatchObject({ router: d2, reason: 'unknown', previous: d1 });
    expect(m.summary).toMatch(/never preempts an equal priority/);
    expect(comments.get(frames.findIndex((f) => f[0] === 10) + 1)).toMatch(/steps down/);
  });
});

describe('split brain and its cause', () => {
  it('both advertise for more than 3 intervals with compatible adverts: unreachable peers', () => {
    const frames = [...adverts({ src: d1, priority: 150 }, 0, 20), ...adverts({ src: d2, priority: 100 }, 5.3, 15.3)].sort(byTime);
    const { events } = run(analyzers(), frames);
    const sb = events.find((e) => e.kind === 'vrrp.split-brain')!;
    expect(sb).toMatchObject({ routers: [d1, d2] });
    expect(Number(sb.start) - 1795550000).toBeCloseTo(5.3, 3);
    expect(Number(sb.end) - 1795550000).toBeCloseTo(14.3, 3);
    expect(sb.summary).toMatch(/IP protocol 112/);
    expect(events.find((e) => e.kind === 'vrrp.master' && e.router === d2)!.reason).toBe('unknown');
  });

  it('different passwords: the cause and keepalived\'s log line are named', () => {
    const frames = [...adverts({ src: d1, priority: 150, auth: 'secret1' }, 0, 12), ...adverts({ src: d2, priority: 100, auth: 'secret2' }, 0.5, 12.5)].sort(byTime);
    const { events } = run([new VrrpAnalyzer()], frames);
    const sb = events.find((e) => e.kind === 'vrrp.split-brain')!;
    expect(sb.causes).toEqual([{ field: 'auth', values: { [d1]: 'PASS "secret1"', [d2]: 'PASS "secret2"' } }]);
    expect(sb.summary).toMatch(/received an invalid passwd!/);
    expect(events.filter((e) => e.kind === 'vrrp.mismatch')).toHaveLength(1);
  });

  it('two clusters with one VRID and disjoint VIPs: a collision, not a split brain', () => {
    const frames = [...adverts({ src: d1, vips: ['10.0.0.100'] }, 0, 10), ...adverts({ src: '10.0.0.21', vips: ['10.0.0.200'] }, 0.3, 10.3)].sort(byTime);
    const { events } = run([new VrrpAnalyzer()], frames);
    expect(kinds(events).filter((k) => k !== 'vrrp.master')).toEqual(['vrrp.collision']);
  });

  // Cluster A: d1 (150) for .100; cluster B: d3 (120) / d4 (90) for .200, on the same VRID.
  const d3 = '10.0.0.13', d4 = '10.0.0.14';
  const A = { vips: ['10.0.0.100'] }, B = { vips: ['10.0.0.200'] };

  it('two clusters on one VRID: each has its own first master and takeovers, one collision per pair of clusters', () => {
    const frames = [
      ...ticks(0, 3), ...adverts({ src: d1, priority: 150, ...A }, 3, 30), ...adverts({ src: d3, priority: 120, ...B }, 8, 14),
      ...adverts({ src: d4, priority: 90, ...B }, 17.65, 30),
    ].sort(byTime);
    const { events } = run([new VrrpAnalyzer()], frames);
    const masters = events.filter((e) => e.kind === 'vrrp.master');
    // d3 is cluster B's initial election, not a router beside d1 (150); d4 takes over from d3, not from d1.
    expect(masters.map((e) => [e.router, e.reason, e.previous])).toEqual([[d1, 'initial', null], [d3, 'initial', null], [d4, 'master-down', d3]]);
    expect(events.filter((e) => e.kind === 'vrrp.collision')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'vrrp.split-brain')).toHaveLength(0);
  });

  it('a master silenced by the other cluster\'s adverts answers its backup at once: still master', () => {
    // d3 quiet 13..16.65 (keepalived: its advert timer re-armed by d1's adverts); d4 times out, d3 answers in 3 ms.
    const frames = [
      ...ticks(0, 3), ...adverts({ src: d1, priority: 150, ...A }, 3.5, 30), ...adverts({ src: d3, priority: 120, ...B }, 8, 14),
      [17.65, advert({ src: d4, priority: 90, ...B })] as Timed, ...adverts({ src: d3, priority: 120, ...B }, 17.653, 30),
    ].sort(byTime);
    const { events } = run([new VrrpAnalyzer()], frames);
    const masters = events.filter((e) => e.kind === 'vrrp.master');
    expect(masters.map((e) => [e.router, e.reason, e.previous])).toEqual([[d1, 'initial', null], [d3, 'initial', null], [d4, 'unknown', d3]]);
    expect(events.find((e) => e.kind === 'vrrp.silent' && e.router === d3)).toMatchObject({ takenOverBy: d4, rearmedBy: d1, severity: 'notice' });
  });

  it('a router that changes its own VIP set (a reload) stays in its cluster: no collision, no new master', () => {
    const frames = [
      ...ticks(0, 3), ...adverts({ src: d1, priority: 150, ...A }, 3, 10), ...adverts({ src: d1, priority: 150, vips: ['10.0.0.101'] }, 10, 20),
      ...adverts({ src: d2, priority: 100, vips: ['10.0.0.101'] }, 20.1, 22),
    ].sort(byTime);
    const { events } = run([new VrrpAnalyzer()], frames);
    expect(kinds(events)).not.toContain('vrrp.collision');
    expect(events.filter((e) => e.kind === 'vrrp.master').map((e) => e.router)).toEqual([d1, d2]);
  });
});

describe('adverts receivers drop, and late adverts', () => {
  it('TTL not 255 on a multicast advert: vrrp.invalid with keepalived\'s wording, once per router', () => {
    const frames = adverts({ src: d1, ttl: 64 }, 0, 5);
    const { events } = run([new VrrpAnalyzer()], frames);
    const inv = events.filter((e) => e.kind === 'vrrp.invalid');
    expect(inv).toHaveLength(1);
    expect(inv[0]).toMatchObject({ router: d1, count: 5, keepalivedLog: '(VI_x) invalid TTL/HL. Received 64 and expect 255' });
  });

  it('the TTL check does not apply to unicast adverts', () => {
    const { events } = run([new VrrpAnalyzer()], adverts({ src: d1, ttl: 64, dst: d2 }, 0, 3));
    expect(kinds(events)).toEqual(['vrrp.master']);
  });

  it('VRRPv3 over IPv4: the checksum variant is named, adverts are valid', () => {
    const { events } = run([new VrrpAnalyzer()], adverts({ src: d1, version: 3 }, 0, 3));
    expect(kinds(events)).toEqual(['vrrp.master']);
    expect(events[0].version).toBe(3);
  });

  it('a 2.6 s gap at a 1 s interval is a near miss, not a takeover', () => {
    const frames = [...adverts({ src: d1 }, 0, 5), ...adverts({ src: d1 }, 7.6, 10)];
    const { events } = run([new VrrpAnalyzer()], frames);
    expect(kinds(events)).toEqual(['vrrp.master', 'vrrp.jitter']);
    expect(events[1]).toMatchObject({ lateAdverts: 1, severity: 'warning' });
    expect(events[1].maxGapMs).toBeCloseTo(3600, -1);
  });

  it('a master that stops with nobody to take over is silent', () => {
    const { events } = run([new VrrpAnalyzer()], [...adverts({ src: d1 }, 0, 3), ...ticks(3, 10)]);
    expect(events.find((e) => e.kind === 'vrrp.silent')).toMatchObject({ router: d1, takenOverBy: null });
  });
});

describe('gratuitous ARP', () => {

  it('bursts are tied to the takeover, and keepalived\'s repeat/delay read from the pattern', () => {
    const frames = [...adverts({ src: d1, priority: 150 }, 0, 12), ...garps('10.0.0.100', d1, 0.0005), ...garps('10.0.0.100', d1, 5.0005)].sort(byTime);
    const { events, comments } = run(analyzers(), frames);
    const g = events.filter((e) => e.kind === 'arp.garp');
    const master = events.find((e) => e.kind === 'vrrp.master')!;
    expect(g.map((e) => [e.count, e.burst, e.related])).toEqual([[5, 1, master.id], [5, 2, master.id]]);
    expect(g[0].summary).toMatch(/vrrp_garp_master_repeat 5/);
    expect(g[1].summary).toMatch(/vrrp_garp_master_delay 5/);
    expect(comments.get(g[0].frames[2])).toMatch(/^3rd gratuitous ARP of the burst announcing 10\.0\.0\.100 after 10\.0\.0\.11 took over/);
  });

  it('a takeover with no GARP is flagged when the capture shows ARP', () => {
    // The capture runs 4 s before the first advert: an election inside it, whose GARPs are missing.
    const frames = [...ticks(0, 4), ...adverts({ src: d1 }, 4, 10)].sort(byTime);
    expect(kinds(run(analyzers(), frames).events)).toContain('arp.missing-garp');
    // A master already in place at the start announced its VIPs before the capture: none is missing.
    const already = [...adverts({ src: d1 }, 0, 6), ...ticks(0.2, 6)].sort(byTime);
    expect(kinds(run(analyzers(), already).events)).not.toContain('arp.missing-garp');
  });

  it('a VIP changing MAC at a takeover is no conflict; an address changing MAC with no takeover is', () => {
    const takeover = [...adverts({ src: d1, priority: 150 }, 0, 3), ...garps('10.0.0.100', d1, 0), ...ticks(3, 8), ...adverts({ src: d2 }, 6.7, 10), ...garps('10.0.0.100', d2, 6.7)].sort(byTime);
    expect(kinds(run(analyzers(), takeover).events)).not.toContain('arp.conflict');
    const spoof: Timed[] = [[0, arp({ senderIp: '10.0.0.1', op: 2, dstMac: macOf('10.0.0.50'), targetIp: '10.0.0.50', targetMac: macOf('10.0.0.50') })], [1, arp({ senderIp: '10.0.0.1', senderMac: '02:66:66:66:66:66', op: 2, dstMac: macOf('10.0.0.50'), targetIp: '10.0.0.50', targetMac: macOf('10.0.0.50') })]];
    const c = run(analyzers(), spoof).events.filter((e) => e.kind === 'arp.conflict');
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ ip: '10.0.0.1', macs: [macOf('10.0.0.1'), '02:66:66:66:66:66'] });
  });

  it('speaks French', () => {
    const frames = [...adverts({ src: d1, priority: 150 }, 0, 3), ...garps('10.0.0.100', d1, 0.0005)].sort(byTime);
    const { events } = run(analyzers(), frames, 'fr');
    expect(events[0].summary).toMatch(/^10\.0\.0\.11 devient maître du VRID 51/);
    expect(events[1].summary).toMatch(/ARP requêtes|requêtes ARP gratuites/);
  });
});
