// The checklist and the cross-check on the IPVS labs (real keepalived, real IPVS): every behaviour the
// ground truth shows is proven, with frames taken from the events that prove it, and nothing else is;
// the labs' own keepalived.conf files give no finding; altered copies give exactly the findings their
// alteration causes, at the altered line, with frames that show it.

import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../support/captures.js';
import { reportJsonOnce, type OurReport } from '../support/ours.js';

const LABS = fixture('lab');
const labs = readdirSync(LABS).filter((d) => existsSync(join(LABS, d, 'ground-truth.json')));
const CHECKERS: Record<string, string> = { TCP_CHECK: 'hc-tcp', HTTP_GET: 'hc-http', SSL_GET: 'hc-ssl', SMTP_CHECK: 'hc-smtp', MISC_CHECK: 'hc-misc', PING_CHECK: 'hc-ping', UDP_CHECK: 'hc-udp', DNS_CHECK: 'hc-dns' };

/** The bridge captures of a lab (the -any capture repeats one director's view of both links). */
const capturesOf = (lab: string) => readdirSync(join(LABS, lab)).filter((f) => /\.(pcap|pcapng)$/.test(f) && !f.includes('-any')).map((f) => join(LABS, lab, f));
const confOf = (lab: string, d: string) => join(LABS, lab, 'conf', `keepalived-${d}.conf`);

interface Period { from: number; to: number; masters: string[] }

/** What the ground truth says happened, as checklist ids. */
function shownByGroundTruth(g: any): Set<string> {
  const ids = new Set<string>();
  const timelines = Object.values(g.master_timeline) as Period[][];
  if (timelines.some((t) => t[0]?.masters.length === 0 && t.some((p) => p.masters.length))) ids.add('vrrp-election').add('garp');
  if (g.actions.some((a: any) => a.event === 'director_crash' || a.event === 'keepalived_sigkill')) ids.add('vrrp-failover');
  // Preemption: d1 (priority 150) master right after d2, blips of a few ms (both or none) aside.
  for (const t of timelines) {
    const periods = t.filter((p) => p.to - p.from > 0.05);
    for (let i = 1; i < periods.length; i++) {
      if (periods[i].masters.join() === 'd1' && periods[i - 1].masters.includes('d2')) ids.add('vrrp-preemption');
    }
  }
  if (g.actions.some((a: any) => a.event === 'keepalived_sigterm')) ids.add('vrrp-clean-stop');
  const conf: string = g.keepalived_conf.d1;
  for (const [k, id] of Object.entries(CHECKERS)) if (new RegExp(`\\b${k}\\b`).test(conf)) ids.add(id);
  const changes: any[] = g.real_server_changes;
  const back = (c: any, action: string, sorry: boolean) => changes.some((x) => x.action === action && !!x.sorry_server === sorry && x.real_server === c.real_server && x.t > c.t);
  if (changes.some((c) => c.action === 'removing' && !c.sorry_server && back(c, 'adding', false))) ids.add('pool-out-in');
  if (changes.some((c) => c.action === 'adding' && c.sorry_server && back(c, 'removing', true))) ids.add('sorry-server');
  if (/lvs_sync_daemon/.test(conf)) ids.add('ipvs-sync');
  if (g.client.requests > 0 && /lb_kind NAT/.test(conf)) ids.add('lvs-nat');
  return ids;
}

function checklist(doc: OurReport): any {
  expect(doc.checklist, 'the JSON report carries the checklist').toBeDefined();
  return doc.checklist;
}

