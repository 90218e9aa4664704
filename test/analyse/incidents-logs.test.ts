// The incidents against keepalived's own logs and the lab scripts' actions, not against our output.
// From each lab's keepalived-dN.log (each line prefixed with the epoch time it was read), its
// keepalived.conf files and its script actions (events.jsonl):
//
//   - every "(VI_x) Entering MASTER STATE" after the first master of that instance is a takeover; the
//     lines of one director within 1 s are one move (a vrrp_sync_group moves its instances together);
//   - its kind is what the previous master's director last went through before it: killed
//     (keepalived_sigkill / director_crash) → crash; stopped (keepalived_sigterm) → stop; its instance
//     logged "Entering FAULT STATE" since (a tracked interface went down) → fault; still running (it came
//     back, the new master outranks it) → preemption;
//   - each move is exactly one incident of that kind, with one takeover step per instance: that VRID
//     (the conf's virtual_router_id), from the director's address on that instance's interface, within
//     0.15 s of the log line; and no takeover incident the logs do not show;
//   - the timers (computed from the conf, RFC 3768 §6.1 as keepalived does): a crash's takeover comes
//     Master_Down_Interval (3 × advert_int + Skew_Time of the new master) after the old master's last
//     advert, and that last advert lies within one advert_int before the kill; a clean stop's priority-0
//     adverts are the "sent 0 priority" lines (0.05 s) and the takeover comes Skew_Time after them (a FAULT's
//     too; an instance following its sync group into FAULT logs only its "Entering FAULT STATE"); a
//     preemption's takeover comes the new master's Master_Down_Interval after its return, which follows
//     its keepalived_start (within 2 s); a router coming back from FAULT (keepalived kept running) shows
//     no return on the wire: then no return step and no wait. Tolerance: 0.1 s (the capture point and the
//     logs' clock).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportJsonOnce } from '../support/ours.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Instance { name: string; vrid: number; priority: number; advertMs: number; iface: string; version: 2 | 3 }
interface Lab {
  name: string;
  captures: string[];
  /** director → its keepalived log, conf and address per interface. */
  directors: Map<string, { log: string; instances: Map<string, Instance>; addr: Record<string, string> }>;
  actions: { t: number; event: string; director: string }[];
}

function instancesOf(conf: string): Map<string, Instance> {
  const out = new Map<string, Instance>();
  const version = /\n\s*vrrp_version\s+3/.test(conf) ? 3 : 2;
  for (const m of conf.matchAll(/vrrp_instance\s+(\S+)\s*\{([\s\S]*?)\n\}/g)) {
    const body = m[2];
    const num = (k: string, d: number) => Number(new RegExp(`\\n\\s*${k}\\s+([\\d.]+)`).exec(body)?.[1] ?? d);
    out.set(m[1], { name: m[1], vrid: num('virtual_router_id', 0), priority: num('priority', 100), advertMs: num('advert_int', 1) * 1000, iface: /\n\s*interface\s+(\S+)/.exec(body)![1], version });
  }
  return out;
}

function actionsOf(path: string): Lab['actions'] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .map((a: { t: number; event: string; detail?: string }) => ({ t: a.t, event: a.event, director: String(a.detail ?? '').split(/[\s:]/)[0] }));
}

function directorFailover(): Lab {
  const dir = join(ROOT, 'test/fixtures/lab/director-failover');
  const gt = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
  const directors: Lab['directors'] = new Map();
  for (const d of ['d1', 'd2']) {
    const addr: Record<string, string> = {};
    for (const [iface, v] of Object.entries(gt.topology.hosts[d] as Record<string, [string, string]>)) addr[iface] = v[0];
    directors.set(d, { log: readFileSync(join(dir, `logs/keepalived-${d}.log`), 'utf8'), instances: instancesOf(readFileSync(join(dir, `conf/keepalived-${d}.conf`), 'utf8')), addr });
  }
  return { name: 'director-failover', captures: [join(dir, 'director-failover-front.pcap'), join(dir, 'director-failover-back.pcap')], directors, actions: actionsOf(join(dir, 'events.jsonl')) };
}

