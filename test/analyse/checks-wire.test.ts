// keepalived's checkers recognised by what they send, not by the port or by who is master (issue #15):
// SMTP_CHECK on the real server's own port, the probes of a director that is never master, a MISC_CHECK
// that fetches a page. Literal frames shaped as keepalived 2.2.7 sends them (keepalived-semantics.md §2).

import { describe, expect, it } from 'vitest';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { HealthChecks } from '../../src/analyse/checks/analyser.js';
import type { ConfiguredChecker } from '../../src/analyse/checks/configured.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checksum } from '../support/build.js';
import { reportJsonOnce, type OurReport } from '../support/ours.js';
import { adverts, arp, byTime, connection, macOf, rel, run, tcp, udp, type Timed } from '../support/frames.js';

const d1 = '10.1.0.11', d2 = '10.1.0.12', rs = '10.1.0.23', host = '10.1.0.50';
const ip4 = (s: string) => s.split('.').map(Number);
const mac = (s: string) => s.split(':').map((x) => parseInt(x, 16));
const states = (events: { kind: string; state?: string; reason?: string }[]) => events.filter((e) => e.kind === 'hc.state').map((e) => [e.state, e.reason]);

/** keepalived's SMTP_CHECK dialogue (check_smtp.c): banner, HELO, 250, QUIT, 221, close by the checker. */
function smtpProbe(o: { client: string; server: string; port: number; cport: number; at: number; banner?: string }): Timed[] {
  const c = { src: o.client, dst: o.server, sport: o.cport, dport: o.port };
  const s = { src: o.server, dst: o.client, sport: o.port, dport: o.cport };
  let cs = 5001, ss = 9001, t = o.at;
  const out: Timed[] = [[t, tcp({ ...c, flags: 'S', seq: cs - 1 })], [t += 0.0001, tcp({ ...s, flags: 'SA', seq: ss - 1, ack: cs })], [t += 0.0001, tcp({ ...c, flags: 'A', seq: cs, ack: ss })]];
  const say = (from: 'c' | 's', text: string) => {
    if (from === 'c') { out.push([t += 0.001, tcp({ ...c, flags: 'PA', seq: cs, ack: ss, payload: text })]); cs += text.length; }
    else { out.push([t += 0.001, tcp({ ...s, flags: 'PA', seq: ss, ack: cs, payload: text })]); ss += text.length; }
  };
  const banner = o.banner ?? '220 rs3 ESMTP Postfix\r\n';
  say('s', banner);
  if (banner.startsWith('220 ')) { say('c', 'HELO smtpchecker.keepalived.org\r\n'); say('s', '250 rs3\r\n'); say('c', 'QUIT\r\n'); say('s', '221 2.0.0 Bye\r\n'); }
  out.push([t += 0.001, tcp({ ...c, flags: 'FA', seq: cs, ack: ss })], [t += 0.0001, tcp({ ...s, flags: 'FA', seq: ss, ack: cs + 1 })], [t += 0.0001, tcp({ ...c, flags: 'A', seq: cs + 1, ack: ss + 1 })]);
  return out;
}

/** An ICMP echo request or reply; `data` is keepalived's PING_CHECK buffer by default (128 bytes, layer4.c set_buf). */
function echo(o: { src: string; dst: string; request: boolean; id: number; seq: number; data?: string }): Uint8Array {
  const data = Buffer.from(o.data ?? 'keepalived check - '.repeat(7).slice(0, 128), 'latin1');
  const m = new Uint8Array(8 + data.length);
  m[0] = o.request ? 8 : 0; m[4] = o.id >> 8; m[5] = o.id & 255; m[6] = o.seq >> 8; m[7] = o.seq & 255;
  m.set(data, 8);
  const cs = checksum(m); m[2] = cs >> 8; m[3] = cs & 255;
  const ip = new Uint8Array(20);
  ip[0] = 0x45; ip[2] = (20 + m.length) >> 8; ip[3] = (20 + m.length) & 255; ip[8] = 64; ip[9] = 1;
  ip.set(ip4(o.src), 12); ip.set(ip4(o.dst), 16);
  const c = checksum(ip); ip[10] = c >> 8; ip[11] = c & 255;
  return Uint8Array.from([...mac(macOf(o.dst)), ...mac(macOf(o.src)), 0x08, 0x00, ...ip, ...m]);
}

