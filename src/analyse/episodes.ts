// Episodes: what the event list says over time, worked out once for every reader (timelines, summary
// lines, the Mermaid diagram, the lab checklist and the configuration cross-check) so that they cannot
// disagree. A pure function of the final, sorted event list, run once by the pipeline after the
// analysers (Analysis.episodes). Facts only, like the events: the words are chosen at the edge.
//
// - Master tenures per (VRID, address family): who was master from when to when, and how it ended. (Per
//   link too once the events name the link: today the vrrp.master of a takeover seen on a second merged
//   link ends the tenure the first link's started, and starts the one that lasts.)
// - Host roles: which address the events show as a director, real server, sorry server or VIP.
// - Incidents (incidents.ts): the events grouped into what a person recognises, each an ordered story.
//
// Event kinds and takeover reasons this module does not know are passed over (the analysers grow).

import { isKind, type AnalysisEvent } from './events.js';
import type { Family, VrrpMaster } from './vrrp/events.js';
import { buildIncidents, type Incident } from './incidents.js';

/** How a tenure ended: the next master took over, the router resigned or went silent, or the capture ended first. */
export type TenureEnd = 'next' | 'resign' | 'silent' | 'capture-end';

/** One router's time as master of one VRID of one address family. */
export interface Tenure {
  vrid: number;
  family: Family;
  router: string;
  start: number;
  /** Null while still master at the end of the capture (ended `capture-end`): the reader's end of time. */
  end: number | null;
  ended: TenureEnd;
  /** The vrrp.master event that started it (its reason, priority, id). */
  event: VrrpMaster;
}

export type HostRole = 'director' | 'real-server' | 'sorry-server' | 'vip';

/** An address and the roles the events give it, with the MACs they name for it. */
export interface HostRoles {
  ip: string;
  macs: string[];
  roles: HostRole[];
}

export interface Episodes {
  /** Sorted by start (stable: in the order they were closed for equal starts). */
  tenures: Tenure[];
  /** Sorted by address (numeric-aware). */
  hosts: HostRoles[];
  /** Sorted by start. */
  incidents: Incident[];
}

/** The episodes of a final event list (sorted by time). */
export function buildEpisodes(events: readonly AnalysisEvent[]): Episodes {
  return { tenures: masterTenures(events), hosts: hostRoles(events), incidents: buildIncidents(events) };
}

const cache = new WeakMap<readonly AnalysisEvent[], Episodes>();

/**
 * The episodes of a finished event list, worked out on the first call and kept with the list: the
 * pipeline and the checklist (which runs inside the engine, on the same list) share one computation.
 * The list must not change afterwards.
 */
export function episodesOf(events: readonly AnalysisEvent[]): Episodes {
  let e = cache.get(events);
  if (!e) cache.set(events, e = buildEpisodes(events));
  return e;
}

/** A tenure's end, with the reader's end of time for one still open at the end of the capture. */
export function tenureEnd(t: Tenure, endOfTime: number): number {
  return t.end ?? Math.max(t.start, endOfTime);
}

/** The tenures of one VRID (both families), by start. */
export function tenuresOf(ep: Episodes, vrid: number): Tenure[] {
  return ep.tenures.filter((t) => t.vrid === vrid);
}

/**
 * Master tenures from vrrp.master, vrrp.resign and vrrp.silent. A master that went silent stops at its
 * last advert, which the next master's gapMs places (RFC 3768 §6.4.2: the backup waits
 * Master_Down_Interval after it); one that resigned stops at its priority-0 advert; one that was
 * preempted stays master until the new master is heard. Several routers can be master at once (a split
 * brain, a contender beside a live master): one open tenure per router; a takeover closes the tenure of
 * the master it names as previous.
 */
