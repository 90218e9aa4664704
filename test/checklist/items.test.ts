// Each checklist item proven and missing, on synthetic event lists where no capture shows it (LVS-DR,
// LVS-TUN, PING/UDP/DNS checks, an unfinished sorry period…); which items are required; --expect;
// nopreempt on literal frames; the text of `check` and the report section in both languages.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { buildChecklist, ChecklistAnalyzer, BEHAVIOURS, parseExpect, ExpectError, type Checklist } from '../../src/checklist/index.js';
import { checklistText } from '../../src/checklist/text.js';
import { checklistSection } from '../../src/checklist/section.js';
import { WireLedger } from '../../src/checklist/wire.js';
import { parseKeepalivedConf, type KeepalivedConfig } from '../../src/config/index.js';
import { I18n } from '../../src/present/i18n/index.js';
import { advert, adverts, arp, byTime, run, type Timed } from '../support/frames.js';

const T0 = 1795550000;
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-items-'));
let confN = 0;
function conf(text: string): KeepalivedConfig {
  const p = join(dir, `k${confN++}.conf`);
  writeFileSync(p, text);
  return parseKeepalivedConf(p);
}

type E = Partial<AnalysisEvent> & { kind: string; time: number };
function events(list: E[]): AnalysisEvent[] {
  return list.map((e, i) => ({ id: e.id ?? `e${i + 1}`, frames: [i * 10 + 1, i * 10 + 2], severity: 'info', summary: `${e.kind} #${i + 1}`, ...e, time: T0 + e.time }) as AnalysisEvent)
    .sort((a, b) => a.time - b.time);
}
function checklist(list: E[], opts: { configs?: KeepalivedConfig[]; expect?: string; lang?: 'en' | 'fr'; wire?: WireLedger } = {}): Checklist {
  return buildChecklist(events(list), opts.wire ?? new WireLedger(), new I18n(opts.lang ?? 'en'), {
    configs: opts.configs, expect: opts.expect ? parseExpect(opts.expect) : null,
  });
}
const item = (c: Checklist, id: string) => c.items.find((i) => i.id === id)!;

const master = (time: number, router: string, reason: string, extra: Partial<E> = {}): E =>
  ({ kind: 'vrrp.master', time, vrid: 51, router, priority: router.endsWith('.11') ? 150 : 100, reason, previous: reason === 'initial' ? null : router.endsWith('.11') ? '10.0.0.12' : '10.0.0.11', addresses: ['10.0.0.100'], ...extra });

