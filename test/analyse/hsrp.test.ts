// The HSRP analyser against a careful reading of the public HSRP captures. Each capture's story below
// (who is Active and Standby, from which frame, why) was read by hand from tcpdump's own oracle files
// (tests/hsrp_*-v.out, next to the captures) and `tshark -V -Y 'hsrp || hsrp2'`; the test first checks
// every frame it names against that oracle (state, sender, opcode, priority), so the story is the wire's,
// then the analysis against the story. The tcpdump captures are in test/fixtures; the networklessons
// HSRPv2 ones have no licence: they are the extended suite (../shared/captures), checked with tshark.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, type Analysis } from '../../src/pipeline.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { ofKind } from '../../src/analyse/events.js';
import { buildIncidents } from '../../src/analyse/incidents.js';
import { hsrpVirtualMac, parseVirtualMac } from '../../src/analyse/hsrp/analyser.js';
import { Say } from '../../src/present/say/index.js';
import { HAVE_EXTENDED, SHARED, fixture } from '../support/captures.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { arp, run, udp, type Timed } from '../support/frames.js';
import { HsrpAnalyzer } from '../../src/analyse/hsrp/analyser.js';

/** One HSRP message as an oracle prints it. */
interface Msg { n: number; time: number; src: string; op: string; state: string; priority: number | null }

/** tcpdump -v's HSRP lines (tests/hsrp_*-v.out): frame number, time, sender, opcode, state, priority. */
function tcpdumpOracle(out: string): Map<number, Msg> {
  const lines = readFileSync(out, 'utf8').split('\n');
  const m = new Map<number, Msg>();
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = /^\s*(\d+)\s+\d{4}-\d\d-\d\d (\d\d):(\d\d):([\d.]+) IP /.exec(lines[i]);
    const body = head && /^\s+([\d.]+)\.1985 > [\d.]+\.1985: HSRPv0-(\w+)(?: \(\d+\))? \d+: state=(\w+)(?:.*priority=(\d+))?/.exec(lines[i + 1]);
    if (!head || !body) continue;
    m.set(Number(head[1]), {
      n: Number(head[1]), time: Number(head[2]) * 3600 + Number(head[3]) * 60 + Number(head[4]),
      src: body[1], op: body[2], state: body[3], priority: body[4] ? Number(body[4]) : null,
    });
  }
  return m;
}

const V2_STATES = ['disabled', 'init', 'learn', 'listen', 'speak', 'standby', 'active'];
const V2_OPS = ['hello', 'coup', 'resign'];

/** tshark's reading of HSRPv2 Group State TLVs (frames with an Interface State TLV only: op `interface`). */
function tsharkV2(file: string): Map<number, Msg & { activeGroups: number | null }> {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'ip.src',
    '-e', 'hsrp2.opcode', '-e', 'hsrp2.state', '-e', 'hsrp2.priority', '-e', 'hsrp2.active_groups', '-Y', 'hsrp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = new Map<number, Msg & { activeGroups: number | null }>();
  for (const line of out.trim().split('\n')) {
    const [n, t, src, op, state, prio, act] = line.split('\t');
    m.set(Number(n), {
      n: Number(n), time: Number(t), src, op: op === '' ? 'interface' : V2_OPS[Number(op)], state: state === '' ? '' : V2_STATES[Number(state)],
      priority: prio === '' ? null : Number(prio), activeGroups: act === '' ? null : Number(act),
    });
  }
  return m;
}

const analyse = (file: string): Analysis => analyzeFiles([file], { analyzers: defaultAnalyzers(), lang: 'en' });