// Tests here run the built command's analysis of a whole lab: a budget for a loaded 2-core machine (vitest's default is 5 s).
describe('the lab checklist on the IPVS labs, with their keepalived.conf', { timeout: 60_000 }, () => {
  for (const lab of labs) {
    const g = JSON.parse(readFileSync(join(LABS, lab, 'ground-truth.json'), 'utf8'));
    const shown = shownByGroundTruth(g);
    // The lab analysed once for the four tests below.
    let c: any, byId: Map<string, any>, events: Map<string, any>;
    beforeAll(async () => {
      const doc = await reportJsonOnce(capturesOf(lab), ['--config', confOf(lab, 'd1'), '--config', confOf(lab, 'd2')]);
      c = checklist(doc);
      byId = new Map<string, any>(c.items.map((i: any) => [i.id, i]));
      events = new Map<string, any>(doc.events.map((e) => [e.id, e]));
    });

    it(`${lab}: proven exactly what the ground truth shows`, () => {
      const proven = c.items.filter((i: any) => i.status === 'proven').map((i: any) => i.id).sort();
      expect(proven).toEqual([...shown].sort());
    });

    it(`${lab}: each proof names events of the report, and frames from those events`, () => {
      for (const item of c.items.filter((i: any) => i.status === 'proven')) {
        expect(item.evidence.length, item.id).toBeGreaterThan(0);
        const fromEvents = new Set<number>();
        for (const ev of item.evidence) {
          const e = events.get(ev.event);
          expect(e, `${item.id}: event ${ev.event}`).toBeDefined();
          expect(e.kind).toBe(ev.kind);
          for (const n of ev.frames) expect(e.frames, `${item.id}: frame ${n} of ${ev.event}`).toContain(n);
          e.frames.forEach((n: number) => fromEvents.add(n));
        }
        for (const n of item.frames) expect(fromEvents.has(n), `${item.id}: frame ${n} comes from its events`).toBe(true);
      }
    });

    it(`${lab}: the proofs are the moments the ground truth names`, () => {
      const actions = (name: string) => g.actions.filter((a: any) => a.event === name).map((a: any) => a.t as number);
      const masterAt = (d: string) => g.vrrp_transitions.filter((x: any) => x.director === d && x.state === 'MASTER').map((x: any) => x.t as number);
      const near = (t: number, list: number[], w: number) => list.some((x) => Math.abs(x - t) <= w);
      // What the ground truth shows (not what the checklist says) decides what is checked, and each
      // behaviour shown must have events of the expected kind among its proofs: an empty proof fails.
      const ev = (id: string, kind?: string) => {
        const list = byId.get(id).evidence.map((x: any) => events.get(x.event)).filter((x: any) => kind === undefined || x?.kind === kind);
        expect(list.length, `${id}: events that prove it${kind ? ` (${kind})` : ''}`).toBeGreaterThan(0);
        return list;
      };
      let checked = 0;
      if (shown.has('vrrp-failover')) {
        for (const e of ev('vrrp-failover', 'vrrp.master')) {
          expect(e.reason).toBe('master-down');
          expect(near(e.time, masterAt('d2'), 1), `failover at ${e.time}`).toBe(true);
          checked++;
        }
      }
      if (shown.has('vrrp-preemption')) {
        for (const e of ev('vrrp-preemption')) { expect(near(e.time, masterAt('d1'), 1), `preemption at ${e.time}`).toBe(true); checked++; }
      }
      if (shown.has('vrrp-clean-stop')) {
        for (const e of ev('vrrp-clean-stop', 'vrrp.resign')) {
          expect(actions('keepalived_sigterm').some((t: number) => e.time >= t - 0.1 && e.time <= t + 1), `priority 0 at ${e.time}`).toBe(true);
          checked++;
        }
      }
      const window = 2 * Number(/delay_loop (\d+)/.exec(g.keepalived_conf.d1)![1]);
      for (const id of ['pool-out-in', 'sorry-server']) {
        if (!shown.has(id)) continue;
        for (const e of ev(id)) {
          const server = e.realServer ?? e.target ?? e.sorryServer;
          expect(g.real_server_changes.some((x: any) => (x.real_server === server || x.sorry_server) && Math.abs(x.t - e.time) <= window), `${id}: ${server} at ${e.time}`).toBe(true);
          checked++;
        }
      }
      for (const [checker, id] of Object.entries(CHECKERS)) {
        if (shown.has(id)) for (const e of ev(id)) { expect(e.checker).toBe(id.slice(3), checker); checked++; }
      }
      expect(checked, 'proofs compared with the ground truth').toBeGreaterThan(0);
    });

    it(`${lab}: the lab's own configuration gives no finding, and names the directors by router_id`, () => {
      expect(c.findings.map((f: any) => f.message)).toEqual([]);
      expect(c.directors.map((d: any) => [d.name, d.addresses.sort()])).toEqual([
        ['d1', ['10.0.0.11', '10.1.0.11']], ['d2', ['10.0.0.12', '10.1.0.12']],
      ]);
      expect(c.configs.flatMap((x: any) => x.problems)).toEqual([]);
    });
  }
});