function netnsLab(name: string): Lab {
  const dir = join(ROOT, 'captures', name);
  const gt = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
  const directors: Lab['directors'] = new Map();
  for (const d of Object.keys(gt.hosts).filter((n) => /^d\d$/.test(n))) {
    const h = gt.hosts[d] as { interface: string; ipv4: string };
    directors.set(d, { log: readFileSync(join(dir, `keepalived-${d}.log`), 'utf8'), instances: instancesOf(readFileSync(join(dir, `conf/keepalived-${d}.conf`), 'utf8')), addr: { [h.interface]: h.ipv4 } });
  }
  return { name, captures: [join(ROOT, 'captures', `${name}.pcap`)], directors, actions: actionsOf(join(dir, 'events.jsonl')) };
}

interface Line { t: number; director: string; inst: Instance; what: 'master' | 'prio0' | 'fault' }
interface Move { director: string; kind: 'crash' | 'stop' | 'fault' | 'preemption'; lines: Line[]; previous: string }

function logLines(lab: Lab): Line[] {
  const out: Line[] = [];
  for (const [director, d] of lab.directors) {
    for (const m of d.log.matchAll(/^(\d+\.\d+) .*?\((\w+)\) (Entering MASTER STATE|Entering FAULT STATE|sent 0 priority)\s*$/gm)) {
      const inst = d.instances.get(m[2]);
      if (inst) out.push({ t: Number(m[1]), director, inst, what: m[3] === 'sent 0 priority' ? 'prio0' : m[3] === 'Entering FAULT STATE' ? 'fault' : 'master' });
    }
  }
  return out.sort((x, y) => x.t - y.t);
}

/** The takeovers the logs and the actions show, grouped into moves. */
function movesOf(lab: Lab, lines: Line[]): Move[] {
  const lastMaster = new Map<number, string>();
  const moves: Move[] = [];
  for (const l of lines.filter((x) => x.what === 'master')) {
    const previous = lastMaster.get(l.inst.vrid);
    lastMaster.set(l.inst.vrid, l.director);
    if (previous === undefined || previous === l.director) continue;
    const last = lab.actions.filter((a) => a.director === previous && a.t <= l.t && /^(keepalived_sigkill|director_crash|keepalived_sigterm|keepalived_start)$/.test(a.event)).at(-1);
    const fault = lines.filter((x) => x.what === 'fault' && x.director === previous && x.inst.vrid === l.inst.vrid && x.t <= l.t).at(-1);
    const kind = fault && (!last || fault.t > last.t) && l.t - fault.t < 2 ? 'fault'
      : last && /sigkill|crash/.test(last.event) ? 'crash' : last?.event === 'keepalived_sigterm' ? 'stop' : 'preemption';
    const m = moves.at(-1);
    if (m && m.director === l.director && m.kind === kind && l.t - m.lines[0].t <= 1) m.lines.push(l);
    else moves.push({ director: l.director, kind, lines: [l], previous });
  }
  return moves;
}

// VRRPv2 (RFC 3768 §6.1): Skew_Time = (256 - priority) / 256 s whatever the advert interval; VRRPv3
// (RFC 5798 §6.1) scales it by the interval. keepalived follows both (vrrp-advert-int-3: 0.61 s at 3 s adverts).
const skewMs = (i: Instance) => ((256 - i.priority) / 256) * (i.version === 3 ? i.advertMs : 1000);
const masterDownMs = (i: Instance) => 3 * i.advertMs + skewMs(i);