describe('HSRP (RFC 2281 version 0): tcpdump\'s captures against their -v oracle', () => {
  const tcpdump = (name: string) => fixture(`public/tcpdump/${name}`);

  it('HSRP_coup: .30 Active and .20 Standby at the start; .10 (priority 200) takes over with a Coup; .30 goes Speak, then Standby', () => {
    const o = tcpdumpOracle(tcpdump('hsrp_1-v.out'));
    // The careful reading, frame by frame (checked against the oracle first).
    expect(o.get(1)).toMatchObject({ src: '192.168.0.30', op: 'hello', state: 'active', priority: 100 });
    expect(o.get(2)).toMatchObject({ src: '192.168.0.20', op: 'hello', state: 'standby', priority: 100 });
    expect(o.get(19)).toMatchObject({ src: '192.168.0.30', op: 'hello', state: 'active' }); // .30's last hello as Active
    expect(o.get(22)).toMatchObject({ src: '192.168.0.10', op: 'coup', priority: 200 });
    expect(o.get(26)).toMatchObject({ src: '192.168.0.30', op: 'hello', state: 'speak' }); // no Resign: straight to Speak
    expect(o.get(27)).toMatchObject({ src: '192.168.0.10', op: 'hello', state: 'active', priority: 200 });
    expect(o.get(35)).toMatchObject({ src: '192.168.0.30', op: 'hello', state: 'standby' });
    expect([...o.values()].filter((m) => m.op === 'resign')).toEqual([]);
    expect([...o.values()].filter((m) => m.n > 2 && m.n < 35 && m.state === 'standby').every((m) => m.src === '192.168.0.20' && m.n < 22)).toBe(true);
    for (const m of o.values()) if (m.n > 27 && m.op === 'hello' && m.state === 'active') expect(m.src).toBe('192.168.0.10');

    const a = analyse(tcpdump('HSRP_coup.pcap'));
    const active = ofKind(a.events, 'hsrp.active');
    expect(active.map((e) => [e.router, e.reason, e.previous, e.frames, e.causeFrame])).toEqual([
      ['192.168.0.30', 'already-active', null, [1], null],
      ['192.168.0.10', 'coup', '192.168.0.30', [22, 26, 27], 22],
    ]);
    expect(active[1]).toMatchObject({ priority: 200, previousPriority: 100, group: 1, version: 0, vlan: null, virtualIp: '192.168.0.1', virtualMac: '00:00:0c:07:ac:01', helloMs: 3000, holdMs: 10000 });
    expect(active[1].gapMs).toBe(Math.round((o.get(27)!.time - o.get(19)!.time) * 1000));
    expect(active[1].sinceCauseMs).toBe(Math.round((o.get(27)!.time - o.get(22)!.time) * 1000)); // from the Coup
    expect(ofKind(a.events, 'hsrp.standby').map((e) => [e.router, e.reason, e.previous, e.frames])).toEqual([
      ['192.168.0.20', 'already-standby', null, [2]],
      ['192.168.0.30', 'election', '192.168.0.20', [26, 35]],
    ]);
    expect(a.events.filter((e) => e.kind.startsWith('hsrp.')).length).toBe(4);
    const inc = buildIncidents(a.events);
    expect(inc.map((i) => [i.kind, i.from, i.to, i.steps.map((s) => s.step + ':' + s.frames.join(','))])).toEqual([
      ['hsrp', ['192.168.0.30'], ['192.168.0.10'], ['hsrp-cause:22', 'hsrp-active:27']],
    ]);
    expect(Math.abs(inc[0].start - (a.start! + o.get(22)!.time - o.get(1)!.time))).toBeLessThan(0.001); // the incident starts with the Coup
    // The Coup frame is commented as one, and the change of state on .30's Speak hello.
    const say = new Say('en', a.events);
    expect(say.notes(a.frameNotes.get(22))).toMatch(/Coup from 192\.168\.0\.10 \(priority 200\).*from 192\.168\.0\.30/);
    expect(say.notes(a.frameNotes.get(26))).toMatch(/now Speak .*was Active/);
  });

  it('HSRP_election: .10 (priority 200) goes Speak → Standby → Active; .30 (the higher address at equal priority) becomes Standby', () => {
    const o = tcpdumpOracle(tcpdump('hsrp_2-v.out'));
    expect([1, 2, 3].map((n) => [o.get(n)!.src, o.get(n)!.state, o.get(n)!.priority])).toEqual([
      ['192.168.0.10', 'speak', 200], ['192.168.0.30', 'speak', 100], ['192.168.0.20', 'speak', 100],
    ]);
    expect(o.get(9)).toMatchObject({ src: '192.168.0.10', state: 'standby' });
    expect(o.get(11)).toMatchObject({ src: '192.168.0.10', state: 'active' });
    // (Nobody is Active before frame 11.)
    for (const m of o.values()) if (m.n < 11) expect(m.state).not.toBe('active');
    expect(o.get(18)).toMatchObject({ src: '192.168.0.30', state: 'speak' });
    expect(o.get(19)).toMatchObject({ src: '192.168.0.20', state: 'speak' });
    expect(o.get(27)).toMatchObject({ src: '192.168.0.30', state: 'standby' });
    // (.30 was silent, in Listen, from frame 2 to frame 18: more than the 10 s hold time.)
    expect(o.get(18)!.time - o.get(2)!.time).toBeGreaterThan(10);

    const a = analyse(tcpdump('HSRP_election.pcap'));
    expect(ofKind(a.events, 'hsrp.active').map((e) => [e.router, e.reason, e.previous, e.frames, e.causeFrame])).toEqual([
      ['192.168.0.10', 'election', null, [1, 9, 11], 1],
    ]);
    expect(ofKind(a.events, 'hsrp.standby').map((e) => [e.router, e.reason, e.frames, e.speakFrame])).toEqual([
      ['192.168.0.10', 'election', [1, 9], 1],
      ['192.168.0.30', 'election', [18, 27], 18],
    ]);
    expect(buildIncidents(a.events)).toEqual([]); // an election is no incident
  });

  it('HSRP_failover: .10 Active and .30 Standby; .10\'s hellos stop and .30 becomes Active one hold time (10 s) later; .20 becomes Standby', () => {
    const o = tcpdumpOracle(tcpdump('hsrp_3-v.out'));
    expect(o.get(1)).toMatchObject({ src: '192.168.0.10', state: 'active', priority: 200 });
    expect(o.get(4)).toMatchObject({ src: '192.168.0.30', state: 'standby', priority: 100 });
    const fromTen = [...o.values()].filter((m) => m.src === '192.168.0.10' && m.op === 'hello');
    expect(fromTen.at(-1)!.n).toBe(11); // .10's last hello
    expect(o.get(17)).toMatchObject({ src: '192.168.0.30', state: 'active' });
    for (const m of o.values()) if (m.n > 11 && m.n < 17) expect(m.state).not.toBe('active');
    expect(o.get(15)).toMatchObject({ src: '192.168.0.20', state: 'speak' });
    expect(o.get(26)).toMatchObject({ src: '192.168.0.20', state: 'standby' });
    const silence = o.get(17)!.time - o.get(11)!.time;
    expect(Math.abs(silence - 10)).toBeLessThan(0.01);

    const a = analyse(tcpdump('HSRP_failover.pcap'));
    const active = ofKind(a.events, 'hsrp.active');
    expect(active.map((e) => [e.router, e.reason, e.previous, e.frames, e.causeFrame])).toEqual([
      ['192.168.0.10', 'already-active', null, [1], null],
      ['192.168.0.30', 'failover', '192.168.0.10', [11, 17], 11],
    ]);
    expect(active[1].gapMs).toBe(Math.round(silence * 1000));
    expect(active[1].holdMs).toBe(10000);
    expect(ofKind(a.events, 'hsrp.standby').map((e) => [e.router, e.reason, e.frames])).toEqual([
      ['192.168.0.30', 'already-standby', [4]],
      ['192.168.0.20', 'election', [15, 26]],
    ]);
    const inc = buildIncidents(a.events);
    expect(inc.map((i) => [i.kind, i.from, i.to, i.subject, i.steps.map((s) => s.step + ':' + s.frames.join(','))])).toEqual([
      ['hsrp', ['192.168.0.10'], ['192.168.0.30'], '192.168.0.1', ['hsrp-cause:11', 'hsrp-active:17']],
    ]);
    // (The incident starts at .10's last hello, placed by the takeover's gapMs, to the millisecond.)
    expect(Math.abs(inc[0].start - (a.start! + (o.get(11)!.time - o.get(1)!.time)))).toBeLessThan(0.001);
  });
});

