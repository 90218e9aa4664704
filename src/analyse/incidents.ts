// Incidents: the events grouped into what a person recognises — a director that crashed and the backup
// that took over, a clean stop (priority 0) and its takeover, a preemption, a split brain, a real server
// leaving and coming back, the sorry-server window, an outage nothing else explains — each an ordered
// list of steps with times and the frames that show them. Facts only, like the events (the words are in
// present/say/incidents.ts); a pure function of the final, sorted event list, run once with the episodes.
//
// A sync group's VRIDs moving together are one incident: takeovers of one reason within one advert
// interval of each other are grouped (keepalived moves a vrrp_sync_group's instances in the same
// scheduler pass; two VRIDs of one crashed director time out together too). Event kinds and takeover
// reasons this module does not know are passed over (the analysers grow).

import { isKind, type AnalysisEvent, type EventOf } from './events.js';
import type { DifferenceField } from './vrrp/events.js';
import type { Checker } from './checks/events.js';

/**
 * `crash`: a master went silent and a backup took over after Master_Down_Interval; `stop`: a master
 * resigned (priority 0) and a backup took over after Skew_Time; `fault`: the same, but the master's
 * priority-0 adverts show keepalived entering FAULT (VrrpResign.fault); `preemption`: a router of higher priority
 * came back and took over; `split-brain`: two masters at once; `real-server`: a real server left the pool
 * (and came back); `sorry`: the sorry server answered for a virtual service; `outage`: clients' failures
 * no other incident explains.
 */
export type IncidentKind = 'crash' | 'stop' | 'fault' | 'preemption' | 'split-brain' | 'real-server' | 'sorry' | 'outage' | 'hsrp';

interface StepBase {
  /** Seconds since the epoch. */
  time: number;
  frames: number[];
  /** The event the step comes from. */
  event: string;
}

/** The last advert of the master that went silent (its frame: `frames[0]`). */
export interface LastAdvertStep extends StepBase { step: 'last-advert'; router: string; vrid: number }
/** The master's priority-0 advert. */
export interface ResignStep extends StepBase { step: 'resign'; router: string; vrid: number; /** Its priority-0 adverts show keepalived entering FAULT. */ fault: boolean }
/** The preempting router came back: what its wait is measured from (see VrrpMaster.waitFrom). */
export interface ReturnStep extends StepBase { step: 'return'; router: string; vrid: number; signal: 'igmp-join' | 'mld-report' | 'first-frame' | 'priority-drop' }
/**
 * The new master's first advert. `waitedMs`: the silence after the old master's last advert (crash, stop),
 * or the preempting router's wait after its return (preemption); `expectedMs` what the timers allow.
 */
export interface TakeoverStep extends StepBase {
  step: 'takeover';
  router: string;
  previous: string;
  vrid: number;
  waitedMs: number | null;
  expectedMs: number | null;
  late: boolean;
}
/** The first gratuitous ARP (or unsolicited NA) burst of the new master. */
export interface GarpStep extends StepBase { step: 'garp'; router: string; vrid: number; ip: string; count: number; protocol: 'arp' | 'ndp' }
/** A takeover announced by no gratuitous ARP. */
export interface NoGarpStep extends StepBase { step: 'no-garp'; router: string; vrid: number; addresses: string[] }
/** Clients' connections (pings, ARP) to a VIP failed. */
export interface OutageStep extends StepBase { step: 'outage'; vip: string; probe: 'tcp' | 'udp' | 'ping' | 'arp'; end: number; durationMs: number; failed: number; ongoing: boolean }
/** Connections open across the takeover: kept or reset, with IPVS sync seen or not. */
export interface ConnectionsStep extends StepBase { step: 'connections'; router: string; survived: number; reset: number; synced: boolean }
/** Two masters at once (end null: still at the end of the capture). */
export interface SplitBrainStep extends StepBase { step: 'split-brain'; vrid: number; routers: [string, string]; end: number | null; causes: DifferenceField[]; /** vrrp.split-brain's: why the lower router missed the master's adverts (lost on the link, held in its kernel), and which yielded. */ adverts: 'lost' | 'held' | null; yielded: string | null }
/** A health-check verdict. */
export interface CheckStep extends StepBase { step: 'check'; director: string; target: string; checker: Checker; state: 'up' | 'down'; reason: string }
/** What made an HSRP group's Active leave: its silence (`failover`, its last hello), its Resign, or another router's Coup. */
export interface HsrpCauseStep extends StepBase { step: 'hsrp-cause'; cause: 'failover' | 'resign' | 'coup'; router: string; group: number }
/** The new Active of an HSRP group: `waitedMs` from the previous Active's last hello (or Resign), `holdMs` its hold time. */
export interface HsrpActiveStep extends StepBase { step: 'hsrp-active'; router: string; previous: string; group: number; reason: string; waitedMs: number | null; holdMs: number | null }
/** A real server leaves (`out`) or joins (`in`) the pool, as the clients' traffic shows. */
export interface PoolStep extends StepBase { step: 'pool'; realServer: string; service: string; state: 'in' | 'out' }
/** The sorry server starts (`in`) or stops (`out`) answering for a service. */
export interface SorryStep extends StepBase { step: 'sorry'; vip: string; sorryServer: string; state: 'in' | 'out' }