describe.each([
  ['director-failover', directorFailover],
  ['vrrp-failover', () => netnsLab('vrrp-failover')],
  // Recorded for these checks: two instances without a sync group, a sync group's FAULT and crash, sub-second adverts.
  ['vrrp-active-active', () => netnsLab('vrrp-active-active')],
  ['vrrp-sync-group', () => netnsLab('vrrp-sync-group')],
  ['vrrp-fast-advert', () => netnsLab('vrrp-fast-advert')],
  ['vrrp-track-interface', () => netnsLab('vrrp-track-interface')],
  ['vrrp-advert-int-3', () => netnsLab('vrrp-advert-int-3')],
  ['vrrp-three-routers', () => netnsLab('vrrp-three-routers')],
])('incidents of %s against keepalived\'s logs', (_name, load) => {
  it('each takeover the logs show is one incident of the right kind, with the timers of the conf', async () => {
    const lab = load();
    const lines = logLines(lab);
    const moves = movesOf(lab, lines);
    expect(moves.length, 'takeovers in the logs').toBeGreaterThanOrEqual(2);
    const doc = await reportJsonOnce(lab.captures);
    const incidents = (doc.incidents as any[]).filter((i) => ['crash', 'stop', 'fault', 'preemption'].includes(i.kind));
    const problems: string[] = [];
    const used = new Set<string>();
    for (const mv of moves) {
      const d = lab.directors.get(mv.director)!;
      const at = mv.lines[0].t;
      const inc = incidents.find((i) => !used.has(i.id) && i.steps.some((s: any) => s.step === 'takeover' && Math.abs(s.time - at) < 0.15));
      const where = `${mv.kind} ${mv.previous} → ${mv.director} at ${at}`;
      if (!inc) { problems.push(`${where}: no incident`); continue; }
      used.add(inc.id);
      if (inc.kind !== mv.kind) problems.push(`${where}: incident ${inc.id} is a ${inc.kind}`);
      const takeovers = inc.steps.filter((s: any) => s.step === 'takeover');
      if (takeovers.length !== mv.lines.length) problems.push(`${where}: ${takeovers.length} takeovers in ${inc.id}, ${mv.lines.length} instances in the logs`);
      const killed = lab.actions.filter((a) => a.director === mv.previous && /sigkill|crash/.test(a.event) && a.t <= at).map((a) => a.t);
      const started = lab.actions.filter((a) => a.director === mv.director && a.event === 'keepalived_start' && a.t <= at).at(-1)?.t;
      const prio0 = lines.filter((l) => (l.what === 'prio0' || (mv.kind === 'fault' && l.what === 'fault')) && l.director === mv.previous && l.t <= at && at - l.t < 2);
      const fromFault = lines.some((x) => x.what === 'fault' && x.director === mv.director && x.t <= at && (started === undefined || x.t > started));
      for (const l of mv.lines) {
        const router = d.addr[l.inst.iface];
        const s = takeovers.find((x: any) => x.vrid === l.inst.vrid);
        if (!s) { problems.push(`${where}: no takeover of VRID ${l.inst.vrid}`); continue; }
        if (s.router !== router || Math.abs(s.time - l.t) > 0.15) problems.push(`${where}: VRID ${l.inst.vrid} taken by ${s.router} at ${s.time}, log: ${router} at ${l.t}`);
        const expected = mv.kind === 'stop' || mv.kind === 'fault' ? skewMs(l.inst) : masterDownMs(l.inst);
        if (!(mv.kind === 'preemption' && fromFault && s.waitedMs === null) && Math.abs(s.waitedMs - expected) > 100) problems.push(`${where}: VRID ${l.inst.vrid} waited ${s.waitedMs} ms, the conf's timer ${expected.toFixed(3)} ms`);
        if (mv.kind === 'crash') {
          const last = inc.steps.find((x: any) => x.step === 'last-advert' && x.vrid === l.inst.vrid);
          const kill = Math.min(...killed.filter((t) => at - t < 10));
          if (!last || last.time > kill + 0.1 || last.time < kill - l.inst.advertMs / 1000 - 0.1) problems.push(`${where}: VRID ${l.inst.vrid} last advert ${last?.time} for a kill at ${kill}`);
        } else if (mv.kind === 'stop' || mv.kind === 'fault') {
          const r = inc.steps.find((x: any) => x.step === 'resign' && x.vrid === l.inst.vrid);
          const logged = prio0.find((p) => p.inst.vrid === l.inst.vrid);
          if (!r || !logged || Math.abs(r.time - logged.t) > 0.05) problems.push(`${where}: VRID ${l.inst.vrid} priority 0 at ${r?.time}, log ${logged?.t}`);
        } else {
          const ret = inc.steps.find((x: any) => x.step === 'return' && x.vrid === l.inst.vrid);
          if (fromFault && !ret) continue;
          if (!ret || started === undefined || ret.time < started - 0.1 || ret.time > started + 2) problems.push(`${where}: VRID ${l.inst.vrid} back at ${ret?.time}, keepalived started at ${started}`);
        }
      }
    }
    for (const i of incidents) if (!used.has(i.id)) problems.push(`${i.kind} ${i.id} at ${i.start}: no takeover in the logs`);
    expect(problems).toEqual([]);
  });
});