/** DNS_CHECK's default query (SOA of the root, RD) and its answer (check_dns.c dns_make_query). */
function dnsSoa(id: number, reply: boolean): Uint8Array {
  return Uint8Array.from([id >> 8, id & 255, reply ? 0x81 : 0x01, reply ? 0x80 : 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1]);
}

describe('SMTP_CHECK is known by its dialogue, on any port', () => {
  it('a check of a real server on port 2500 is an SMTP_CHECK with its verdicts, not a MISC_CHECK', () => {
    const frames: Timed[] = [];
    // every 2 s; the server refuses with a 554 banner from 10 s to 16 s (keepalived: not 220, the check fails)
    for (let i = 0; i < 15; i++) {
      const at = 2 * i;
      frames.push(...smtpProbe({ client: d1, server: rs, port: 2500, cport: 41000 + i, at, banner: at >= 10 && at < 16 ? '554 5.3.2 busy\r\n' : undefined }));
    }
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    const probes = events.filter((e) => e.kind === 'hc.probe');
    expect(probes.map((p) => [p.checker, p.director, p.target, p.count, p.down, p.details])).toEqual([['smtp', d1, `${rs}:2500`, 15, 3, 'HELO smtpchecker.keepalived.org']]);
    expect(states(events)).toEqual([['down', 'banner 554, not 220'], ['up', '220, 250']]);
  });
});