describe('HSRPv2 (extended suite: networklessons, read with tshark)', () => {
  const nl = (name: string) => join(SHARED, 'captures/public/networklessons', name);
  const skip = skipUnless(HAVE_EXTENDED, REASONS.extended) || skipUnless(HAVE_TSHARK, REASONS.tshark);

  it.skipIf(skip)('hsrpv2-election: 192.168.12.1 (priority 150) Speak → Standby → Active from the virtual MAC; 192.168.12.2 Speak, then Standby', () => {
    const file = nl('hsrpv2-election.pcapng');
    const o = tsharkV2(file);
    expect(o.get(3)).toMatchObject({ src: '192.168.12.1', op: 'hello', state: 'speak', priority: 150 });
    expect(o.get(9)).toMatchObject({ src: '192.168.12.1', state: 'standby' });
    expect(o.get(11)).toMatchObject({ src: '192.168.12.1', state: 'active' });
    for (const m of o.values()) if (m.n < 11) expect(m.state).not.toBe('active');
    expect(o.get(17)).toMatchObject({ src: '192.168.12.2', state: 'speak', priority: 100 });
    expect(o.get(26)).toMatchObject({ src: '192.168.12.2', state: 'standby' });
    // (.12.2 said Speak at frame 4 too, then Listen for more than the hold time.)
    expect(o.get(4)).toMatchObject({ src: '192.168.12.2', state: 'speak' });
    expect(o.get(17)!.time - o.get(4)!.time).toBeGreaterThan(10);

    const a = analyse(file);
    const active = ofKind(a.events, 'hsrp.active');
    expect(active.map((e) => [e.router, e.reason, e.frames, e.version, e.group])).toEqual([['192.168.12.1', 'election', [3, 9, 11], 2, 1]]);
    // Cisco sends the Active's hellos from the group's virtual MAC, 0000.0c9f.f001 for HSRPv2 group 1.
    expect(active[0]).toMatchObject({ virtualIp: '192.168.12.254', virtualMac: '00:00:0c:9f:f0:01', mac: '00:00:0c:9f:f0:01', helloMs: 3000, holdMs: 10000, priority: 150 });
    expect(ofKind(a.events, 'hsrp.standby').map((e) => [e.router, e.frames])).toEqual([['192.168.12.1', [3, 9]], ['192.168.12.2', [17, 26]]]);
  });

  it.skipIf(skip)('hsrpv2-resign-active: the Active 192.168.12.1 resigns; 192.168.12.2 reports one active group at once: it took over', () => {
    const file = nl('hsrpv2-resign-active.pcapng');
    const o = tsharkV2(file);
    expect(o.get(1)).toMatchObject({ src: '192.168.12.1', op: 'resign', state: 'active', priority: 150 });
    expect(o.get(2)).toMatchObject({ src: '192.168.12.2', op: 'interface', activeGroups: 1 });

    const a = analyse(file);
    expect(new Say('en', a.events).notes(a.frameNotes.get(1))).toMatch(/^HSRP Resign from 192\.168\.12\.1: it gives up the Active role of group 1/);
    const active = ofKind(a.events, 'hsrp.active');
    expect(active.map((e) => [e.router, e.reason, e.previous, e.evidence, e.priority, e.frames])).toEqual([
      ['192.168.12.2', 'resign', '192.168.12.1', 'interface-state', null, [1, 2]],
    ]);
    expect(active[0].gapMs).toBe(Math.round((o.get(2)!.time - o.get(1)!.time) * 1000));
    expect(buildIncidents(a.events).map((i) => [i.kind, i.from, i.to, i.events.length])).toEqual([['hsrp', ['192.168.12.1'], ['192.168.12.2'], 1]]);
  });
});