describe('each item, proven and missing', () => {
  it('vrrp-election: the first master and its gratuitous ARPs; a capture that starts on a steady master does not show it', () => {
    const c = checklist([master(5, '10.0.0.11', 'initial', { id: 'm1' }), { kind: 'arp.garp', time: 5.001, related: 'm1', ip: '10.0.0.100' }]);
    expect(item(c, 'vrrp-election')).toMatchObject({ status: 'proven', required: true, frames: [1, 2, 11, 12] });
    expect(item(c, 'vrrp-election').evidence.map((e) => e.kind)).toEqual(['vrrp.master', 'arp.garp']);
    const wire = new WireLedger();
    wire.firstTime = T0 + 0.2;
    const late = checklist([master(0.3, '10.0.0.11', 'initial')], { wire });
    expect(item(late, 'vrrp-election')).toMatchObject({ status: 'missing', detail: expect.stringContaining('already master of VRID 51 (frame 2)') });
    expect(item(late, 'vrrp-election').step).toContain('start keepalived on both directors');
  });

  it('vrrp-failover: a takeover after the master fell silent; a takeover after priority 0 is not one', () => {
    const c = checklist([master(1, '10.0.0.11', 'initial'), { kind: 'vrrp.silent', time: 13, router: '10.0.0.11', vrid: 51, takenOverBy: '10.0.0.12' }, master(13.6, '10.0.0.12', 'master-down')]);
    expect(item(c, 'vrrp-failover')).toMatchObject({ status: 'proven' });
    expect(item(c, 'vrrp-failover').evidence.map((e) => e.kind)).toEqual(['vrrp.master', 'vrrp.silent']);
    const clean = checklist([master(1, '10.0.0.11', 'initial'), { kind: 'vrrp.resign', time: 10, router: '10.0.0.11', vrid: 51 }, master(10.6, '10.0.0.12', 'resignation')]);
    expect(item(clean, 'vrrp-failover')).toMatchObject({ status: 'missing', detail: expect.stringContaining('follow a clean stop') });
    expect(item(clean, 'vrrp-failover').step).toContain('pkill -9 keepalived');
    expect(item(clean, 'vrrp-failover').step).toContain('10.0.0.11');
    expect(item(clean, 'vrrp-clean-stop')).toMatchObject({ status: 'proven' });
    expect(item(clean, 'vrrp-clean-stop').evidence.map((e) => e.kind)).toEqual(['vrrp.resign', 'vrrp.master']);
  });

  it('vrrp-preemption and vrrp-clean-stop missing: the steps say what to do', () => {
    const c = checklist([master(1, '10.0.0.11', 'initial')]);
    expect(item(c, 'vrrp-preemption')).toMatchObject({ status: 'missing', evidence: [], frames: [] });
    expect(item(c, 'vrrp-clean-stop').step).toContain('systemctl stop keepalived');
    const p = checklist([master(1, '10.0.0.12', 'initial'), master(4, '10.0.0.11', 'preemption')]);
    expect(item(p, 'vrrp-preemption')).toMatchObject({ status: 'proven', frames: [11, 12] });
  });

  it('garp: every takeover announced; one without gratuitous ARP makes it missing; a takeover seen on two links counts once', () => {
    const ok = checklist([master(1, '10.0.0.11', 'initial', { id: 'm1' }), { kind: 'arp.garp', time: 1.001, related: 'm1' }]);
    expect(item(ok, 'garp').status).toBe('proven');
    const bad = checklist([master(1, '10.0.0.11', 'initial', { id: 'm1' }), { kind: 'arp.garp', time: 1.001, related: 'm1' }, master(9, '10.0.0.12', 'master-down', { id: 'm2' }), { kind: 'arp.missing-garp', time: 9, related: 'm2', frames: [77], router: '10.0.0.12', vrid: 51, family: 4, addresses: ['10.0.0.100'] }]);
    expect(item(bad, 'garp')).toMatchObject({ status: 'missing', detail: expect.stringContaining('77') });
    const twin = checklist([master(1, '10.0.0.11', 'initial', { id: 'a' }), master(1.0002, '10.0.0.11', 'initial', { id: 'b' }), { kind: 'arp.garp', time: 1.001, related: 'b' }, { kind: 'arp.missing-garp', time: 1, related: 'a', router: '10.0.0.11', vrid: 51, family: 4, addresses: ['10.0.0.100'] }]);
    expect(item(twin, 'garp').status).toBe('proven');
    const none = checklist([{ kind: 'vrrp.invalid', time: 1, vrid: 51, router: '10.0.0.11' }]);
    expect(item(none, 'garp')).toMatchObject({ status: 'missing', required: true });
  });

  for (const k of ['tcp', 'http', 'ssl', 'smtp', 'misc', 'ping', 'udp', 'dns']) {
    it(`hc-${k}: probes seen prove it; configured but not seen, the step says where to capture`, () => {
      const c = checklist([{ kind: 'hc.probe', time: 1, checker: k, director: '10.1.0.11', target: '10.1.0.21:80', intervalMs: 2000, count: 5 }]);
      expect(item(c, `hc-${k}`)).toMatchObject({ status: 'proven', required: true, why: 'seen in the capture' });
      const name = { tcp: 'TCP_CHECK', http: 'HTTP_GET', ssl: 'SSL_GET', smtp: 'SMTP_CHECK', misc: 'MISC_CHECK', ping: 'PING_CHECK', udp: 'UDP_CHECK', dns: 'DNS_CHECK' }[k]!;
      const cfg = conf(`virtual_server 10.0.0.100 80 {\n  delay_loop 3\n  real_server 10.1.0.21 80 {\n    ${name} {\n    }\n  }\n}\n`);
      const m = checklist([], { configs: [cfg] });
      expect(item(m, `hc-${k}`)).toMatchObject({ status: 'missing', required: true, why: `configured (${cfg.path}:4)`, detail: expect.stringContaining(`${name} is configured (${cfg.path}:4)`) });
      expect(item(m, `hc-${k}`).step).toContain('6.00');
      const unconfigured = checklist([]);
      expect(item(unconfigured, `hc-${k}`)).toMatchObject({ status: 'missing', required: false });
      expect(item(unconfigured, `hc-${k}`).step).toContain(name);
    });
  }

  it('pool-out-in: out and back in; or failing and passing its check again; out for good is missing', () => {
    const pool = checklist([{ kind: 'lvs.realserver', time: 10, realServer: '10.1.0.21:80', state: 'out' }, { kind: 'lvs.realserver', time: 30, realServer: '10.1.0.21:80', state: 'in' }]);
    expect(item(pool, 'pool-out-in')).toMatchObject({ status: 'proven', required: false });
    const checks = checklist([{ kind: 'hc.state', time: 10, target: '10.1.0.21:80', director: '10.1.0.11', state: 'down' }, { kind: 'hc.state', time: 20, target: '10.1.0.21:80', director: '10.1.0.11', state: 'up' }]);
    expect(item(checks, 'pool-out-in').status).toBe('proven');
    const gone = checklist([{ kind: 'hc.probe', time: 1, checker: 'tcp', director: '10.1.0.11', target: '10.1.0.21:80' }, { kind: 'lvs.realserver', time: 10, realServer: '10.1.0.21:80', state: 'out', frames: [99] }]);
    expect(item(gone, 'pool-out-in')).toMatchObject({ status: 'missing', required: true, detail: expect.stringContaining('10.1.0.21:80 left (frame 99)'), frames: [99] });
    expect(item(gone, 'pool-out-in').step).toContain('systemctl stop apache2');
  });

  it('sorry-server: a window that closes; one still open at the end is missing', () => {
    const done = checklist([{ kind: 'lvs.sorry', time: 10, vip: '10.0.0.100:80', sorryServer: '10.1.0.99:80', start: T0 + 10, end: T0 + 20 }]);
    expect(item(done, 'sorry-server')).toMatchObject({ status: 'proven', required: true });
    const open = checklist([{ kind: 'lvs.sorry', time: 10, vip: '10.0.0.100:80', sorryServer: '10.1.0.99:80', start: T0 + 10, end: null, frames: [5] }]);
    expect(item(open, 'sorry-server')).toMatchObject({ status: 'missing', detail: expect.stringContaining('had not handed back') });
    const cfg = conf('virtual_server 10.0.0.100 80 {\n  quorum 2\n  sorry_server 10.1.0.99 80\n  real_server 10.1.0.21 80 {\n  }\n}\n');
    expect(item(checklist([], { configs: [cfg] }), 'sorry-server')).toMatchObject({ status: 'missing', required: true, why: `configured (${cfg.path}:3)` });
  });

  it('ipvs-sync, lvs-nat, lvs-dr, lvs-tun: proven by their events, required when configured', () => {
    const c = checklist([
      { kind: 'lvs.sync', time: 1, sender: '10.1.0.11', syncid: 51 },
      { kind: 'lvs.forward', time: 2, method: 'dr', vip: '10.0.0.100:80', realServer: '10.1.0.21:80' },
      { kind: 'lvs.forward', time: 3, method: 'tun', vip: '10.0.0.100:80', realServer: '10.1.0.22:80' },
    ]);
    expect(['ipvs-sync', 'lvs-nat', 'lvs-dr', 'lvs-tun'].map((id) => [id, item(c, id).status, item(c, id).required])).toEqual([
      ['ipvs-sync', 'proven', true], ['lvs-nat', 'missing', false], ['lvs-dr', 'proven', true], ['lvs-tun', 'proven', true],
    ]);
    const cfg = conf('global_defs {\n  lvs_sync_daemon eth1 VI_2\n}\nvirtual_server 10.0.0.100 80 {\n  lb_kind TUN\n}\n');
    const m = checklist([], { configs: [cfg] });
    expect(['ipvs-sync', 'lvs-tun', 'lvs-dr'].map((id) => [item(m, id).status, item(m, id).required])).toEqual([['missing', true], ['missing', true], ['missing', false]]);
    expect(item(m, 'lvs-tun').step).toContain('lb_kind TUN');
    expect(item(m, 'ipvs-sync').step).toContain('lvs_sync_daemon');
  });
});