export type IncidentStep =
  | LastAdvertStep | ResignStep | ReturnStep | TakeoverStep | GarpStep | NoGarpStep | OutageStep | ConnectionsStep
  | SplitBrainStep | CheckStep | PoolStep | SorryStep | HsrpCauseStep | HsrpActiveStep;

export interface Incident {
  /** `i1`, `i2` … by start. */
  id: string;
  kind: IncidentKind;
  start: number;
  /** The last step's end (an outage's last failure, a split brain's end…). */
  end: number;
  /** False when what the incident tells was still going on at the end of the capture (a server still out, a split brain, the sorry server still answering). */
  closed: boolean;
  /** VRIDs involved (a sync group's takeover: several). */
  vrids: number[];
  /** Masters before and after (takeovers), the two masters (split brain). */
  from: string[];
  to: string[];
  /** The real server, or the VIP for the sorry server and an outage; null for VRRP incidents. */
  subject: string | null;
  /** Ordered by time. */
  steps: IncidentStep[];
  /** Ids of the events it groups. */
  events: string[];
}

type Master = EventOf<'vrrp.master'>;
const TAKEOVER_KINDS: Partial<Record<string, IncidentKind>> = { 'master-down': 'crash', resignation: 'stop', preemption: 'preemption' };

/** The incidents of a final event list (sorted by time). */
export function buildIncidents(events: readonly AnalysisEvent[]): Incident[] {
  const byId = new Map<string, AnalysisEvent>();
  for (const e of events) byId.set(e.id, e);
  const out: Omit<Incident, 'id'>[] = [];
  const claimed = new Set<string>();
  out.push(...takeovers(events, claimed));
  out.push(...splitBrains(events, claimed));
  out.push(...sorryWindows(events, claimed));
  out.push(...realServers(events, byId, claimed));
  out.push(...hsrpTakeovers(events, claimed));
  // An outage explained by an event of an incident (a real server's failed check: the clients met
  // that server before keepalived removed it) is told in that incident.
  const owner = new Map<string, Omit<Incident, 'id'>>();
  for (const inc of out) for (const id of inc.events) owner.set(id, inc);
  for (const e of events) {
    const inc = isKind(e, 'svc.outage') && !claimed.has(e.id) && e.related !== null ? owner.get(e.related) : undefined;
    if (!inc || !isKind(e, 'svc.outage')) continue;
    claimed.add(e.id);
    inc.events.push(e.id);
    inc.steps.push(outageStep(e));
    inc.steps.sort((x, y) => x.time - y.time);
    inc.start = inc.steps[0].time;
    inc.end = Math.max(inc.end, e.end);
  }
  // Outages nothing above explains: an incident of their own.
  for (const e of events) {
    if (!isKind(e, 'svc.outage') || claimed.has(e.id)) continue;
    const s = outageStep(e);
    out.push({ kind: 'outage', start: s.time, end: s.end, closed: !e.ongoing, vrids: [], from: [], to: [], subject: e.vip, steps: [s], events: [e.id] });
  }
  return out.sort((x, y) => x.start - y.start).map((inc, i) => ({ id: `i${i + 1}`, ...inc }));
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

function outageStep(e: EventOf<'svc.outage'>): OutageStep {
  return {
    step: 'outage', time: e.start, frames: e.frames, event: e.id, vip: e.vip, probe: e.probe, end: e.end,
    durationMs: e.durationMs, failed: e.failedConnections, ongoing: e.ongoing,
  };
}

/** Crashes, clean stops and preemptions: takeovers of one reason within one advert interval are one incident. */
function takeovers(events: readonly AnalysisEvent[], claimed: Set<string>): Omit<Incident, 'id'>[] {
  const groups: Master[][] = [];
  for (const e of events) {
    if (!isKind(e, 'vrrp.master') || typeof e.previous !== 'string' || !TAKEOVER_KINDS[e.reason] || e.resumed) continue;
    const g = groups.at(-1);
    const window = Math.max(num(e.intervalMs) ?? 1000, 1000) / 1000;
    if (g && g[0].reason === e.reason && e.time - g[0].time <= window && !g.some((m) => m.vrid === e.vrid && m.family === e.family)) g.push(e);
    else groups.push([e]);
  }
  const masterIds = new Set(groups.flat().map((m) => m.id));
  // What points at a takeover: its GARP bursts, its connections, a missing GARP; and the silence or
  // priority-0 advert of the master it replaced.
  const related = new Map<string, AnalysisEvent[]>();
  const relate = (id: string | null, e: AnalysisEvent) => { if (id && masterIds.has(id)) { const l = related.get(id) ?? []; l.push(e); related.set(id, l); } };
  const resigns: EventOf<'vrrp.resign'>[] = [];
  const silences: EventOf<'vrrp.silent'>[] = [];
  const outages: EventOf<'svc.outage'>[] = [];
  for (const e of events) {
    if (isKind(e, 'arp.garp') && e.burst === 1) relate(e.related, e);
    else if (isKind(e, 'arp.missing-garp') || isKind(e, 'lvs.failover-connections')) relate(e.related, e);
    else if (isKind(e, 'vrrp.resign')) resigns.push(e);
    else if (isKind(e, 'vrrp.silent')) silences.push(e);
    else if (isKind(e, 'svc.outage')) outages.push(e);
  }
  const outagesOf = outagesByRelated(outages);
  // The silences and priority-0 adverts of each (VRID, router), in time order.
  const byRouter = <T extends { vrid: number; router: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) { const k = `${x.vrid}|${x.router}`; const l = m.get(k) ?? []; l.push(x); m.set(k, l); }
    return m;
  };
  const silencesOf = byRouter(silences), resignsOf = byRouter(resigns);
  const resignOf = (m: Master) => resignsOf.get(`${m.vrid}|${m.previous}`)?.filter((r) => r.time <= m.time).at(-1);
  return groups.map((g) => {
    let kind = TAKEOVER_KINDS[g[0].reason]!;
    if (kind === 'stop' && g.some((m) => resignOf(m)?.fault === true)) kind = 'fault';
    const steps: IncidentStep[] = [];
    const ids = new Set<string>();
    for (const m of g) {
      ids.add(m.id);
      const gap = num(m.gapMs);
      if (kind === 'crash') {
        const silent = silencesOf.get(`${m.vrid}|${m.previous}`)?.find((s) => s.takenOverBy === m.router && Math.abs(s.time - m.time) < 10 * (num(m.intervalMs) ?? 1000) / 1000);
        if (silent) ids.add(silent.id);
        // The takeover's frames are [the old master's last advert, the new master's first] (vrrp.silent names the first too).
        const lastFrame = silent?.lastAdvertFrame ?? (m.frames.length > 1 ? m.frames[0] : null);
        if (lastFrame !== null && gap !== null) steps.push({ step: 'last-advert', time: m.time - gap / 1000, frames: [lastFrame], event: silent?.id ?? m.id, router: m.previous!, vrid: m.vrid });
      } else if (kind === 'stop' || kind === 'fault') {
        const resign = resignOf(m);
        if (resign) { ids.add(resign.id); steps.push({ step: 'resign', time: resign.time, frames: resign.frames, event: resign.id, router: resign.router, vrid: resign.vrid, fault: resign.fault === true }); }
      } else {
        const wait = num(m.waitMs), from = m.waitFromFrame;
        if (m.waitFrom && wait !== null && typeof from === 'number') steps.push({ step: 'return', time: m.time - wait / 1000, frames: [from], event: m.id, router: m.router, vrid: m.vrid, signal: m.waitFrom });
      }
      steps.push({
        step: 'takeover', time: m.time, frames: m.frames.slice(-1), event: m.id, router: m.router, previous: m.previous!, vrid: m.vrid,
        waitedMs: kind === 'preemption' ? num(m.waitMs) : gap, expectedMs: num(m.expectedMs), late: kind === 'preemption' ? false : m.late === true,
      });
      for (const r of related.get(m.id) ?? []) {
        ids.add(r.id);
        if (isKind(r, 'arp.garp')) steps.push({ step: 'garp', time: r.time, frames: r.frames, event: r.id, router: m.router, vrid: m.vrid, ip: r.ip, count: r.count, protocol: r.protocol === 'ndp' ? 'ndp' : 'arp' });
        else if (isKind(r, 'arp.missing-garp')) steps.push({ step: 'no-garp', time: r.time, frames: r.frames, event: r.id, router: r.router, vrid: r.vrid, addresses: r.addresses });
        else if (isKind(r, 'lvs.failover-connections')) steps.push({ step: 'connections', time: r.time, frames: r.frames, event: r.id, router: r.router, survived: r.survived, reset: r.reset, synced: r.synced });
      }
    }
    for (const id of [...ids]) for (const o of outagesOf.get(id) ?? []) if (!claimed.has(o.id)) { claimed.add(o.id); ids.add(o.id); steps.push(outageStep(o)); }
    for (const id of ids) claimed.add(id);
    const byVrid = [...g].sort((x, y) => x.vrid - y.vrid);
    return finish(kind, steps, ids, { vrids: byVrid.map((m) => m.vrid), from: byVrid.map((m) => m.previous!), to: byVrid.map((m) => m.router), subject: null, closed: true });
  });
}

