// The project's own VRRP captures (captures/*.pcap, recorded by scripts/lab.sh; each README says what
// happened) with their keepalived.conf files: the VRRP items proven or missing as the README says, no
// finding where the configuration matches, and in the mismatch captures the auth / interval finding
// only on the frames where the wire shows it.

import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { reportJsonOnce, reportText, runCli } from '../support/ours.js';

const CAPTURES = fileURLToPath(new URL('../../captures', import.meta.url));
const conf = (name: string, file: string) => join(CAPTURES, name, 'conf', file);
const ALL = ['vrrp-election', 'vrrp-failover', 'vrrp-preemption', 'vrrp-clean-stop', 'garp'];

// From each README's "Script actions" and "Expected master timeline".
const expected: Record<string, string[]> = {
  'vrrp-failover': ALL, // election, crash (SIGKILL + link down), return and preemption, clean stop
  'vrrp-garp-variant': ['vrrp-election', 'vrrp-clean-stop', 'garp'], // d1 master, then SIGTERM: resignation
  'vrrp-interval-mismatch': ['vrrp-election', 'garp'], // dual master, fixed by a reload: no failure, no stop
  'vrrp-link-down': ['vrrp-election', 'vrrp-failover', 'vrrp-preemption', 'garp'], // FAULT: its priority 0 never leaves
  'vrrp-mismatch': ['vrrp-election', 'garp'],
  'vrrp-split-brain': ['vrrp-election', 'garp'],
  'vrrp-ttl': ['vrrp-election', 'garp'],
  'vrrp-unicast': ALL, // the first master's transition is the capture's first advert, with its GARPs
  'vrrp-v3-ipv6': ALL, // both instances, v4 and v6 (unsolicited NAs for the IPv6 VIPs)
};

const available = Object.keys(expected); // committed with the project: a missing one fails