describe('a director never master checks too', () => {
  // d1 is master (its adverts), d2 never advertises: both directors run the same checkers.
  const master = (to: number) => adverts({ src: '10.0.0.11', priority: 150 }, 0, to);

  it('PING_CHECK from the backup: its echo requests carry keepalived\'s buffer', () => {
    // keepalived 2.2.7 (delay_loop 2, connect_timeout 1, retry 1, delay_before_retry 1): a new id per probe, the
    // global sequence in host order; 8.3 fails, its retry at 10.3 fails too (down at 11.3), 13.3 fails, 16.3 answers.
    const frames: Timed[] = [...master(24)];
    const answered = [0.3, 2.3, 4.3, 6.3, 16.3, 18.3, 20.3], lost = [8.3, 10.3, 13.3];
    [...answered, ...lost].sort((a, b) => a - b).forEach((t, i) => {
      frames.push([t, echo({ src: d2, dst: rs, request: true, id: 100 + i, seq: i << 8 })]);
      if (answered.includes(t)) frames.push([t + 0.0005, echo({ src: rs, dst: d2, request: false, id: 100 + i, seq: i << 8 })]);
    });
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    expect(events.filter((e) => e.kind === 'hc.probe').map((p) => [p.checker, p.director, p.target, p.count, p.down])).toEqual([['ping', d2, rs, 10, 3]]);
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => [e.state, e.director, e.attempts])).toEqual([['down', d2, 2], ['up', d2, 1]]);
  });

  it('an echo lost once and answered on its retry is no verdict (one probe at a time: the lost one ended first)', () => {
    const frames: Timed[] = [...master(24)];
    const answered = [0.3, 2.3, 4.3, 6.3, 10.3, 12.3, 14.3, 16.3], lost = [8.3];
    [...answered, ...lost].sort((a, b) => a - b).forEach((t, i) => {
      frames.push([t, echo({ src: d2, dst: rs, request: true, id: 100 + i, seq: i << 8 })]);
      if (answered.includes(t)) frames.push([t + 0.0005, echo({ src: rs, dst: d2, request: false, id: 100 + i, seq: i << 8 })]);
    });
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    expect(events.filter((e) => e.kind === 'hc.probe').map((p) => [p.checker, p.count, p.down])).toEqual([['ping', 9, 1]]);
    expect(states(events)).toEqual([]);
  });

  it('an ordinary ping (another payload) from a host that is no director is no check', () => {
    const frames: Timed[] = [...master(20)];
    for (let i = 0; i < 10; i++) {
      frames.push([2 * i + 0.3, echo({ src: host, dst: rs, request: true, id: 7, seq: i, data: 'abcdefghijklmnopqrstuvwabcdefghi' })]);
      frames.push([2 * i + 0.3005, echo({ src: rs, dst: host, request: false, id: 7, seq: i, data: 'abcdefghijklmnopqrstuvwabcdefghi' })]);
    }
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    expect(events.filter((e) => e.kind.startsWith('hc.'))).toEqual([]);
  });

  it('UDP_CHECK from the backup: keepalived\'s UDP buffer; then its DNS_CHECK, a director known', () => {
    const frames: Timed[] = [...master(20)];
    for (let i = 0; i < 8; i++) {
      frames.push([2 * i + 0.5, udp({ src: d2, dst: '10.1.0.24', sport: 33000 + i, dport: 53, payload: dnsSoa(0x1f00 + i, false) })]);
      frames.push([2 * i + 0.5005, udp({ src: '10.1.0.24', dst: d2, sport: 53, dport: 33000 + i, payload: dnsSoa(0x1f00 + i, true) })]);
      frames.push([2 * i + 0.7, udp({ src: d2, dst: rs, sport: 34000 + i, dport: 7, payload: 'keepalived check - keepalived ch' })]);
      frames.push([2 * i + 0.7005, udp({ src: rs, dst: d2, sport: 7, dport: 34000 + i, payload: 'keepalived check - keepalived ch' })]);
    }
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    // the first DNS query (0.5 s) comes before d2's first UDP_CHECK datagram (0.7 s) made it known
    expect(events.filter((e) => e.kind === 'hc.probe').map((p) => [p.checker, p.director, p.target, p.count]).sort()).toEqual([['dns', d2, '10.1.0.24:53', 7], ['udp', d2, `${rs}:7`, 8]]);
  });

  it('the SOA query of the root alone makes no director: clients send it too (checks-variant\'s client through LVS-NAT)', () => {
    const frames: Timed[] = [...master(20)];
    for (let i = 0; i < 8; i++) {
      frames.push([2 * i + 0.5, udp({ src: host, dst: '10.1.0.24', sport: 33000 + i, dport: 53, payload: dnsSoa(0x1f00 + i, false) })]);
      frames.push([2 * i + 0.5005, udp({ src: '10.1.0.24', dst: host, sport: 53, dport: 33000 + i, payload: dnsSoa(0x1f00 + i, true) })]);
    }
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    expect(events.filter((e) => e.kind.startsWith('hc.'))).toEqual([]);
  });
});

describe('MISC_CHECK that fetches a page', () => {
  it('judges by the answer\'s status: a page that changes is no failure, and no digest is computed', () => {
    const page = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const get = 'GET /health HTTP/1.1\r\nHost: 10.1.0.24\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n';
    const frames: Timed[] = [...adverts({ src: d1, priority: 150, vrid: 52, vips: ['10.1.0.1'] }, 0, 20)];
    ['ok\n', 'ok\n', 'changed\n', 'again\n', 'ok\n', 'ok\n'].forEach((body, i) => frames.push(...connection({ client: d1, server: '10.1.0.24', cport: 43000 + i, sport: 80, at: 2 * i + 0.2, request: get, response: page(body) })));
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    const probe = events.find((e) => e.kind === 'hc.probe')!;
    expect([probe.checker, probe.count, probe.down, 'genhash' in probe]).toEqual(['misc', 6, 0, false]);
    expect(states(events)).toEqual([]);
  });
});