describe('which items are required', () => {
  it('nothing seen, nothing configured: nothing is required (and the checklist is not complete)', () => {
    const c = checklist([]);
    expect(c.items.filter((i) => i.required)).toEqual([]);
    expect([c.complete, c.counts]).toEqual([false, { required: 0, proven: 0, missing: 0, findings: 0 }]);
    expect(c.items.map((i) => i.id)).toEqual([...BEHAVIOURS]);
  });

  it('--expect names them: a list, patterns, or a file with comments', () => {
    const c = checklist([master(1, '10.0.0.11', 'initial')], { expect: 'vrrp-election,hc-*' });
    expect(c.items.filter((i) => i.required).map((i) => i.id)).toEqual(['vrrp-election', 'hc-tcp', 'hc-http', 'hc-ssl', 'hc-smtp', 'hc-misc', 'hc-ping', 'hc-udp', 'hc-dns']);
    expect(c.mode).toBe('expect');
    const file = join(dir, 'expect.txt');
    writeFileSync(file, '# lab 3: directors\nvrrp-failover   # kill -9 the master\n\nvrrp-clean-stop, garp\n');
    expect(parseExpect(file)).toEqual({ ids: ['vrrp-failover', 'vrrp-clean-stop', 'garp'], source: file });
    expect(() => parseExpect('vrrp-failover,nope')).toThrow(ExpectError);
    expect(() => parseExpect('# nothing')).toThrow(ExpectError);
    const f = checklist([], { expect: file });
    expect(f.expectSource).toBe(file);
  });
});