/**
 * An HSRP group's Active replaced (Coup, Resign, silence of the hold time, or unexplained): one incident
 * each, like a VRRP takeover; an election or an Active already there at the start is none.
 */
function hsrpTakeovers(events: readonly AnalysisEvent[], claimed: Set<string>): Omit<Incident, 'id'>[] {
  const out: Omit<Incident, 'id'>[] = [];
  for (const e of events) {
    if (!isKind(e, 'hsrp.active') || e.previous === null) continue;
    const steps: IncidentStep[] = [];
    const cause = e.reason === 'failover' || e.reason === 'resign' || e.reason === 'coup' ? e.reason : null;
    const since = num(e.sinceCauseMs);
    if (cause && e.causeFrame !== null) {
      steps.push({ step: 'hsrp-cause', time: since === null ? e.time : e.time - since / 1000, frames: [e.causeFrame], event: e.id, cause, router: cause === 'coup' ? e.router : e.previous, group: e.group });
    }
    steps.push({ step: 'hsrp-active', time: e.time, frames: e.frames.slice(-1), event: e.id, router: e.router, previous: e.previous, group: e.group, reason: e.reason, waitedMs: num(e.gapMs), holdMs: num(e.holdMs) });
    const ids = new Set([e.id]);
    for (const id of ids) claimed.add(id);
    out.push(finish('hsrp', steps, ids, { vrids: [], from: [e.previous], to: [e.router], subject: e.virtualIp, closed: true }));
  }
  return out;
}