describe('HSRP gratuitous ARP (extended suite: networklessons, read with tshark)', () => {
  const nl = (name: string) => join(SHARED, 'captures/public/networklessons', name);
  const skip = skipUnless(HAVE_EXTENDED, REASONS.extended) || skipUnless(HAVE_TSHARK, REASONS.tshark);

  for (const [name, vip] of [['hsrp-gratuitous-arp.pcapng', '192.168.1.254'], ['hsrpv2-arp-gratuitous.pcapng', '192.168.12.254']] as const) {
    it.skipIf(skip)(`${name}: gratuitous ARP replies for ${vip} from 0000.0c9f.f001, the virtual MAC of HSRPv2 group 1, told as such on each frame`, () => {
      const file = nl(name);
      const rows = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', 'arp.src.hw_mac', '-e', 'arp.src.proto_ipv4', '-e', 'arp.isgratuitous'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').map((l) => l.split('\t'));
      expect(rows).toEqual([['1', '00:00:0c:9f:f0:01', vip, '1'], ['2', '00:00:0c:9f:f0:01', vip, '1']]);
      const a = analyse(file);
      const say = new Say('en', a.events);
      for (const n of [1, 2]) expect(say.notes(a.frameNotes.get(n))).toContain(`gratuitous ARP from the virtual MAC of HSRP group 1 (version 2): its Active router announces ${vip}`);
      expect(a.events.filter((e) => e.kind.startsWith('hsrp.'))).toEqual([]); // no hello: no Active router to name
    });
  }
});

/** An RFC 2281 (version 0) message: opcode 0 hello, 1 coup, 2 resign; state 8 standby, 16 active, 4 speak; 3 s hello, 10 s hold, auth "cisco". */
function hsrp0(src: string, op: number, state: number, priority: number, group = 1, vip = '192.0.2.1'): Uint8Array {
  const p = new Uint8Array(20);
  p.set([0, op, state, 3, 10, priority, group, 0]);
  p.set(Buffer.from('cisco'), 8);
  p.set(vip.split('.').map(Number), 16);
  return udp({ src, dst: '224.0.0.2', sport: 1985, dport: 1985, payload: p });
}
const ACTIVE = 16;

