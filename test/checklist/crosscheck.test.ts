// The configuration cross-check on synthetic event lists: each kind of finding, with its file and line,
// and the cases where the capture cannot tell (no finding, a note).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { buildChecklist, type Checklist } from '../../src/checklist/index.js';
import { WireLedger } from '../../src/checklist/wire.js';
import { parseKeepalivedConf, type KeepalivedConfig } from '../../src/config/index.js';
import { I18n } from '../../src/present/i18n/index.js';
import { decodePacket } from '../../src/dissect/packet.js';
import { Frame } from '../../src/io/frame.js';
import { advert, tcp, type Timed } from '../support/frames.js';
import { reportJsonOnce } from '../support/ours.js';

const T0 = 1795550000;
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-cross-'));
let n = 0;
function conf(text: string): KeepalivedConfig {
  const p = join(dir, `c${n++}.conf`);
  writeFileSync(p, text);
  return parseKeepalivedConf(p);
}
type E = Partial<AnalysisEvent> & { kind: string; time: number };
function check(list: E[], configs: KeepalivedConfig[], lang: 'en' | 'fr' = 'en'): Checklist {
  const events = list.map((e, i) => ({ id: `e${i + 1}`, frames: [100 + i], severity: 'info', summary: e.kind, ...e, time: T0 + e.time }) as AnalysisEvent);
  return buildChecklist(events, new WireLedger(), new I18n(lang), { configs });
}
const kinds = (c: Checklist) => c.findings.map((f) => [f.kind, f.where.map((w) => w.line)]);

const VS = (body: string, head = '10.0.0.100 80') => `global_defs {\n  router_id d1\n}\nvirtual_server ${head} {\n${body}}\n`;
const probe = (checker: string, target: string, extra: Partial<E> = {}): E =>
  ({ kind: 'hc.probe', time: 1, checker, director: '10.1.0.11', target, intervalMs: 3000, count: 10, up: 10, down: 0, details: '', ...extra });