describe('nopreempt, on literal frames', () => {
  const d1 = '10.0.0.11', d2 = '10.0.0.12';
  const configs = () => [
    conf('global_defs { router_id d1 }\nvrrp_instance VI_1 {\n  state BACKUP\n  nopreempt\n  virtual_router_id 51\n  priority 150\n  virtual_ipaddress {\n    10.0.0.100\n  }\n}\n'),
    conf('global_defs { router_id d2 }\nvrrp_instance VI_1 {\n  state BACKUP\n  nopreempt\n  virtual_router_id 51\n  priority 100\n  virtual_ipaddress {\n    10.0.0.100\n  }\n}\n'),
  ];
  const story = (d1Returns: Timed[]): Timed[] => [
    ...adverts({ src: d1, priority: 150 }, 2, 8),
    ...adverts({ src: d2, priority: 100 }, 10.61, 30),
    ...d1Returns,
  ].sort(byTime);
  const checklistOf = (frames: Timed[]) => {
    const i18n = new I18n('en');
    const { engine } = run([...defaultAnalyzers(), new ChecklistAnalyzer({ configs: configs() })], frames);
    return engine.facts().checklist as Checklist;
  };

  it('the former master comes back (an ARP from it) and stays backup: proven, with the frame of its return', () => {
    const frames = story([[18, arp({ senderIp: d1, targetIp: '10.0.0.50' })]]);
    const c = checklistOf(frames);
    const i = item(c, 'vrrp-preemption');
    expect(i.title).toBe('No preemption (nopreempt): the returning director stays backup');
    expect(i.status).toBe('proven');
    const returnFrame = frames.findIndex(([t]) => t === 18) + 1;
    expect(i.frames).toContain(returnFrame);
    expect(c.findings).toEqual([]);
  });

  it('it comes back and takes over: missing, and the configuration finding names the nopreempt line', () => {
    const c = checklistOf(story(adverts({ src: d1, priority: 150 }, 20, 24)));
    expect(item(c, 'vrrp-preemption')).toMatchObject({ status: 'missing', detail: expect.stringContaining('although nopreempt is configured') });
    expect(c.findings.map((f) => [f.kind, f.where[0].line])).toEqual([['vrrp-nopreempt', 4]]);
  });

  it('it never comes back: missing, the step says to restart it', () => {
    const c = checklistOf(story([]));
    expect(item(c, 'vrrp-preemption')).toMatchObject({ status: 'missing', detail: expect.stringContaining('is not seen coming back') });
    expect(item(c, 'vrrp-preemption').step).toContain('must stay master');
  });
});