// --- altered configurations ---

const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-altered-'));
function altered(lab: string, d: string, edit: (text: string) => string): { path: string; lineOf: (needle: string, from?: string) => number } {
  const text = edit(readFileSync(confOf(lab, d), 'utf8'));
  const path = join(dir, `${lab}-${d}-${Math.random().toString(36).slice(2, 8)}.conf`);
  writeFileSync(path, text);
  const lines = text.split('\n');
  return {
    path,
    lineOf: (needle, from) => {
      const start = from ? lines.findIndex((l) => l.includes(from)) : 0;
      return lines.findIndex((l, i) => i >= start && l.includes(needle)) + 1;
    },
  };
}
async function check(lab: string, d1: string, d2: string): Promise<{ doc: OurReport; findings: any[]; frame: (n: number) => any }> {
  const doc = await reportJsonOnce(capturesOf(lab), ['--config', d1, '--config', d2]);
  const frames = new Map(doc.frames.map((f) => [f.n, f]));
  return { doc, findings: (doc.checklist as any).findings, frame: (n) => frames.get(n) };
}

describe('altered configurations give exactly the findings of their alteration', { timeout: 60_000 }, () => {
  it('another priority (d2 VI_1 120 instead of 100): one finding at that line, frames = d2\'s priority-100 adverts', async () => {
    const d2 = altered('director-failover', 'd2', (t) => t.replace('priority 100', 'priority 120'));
    const { findings, frame } = await check('director-failover', confOf('director-failover', 'd1'), d2.path);
    expect(findings.map((f) => [f.kind, f.where])).toEqual([['vrrp-priority', [{ file: d2.path, line: d2.lineOf('priority 120') }]]]);
    expect(findings[0].director).toBe('d2 (10.0.0.12)');
    expect(findings[0].message).toContain('priority 100');
    for (const n of findings[0].frames) expect(frame(n).layers.vrrp, `frame ${n}`).toMatchObject({ 'vrrp.virt_rtr_id': 51, 'vrrp.prio': 100 });
    for (const n of findings[0].frames) expect(frame(n).layers.ip['ip.src']).toBe('10.0.0.12');
  });

  it('another delay_loop (d1 6 s instead of 3): one finding at that line, naming both real servers', async () => {
    const d1 = altered('director-failover', 'd1', (t) => t.replace('delay_loop 3', 'delay_loop 6'));
    const { findings, frame } = await check('director-failover', d1.path, confOf('director-failover', 'd2'));
    expect(findings.map((f) => [f.kind, f.where])).toEqual([['hc-delay-loop', [{ file: d1.path, line: d1.lineOf('delay_loop 6') }]]]);
    expect(findings[0].message).toMatch(/10\.1\.0\.21:80.*10\.1\.0\.22:80.*3\.01\ss/);
    expect(findings[0].director).toBe('d1 (10.1.0.11)');
    for (const n of findings[0].frames) expect(frame(n).layers.ip['ip.src']).toBe('10.1.0.11');
  });

  it('a checker removed (d1 rs2 TCP_CHECK): its probes are explained by no configuration', async () => {
    const d1 = altered('director-failover', 'd1', (t) => t.replace(/(real_server 10\.1\.0\.22 80 \{\n\s*weight 1\n)\s*TCP_CHECK \{\n[^}]*\}\n/, '$1'));
    expect(readFileSync(d1.path, 'utf8').match(/TCP_CHECK/g)).toHaveLength(1);
    const { findings, frame } = await check('director-failover', d1.path, confOf('director-failover', 'd2'));
    expect(findings.map((f) => [f.kind, f.where])).toEqual([['hc-unconfigured', [{ file: d1.path, line: d1.lineOf('real_server 10.1.0.22') }]]]);
    for (const n of findings[0].frames) expect([frame(n).layers.ip['ip.src'], frame(n).layers.ip['ip.dst']]).toContain('10.1.0.22');
  });

  it('retry timing (#15): d1 rs1\'s HTTP_GET without delay_before_retry (HTTP_GET\'s default, 3 s), d2 rs1 given retry 3 by its real_server: the wire\'s 1 s and 1 retry contradict both', async () => {
    const rs1 = /(real_server 10\.1\.0\.21 80 \{\n\s*weight 1\n)([\s\S]*?)(\n\s*real_server)/;
    const d1 = altered('healthcheck-mix', 'd1', (t) => t.replace(rs1, (_, head, body, tail) => head + body.replace(/\n\s*delay_before_retry 1/, '') + tail));
    const d2 = altered('healthcheck-mix', 'd2', (t) => t.replace(rs1, (_, head, body, tail) => head + '      retry 3\n' + body.replace(/\n\s*retry 1/, '') + tail));
    const { findings, frame } = await check('healthcheck-mix', d1.path, d2.path);
    expect(findings.map((f) => [f.kind, f.where])).toEqual([
      ['hc-retry', [{ file: d1.path, line: d1.lineOf('HTTP_GET', 'real_server 10.1.0.21') }]],
      ['hc-retry', [{ file: d2.path, line: d2.lineOf('retry 3') }]],
    ]);
    expect(findings[0].message).toMatch(/show delay_before_retry 1\.00\ss .*keepalived would use delay_before_retry 3\.00\ss \(default\)/);
    expect(findings[1].message).toMatch(/show retry 1 .*keepalived would use retry 3 /);
    for (const f of findings) for (const n of f.frames) expect(frame(n).layers.ip['ip.dst']).toBe('10.1.0.21');
  });

  it('a checker path changed (d1 /health → /status) and a HELO name changed (d2)', async () => {
    const d1 = altered('healthcheck-mix', 'd1', (t) => t.replace('path /health', 'path /status'));
    const d2 = altered('healthcheck-mix', 'd2', (t) => t.replace('helo_name lab-director.vrrpscope', 'helo_name mail.example'));
    const { findings, frame } = await check('healthcheck-mix', d1.path, d2.path);
    expect(findings.map((f) => [f.kind, f.where])).toEqual([
      ['hc-params', [{ file: d1.path, line: d1.lineOf('path /status') }]],
      ['hc-params', [{ file: d2.path, line: d2.lineOf('helo_name mail.example') }]],
    ]);
    expect(findings[0].message).toContain('/health');
    expect(findings[1].message).toContain('HELO lab-director.vrrpscope');
    for (const n of findings[0].frames) expect(frame(n)).toBeDefined();
  });

  it('another advert_int on one director: the wire differs, and the two configurations disagree', async () => {
    const d1 = altered('healthcheck-mix', 'd1', (t) => t.replace('advert_int 1', 'advert_int 2'));
    const { findings } = await check('healthcheck-mix', d1.path, confOf('healthcheck-mix', 'd2'));
    expect(findings.map((f) => f.kind)).toEqual(['vrrp-advert-int', 'vrrp-config-disagree']);
    expect(findings[0].where).toEqual([{ file: d1.path, line: d1.lineOf('advert_int 2') }]);
    expect(findings[1].where.map((w: any) => w.line)).toEqual([d1.lineOf('advert_int 2'), 18]);
  });

  it('the sorry server removed from one configuration: the one that answered is named', async () => {
    const d1 = altered('quorum-sorry', 'd1', (t) => t.replace('   sorry_server 10.1.0.99 80\n', ''));
    const { findings } = await check('quorum-sorry', d1.path, confOf('quorum-sorry', 'd2'));
    expect(findings.map((f) => [f.kind, f.where])).toEqual([['sorry-server', [{ file: d1.path, line: d1.lineOf('virtual_server') }]]]);
    expect(findings[0].message).toContain('10.1.0.99:80');
  });

  it('another sync id: the sync messages carry the old one', async () => {
    const d1 = altered('lvs-nat-basic', 'd1', (t) => t.replace('lvs_sync_daemon eth1 VI_2 id 51', 'lvs_sync_daemon eth1 VI_2 id 9'));
    const { findings } = await check('lvs-nat-basic', d1.path, confOf('lvs-nat-basic', 'd2'));
    expect(findings.map((f) => [f.kind, f.where])).toEqual([['ipvs-sync', [{ file: d1.path, line: 4 }]]]);
    expect(findings[0].message).toContain('syncid 51');
  });
});