describe('health checkers against the configuration', () => {
  const tcp = VS('  delay_loop 3\n  real_server 10.1.0.21 80 {\n    TCP_CHECK {\n      connect_port 8080\n    }\n  }\n');

  it('connect_port: the probes go to that port; probes of the service port are another checker', () => {
    expect(kinds(check([probe('tcp', '10.1.0.21:8080')], [conf(tcp)]))).toEqual([]);
    expect(kinds(check([probe('tcp', '10.1.0.21:80')], [conf(tcp)]))).toEqual([['hc-not-seen', [7]], ['hc-unconfigured', [6]]]);
  });

  it('configured as HTTP_GET, probed otherwise: named', () => {
    const c = check([probe('misc', '10.1.0.21:80')], [conf(VS('  real_server 10.1.0.21 80 {\n    HTTP_GET {\n      url {\n        path /\n      }\n    }\n  }\n'))]);
    expect(c.findings.map((f) => f.kind)).toEqual(['hc-not-seen', 'hc-unconfigured']);
    expect(c.findings[0].message).toContain('probes it with MISC_CHECK');
  });

  it('the Host header keepalived sends without virtualhost is ip:port; with one, the virtualhost (of the url, the checker or the virtual server)', () => {
    const http = (vh: string) => VS(`  delay_loop 3\n${vh}  real_server 10.1.0.21 80 {\n    HTTP_GET {\n      url {\n        path /health\n      }\n    }\n  }\n`);
    const seen = (host: string) => probe('http', '10.1.0.21:80', { details: `GET /health, Host ${host}` });
    expect(kinds(check([seen('10.1.0.21:80')], [conf(http('')) ]))).toEqual([]);
    expect(kinds(check([seen('www.lab')], [conf(http(''))]))).toEqual([['hc-params', [7]]]);
    expect(kinds(check([seen('www.lab')], [conf(http('  virtualhost www.lab\n'))]))).toEqual([]);
    expect(kinds(check([seen('10.1.0.21:80')], [conf(http('  virtualhost www.lab\n'))]))).toEqual([['hc-params', [6]]]);
    // the real server's virtualhost comes before the virtual server's (url > checker > real_server > virtual_server)
    const rsHost = VS('  delay_loop 3\n  virtualhost www.lab\n  real_server 10.1.0.21 80 {\n    virtualhost rs1.lab\n    HTTP_GET {\n      url {\n        path /health\n      }\n    }\n  }\n');
    expect(kinds(check([seen('rs1.lab')], [conf(rsHost)]))).toEqual([]);
    expect(kinds(check([seen('www.lab')], [conf(rsHost)]))).toEqual([['hc-params', [8]]]);
  });

  it('delay_loop: ±10 %, the retry pattern of a failing server, the default of 60 s', () => {
    const c = conf(tcp);
    expect(kinds(check([probe('tcp', '10.1.0.21:8080', { intervalMs: 3250 })], [c]))).toEqual([]);
    expect(kinds(check([probe('tcp', '10.1.0.21:8080', { intervalMs: 3500 })], [c]))).toEqual([['hc-delay-loop', [5]]]);
    // Failing probes are retried after delay_before_retry (1 s by default): the median may be that.
    expect(kinds(check([probe('tcp', '10.1.0.21:8080', { intervalMs: 1004, down: 6 })], [c]))).toEqual([]);
    expect(kinds(check([probe('tcp', '10.1.0.21:8080', { intervalMs: 1004, down: 0 })], [c]))).toEqual([['hc-delay-loop', [5]]]);
    const none = check([probe('tcp', '10.1.0.21:80', { intervalMs: 3000 })], [conf(VS('  real_server 10.1.0.21 80 {\n    TCP_CHECK {\n    }\n  }\n'))]);
    expect(none.findings.map((f) => [f.kind, f.message.includes('without delay_loop keepalived checks every 60 s')])).toEqual([['hc-delay-loop', true]]);
  });

  it('no health check in the capture: a note, no finding; probes from an address no configuration can be tied to count for either director', () => {
    const c = check([], [conf(tcp)]);
    expect(c.findings).toEqual([]);
    expect(c.notes).toEqual(['The capture shows no health check: the 1 configured checker could not be compared (capture the real servers\' segment to see them).']);
    const d2 = conf(tcp.replace('router_id d1', 'router_id d2'));
    const silent = check([probe('tcp', '10.1.0.21:8080', { director: '10.1.0.11' }), probe('tcp', '10.1.0.21:8080', { director: '10.1.0.11' })], [conf(tcp), d2]);
    expect(silent.findings.map((f) => f.kind)).toEqual([]);
  });

  it('PING_CHECK probes an address, MISC_CHECK any port of the real server', () => {
    const c = conf(VS('  delay_loop 3\n  real_server 10.1.0.21 80 {\n    PING_CHECK {\n    }\n    MISC_CHECK {\n      misc_path "/bin/check"\n    }\n  }\n'));
    expect(kinds(check([probe('ping', '10.1.0.21'), probe('misc', '10.1.0.21:9200')], [c]))).toEqual([]);
  });

  it('a PING series the configuration gave to its real server (target ip:port) is that real server\'s checker, not another\'s at the address', () => {
    const c = conf(VS('  delay_loop 3\n  real_server 10.1.0.21 80 {\n    PING_CHECK {\n    }\n  }\n'));
    const ping = (rs: string) => probe('ping', rs, { realServers: [rs] });
    expect(kinds(check([ping('10.1.0.21:80')], [c]))).toEqual([]);
    // the series of 10.1.0.21:25's PING_CHECK is no checker of this configuration (its real server 80 has the one configured)
    expect(check([ping('10.1.0.21:25')], [c]).findings.map((f) => f.kind).sort()).toEqual(['hc-not-seen', 'hc-unconfigured']);
  });
});