/** Outages by the id of the event that explains them. */
function outagesByRelated(events: readonly AnalysisEvent[]): Map<string, EventOf<'svc.outage'>[]> {
  const m = new Map<string, EventOf<'svc.outage'>[]>();
  for (const o of events) if (isKind(o, 'svc.outage') && o.related !== null) { const l = m.get(o.related) ?? []; l.push(o); m.set(o.related, l); }
  return m;
}

function splitBrains(events: readonly AnalysisEvent[], claimed: Set<string>): Omit<Incident, 'id'>[] {
  const out: Omit<Incident, 'id'>[] = [];
  const outagesOf = outagesByRelated(events);
  // The masters that began a split brain (a takeover seen only by its GARPs, vrrp-lossy): the clients'
  // failures their ARP entries caused belong to the split brain's story.
  const masters = new Map<string, Master>();
  for (const e of events) if (isKind(e, 'vrrp.master')) masters.set(e.id, e);
  for (const e of events) {
    if (!isKind(e, 'vrrp.split-brain')) continue;
    const ids = new Set([e.id]);
    const steps: IncidentStep[] = [{ step: 'split-brain', time: e.start, frames: e.frames, event: e.id, vrid: e.vrid, routers: e.routers, end: e.end, causes: (e.causes ?? []).map((c) => c.field), adverts: e.adverts ?? null, yielded: e.yielded ?? null }];
    const began = [...masters.values()].filter((m) => m.vrid === e.vrid && e.routers.includes(m.router) && Math.abs(m.time - e.start) <= 0.5).map((m) => m.id);
    for (const id of [e.id, ...began]) for (const o of outagesOf.get(id) ?? []) if (!claimed.has(o.id)) { claimed.add(o.id); ids.add(o.id); steps.push(outageStep(o)); }
    claimed.add(e.id);
    out.push(finish('split-brain', steps, ids, { vrids: [e.vrid], from: [...e.routers], to: [], subject: null, closed: e.end !== null }));
  }
  return out;
}