describe('what the wire shows against a configuration, on literal frames', () => {
  it('unicast peers, VIPs, version and auth read from the adverts, frame by frame', () => {
    const i18n = new I18n('en');
    const cfg = conf('global_defs { router_id d1 }\nvrrp_instance VI_1 {\n  virtual_router_id 51\n  priority 150\n  authentication {\n    auth_type PASS\n    auth_pass secret\n  }\n  unicast_peer {\n    10.0.0.12\n  }\n  virtual_ipaddress {\n    10.0.0.100\n  }\n}\n');
    const frames: Timed[] = [
      [1, advert({ src: '10.0.0.11', priority: 150, auth: 'secret', dst: '10.0.0.12' })],
      [2, advert({ src: '10.0.0.11', priority: 150, auth: 'secret', dst: '10.0.0.12' })],
      [3, advert({ src: '10.0.0.11', priority: 150, auth: 'other', vips: ['10.0.0.100', '10.0.0.101'] })],
    ];
    const { engine } = run([...defaultAnalyzers(), new ChecklistAnalyzer({ configs: [cfg] })], frames);
    const c = engine.facts().checklist as Checklist;
    expect(c.findings.map((f) => [f.kind, f.where[0].line, f.frames])).toEqual([
      ['vrrp-auth', 7, [3]],
      ['vrrp-vips', 12, [3]],
      ['vrrp-unicast', 10, [3]],
    ]);
    expect(c.findings[0].message).toBe('d1 (10.0.0.11) sends VRID 51 adverts with auth_pass "other" (frame 3), but ' + `${cfg.path}:7 sets auth_pass "secret".`);
  });
});

describe('the text of `check` and the report section, in both languages', () => {
  const list: E[] = [master(1, '10.0.0.11', 'initial', { id: 'm1' }), { kind: 'arp.garp', time: 1.001, related: 'm1' }];
  it('text: statuses, frames, steps, verdict', () => {
    const en = checklistText(checklist(list), new I18n('en'), { captures: ['lab.pcap'] });
    expect(en).toContain('Lab checklist — lab.pcap');
    expect(en).toMatch(/\[proven\]\s+vrrp-election/);
    expect(en).toMatch(/\[not shown\]\s+vrrp-failover/);
    expect(en).toContain('To show it:');
    expect(en).toContain('No keepalived.conf given');
    expect(en.trim().split('\n').pop()).toBe('2 of 5 required behaviours proven. Missing: vrrp-failover, vrrp-preemption, vrrp-clean-stop.');
    const fr = checklistText(checklist(list, { lang: 'fr' }), new I18n('fr'), { captures: ['tp.pcap'] });
    expect(fr).toContain('Liste de vérification du TP — tp.pcap');
    expect(fr).toMatch(/\[non montré\]\s+vrrp-failover/);
    expect(fr).toContain('Pour le montrer :');
    expect(fr).toContain('Bascule : le routeur de secours prend le relais quand le maître tombe');
  });

  it('section: items with links to their events and frames, nothing when there is no checklist', () => {
    const c = checklist(list);
    const view = checklistSection({ facts: { checklist: c } }, new I18n('en'), { frameHref: (n) => (n < 10 ? `#frame-${n}` : null), eventHref: (id) => `#event-${id}` })!;
    expect(view.items.map((i) => [i.id, i.status, i.cls])).toEqual([
      ['vrrp-election', 'proven', 'sev-info'], ['vrrp-failover', 'missing', 'sev-warning'], ['vrrp-preemption', 'missing', 'sev-warning'],
      ['vrrp-clean-stop', 'missing', 'sev-warning'], ['garp', 'proven', 'sev-info'],
    ]);
    expect(view.items[0].evidence[0]).toEqual({
      summary: '10.0.0.11 becomes master of VRID 51 (priority 150) and announces 10.0.0.100: the first master seen in the capture.',
      refs: [{ event: 'm1', time: 'm1', href: '#event-m1' }],
    });
    expect(view.items[0].frames).toEqual([{ n: 1, href: '#frame-1' }, { n: 2, href: '#frame-2' }, { n: 11, href: null }, { n: 12, href: null }]);
    expect(view.findingsNone).toContain('No keepalived.conf given');
    expect(checklistSection({ facts: {} }, new I18n('en'))).toBeNull();
  });

  it('section: each proof once, with the time of every event that gives it', () => {
    const c = checklist(list);
    const item = c.items.find((i) => i.evidence.length > 0)!;
    const first = item.evidence[0];
    // The same sentence from two events (a GARP burst per takeover reads the same): one line, two times.
    item.evidence = [first, { ...first, event: 'again', time: first.time + 10 }];
    const view = checklistSection({ facts: { checklist: c } }, new I18n('en'), { eventHref: (id) => `#event-${id}`, time: (t) => `${t - first.time} s` })!;
    const proofs = view.items.find((i) => i.id === item.id)!.evidence;
    expect(proofs).toHaveLength(1);
    expect(proofs[0].refs).toEqual([{ event: first.event, time: '0 s', href: `#event-${first.event}` }, { event: 'again', time: '10 s', href: '#event-again' }]);
  });
});