describe('LVS against the configuration', () => {
  const lvs = VS('  lb_kind NAT\n  quorum 2\n  sorry_server 10.1.0.99 80\n  delay_loop 2\n  real_server 10.1.0.21 80 {\n    TCP_CHECK {\n    }\n  }\n  real_server 10.1.0.22 80 {\n    TCP_CHECK {\n    }\n  }\n');
  const probes = [probe('tcp', '10.1.0.21:80', { intervalMs: 2000 }), probe('tcp', '10.1.0.22:80', { intervalMs: 2000 })];

  it('forwarding method, real servers and sorry server that are not the configured ones', () => {
    const c = check([...probes,
      { kind: 'lvs.forward', time: 2, method: 'dr', vip: '10.0.0.100:80', realServer: '10.1.0.21:80', sorry: false },
      { kind: 'lvs.forward', time: 3, method: 'nat', vip: '10.0.0.100:80', realServer: '10.1.0.23:80', sorry: false },
      { kind: 'lvs.forward', time: 4, method: 'nat', vip: '10.0.0.100:443', realServer: '10.1.0.21:443', sorry: false },
      { kind: 'lvs.sorry', time: 5, vip: '10.0.0.100:80', sorryServer: '10.1.0.98:80', start: T0 + 5, end: T0 + 9 },
    ], [conf(lvs)]);
    expect(kinds(c)).toEqual([['lvs-kind', [5]], ['lvs-realserver-unconfigured', [4]], ['lvs-unconfigured', [null]], ['sorry-server', [7]]]);
  });

  it('a UDP service (the events write ip:port/udp) is the virtual server of that port with protocol UDP, not a TCP one', () => {
    const udp = VS('  lb_kind NAT\n  delay_loop 3\n  protocol UDP\n  real_server 10.1.0.24 53 {\n    DNS_CHECK {\n    }\n  }\n', '10.0.0.100 53');
    const tcpOnly = VS('  lb_kind NAT\n  delay_loop 3\n  real_server 10.1.0.24 53 {\n    TCP_CHECK {\n    }\n  }\n', '10.0.0.100 53');
    const fwd: E[] = [probe('dns', '10.1.0.24:53'), { kind: 'lvs.forward', time: 2, method: 'nat', vip: '10.0.0.100:53/udp', realServer: '10.1.0.24:53', sorry: false }];
    expect(kinds(check(fwd, [conf(udp)]))).toEqual([]);
    expect(kinds(check(fwd.map((e) => (e.kind === 'hc.probe' ? probe('tcp', '10.1.0.24:53') : e)), [conf(tcpOnly)]))).toEqual([['lvs-unconfigured', [null]]]);
    // and a TCP service is not the UDP virtual server of that port
    expect(kinds(check([probe('dns', '10.1.0.24:53'), { ...fwd[1], vip: '10.0.0.100:53' }], [conf(udp)]))).toEqual([['lvs-unconfigured', [null]]]);
  });

  it('checks-variant (real keepalived 2.2.7: a DNS virtual server 10.0.0.100:53 protocol UDP) with its own configuration: no finding', { timeout: 60_000 }, async () => {
    const lab = fileURLToPath(new URL('../../captures/ivs/checks-variant/', import.meta.url));
    const doc = await reportJsonOnce([join(lab, 'checks-variant-front.pcap'), join(lab, 'checks-variant-back.pcap')], ['--config', join(lab, 'conf/keepalived-d1.conf')]);
    expect(doc.events.some((e: any) => e.kind === 'lvs.forward' && e.vip === '10.0.0.100:53/udp'), 'the capture forwards DNS through LVS-NAT').toBe(true);
    expect((doc.checklist as any).findings.map((f: any) => f.message)).toEqual([]);
  });

  it('quorum lost (the checks) while clients were refused, and the sorry server never answered', () => {
    const lost: E[] = [...probes,
      { kind: 'hc.state', time: 10, target: '10.1.0.21:80', state: 'down', director: '10.1.0.11', frames: [500] },
      { kind: 'svc.outage', time: 11, vip: '10.0.0.100:80', start: T0 + 11, end: T0 + 15, frames: [510, 511] },
      { kind: 'hc.state', time: 30, target: '10.1.0.21:80', state: 'up', director: '10.1.0.11' },
    ];
    const c = check(lost, [conf(lvs)]);
    expect(kinds(c)).toEqual([['quorum-no-sorry', [6, 7]]]);
    expect(c.findings[0].frames).toEqual([500, 510, 511]);
    // The sorry server answered: nothing to say. No client refused: nothing the capture can tell.
    expect(kinds(check([...lost, { kind: 'lvs.sorry', time: 12, vip: '10.0.0.100:80', sorryServer: '10.1.0.99:80', start: T0 + 12, end: T0 + 30 }], [conf(lvs)]))).toEqual([]);
    expect(kinds(check(lost.filter((e) => e.kind !== 'svc.outage'), [conf(lvs)]))).toEqual([]);
  });

  it('IPVS sync sent by a director whose configuration has no lvs_sync_daemon', () => {
    const c = check([...probes, { kind: 'lvs.sync', time: 3, sender: '10.1.0.11', syncid: 5 }], [conf(lvs)]);
    expect(kinds(c)).toEqual([['ipvs-sync', [null]]]);
  });
});