describe('PING_CHECK belongs to a real server, and waits connect_timeout for its echo (issue #15, keepalived-semantics §2, §8.2, §8.4)', () => {
  const master = (to: number) => adverts({ src: '10.0.0.11', priority: 150 }, 0, to);
  const conf = (o: Partial<ConfiguredChecker> & { realServer: string }): ConfiguredChecker => ({ checker: 'ping', ip: rs, port: null, connectTimeoutS: 1, ...o });
  /** keepalived 2.2.7's echoes from d1 to rs every 2 s (a new id each); `late`: probes answered that many seconds later, `lost`: unanswered. */
  function pings(o: { at: number[]; late?: Map<number, number>; lost?: number[] }): Timed[] {
    const frames: Timed[] = [...master(Math.max(...o.at) + 6)];
    o.at.forEach((t, i) => {
      frames.push([t, echo({ src: d1, dst: rs, request: true, id: 100 + i, seq: i << 8 })]);
      if (!o.lost?.includes(t)) frames.push([t + (o.late?.get(t) ?? 0.0005), echo({ src: rs, dst: d1, request: false, id: 100 + i, seq: i << 8 })]);
    });
    return frames.sort(byTime);
  }
  // delay_loop 2, connect_timeout 1, retry 1, delay_before_retry 1: 8.3 lost, its retry at 10.3 lost (down at 11.3), then lost every check
  const lostFrom8 = () => pings({ at: [0.3, 2.3, 4.3, 6.3, 8.3, 10.3, 13.3, 16.3, 19.3], lost: [8.3, 10.3, 13.3, 16.3, 19.3] });
  const every2 = (n: number) => Array.from({ length: n }, (_, i) => 2 * i + 0.3);
  const checksOf = (analyzers: ReturnType<typeof defaultAnalyzers>) => analyzers.find((a): a is HealthChecks => a instanceof HealthChecks)!;

  it('the configuration names its real server: the series is that server\'s, and its failure is not another server\'s at that address', () => {
    // rs runs SMTP on 25 and a UDP service on 7; the PING_CHECK is configured in real_server rs 25 only.
    const analyzers = defaultAnalyzers({ checkers: [conf({ realServer: `${rs}:25` }), { checker: 'udp', ip: rs, port: 7, realServer: `${rs}:7`, connectTimeoutS: 5 }] });
    const { events } = run(analyzers, lostFrom8());
    expect(events.filter((e) => e.kind === 'hc.probe').map((p) => [p.target, p.realServers])).toEqual([[`${rs}:25`, [`${rs}:25`]]]);
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => [e.target, e.state])).toEqual([[`${rs}:25`, 'down']]);
    const checks = checksOf(analyzers);
    expect([checks.isFailing(`${rs}:25`), checks.isFailing(`${rs}:7`)]).toEqual([true, false]);
  });

  it('two real servers at one address, each with a PING_CHECK: one series (2.2.7\'s echoes do not tell them apart), both named, both failing', () => {
    const analyzers = defaultAnalyzers({ checkers: [conf({ realServer: `${rs}:80` }), conf({ realServer: `${rs}:25` })] });
    const { events } = run(analyzers, lostFrom8());
    expect(events.filter((e) => e.kind === 'hc.probe').map((p) => [p.target, p.realServers])).toEqual([[rs, [`${rs}:25`, `${rs}:80`]]]);
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => e.summary)).toEqual([
      expect.stringContaining(`${rs} (one of the real servers ${rs}:25, ${rs}:80`),
    ]);
    const checks = checksOf(analyzers);
    expect([checks.isFailing(`${rs}:25`), checks.isFailing(`${rs}:80`), checks.isFailing(`${rs}:7`)]).toEqual([true, true, false]);
  });

  it('without configuration: the address, no real server named', () => {
    const { events } = run(defaultAnalyzers(), pings({ at: every2(6) }));
    expect(events.filter((e) => e.kind === 'hc.probe').map((p) => [p.target, p.realServers])).toEqual([[rs, []]]);
  });

  it('an echo answered after 4 s is an answer under keepalived\'s default connect_timeout (5 s); with connect_timeout 3 it is none', () => {
    // delay_loop 2: echoes 2 s apart, the one of 4.3 s answered at 8.3 s, the next echo 2 s after that wait
    const frames = pings({ at: [0.3, 2.3, 4.3, 10.3, 12.3, 14.3, 16.3], late: new Map([[4.3, 4]]) });
    const byDefault = run(defaultAnalyzers(), frames).events;
    expect(byDefault.filter((e) => e.kind === 'hc.probe').map((p) => [p.count, p.down])).toEqual([[7, 0]]);
    const configured = run(defaultAnalyzers({ checkers: [conf({ realServer: `${rs}:80`, connectTimeoutS: 3 })] }), frames).events;
    expect(configured.filter((e) => e.kind === 'hc.probe').map((p) => p.target)).toEqual([`${rs}:80`]);
    expect(configured.filter((e) => e.kind === 'hc.probe').map((p) => [p.count, p.down])).toEqual([[7, 1]]);
  });
});