/** The sorry server's windows, with the pool changes the quorum caused (related to the window). */
function sorryWindows(events: readonly AnalysisEvent[], claimed: Set<string>): Omit<Incident, 'id'>[] {
  const out: Omit<Incident, 'id'>[] = [];
  const outagesOf = outagesByRelated(events);
  for (const e of events) {
    if (!isKind(e, 'lvs.sorry')) continue;
    const ids = new Set([e.id]);
    const steps: IncidentStep[] = [{ step: 'sorry', time: e.start, frames: e.frames.slice(0, 1), event: e.id, vip: e.vip, sorryServer: e.sorryServer, state: 'in' }];
    if (e.end !== null) steps.push({ step: 'sorry', time: e.end, frames: e.frames.length > 1 ? e.frames.slice(-1) : [], event: e.id, vip: e.vip, sorryServer: e.sorryServer, state: 'out' });
    for (const o of outagesOf.get(e.id) ?? []) if (!claimed.has(o.id)) { claimed.add(o.id); ids.add(o.id); steps.push(outageStep(o)); }
    claimed.add(e.id);
    out.push(finish('sorry', steps, ids, { vrids: [], from: [], to: [], subject: e.vip, closed: e.end !== null }));
  }
  return out;
}

/**
 * A real server out of the pool and back: lvs.realserver out → in per (server, service), each with the
 * health-check verdict that explains it; where the capture shows no pool change for a server, its
 * health-check verdicts (down → up) alone.
 */
function realServers(events: readonly AnalysisEvent[], byId: Map<string, AnalysisEvent>, claimed: Set<string>): Omit<Incident, 'id'>[] {
  const out: Omit<Incident, 'id'>[] = [];
  const open = new Map<string, { steps: IncidentStep[]; ids: Set<string>; subject: string }>();
  const close = (key: string, closed: boolean) => {
    const o = open.get(key)!;
    open.delete(key);
    out.push(finish('real-server', o.steps, o.ids, { vrids: [], from: [], to: [], subject: o.subject, closed }));
  };
  const checkStep = (c: EventOf<'hc.state'>): CheckStep => ({ step: 'check', time: c.time, frames: c.frames.slice(-1), event: c.id, director: c.director, target: c.target, checker: c.checker, state: c.state, reason: c.reason });
  const inPool = new Set<string>();
  for (const e of events) if (isKind(e, 'lvs.realserver')) inPool.add(e.realServer);
  for (const e of events) {
    if (isKind(e, 'lvs.realserver')) {
      const key = `pool|${e.realServer}|${e.service}`;
      if (e.state === 'out' && !open.has(key)) open.set(key, { steps: [], ids: new Set(), subject: e.realServer });
      const o = open.get(key);
      if (!o) continue; // a server joining without having left: its first appearance
      const cause = e.related ? byId.get(e.related) : undefined;
      if (cause && isKind(cause, 'hc.state') && !o.ids.has(cause.id)) { o.ids.add(cause.id); o.steps.push(checkStep(cause)); }
      o.ids.add(e.id);
      o.steps.push({ step: 'pool', time: e.time, frames: e.frames, event: e.id, realServer: e.realServer, service: e.service, state: e.state });
      if (e.state === 'in') close(key, true);
    } else if (isKind(e, 'hc.state') && !inPool.has(e.target)) {
      const key = `hc|${e.target}`;
      if (e.state === 'down' && !open.has(key)) open.set(key, { steps: [], ids: new Set(), subject: e.target });
      const o = open.get(key);
      if (!o) continue;
      o.ids.add(e.id);
      o.steps.push(checkStep(e));
      // Every director checks: the server is back when the last one that found it down finds it up.
      const down = new Set<string>();
      for (const s of o.steps) if (s.step === 'check') { if (s.state === 'down') down.add(s.director); else down.delete(s.director); }
      if (down.size === 0) close(key, true);
    }
  }
  for (const key of [...open.keys()]) close(key, false);
  for (const inc of out) for (const id of inc.events) claimed.add(id);
  return out;
}

function finish(kind: IncidentKind, steps: IncidentStep[], ids: Set<string>, rest: Pick<Incident, 'vrids' | 'from' | 'to' | 'subject' | 'closed'>): Omit<Incident, 'id'> {
  steps.sort((x, y) => x.time - y.time);
  const start = steps.length ? steps[0].time : 0;
  let end = start;
  for (const s of steps) {
    const e = s.step === 'outage' ? s.end : s.step === 'split-brain' ? s.end ?? s.time : s.time;
    if (e > end) end = e;
  }
  const uniq = <T>(l: T[]) => [...new Set(l)];
  return { kind, start, end, ...rest, vrids: uniq(rest.vrids).sort((a, b) => a - b), from: uniq(rest.from), to: uniq(rest.to), steps, events: [...ids] };
}