// Tests here run the built command several times: a budget for a loaded 2-core machine (vitest's default is 5 s).
describe('the VRRP captures of the project, with their keepalived.conf', { timeout: 60_000 }, () => {
  for (const name of available) {
    let c: any;
    beforeAll(async () => {
      c = (await reportJsonOnce([join(CAPTURES, `${name}.pcap`)], ['--config', conf(name, 'keepalived-d1.conf'), '--config', conf(name, 'keepalived-d2.conf')])).checklist;
    });

    it(`${name}: the VRRP items are proven or missing as the README says`, () => {
      const items = c.items.filter((i: any) => ALL.includes(i.id));
      expect(items.every((i: any) => i.required), 'VRRP seen: every VRRP item is required').toBe(true);
      expect(items.filter((i: any) => i.status === 'proven').map((i: any) => i.id)).toEqual(expected[name]);
      for (const i of items.filter((x: any) => x.status === 'missing')) expect(i.step, i.id).toMatch(/\S{10}/);
      expect(c.items.filter((i: any) => !ALL.includes(i.id) && (i.required || i.status === 'proven'))).toEqual([]);
      expect(c.complete).toBe(expected[name].length === ALL.length);
    });

    if (name !== 'vrrp-mismatch' && name !== 'vrrp-interval-mismatch') {
      it(`${name}: the configuration matches the wire: no finding`, () => {
        expect(c.findings.map((f: any) => f.message)).toEqual([]);
        expect(c.directors.map((d: any) => d.name)).toEqual(['d1', 'd2']);
        expect(c.directors.every((d: any) => d.addresses.length > 0)).toBe(true);
      });
    }
  }

  it('vrrp-mismatch: d2\'s adverts with the old password, and only those, are the finding', async () => {
    const pcap = join(CAPTURES, 'vrrp-mismatch.pcap');
    const doc = await reportJsonOnce([pcap], ['--config', conf('vrrp-mismatch', 'keepalived-d1.conf'), '--config', conf('vrrp-mismatch', 'keepalived-d2.conf')]);
    const findings = (doc.checklist as any).findings;
    // Paths under the current directory are shown relative to it, as a user would type them.
    expect(findings.map((f: any) => [f.kind, f.director, f.where])).toEqual([['vrrp-auth', 'd2 (10.0.0.12)', [{ file: relative(process.cwd(), conf('vrrp-mismatch', 'keepalived-d2.conf')), line: 18 }]]]);
    const frames = new Map(doc.frames.map((f) => [f.n, f]));
    expect(findings[0].frames.length, 'frames of the finding').toBeGreaterThan(0);
    for (const n of findings[0].frames) expect(frames.get(n)!.layers.vrrp, `frame ${n}`).toMatchObject({ 'vrrp.auth_string': 'vs-two' });
    // With the configuration d2 started with: its adverts after the fix differ, and the two files disagree.
    const before = await reportJsonOnce([pcap], ['--config', conf('vrrp-mismatch', 'keepalived-d1.conf'), '--config', conf('vrrp-mismatch', 'keepalived-d2.initial.conf')]);
    const f2 = (before.checklist as any).findings;
    expect(f2.map((f: any) => f.kind)).toEqual(['vrrp-auth', 'vrrp-config-disagree']);
    const frames2 = new Map(before.frames.map((f) => [f.n, f]));
    expect(f2[0].frames.length, 'frames of the finding').toBeGreaterThan(0);
    for (const n of f2[0].frames) expect(frames2.get(n)!.layers.vrrp).toMatchObject({ 'vrrp.auth_string': 'vs-one' });
    for (const n of f2[0].frames) expect(frames2.get(n)!.layers.ip['ip.src']).toBe('10.0.0.12');
    expect(f2[1].events.length).toBeGreaterThan(0);
  });

  it('vrrp-interval-mismatch: d2\'s adverts with Adver Int 2, and only those, are the finding', async () => {
    const pcap = join(CAPTURES, 'vrrp-interval-mismatch.pcap');
    const doc = await reportJsonOnce([pcap], ['--config', conf('vrrp-interval-mismatch', 'keepalived-d1.conf'), '--config', conf('vrrp-interval-mismatch', 'keepalived-d2.conf')]);
    const findings = (doc.checklist as any).findings;
    expect(findings.map((f: any) => [f.kind, f.director])).toEqual([['vrrp-advert-int', 'd2 (10.0.0.12)']]);
    const frames = new Map(doc.frames.map((f) => [f.n, f]));
    for (const n of findings[0].frames) expect(frames.get(n)!.layers.vrrp).toMatchObject({ 'vrrp.adver_int': 2 });
    expect(findings[0].frames.length).toBeGreaterThan(0);
  });

  it('vrrp-garp-variant: without its GARP settings, keepalived\'s defaults do not match the bursts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-garp-'));
    const strip = (d: string) => {
      const p = join(dir, `keepalived-${d}.conf`);
      writeFileSync(p, readFileSync(conf('vrrp-garp-variant', `keepalived-${d}.conf`), 'utf8').split('\n').filter((l) => !l.includes('garp')).join('\n'));
      return p;
    };
    const doc = await reportJsonOnce([join(CAPTURES, 'vrrp-garp-variant.pcap')], ['--config', strip('d1'), '--config', strip('d2')]);
    const findings = (doc.checklist as any).findings;
    expect(findings.map((f: any) => [f.kind, f.director, f.message.match(/vrrp_garp_master_\w+ 5 \(default\)/)?.[0]])).toEqual([
      ['vrrp-garp', 'd1 (10.0.0.11)', 'vrrp_garp_master_repeat 5 (default)'], ['vrrp-garp', 'd1 (10.0.0.11)', 'vrrp_garp_master_delay 5 (default)'],
      ['vrrp-garp', 'd2 (10.0.0.12)', 'vrrp_garp_master_repeat 5 (default)'], ['vrrp-garp', 'd2 (10.0.0.12)', 'vrrp_garp_master_delay 5 (default)'],
    ]);
    const frames = new Map(doc.frames.map((f) => [f.n, f]));
    for (const f of findings) expect(f.frames.length, `frames of ${f.message}`).toBeGreaterThan(0);
    for (const f of findings) for (const n of f.frames) expect(frames.get(n)!.layers.arp, `frame ${n}`).toMatchObject({ 'arp.isgratuitous': true });
  });

  it('vrrp-garp-refresh-first: its own configuration matches the bursts (refreshes before the delayed burst are not it)', async () => {
    // vrrp_garp_master_refresh 2 < vrrp_garp_master_delay 5 (default): keepalived 2.2.7 sends 1-GARP refreshes at
    // +2 s and +4 s, then the 5-GARP delayed burst at +5 s (the lab's keepalived logs)
    const doc = await reportJsonOnce([join(CAPTURES, 'vrrp-garp-refresh-first.pcap')], ['--config', conf('vrrp-garp-refresh-first', 'keepalived-d1.conf'), '--config', conf('vrrp-garp-refresh-first', 'keepalived-d2.conf')]);
    expect((doc.checklist as any).findings.map((f: any) => f.message)).toEqual([]);
  });

  it('only one director\'s configuration: the other router is named as unconfigured', async () => {
    const doc = await reportJsonOnce([join(CAPTURES, 'vrrp-failover.pcap')], ['--config', conf('vrrp-failover', 'keepalived-d1.conf')]);
    const findings = (doc.checklist as any).findings;
    expect(findings.map((f: any) => f.kind)).toEqual(['vrrp-router-unconfigured']);
    expect(findings[0].message).toContain('10.0.0.12');
  });

  it('vrrpscope check: exit 0 when all is proven, 1 when an expected behaviour is missing, 2 on input errors', () => {
    const pcap = join(CAPTURES, 'vrrp-failover.pcap');
    const ok = runCli(['check', pcap, '--lang', 'en']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('5 of 5 required behaviours proven.');
    const missing = runCli(['check', pcap, '--expect', 'vrrp-election,lvs-dr', '--lang', 'en']);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/\[not shown\]\s+lvs-dr/);
    expect(missing.stdout).toContain('Missing: lvs-dr.');
    const badId = runCli(['check', pcap, '--expect', 'vrrp-elction']);
    expect([badId.status, badId.stderr]).toEqual([2, expect.stringContaining('unknown behaviour "vrrp-elction"')]);
    const noConf = runCli(['check', pcap, '--config', '/nonexistent/keepalived.conf']);
    expect([noConf.status, noConf.stderr.trim()]).toEqual([2, 'vrrpscope: --config /nonexistent/keepalived.conf: no such file']);
    expect(runCli(['check']).status).toBe(2);
    expect(runCli(['check', pcap, '--bogus']).status).toBe(2);
    const fr = runCli(['check', pcap, '--lang', 'fr']);
    expect(fr.stdout).toContain('Liste de vérification du TP');
    expect(fr.stdout).toContain('[montré]');
    const json = runCli(['check', pcap, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ complete: true, mode: 'auto', counts: { required: 5, proven: 5 } });
  });

  it('a report of each format and language carries the checklist', async () => {
    const pcap = join(CAPTURES, 'vrrp-failover.pcap');
    const args = ['--config', conf('vrrp-failover', 'keepalived-d1.conf'), '--config', conf('vrrp-failover', 'keepalived-d2.conf')];
    for (const lang of ['en', 'fr']) {
      const html = (await reportText([pcap], 'html', ['--lang', lang, ...args])).stdout;
      const md = (await reportText([pcap], 'md', ['--lang', lang, ...args])).stdout;
      const heading = lang === 'en' ? 'Lab checklist' : 'Liste de vérification du TP';
      expect(html).toContain(`<section id="checklist">\n<h2>${heading}</h2>`);
      expect(html).toContain('<tr id="check-vrrp-failover">');
      expect(md).toContain(`## ${heading}`);
      expect(md).toMatch(/`vrrp-failover`/);
      expect(html).toContain(lang === 'en' ? 'No difference between the configuration and the wire.' : 'Aucune différence entre la configuration et le réseau.');
    }
    const json = await reportJsonOnce([pcap], ['--lang', 'fr']);
    expect((json.checklist as any).items[0].title).toBe('Élection VRRP : un maître est élu au démarrage de keepalived');
  });
});