describe('checks-variant (real keepalived 2.2.7): rs2 10.1.0.22:80 has the PING_CHECK; rs3 10.1.0.23 serves two virtual servers', () => {
  const lab = fileURLToPath(new URL('../../captures/ivs/checks-variant/', import.meta.url));
  const files = [join(lab, 'checks-variant-front.pcap'), join(lab, 'checks-variant-back.pcap')];
  const ping = (doc: OurReport) => doc.events.filter((e) => e.kind.startsWith('hc.') && e.checker === 'ping').map((e) => [e.kind, e.target, e.realServers]);

  it('without configuration, the LVS service seen at 10.1.0.22 names the real server; with it, the series is that server\'s', { timeout: 60_000 }, async () => {
    const bare = await reportJsonOnce(files);
    expect(ping(bare)).toEqual([['hc.probe', '10.1.0.22', ['10.1.0.22:80']], ['hc.state', '10.1.0.22', ['10.1.0.22:80']], ['hc.state', '10.1.0.22', ['10.1.0.22:80']]]);
    const configured = await reportJsonOnce(files, ['--config', join(lab, 'conf/keepalived-d1.conf')]);
    expect(ping(configured)).toEqual([['hc.probe', '10.1.0.22:80', ['10.1.0.22:80']], ['hc.state', '10.1.0.22:80', ['10.1.0.22:80']], ['hc.state', '10.1.0.22:80', ['10.1.0.22:80']]]);
    // keepalived's log: "ICMP CHECK on service [10.1.0.22]:tcp:80 … failed after 1 retries" 22:11:25.377 / "Adding service" 22:11:38.378
    const states = configured.events.filter((e) => e.kind === 'hc.state' && e.checker === 'ping');
    const pool = configured.events.filter((e) => e.kind === 'lvs.realserver' && e.realServer === '10.1.0.22:80');
    expect(pool.map((p) => [p.state, p.cause, states.some((s) => s.id === p.related)])).toEqual([['out', 'hc', true], ['in', 'hc', true]]);
  });
});

