// LVS against keepalived.conf: the forwarding method, real servers and sorry server the capture shows,
// and a quorum lost while clients were refused without the sorry server answering.

import { ofKind } from '../../analyse/events.js';
import type { ConfRealServer, ConfVirtualServer } from '../../config/model.js';
import type { Director } from '../directors.js';
import { configuredChecks, hostPort, targetIp, type Report } from './context.js';

/**
 * The virtual servers of a service as the LVS events name it: `ip:port` (TCP) or `ip:port/udp`
 * (analyse/lvs/services.ts), matched with the virtual server's address, port and `protocol` (TCP unless
 * said, keepalived's default: check_data.c alloc_vs).
 */
function virtualServerFor(x: Report, service: string): { d: Director; vs: ConfVirtualServer }[] {
  const out: { d: Director; vs: ConfVirtualServer }[] = [];
  const slash = service.lastIndexOf('/');
  const proto = slash > service.lastIndexOf(':') ? service.slice(slash + 1).toUpperCase() : 'TCP';
  const vip = slash > service.lastIndexOf(':') ? service.slice(0, slash) : service;
  const ip = targetIp(vip), port = Number(vip.slice(vip.lastIndexOf(':') + 1));
  for (const d of x.c.directors.directors) for (const vs of d.config.virtualServers) {
    if (vs.port !== port || (vs.protocol?.value ?? 'TCP').toUpperCase() !== proto) continue;
    if (ip === '?' || vs.ip === ip || (vs.group && d.config.virtualServerGroups.some((g) => g.name === vs.group && g.entries.some((e) => e.ip === ip && e.port === port)))) out.push({ d, vs });
  }
  return out;
}

export function crossCheckLvs(x: Report): void {
  if (!x.c.configs.some((c) => c.virtualServers.length)) return;
  const { events, directors } = x.c;
  const reported = new Set<string>();
  const once = (k: string) => (reported.has(k) ? false : (reported.add(k), true));
  for (const f of ofKind(events, 'lvs.forward')) {
    const vip = f.vip;
    const found = virtualServerFor(x, vip);
    if (!found.length) {
      if (once('vs|' + vip)) x.add('lvs-unconfigured', 'warning', null, 'check.finding.lvs.vs', { vip, files: x.files() }, x.fileWide(), f.frames.slice(0, 3), [f.id]);
      continue;
    }
    for (const { d, vs } of found) {
      const kind = (vs.lbKind?.value ?? 'NAT').toLowerCase();
      if (kind !== f.method && once(`kind|${vip}|${d.name}`)) {
        const at = vs.lbKind?.at ?? vs.at;
        x.add('lvs-kind', 'warning', directors.directorLabel(d), vs.lbKind ? 'check.finding.lvs.kind' : 'check.finding.lvs.kind-default', { vip, wire: f.method.toUpperCase(), conf: kind.toUpperCase(), where: x.where(at) }, [at], f.frames.slice(0, 3), [f.id]);
      }
      if (f.sorry === true) continue;
      const rs = f.realServer;
      const known = vs.realServers.some((r) => hostPort(r.ip, r.port ?? vs.port) === rs || (r.port === null && r.ip === targetIp(rs)));
      if (!known && once(`rs|${rs}|${d.name}`)) x.add('lvs-realserver-unconfigured', 'warning', directors.directorLabel(d), 'check.finding.lvs.rs', { vip, server: rs, where: x.where(vs.at) }, [vs.at], f.frames.slice(0, 3), [f.id]);
    }
  }
  for (const s of ofKind(events, 'lvs.sorry')) {
    const vip = s.vip;
    for (const { d, vs } of virtualServerFor(x, vip)) {
      const seen = s.sorryServer;
      const conf = vs.sorryServer ? hostPort(vs.sorryServer.ip, vs.sorryServer.port ?? vs.port) : null;
      if (conf === seen || !once(`sorry|${vip}|${d.name}`)) continue;
      const at = vs.sorryServer?.at ?? vs.at;
      x.add('sorry-server', 'warning', directors.directorLabel(d), conf ? 'check.finding.sorry.other' : 'check.finding.sorry.unconfigured', { vip, wire: seen, conf: conf ?? '', where: x.where(at) }, [at], s.frames, [s.id]);
    }
  }
  quorum(x);
}

/**
 * keepalived loses the quorum when the weight of the real servers up falls below quorum − hysteresis
 * and regains it at quorum + hysteresis. Where the checks show such a loss while clients were
 * refused (an outage) and a sorry server is configured, the sorry server should have answered.
 */
function quorum(x: Report): void {
  const ev = x.c.events;
  const checks = configuredChecks(x.c.directors);
  const sorries = ofKind(ev, 'lvs.sorry');
  const outages = ofKind(ev, 'svc.outage');
  for (const d of x.c.directors.directors) for (const vs of d.config.virtualServers) {
    if (!vs.quorum || !vs.sorryServer || vs.ip === null || vs.port === null) continue;
    // the service as the events name it (a UDP one with /udp)
    const vip = hostPort(vs.ip, vs.port) + ((vs.protocol?.value ?? 'TCP').toUpperCase() === 'UDP' ? '/udp' : '');
    const q = vs.quorum.value, h = vs.hysteresis?.value ?? 0;
    const targets = new Map<string, ConfRealServer>();
    for (const c of checks) if (c.vs === vs) targets.set(c.target, c.rs);
    const down = new Set<ConfRealServer>();
    const transitions = ofKind(ev, 'hc.state').filter((e) => targets.has(e.target) && (!d.ips.length || d.ips.includes(e.director)));
    let lost: { time: number; frames: number[] } | null = null;
    const windows: { start: number; end: number; frames: number[] }[] = [];
    for (const e of transitions) {
      const rs = targets.get(e.target)!;
      if (e.state === 'down') down.add(rs); else down.delete(rs);
      const alive = vs.realServers.filter((r) => !down.has(r)).reduce((sum, r) => sum + (r.weight?.value ?? 1), 0);
      if (!lost && alive < q - h) lost = { time: e.time, frames: e.frames.slice(0, 2) };
      else if (lost && alive >= q + h) { windows.push({ start: lost.time, end: e.time, frames: lost.frames }); lost = null; }
    }
    if (lost) windows.push({ start: lost.time, end: Infinity, frames: lost.frames });
    for (const w of windows) {
      const delay = (vs.delayLoop?.value ?? 60) * 2;
      const sorry = sorries.some((e) => e.vip === vip && e.time <= w.end + delay && (e.end === null || e.end >= w.start - delay));
      const outage = outages.find((e) => e.vip === vip && e.time <= w.end && e.end >= w.start);
      if (sorry || !outage) continue;
      x.add('quorum-no-sorry', 'warning', x.c.directors.directorLabel(d), 'check.finding.quorum', {
        vip, quorum: q, sorry: hostPort(vs.sorryServer.ip, vs.sorryServer.port ?? vs.port), where: x.where(vs.quorum.at),
      }, [vs.quorum.at, vs.sorryServer.at], [...w.frames, ...outage.frames.slice(0, 3)], [outage.id]);
    }
  }
}