describe('IPVS sync from the master of the sync instance', () => {
  // d1 (VI_1, priority 150, lvs_sync_daemon on VI_1) advertises until 6.4 s and dies; d2 takes over
  // at 10 s (Master_Down_Interval after d1's last advert). Clients connect at `at`; no sync anywhere.
  const d1 = conf('global_defs {\n  router_id d1\n  lvs_sync_daemon eth0 VI_1\n}\nvrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  priority 150\n  virtual_ipaddress {\n    10.0.0.100\n  }\n}\nvirtual_server 10.0.0.100 80 {\n  lb_kind NAT\n  real_server 10.1.0.21 80 {\n  }\n}\n');
  const run = (at: number): Checklist => {
    const frames: Timed[] = [];
    for (let t = 0; t <= 6.4; t += 1) frames.push([t, advert({ src: '10.0.0.11', priority: 150 })]);
    frames.push([6.4, advert({ src: '10.0.0.11', priority: 150 })]);
    for (let t = 10; t <= 20; t += 1) frames.push([t, advert({ src: '10.0.0.12', priority: 100 })]);
    for (let i = 0; i < 3; i++) frames.push([at + i * 0.1, tcp({ src: '192.168.1.10', dst: '10.0.0.100', sport: 40000 + i, dport: 80, flags: 'S' })]);
    frames.sort((a, b) => a[0] - b[0]);
    const wire = new WireLedger();
    frames.forEach(([t, bytes], i) => wire.onPacket(decodePacket(Frame.of(bytes, 1, T0 + Math.floor(t), Math.round((t - Math.floor(t)) * 1e9), i + 1))));
    const events = ([
      { kind: 'vrrp.master', time: 0, vrid: 51, family: 4, version: 2, router: '10.0.0.11', priority: 150, reason: 'initial', previous: null, gapMs: null },
      { kind: 'vrrp.master', time: 10, vrid: 51, family: 4, version: 2, router: '10.0.0.12', priority: 100, reason: 'master-down', previous: '10.0.0.11', gapMs: 3600 },
      { kind: 'lvs.forward', time: at, method: 'nat', vip: '10.0.0.100:80', realServer: '10.1.0.21:80', director: '10.0.0.11', connections: 3, sorry: false },
    ] as E[]).map((e, i) => ({ id: `e${i + 1}`, frames: [i + 1], severity: 'info', ...e, time: T0 + e.time }) as AnalysisEvent).sort((a, b) => a.time - b.time);
    return buildChecklist(events, wire, new I18n('en'), { configs: [d1] });
  };

  it('clients connected while d1 was master and d1 sent no sync: a finding on its lvs_sync_daemon line', () => {
    const c = run(3);
    const sync = c.findings.filter((f) => f.kind === 'ipvs-sync');
    expect(sync.map((f) => [f.director, f.where])).toEqual([['d1 (10.0.0.11)', [{ file: d1.path, line: 3 }]]]);
    expect(sync[0].message).toContain('VI_1');
  });

  it('clients connected after d1\'s last advert, before d2 took over: d1 was no longer master, nothing to say', () => {
    // d1's tenure ends at its last advert (6.4 s: the takeover's gapMs places it), not when d2 is heard.
    expect(run(8).findings.filter((f) => f.kind === 'ipvs-sync')).toEqual([]);
  });
});