function masterTenures(events: readonly AnalysisEvent[]): Tenure[] {
  interface Open { vrid: number; family: Family; router: string; start: number; event: VrrpMaster; stopped: { at: number; how: 'resign' | 'silent' | 'next' } | null }
  const out: Tenure[] = [];
  const close = (o: Open, end: number, ended: Exclude<TenureEnd, 'capture-end'>) => {
    out.push({ vrid: o.vrid, family: o.family, router: o.router, start: o.start, end: Math.max(o.start, end), ended, event: o.event });
  };
  const open = new Map<string, Open>();
  // A router's address is of its family: (VRID, router) tells the family apart too.
  const key = (vrid: number, router: string) => `${vrid}|${router}`;
  for (const e of events) {
    if (isKind(e, 'vrrp.master')) {
      const prev = e.previous !== null ? open.get(key(e.vrid, e.previous)) : undefined;
      if (prev && e.reason !== 'unknown') {
        open.delete(key(prev.vrid, prev.router));
        // Preemption: the old master advertised until the new one was heard, so it was master until then.
        // Resignation: its priority-0 advert is the end. Silence: its last advert, which gapMs places.
        if (e.reason === 'preemption') close(prev, e.time, 'next');
        else if (prev.stopped?.how === 'resign') close(prev, prev.stopped.at, 'resign');
        else if (e.gapMs !== null && Number.isFinite(e.gapMs) && e.gapMs >= 0) close(prev, e.time - e.gapMs / 1000, prev.stopped ? prev.stopped.how : 'next');
        else if (prev.stopped) close(prev, prev.stopped.at, prev.stopped.how);
        else close(prev, e.time, 'next');
      }
      const k = key(e.vrid, e.router);
      const mine = open.get(k);
      if (mine) { open.delete(k); close(mine, mine.stopped?.at ?? e.time, mine.stopped?.how ?? 'next'); }
      // A dual master of missed adverts: it went back to backup at the outranking master's advert (its end).
      open.set(k, { vrid: e.vrid, family: e.family, router: e.router, start: e.time, event: e, stopped: e.end !== undefined && e.end >= e.time ? { at: e.end, how: 'next' } : null });
    } else if (isKind(e, 'vrrp.resign') || (isKind(e, 'vrrp.silent') && !e.rearmedBy)) {
      // (A master silenced by another cluster's adverts stayed master: its tenure goes on.)
      // A resignation ends mastership at once; silence is confirmed later, and the next master's gapMs
      // (when it names this router) places the end more exactly.
      const o = open.get(key(e.vrid, e.router));
      if (o && !o.stopped) o.stopped = { at: e.time, how: e.kind === 'vrrp.resign' ? 'resign' : 'silent' };
    } else if (isKind(e, 'vrrp.split-brain') && e.yielded && e.end !== null) {
      // A dual master of missed adverts: the lower-priority router went back to backup at its end.
      const o = open.get(key(e.vrid, e.yielded));
      if (o && !o.stopped && o.start <= e.end) o.stopped = { at: e.end, how: 'next' };
    }
  }
  for (const o of open.values()) {
    if (o.stopped) close(o, o.stopped.at, o.stopped.how);
    else out.push({ vrid: o.vrid, family: o.family, router: o.router, start: o.start, end: null, ended: 'capture-end', event: o.event });
  }
  return out.sort((x, y) => x.start - y.start);
}

/** The host part of "ip:port", "[v6]:port" or a bare address. */
export function hostOf(endpoint: string): string {
  if (endpoint.startsWith('[')) return endpoint.slice(1, endpoint.indexOf(']') > 0 ? endpoint.indexOf(']') : undefined);
  const parts = endpoint.split(':');
  return parts.length === 2 ? parts[0] : endpoint;
}

/** Hosts and roles as the events name them. */
function hostRoles(events: readonly AnalysisEvent[]): HostRoles[] {
  const m = new Map<string, { macs: Set<string>; roles: Set<HostRole> }>();
  const add = (ip: string | null, role: HostRole, mac?: string | null) => {
    if (!ip) return;
    let h = m.get(ip);
    if (!h) m.set(ip, h = { macs: new Set(), roles: new Set() });
    h.roles.add(role);
    if (mac) h.macs.add(mac);
  };
  for (const e of events) {
    switch (e.kind) {
      case 'vrrp.master': case 'vrrp.resign': case 'vrrp.silent': case 'vrrp.invalid':
        add(e.router, 'director'); break;
      case 'vrrp.split-brain': for (const r of e.routers) add(r, 'director'); break;
      case 'arp.garp': add(e.ip, 'vip', e.mac); break;
      case 'hc.probe': add(e.director, 'director'); add(hostOf(e.target), 'real-server'); break;
      case 'hc.state': add(hostOf(e.target), 'real-server'); break;
      case 'lvs.forward':
        add(e.director, 'director'); add(hostOf(e.realServer), 'real-server'); add(hostOf(e.vip), 'vip'); break;
      case 'lvs.realserver': add(hostOf(e.realServer), 'real-server'); break;
      case 'lvs.sorry': add(hostOf(e.sorryServer), 'sorry-server'); add(hostOf(e.vip), 'vip'); break;
      case 'lvs.sync': add(e.sender, 'director'); break;
      case 'svc.outage': add(hostOf(e.vip), 'vip'); break;
      default: break;
    }
  }
  return [...m].sort(([x], [y]) => x.localeCompare(y, 'en', { numeric: true }))
    .map(([ip, h]) => ({ ip, macs: [...h.macs].sort(), roles: [...h.roles] }));
}
