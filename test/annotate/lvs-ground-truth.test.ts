// Judged against the IPVS labs' ground truth: each checker type is recognised with its delay_loop;
// each stop/start of a real server appears as hc.state down/up (per director) and as lvs.realserver
// out/in within two delay_loops; the sorry server's windows appear; nothing is invented.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../support/captures.js';
import { reportJson } from '../support/ours.js';
import { virtualServers } from '../support/keepalived-conf.js';

const LABS = join(SHARED, 'captures/lab');
const CHECKER: Record<string, string> = { TCP_CHECK: 'tcp', HTTP_GET: 'http', SSL_GET: 'ssl', SMTP_CHECK: 'smtp', MISC_CHECK: 'misc', PING_CHECK: 'ping', UDP_CHECK: 'udp', DNS_CHECK: 'dns' };

interface Change { t: number; director: string; action: string; real_server?: string; sorry_server?: boolean; virtual_server: string }

const labs = existsSync(LABS) ? readdirSync(LABS).filter((d) => existsSync(join(LABS, d, 'ground-truth.json'))) : [];

describe.skipIf(!labs.length)('health checks and the LVS pool against keepalived\'s logs', () => {
  for (const lab of labs) {
    const dir = join(LABS, lab);
    const g = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
    // d1-any repeats d1's view of both links: the bridges' captures hold everything.
    const files = readdirSync(dir).filter((f) => /\.(pcap|pcapng)$/.test(f) && !f.includes('-any')).map((f) => join(dir, f));
    const vss = virtualServers(g.keepalived_conf.d1);
    const backIp = (d: string): string => g.topology.hosts[d].eth1[0];
    const window = (vs: string) => 2 * (vss.find((v) => `${v.vip}:${v.port}` === vs)?.delayLoop ?? 2);
    const doc = reportJson(files);
    const ev = (kind: string) => doc.events.filter((e) => e.kind === kind);
    const changes: Change[] = g.real_server_changes;
    const within = (a: number, b: number, w: number) => Math.abs(a - b) <= w;

    it(`${lab}: every checker of the configuration is recognised, per director, with its delay_loop`, () => {
      const probes = ev('hc.probe');
      for (const vs of vss) for (const rs of vs.realServers) for (const c of rs.checkers) for (const d of ['d1', 'd2']) {
        const p = probes.find((e) => e.director === backIp(d) && e.target === `${rs.ip}:${rs.port}` && e.checker === CHECKER[c]);
        expect(p, `${c} of ${rs.ip}:${rs.port} from ${d}`).toBeDefined();
        expect(Math.abs(p!.intervalMs - vs.delayLoop * 1000), `delay_loop of ${c} ${rs.ip}:${rs.port}`).toBeLessThan(vs.delayLoop * 100);
      }
      const configured = new Set(vss.flatMap((vs) => vs.realServers.flatMap((rs) => rs.checkers.map((c) => `${rs.ip}:${rs.port}|${CHECKER[c]}`))));
      expect(probes.filter((p) => !configured.has(`${p.target}|${p.checker}`)).map((p) => `${p.checker} ${p.target}`), 'probes of no configured checker').toEqual([]);
    });

    it(`${lab}: each server stop/start is one hc.state per director, none invented`, () => {
      const expected = changes.filter((c) => (c.action === 'removing' || c.action === 'adding') && !c.sorry_server);
      const states = ev('hc.state');
      const unmatched = [...states];
      for (const c of expected) {
        const want = c.action === 'removing' ? 'down' : 'up';
        const i = unmatched.findIndex((e) => e.director === backIp(c.director) && e.target === c.real_server && e.state === want && within(e.time, c.t, window(c.virtual_server)));
        expect(i, `hc.state ${want} of ${c.real_server} from ${c.director} near ${c.t}`).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched.map((e) => `${e.director} ${e.target} ${e.state} at ${e.time}`), 'invented hc.state').toEqual([]);
    });

    it(`${lab}: pool changes and sorry-server windows, within two delay_loops, none invented`, () => {
      const served = new Set(ev('lvs.service').map((e) => e.vip));
      // What the master director did (both directors log the same changes; traffic follows the master).
      const byServer = new Map<string, Change[]>();
      for (const c of changes) if (c.director === 'd1' || c.director === 'd2') {
        if (!served.has(c.virtual_server)) continue;
        const k = `${c.action}|${c.real_server ?? ''}|${c.virtual_server}`;
        if (!byServer.has(k)) byServer.set(k, []);
        byServer.get(k)!.push(c);
      }
      const pool = ev('lvs.realserver');
      const sorry = ev('lvs.sorry');
      const unmatched = [...pool];
      const expected: { server: string; state: string; t: number; w: number; why: string }[] = [];
      const take = (server: string, state: string, t: number, w: number, why: string) => {
        // One pool change per server and direction, whichever log line (its check, the quorum) caused it.
        if (expected.some((x) => x.server === server && x.state === state && within(x.t, t, w))) return;
        expected.push({ server, state, t, w, why });
        const i = unmatched.findIndex((e) => e.realServer === server && e.state === state && within(e.time, t, w));
        expect(i, `lvs.realserver ${state} of ${server} near ${t} (${why})`).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      };
      const vsOf = (id: string) => vss.find((v) => `${v.vip}:${v.port}` === id)!;
      const seen = new Set<string>();
      for (const c of [...changes].sort((a, b) => a.t - b.t)) {
        if (!served.has(c.virtual_server)) continue;
        const key = `${c.action}|${c.real_server ?? ''}|${c.virtual_server}`;
        if (seen.has(key + '|' + Math.round(c.t / 10))) continue; // the other director's line for the same change
        seen.add(key + '|' + Math.round(c.t / 10));
        const w = window(c.virtual_server);
        if ((c.action === 'removing' || c.action === 'adding') && !c.sorry_server) take(c.real_server!, c.action === 'removing' ? 'out' : 'in', c.t, w, 'its check');
        if (c.action === 'removing_alive_servers_pool' || c.action === 'adding_alive_servers_pool') {
          // Quorum: the alive servers leave (or come back) with it; the failed ones were handled above.
          const alive = vsOf(c.virtual_server).realServers.map((r) => `${r.ip}:${r.port}`).filter((s) => !changes.some((x) => x.real_server === s && x.action === (c.action.startsWith('removing') ? 'removing' : 'adding') && within(x.t, c.t, 1)));
          for (const s of alive) take(s, c.action.startsWith('removing') ? 'out' : 'in', c.t, w, 'quorum');
        }
        if (c.sorry_server && c.action === 'adding') expect(sorry.some((e) => e.sorryServer === c.real_server && within(Number(e.start), c.t, w)), `lvs.sorry from ${c.t}`).toBe(true);
        if (c.sorry_server && c.action === 'removing') expect(sorry.some((e) => e.sorryServer === c.real_server && within(Number(e.end), c.t, w)), `lvs.sorry until ${c.t}`).toBe(true);
      }
      expect(unmatched.map((e) => `${e.realServer} ${e.state} at ${e.time}`), 'invented pool changes').toEqual([]);
      void byServer;
    });

    it(`${lab}: client outages of the ground truth appear, none invented`, () => {
      const outages = ev('svc.outage');
      const truth = Object.values(g.client.by_kind as Record<string, { outages: { from: number; to: number; next_success: number }[] }>).flatMap((k) => k.outages ?? []);
      const unmatched = [...outages];
      for (const o of truth) {
        const from = g.t0 + o.from;
        const i = unmatched.findIndex((e) => Math.abs(Number(e.start) - from) <= 1.5);
        expect(i, `svc.outage from ${o.from} (rel)`).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched.map((e) => `${e.vip} from ${Number(e.start) - g.t0}`), 'invented outages').toEqual([]);
    });
  }
});