describe('keepalived\'s start-up rule and the retry defaults that spacing cannot show (captures/ivs4/checks-defaults)', () => {
  const rs1 = '10.1.0.21', dns = '10.1.0.24';
  /** A frame of no VRRP at 0 s: the capture starts before keepalived (its first advert is then an election). */
  const before: Timed = [0, arp({ senderIp: '10.1.0.50', targetIp: '10.1.0.1' })];
  /** TCP_CHECK (delay_loop 3, retry 3, delay_before_retry 1) of a server refusing until 20 s, then accepting. */
  function tcpCheck(): Timed[] {
    const out: Timed[] = [];
    let port = 41000;
    // keepalived 2.2.7 goes on retrying while down: check, retry 1 s later, check 3 s later …
    for (const at of [6, 7, 10, 11, 14, 15, 18, 19]) out.push(...connection({ client: '10.1.0.11', server: rs1, cport: port++, sport: 80, at, refused: true }));
    for (let at = 22; at < 40; at += 3) out.push(...connection({ client: '10.1.0.11', server: rs1, cport: port++, sport: 80, at }));
    return out;
  }

  it('a checker\'s first attempt failing right after keepalived started takes the server out, whatever retry says', () => {
    // d1's first advert 5 s into the capture: an election (keepalived starting), not a master already there
    const { events } = run(defaultAnalyzers(), [before, ...adverts({ src: '10.1.0.11', priority: 150 }, 5, 40), ...tcpCheck()].sort(byTime));
    expect(events.filter((e) => e.kind === 'vrrp.master').map((e) => e.reason)).toEqual(['initial']);
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => [e.state, Math.round(rel(e) * 10) / 10, e.attempts, e.startup])).toEqual([['down', 6, 1, true], ['up', 22, 1, undefined]]);
    expect(events.find((e) => e.kind === 'hc.state')!.summary).toContain('right after keepalived started: at start-up one failure is enough, whatever retry says');
  });

  it('the same failures in a capture that starts while keepalived runs (a master already there): no start-up verdict on the first failure', () => {
    const { events } = run(defaultAnalyzers(), [...adverts({ src: '10.1.0.11', priority: 150 }, 0, 40), ...tcpCheck()].sort(byTime));
    expect(events.filter((e) => e.kind === 'vrrp.master').map((e) => e.reason)).toEqual(['already-master']);
    expect(events.filter((e) => e.kind === 'hc.state' && e.state === 'down' && e.attempts === 1 && rel(e) < 7)).toEqual([]);
  });

  it('DNS_CHECK with the defaults: retry 3, delay_before_retry = delay_loop, so four refusals 3 s apart before the server is out', () => {
    const frames: Timed[] = [...adverts({ src: '10.1.0.11', priority: 150 }, 0, 40)];
    for (let i = 0; i < 12; i++) {
      const at = 3 * i + 0.5, sport = 33000 + i, refused = at > 15 && at < 28;
      const query = udp({ src: '10.1.0.11', dst: dns, sport, dport: 53, payload: dnsSoa(0x2000 + i, false) });
      frames.push([at, query]);
      frames.push([at + 0.001, refused ? unreachable(dns, '10.1.0.11', query) : udp({ src: dns, dst: '10.1.0.11', sport: 53, dport: sport, payload: dnsSoa(0x2000 + i, true) })]);
    }
    const { events } = run(defaultAnalyzers(), frames.sort(byTime));
    // refused at 15.5, 18.5, 21.5, 24.5 (the fourth: keepalived gives up), 27.5 (while out); back at 30.5
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => [e.state, Math.round(rel(e) * 10) / 10, e.attempts])).toEqual([['down', 24.5, 4], ['up', 30.5, 1]]);
    // with the configuration's retry 1, the second refusal
    const configured = run(defaultAnalyzers({ checkers: [{ checker: 'dns', ip: dns, port: 53, realServer: `${dns}:53`, connectTimeoutS: 2, retry: 1 }] }), frames).events;
    expect(configured.filter((e) => e.kind === 'hc.state').map((e) => [e.state, Math.round(rel(e) * 10) / 10, e.attempts])).toEqual([['down', 18.5, 2], ['up', 30.5, 1]]);
  });
});

/** ICMP port unreachable from `src` to `dst` quoting the IP and UDP headers of `datagram` (an Ethernet frame). */
function unreachable(src: string, dst: string, datagram: Uint8Array): Uint8Array {
  const quoted = datagram.subarray(14, 14 + 28);
  const m = new Uint8Array(8 + quoted.length);
  m[0] = 3; m[1] = 3; m.set(quoted, 8);
  const cs = checksum(m); m[2] = cs >> 8; m[3] = cs & 255;
  const ip = new Uint8Array(20);
  ip[0] = 0x45; ip[2] = (20 + m.length) >> 8; ip[3] = (20 + m.length) & 255; ip[8] = 64; ip[9] = 1;
  ip.set(ip4(src), 12); ip.set(ip4(dst), 16);
  const c = checksum(ip); ip[10] = c >> 8; ip[11] = c & 255;
  return Uint8Array.from([...mac(macOf(dst)), ...mac(macOf(src)), 0x08, 0x00, ...ip, ...m]);
}
