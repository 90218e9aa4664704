// Judged against the IPVS labs' ground truth: each checker type is recognised with its delay_loop;
// each stop/start of a real server appears as hc.state down/up (per director) and as lvs.realserver
// out/in within two delay_loops; the sorry server's windows appear; nothing is invented.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { reportJson } from '../support/ours.js';
import { virtualServers } from '../support/keepalived-conf.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { tsharkOut } from '../support/tshark-cache.js';

const LABS = fixture('lab');
// The second set of the same QEMU lab (DR, TUN, other checkers, sorry variant), recorded for the project.
const OWN = fileURLToPath(new URL('../../captures/ivs', import.meta.url));
const CHECKER: Record<string, string> = { TCP_CHECK: 'tcp', HTTP_GET: 'http', SSL_GET: 'ssl', SMTP_CHECK: 'smtp', MISC_CHECK: 'misc', PING_CHECK: 'ping', UDP_CHECK: 'udp', DNS_CHECK: 'dns' };

interface Change { t: number; director: string; action: string; real_server?: string; sorry_server?: boolean; virtual_server: string }

const labDirs = (root: string) => (existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'ground-truth.json'))).map((d) => join(root, d)) : []);
const labs = [...labDirs(LABS), ...labDirs(OWN)].filter((dir) => JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')).real_server_changes !== undefined);

describe('health checks and the LVS pool against keepalived\'s logs', () => {
  for (const dir of labs) {
    const lab = dir.split('/').slice(-2).join('/');
    const g = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
    // d1-any repeats d1's view of both links: the bridges' captures hold everything.
    const files = readdirSync(dir).filter((f) => /\.(pcap|pcapng)$/.test(f) && !f.includes('-any')).map((f) => join(dir, f));
    const vss = virtualServers(g.keepalived_conf.d1);
    // The address a director checks from: its server-side interface (eth1), or its only one.
    const backIp = (d: string): string => (g.topology.hosts[d].eth1 ?? g.topology.hosts[d].eth0)[0];
    const window = (vs: string) => 2 * (vss.find((v) => `${v.vip}:${v.port}` === vs)?.delayLoop ?? 2);
    const doc = reportJson(files);
    const ev = (kind: string) => doc.events.filter((e) => e.kind === kind);
    const changes: Change[] = g.real_server_changes;
    const within = (a: number, b: number, w: number) => Math.abs(a - b) <= w;

    it(`${lab}: every checker of the configuration is recognised, per director, with its delay_loop`, () => {
      const probes = ev('hc.probe');
      for (const vs of vss) for (const rs of vs.realServers) for (const c of rs.checkers) for (const d of Object.keys(g.keepalived_conf).filter((k) => /^d\d/.test(k))) {
        const p = probes.find((e) => e.director === backIp(d) && (e.target === `${rs.ip}:${rs.port}` || (c === 'PING_CHECK' && e.target === rs.ip)) && e.checker === CHECKER[c]);
        expect(p, `${c} of ${rs.ip}:${rs.port} from ${d}`).toBeDefined();
        expect(Math.abs(p!.intervalMs - vs.delayLoop * 1000), `delay_loop of ${c} ${rs.ip}:${rs.port}`).toBeLessThan(vs.delayLoop * 100);
      }
      const configured = new Set(vss.flatMap((vs) => vs.realServers.flatMap((rs) => rs.checkers.map((c) => `${c === 'PING_CHECK' ? rs.ip : `${rs.ip}:${rs.port}`}|${CHECKER[c]}`))));
      expect(probes.filter((p) => !configured.has(`${p.target}|${p.checker}`)).map((p) => `${p.checker} ${p.target}`), 'probes of no configured checker').toEqual([]);
    });

    it(`${lab}: each server stop/start is one hc.state per director, none invented`, () => {
      const expected = changes.filter((c) => (c.action === 'removing' || c.action === 'adding') && !c.sorry_server);
      const states = ev('hc.state');
      const unmatched = [...states];
      for (const c of expected) {
        const want = c.action === 'removing' ? 'down' : 'up';
        // PING_CHECK's target is an address: it stands for the real server at that address.
        const sameTarget = (t: string) => t === c.real_server || (!t.includes(':') && c.real_server!.startsWith(t + ':'));
        const i = unmatched.findIndex((e) => e.director === backIp(c.director) && sameTarget(String(e.target)) && e.state === want && within(e.time, c.t, window(c.virtual_server)));
        expect(i, `hc.state ${want} of ${c.real_server} from ${c.director} near ${c.t}`).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched.map((e) => `${e.director} ${e.target} ${e.state} at ${e.time}`), 'invented hc.state').toEqual([]);
    });

    it(`${lab}: the scheduler named for each virtual service is the configured one (rr, or wrr when weights differ)`, () => {
      const checked: string[] = [];
      for (const e of ev('lvs.service')) {
        const vs = vss.find((v) => `${v.vip}:${v.port}` === e.vip);
        if (!vs?.lbAlgo || Number(e.connections) < 20 || e.scheduling === 'single') continue;
        // A wrr service whose weights are all equal schedules like rr.
        const weights = new Set([...g.keepalived_conf.d1.matchAll(/weight\s+(\d+)/g)].map((m: RegExpMatchArray) => m[1]));
        const want = vs.lbAlgo === 'wrr' && weights.size > 1 ? 'wrr' : vs.lbAlgo === 'rr' || vs.lbAlgo === 'wrr' ? 'rr' : null;
        if (want) {
          expect(e.scheduling, `${e.vip} (lb_algo ${vs.lbAlgo})`).toBe(want);
          checked.push(e.vip);
        }
      }
      // The filter above must not leave nothing to check: every lab whose clients used a virtual service
      // scheduled rr or wrr has one checked here (its HTTP service carries 20 to 150 connections); a lab
      // without a virtual service has no lvs.service event at all.
      if (vss.some((v) => v.lbAlgo === 'rr' || v.lbAlgo === 'wrr')) expect(checked, 'virtual services whose scheduler was compared').not.toEqual([]);
      else expect(ev('lvs.service').map((e) => e.vip), 'lvs.service without a configured virtual_server').toEqual([]);
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
        // While the sorry server serves (quorum lost), a server's own change moves no traffic: the
        // quorum's return brings the alive servers back all at once.
        const sorryServing = (t: number) => {
          const marks = changes.filter((x) => x.sorry_server && x.virtual_server === c.virtual_server && x.t < t - 0.5);
          return marks.length > 0 && marks[marks.length - 1].action === 'adding';
        };
        if ((c.action === 'removing' || c.action === 'adding') && !c.sorry_server && !(c.action === 'adding' && sorryServing(c.t))) take(c.real_server!, c.action === 'removing' ? 'out' : 'in', c.t, w, 'its check');
        if (c.action === 'removing_alive_servers_pool' || c.action === 'adding_alive_servers_pool') {
          // Quorum: the alive servers leave (or come back) with it; the failed ones were handled above.
          // Alive: the servers whose own last change (up to this moment) was not a removal.
          const lastChange = (srv: string) => changes.filter((x) => x.real_server === srv && !x.sorry_server && (x.action === 'removing' || x.action === 'adding') && x.t <= c.t + 1).pop();
          const alive = vsOf(c.virtual_server).realServers.map((r) => `${r.ip}:${r.port}`).filter((srv) => lastChange(srv)?.action !== 'removing' || (c.action.startsWith('adding') && within(lastChange(srv)!.t, c.t, w)));
          for (const s of alive) take(s, c.action.startsWith('removing') ? 'out' : 'in', c.t, w, 'quorum');
        }
        if (c.sorry_server && c.action === 'adding') expect(sorry.some((e) => e.sorryServer === c.real_server && within(Number(e.start), c.t, w)), `lvs.sorry from ${c.t}`).toBe(true);
        if (c.sorry_server && c.action === 'removing') expect(sorry.some((e) => e.sorryServer === c.real_server && within(Number(e.end), c.t, w)), `lvs.sorry until ${c.t}`).toBe(true);
      }
      expect(unmatched.map((e) => `${e.realServer} ${e.state} at ${e.time}`), 'invented pool changes').toEqual([]);
      void byServer;
    });

    it(`${lab}: every forwarding seen is a configured virtual service to one of its servers, by its lb_kind`, () => {
      const kinds: Record<string, string> = { NAT: 'nat', DR: 'dr', TUN: 'tun' };
      const forwards = ev('lvs.forward');
      for (const e of forwards) {
        const vs = vss.find((v) => `${v.vip}:${v.port}${v.protocol === 'UDP' ? '/udp' : ''}` === e.vip);
        expect(vs, `${e.vip} is a configured virtual_server`).toBeDefined();
        expect([...vs!.realServers.map((r) => `${r.ip}:${r.port}`), vs!.sorry], `${e.realServer} serves ${e.vip}`).toContain(e.realServer);
        expect(e.method, `${e.vip} → ${e.realServer}`).toBe(kinds[vs!.lbKind ?? 'NAT']);
      }
    });

    // Only the labs whose clients queried DNS through LVS.
    if (g.client?.by_kind?.dns) it.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))(`${lab}: clients' DNS over UDP through LVS-NAT: one forwarded connection per client port the real server received`, async () => {
      const udp = vss.filter((v) => v.protocol === 'UDP' && v.port === 53);
      expect(udp.length).toBeGreaterThan(0);
      for (const vs of udp) for (const rs of vs.realServers) {
        // What the real server received from clients (not from the directors' checks), by tshark.
        const ports = new Set<string>();
        for (const f of files) {
          const out = await tsharkOut(['-r', f, '-n', '-Y', `udp.dstport==${rs.port} && ip.dst==${rs.ip} && ip.src==${g.topology.hosts.cl.eth0[0]}`, '-T', 'fields', '-e', 'udp.srcport'], f);
          for (const p of out.split('\n')) if (p) ports.add(p);
        }
        const fw = ev('lvs.forward').find((e) => e.vip === `${vs.vip}:${vs.port}/udp` && e.realServer === `${rs.ip}:${rs.port}`);
        expect(ports.size).toBeGreaterThan(0);
        expect(fw, `lvs.forward ${vs.vip}:${vs.port}/udp → ${rs.ip}:${rs.port}`).toMatchObject({ method: 'nat', connections: ports.size });
      }
    });

    it(`${lab}: client outages of the ground truth appear, none invented`, () => {
      const outages = ev('svc.outage');
      // Each kind of client (HTTP, DNS over UDP…) against the outages of its kind of service.
      const truth = Object.entries(g.client.by_kind as Record<string, { outages: { from: number; to: number; next_success: number }[] }>)
        .flatMap(([kind, k]) => (k.outages ?? []).map((o) => ({ ...o, udp: kind === 'dns' })));
      const unmatched = [...outages];
      for (const o of truth) {
        const from = g.t0 + o.from;
        const i = unmatched.findIndex((e) => String(e.vip).endsWith('/udp') === o.udp && Math.abs(Number(e.start) - from) <= 1.5);
        expect(i, `svc.outage from ${o.from} (rel)`).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched.map((e) => `${e.vip} from ${Number(e.start) - g.t0}`), 'invented outages').toEqual([]);
    });
  }
});