describe('HSRP rules on hand-built frames', () => {
  it('two routers Active at once without a Coup: the first stays Active, the other\'s hellos are told as a dual Active; once the first is silent for the hold time, the other takes over (failover)', () => {
    const frames: Timed[] = [];
    for (let t = 0; t < 30; t += 3) frames.push([t, hsrp0('192.0.2.11', 0, ACTIVE, 110)]);
    for (let t = 1; t < 40; t += 3) frames.push([t, hsrp0('192.0.2.12', 0, ACTIVE, 100)]);
    frames.sort((a, b) => a[0] - b[0]);
    const { events, comments } = run([new HsrpAnalyzer()], frames);
    // .11's last hello is at 27 s; .12's first hello 10 s (the hold time) after it is at 37 s.
    expect(events.map((e) => [e.kind, (e as { router?: string }).router, (e as { reason?: string }).reason, Math.round(e.time - 1795550000)])).toEqual([
      ['hsrp.active', '192.0.2.11', 'already-active', 0],
      ['hsrp.active', '192.0.2.12', 'failover', 37],
    ]);
    expect(comments.get(2)).toContain('HSRP hello from 192.0.2.12: Active in group 1 while 192.0.2.11 is still Active, without a Coup');
  });

  it('state is bounded: past 1024 HSRPv2 groups, the others are dropped with one warning', () => {
    // HSRPv2 Group State TLVs for groups 0..1499 from one router, all Active.
    const v2 = (group: number): Uint8Array => {
      const p = new Uint8Array(42);
      p.set([1, 40, 2, 0, 6, 4, group >> 8, group & 255, 0xaa, 0xbb, 0xcc, 0, 2, 0x10]);
      p.set([0, 0, 0, 100, 0, 0, 0x0b, 0xb8, 0, 0, 0x27, 0x10, 192, 0, 2, 1], 14);
      return udp({ src: '192.0.2.11', dst: '224.0.0.102', sport: 1985, dport: 1985, payload: p });
    };
    const frames: Timed[] = Array.from({ length: 1500 }, (_, g) => [g * 0.001, v2(g)] as Timed);
    const { events, engine } = run([new HsrpAnalyzer()], frames);
    expect(events.filter((e) => e.kind === 'hsrp.active').length).toBe(1024);
    expect(engine.warnings.map((w) => [w.frame, w.note])).toEqual([[1025, { note: 'hsrp.groups-full', max: 1024 }]]);
  });

  it('a gratuitous ARP from the group\'s virtual MAC names its Active router', () => {
    const frames: Timed[] = [
      [0, hsrp0('192.0.2.11', 0, ACTIVE, 110)],
      [0.5, arp({ senderIp: '192.0.2.1', senderMac: '00:00:0c:07:ac:01', targetIp: '192.0.2.1', op: 2, dstMac: 'ff:ff:ff:ff:ff:ff' })],
      [1, arp({ senderIp: '192.0.2.1', senderMac: '00:00:0c:07:ac:02', targetIp: '192.0.2.1', op: 2, dstMac: 'ff:ff:ff:ff:ff:ff' })],
    ];
    const { comments } = run([new HsrpAnalyzer()], frames);
    expect(comments.get(2)).toBe('gratuitous ARP from the virtual MAC of HSRP group 1 (version 0): its Active router 192.0.2.11 announces 192.0.2.1');
    expect(comments.get(3)).toMatch(/^gratuitous ARP from the virtual MAC of HSRP group 2 \(version 0\): its Active router announces/); // no group 2 seen
  });
});

describe('HSRP virtual MAC (Cisco)', () => {
  it('0000.0c07.acXX for version 0, 0000.0c9f.fXXX for version 2 (12-bit group), 0005.73a0.0XXX for HSRPv2 over IPv6', () => {
    expect(hsrpVirtualMac(0, 1)).toBe('00:00:0c:07:ac:01');
    expect(hsrpVirtualMac(0, 255)).toBe('00:00:0c:07:ac:ff');
    expect(hsrpVirtualMac(2, 1)).toBe('00:00:0c:9f:f0:01');
    expect(hsrpVirtualMac(2, 4095)).toBe('00:00:0c:9f:ff:ff');
    expect(hsrpVirtualMac(2, 0x123)).toBe('00:00:0c:9f:f1:23');
    for (const [v, g] of [[0, 1], [0, 255], [2, 1], [2, 4095], [2, 0x123]] as const) expect(parseVirtualMac(hsrpVirtualMac(v, g))).toEqual({ version: v, group: g });
    expect(hsrpVirtualMac(2, 0x123, 6)).toBe('00:05:73:a0:01:23'); // an HSRPv2 IPv6 group
    expect(parseVirtualMac('00:05:73:a0:01:23')).toEqual({ version: 2, group: 0x123 });
    expect(parseVirtualMac('00:00:5e:00:01:01')).toBeNull(); // VRRP's
  });
});