describe('retry timing against keepalived\'s defaults and inheritance (issue #15)', () => {
  // A series whose failed attempts showed retry, delay_before_retry and connect_timeout (inferred from their spacing).
  const failing = (checker: string, target: string, retry: number | null, dbrMs: number | null, ctMs: number | null = null) =>
    probe(checker, target, { intervalMs: 3000, down: 4, retry, delayBeforeRetryMs: dbrMs, connectTimeoutMs: ctMs } as Partial<E>);
  const lines = (c: Checklist) => c.findings.filter((f) => f.kind === 'hc-retry').map((f) => f.where.map((w) => w.line));

  it('the real server\'s and the virtual server\'s values are its checkers\' (check_data.c: checker, then real_server, then virtual_server)', () => {
    const c = conf(VS('  delay_loop 3\n  retry 2\n  delay_before_retry 2\n  real_server 10.1.0.21 80 {\n    connect_timeout 3\n    TCP_CHECK {\n    }\n  }\n'));
    expect(lines(check([failing('tcp', '10.1.0.21:80', 2, 2000, 3000)], [c]))).toEqual([]);
    // the wire's 1 retry, 1 s and 5 s: keepalived would have used the virtual server's retry 2 (line 6), delay_before_retry 2 (line 7), the real server's connect_timeout 3 (line 9)
    const off = check([failing('tcp', '10.1.0.21:80', 1, 1000, 5000)], [c]);
    expect(lines(off)).toEqual([[6, 7, 9]]);
    expect(off.findings.find((f) => f.kind === 'hc-retry')!.message).toMatch(/show retry 1, delay_before_retry 1\.00\ss, connect_timeout 5\.00\ss \(frame 100\); keepalived would use retry 2, delay_before_retry 2\.00\ss, connect_timeout 3\.00\ss /);
    // the checker's own value comes first
    const own = conf(VS('  delay_loop 3\n  retry 2\n  real_server 10.1.0.21 80 {\n    TCP_CHECK {\n      retry 1\n    }\n  }\n'));
    expect(lines(check([failing('tcp', '10.1.0.21:80', 1, 1000)], [own]))).toEqual([]);
  });

  it('each checker type\'s defaults: delay_before_retry 3 s for HTTP_GET, 1 s for TCP_CHECK; DNS_CHECK retry 3 and delay_loop between retries; MISC_CHECK retry 0', () => {
    const http = conf(VS('  delay_loop 3\n  real_server 10.1.0.21 80 {\n    HTTP_GET {\n      url {\n        path /\n      }\n    }\n  }\n'));
    expect(lines(check([failing('http', '10.1.0.21:80', 1, 3000)], [http]))).toEqual([]);
    const h1 = check([failing('http', '10.1.0.21:80', 1, 1000)], [http]);
    expect(lines(h1)).toEqual([[7]]); // the checker's line: the value is its type's default
    expect(h1.findings.find((f) => f.kind === 'hc-retry')!.message).toMatch(/keepalived would use delay_before_retry 3\.00\ss \(default\)/);
    const tcpc = conf(VS('  delay_loop 3\n  real_server 10.1.0.21 80 {\n    TCP_CHECK {\n    }\n  }\n'));
    expect(lines(check([failing('tcp', '10.1.0.21:80', 1, 1000)], [tcpc]))).toEqual([]);
    expect(lines(check([failing('tcp', '10.1.0.21:80', 1, 3000)], [tcpc]))).toEqual([[7]]);
    const dns = conf(VS('  delay_loop 4\n  real_server 10.1.0.24 53 {\n    DNS_CHECK {\n    }\n  }\n', '10.0.0.100 53'));
    expect(lines(check([failing('dns', '10.1.0.24:53', 3, 4000)], [dns]))).toEqual([]);
    expect(lines(check([failing('dns', '10.1.0.24:53', 1, 1000)], [dns]))).toEqual([[7]]);
    const misc = conf(VS('  delay_loop 3\n  real_server 10.1.0.24 80 {\n    MISC_CHECK {\n      misc_path "/bin/true"\n    }\n  }\n'));
    expect(lines(check([failing('misc', '10.1.0.24:80', 1, null)], [misc]))).toEqual([[7]]);
  });

  it('one failed attempt (retry 0 seen) is not judged: at start-up keepalived needs one failure whatever retry says', () => {
    const c = conf(VS('  delay_loop 3\n  real_server 10.1.0.21 80 {\n    TCP_CHECK {\n      retry 2\n    }\n  }\n'));
    expect(lines(check([failing('tcp', '10.1.0.21:80', 0, null)], [c]))).toEqual([]);
  });
});

describe('state MASTER without priority is the address owner, 255 (vrrp.c vrrp_complete_instance)', () => {
  const owner = conf('global_defs {\n  router_id d1\n}\nvrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    10.0.0.100\n  }\n}\n');
  const withAdverts = (priority: number): Checklist => {
    const wire = new WireLedger();
    for (let t = 0; t < 4; t++) wire.onPacket(decodePacket(Frame.of(advert({ src: '10.0.0.11', priority }), 1, T0 + t, 0, t + 1)));
    const events = [{ id: 'e1', kind: 'vrrp.master', time: T0, frames: [1], severity: 'info', vrid: 51, family: 4, version: 2, router: '10.0.0.11', priority, reason: 'initial', previous: null, gapMs: null }] as unknown as AnalysisEvent[];
    return buildChecklist(events, wire, new I18n('en'), { configs: [owner] });
  };

  it('adverts at 255 agree with it; adverts at 100 do not, and the finding says 255 is the default', () => {
    expect(withAdverts(255).findings.filter((f) => f.kind === 'vrrp-priority')).toEqual([]);
    const low = withAdverts(100).findings.filter((f) => f.kind === 'vrrp-priority');
    expect(low.map((f) => f.where.map((w) => w.line))).toEqual([[4]]);
    expect(low[0].message).toContain('255 (default)');
  });
});

describe('findings in French', () => {
  it('speak as the course does', () => {
    const c = check([probe('tcp', '10.1.0.21:80', { intervalMs: 9000 })], [conf(VS('  delay_loop 3\n  real_server 10.1.0.21 80 {\n    TCP_CHECK {\n    }\n  }\n'))], 'fr');
    expect(c.findings[0].message).toMatch(/^d1 \(10\.1\.0\.11\) sonde 10\.1\.0\.21:80 \(TCP_CHECK\) toutes les 9,00\ss \(trame 100\), mais .*:5 fixe delay_loop 3\.$/);
  });
});
