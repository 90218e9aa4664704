// Timelines drawn from the events and their episodes alone: one per VRID (who was master when — the
// episodes' tenures, the same the summary and the JSON `masters` give —, gratuitous ARP bursts,
// split-brain windows, other VRRP findings) and one per virtual service (health-check verdicts, pool
// membership, sorry server, outages). This module places those periods on an SVG grid; the template only
// draws the rectangles it is given.

import { ofKind, type AnalysisEvent, type EventOf } from '../analyse/events.js';
import { hostOf, tenureEnd, tenuresOf, type Episodes } from '../analyse/episodes.js';
import { labelOf, type ReportFormat } from './format.js';
import type { Say } from './say/index.js';
import type { I18n, MessageKey } from './i18n/index.js';
import { eventAnchor, finite } from './annotations.js';

export interface Rect { x: number; y: number; w: number; h: number; cls: string; title: string; href: string | null }
export interface Label { x: number; y: number; text: string; cls: string }
export interface Lane { label: string; title: string; y: number; textY: number; h: number }
export interface Tick { x: number; y1: number; y2: number; textY: number; label: string }
export interface LegendItem { cls: string; label: string }
export interface Period { lane: string; what: string; from: string; to: string; duration: string }

export interface Timeline {
  id: string;
  kind: 'vrid' | 'service';
  title: string;
  width: number;
  height: number;
  axisY: number;
  plotX: number;
  plotW: number;
  lanes: Lane[];
  rects: Rect[];
  labels: Label[];
  ticks: Tick[];
  legend: LegendItem[];
  periods: Period[];
  aria: string;
}

const WIDTH = 1000;
const LABEL_W = 200;
const RIGHT_PAD = 16;
const TOP = 6;
const LANE_H = 26;
const LANE_GAP = 6;
const AXIS_H = 22;
const ROUTER_COLOURS = 8;
/** Characters of a lane label that fit left of the plot. */
const LABEL_CHARS = 27;

/** A period or an instant on one lane, in epoch seconds, before it is placed in pixels. */
interface Item { lane: number; t0: number; t1: number; cls: string; title: string; label?: string; band?: 'top' | 'mid' | 'bottom'; href?: string }

export interface TimeRange { start: number; end: number }

/** The time span to draw: the capture, widened to every event time, start and end. */
export function timeRange(events: readonly AnalysisEvent[], start: number | null, end: number | null): TimeRange {
  let lo = start ?? Infinity, hi = end ?? -Infinity;
  for (const e of events) {
    for (const t of [e.time, ...spanOf(e)]) {
      if (t === null || !Number.isFinite(t)) continue;
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
  }
  if (!Number.isFinite(lo)) lo = 0;
  if (!Number.isFinite(hi) || hi - lo < 1e-3) hi = lo + 1;
  return { start: lo, end: hi };
}

/** The start and end an event gives (split brains, sorry-server use, outages). */
function spanOf(e: AnalysisEvent): (number | null)[] {
  switch (e.kind) {
    case 'vrrp.split-brain': case 'lvs.sorry': case 'svc.outage': return [e.start, e.end];
    default: return [];
  }
}

/** Router index for colours: by order of first mastership, the same in every timeline and legend. */
export function routerColours(events: readonly AnalysisEvent[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of ofKind(events, 'vrrp.master')) {
    if (typeof e.router === 'string' && !m.has(e.router)) m.set(e.router, m.size % ROUTER_COLOURS);
  }
  return m;
}

/** The VRID of a VRRP event (kinds added later too). */
function vridOf(e: AnalysisEvent): number | null {
  return e.kind.startsWith('vrrp.') && 'vrid' in e && typeof e.vrid === 'number' ? e.vrid : null;
}

export function vridsOf(events: readonly AnalysisEvent[]): number[] {
  const s = new Set<number>();
  for (const e of events) { const v = vridOf(e); if (v !== null) s.add(v); }
  return [...s].sort((a, b) => a - b);
}

export { hostOf };

export interface Service {
  /** "" for real servers seen in health checks whose virtual service is not known from the events. */
  vip: string;
  realServers: string[];
}

/** Virtual services and their real servers, from lvs.forward, lvs.sorry, svc.outage, lvs.realserver and hc.*. */
export function servicesOf(events: readonly AnalysisEvent[]): Service[] {
  const byVip = new Map<string, Set<string>>();
  const add = (vip: string) => { let s = byVip.get(vip); if (!s) byVip.set(vip, s = new Set()); return s; };
  for (const e of events) {
    if (e.kind === 'lvs.forward' && e.vip) { const s = add(e.vip); if (e.realServer) s.add(e.realServer); }
    else if ((e.kind === 'lvs.sorry' || e.kind === 'svc.outage') && e.vip) add(e.vip);
  }
  for (const e of events) {
    const target = e.kind === 'lvs.realserver' ? e.realServer : e.kind === 'hc.state' || e.kind === 'hc.probe' ? e.target : null;
    if (!target) continue;
    const bare = (e.kind === 'hc.state' || e.kind === 'hc.probe') && e.checker === 'ping';
    if (serviceOfTarget(byVip, target, bare) === null) add('').add(target);
  }
  // A sorry server has its own lane (when it answers), not a real server's.
  for (const e of ofKind(events, 'lvs.sorry')) {
    if (e.vip && e.sorryServer) byVip.get(e.vip)?.delete(e.sorryServer);
  }
  const out = [...byVip].map(([vip, rs]) => ({ vip, realServers: [...rs].sort() }));
  return out.sort((a, b) => (a.vip === '' ? 1 : b.vip === '' ? -1 : a.vip.localeCompare(b.vip)));
}

/**
 * The service whose real server a target is: the same endpoint; for PING_CHECK (a bare address: it belongs to
 * one real server at that address, keepalived-semantics.md §2), the same host. A checker of another port of a
 * host (its UDP_CHECK beside its SMTP_CHECK) is that port's real server, not the host's other one.
 */
function serviceOfTarget(byVip: Map<string, Set<string>>, target: string, bare: boolean): string | null {
  for (const [vip, rs] of byVip) if (rs.has(target)) return vip;
  if (!bare) return null;
  const host = hostOf(target);
  for (const [vip, rs] of byVip) for (const r of rs) if (hostOf(r) === host) return vip;
  return null;
}

/** The real server of a service that an hc.* target or lvs.realserver names (same endpoint; PING_CHECK: same host). */
function realServerOf(service: Service, target: string, bare: boolean): number {
  const exact = service.realServers.indexOf(target);
  if (exact >= 0 || !bare) return exact;
  const host = hostOf(target);
  return service.realServers.findIndex((r) => hostOf(r) === host);
}

function niceStep(span: number): number {
  const steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
  for (const s of steps) if (span / s <= 10) return s;
  return Math.ceil(span / 10 / 86400) * 86400;
}

class Canvas {
  readonly plotX = LABEL_W;
  readonly plotW = WIDTH - LABEL_W - RIGHT_PAD;
  constructor(readonly range: TimeRange) {}
  x(t: number): number {
    const { start, end } = this.range;
    const f = (Math.min(Math.max(t, start), end) - start) / (end - start);
    return round(this.plotX + f * this.plotW);
  }
}

const round = (v: number) => Math.round(v * 10) / 10;

function shortLabel(s: string): string {
  return s.length > LABEL_CHARS ? s.slice(0, LABEL_CHARS - 1) + '…' : s;
}

/** Places lanes and items on the grid. */
function layout(id: string, kind: Timeline['kind'], title: string, laneNames: string[], items: Item[], legend: LegendItem[], periods: Period[], range: TimeRange, relLabel: (t: number) => string, aria: string): Timeline {
  const c = new Canvas(range);
  const lanes: Lane[] = laneNames.map((label, i) => {
    const y = TOP + i * (LANE_H + LANE_GAP);
    return { label: shortLabel(label), title: label, y, textY: y + LANE_H / 2 + 4, h: LANE_H };
  });
  const axisY = TOP + laneNames.length * (LANE_H + LANE_GAP);
  const rects: Rect[] = [];
  const labels: Label[] = [];
  for (const it of items) {
    const full = it.lane < 0;
    const y0 = full ? TOP - 3 : lanes[it.lane].y;
    const h0 = full ? axisY - TOP + 3 : LANE_H;
    const [y, h] = it.band === 'top' ? [y0, 11] : it.band === 'mid' ? [y0 + 11.5, 3] : it.band === 'bottom' ? [y0 + 15, 11] : [y0, h0];
    const x0 = c.x(it.t0), x1 = c.x(it.t1);
    const w = Math.max(it.t1 > it.t0 ? 1 : 2, round(x1 - x0));
    const x = it.t1 > it.t0 ? x0 : round(Math.max(c.plotX, x0 - w / 2));
    rects.push({ x, y, w, h, cls: it.cls, title: it.title, href: it.href ?? null });
    if (it.label && w > it.label.length * 7 + 8) labels.push({ x: round(x + 5), y: y + h / 2 + 4, text: it.label, cls: 'band-label' });
  }
  const step = niceStep(range.end - range.start);
  const ticks: Tick[] = [];
  for (let k = 0; ; k++) {
    const rel = k * step;
    const t = range.start + rel;
    if (t > range.end + 1e-9) break;
    ticks.push({ x: c.x(t), y1: TOP - 3, y2: axisY + 3, textY: axisY + 16, label: relLabel(rel) });
    if (k > 40) break;
  }
  return { id, kind, title, width: WIDTH, height: axisY + AXIS_H, axisY, plotX: c.plotX, plotW: c.plotW, lanes, rects, labels, ticks, legend, periods, aria };
}

export interface TimelineContext {
  i18n: I18n;
  say: Say;
  fmt: ReportFormat;
  range: TimeRange;
  colours: Map<string, number>;
  episodes: Episodes;
}

const MARK_KINDS = new Set<string>(['vrrp.resign', 'vrrp.silent', 'vrrp.mismatch', 'vrrp.invalid']);


const SEVERITY_CLS: Record<string, string> = { info: 'mark-info', notice: 'mark-notice', warning: 'mark-warning' };

export function vridTimeline(events: readonly AnalysisEvent[], vrid: number, ctx: TimelineContext): Timeline {
  const { i18n, fmt, range, colours } = ctx;
  const t = (k: MessageKey, p: Record<string, string | number> = {}) => i18n.t(k, p);
  const span = (a: number, b: number) => `${fmt.rel(a)} → ${fmt.rel(b)} (${fmt.duration((b - a) * 1000)})`;
  const items: Item[] = [];
  const periods: Period[] = [];
  const legend: LegendItem[] = [];
  const laneMaster = t('timeline.lane.master'), laneGarp = t('timeline.lane.garp'), laneEvents = t('timeline.lane.events');
  const lanes = [laneMaster];
  const masters = tenuresOf(ctx.episodes, vrid).map((p) => ({ ...p, end: tenureEnd(p, range.end) }));
  const seenRouters = new Set<string>();
  // Gaps with no master: where no period covers the time line (periods may overlap).
  let covered = range.start;
  let coveredToEnd = false;
  for (const p of masters) {
    if (!coveredToEnd && p.start > covered && p.start > range.start && masters.indexOf(p) > 0) {
      items.push({ lane: 0, t0: covered, t1: p.start, cls: 'nomaster', title: `${t('timeline.noMaster')}: ${span(covered, p.start)}`, label: '' });
      periods.push({ lane: laneMaster, what: t('timeline.noMaster'), from: fmt.rel(covered), to: fmt.rel(p.start), duration: fmt.duration((p.start - covered) * 1000) });
    }
    const reason = p.event.reason ?? 'unknown';
    const reasonText = reasonLabel(i18n, reason);
    const colour = colours.get(p.router) ?? 0;
    items.push({ lane: 0, t0: p.start, t1: p.end, cls: 'r' + colour, title: `${t('timeline.masterBand', { router: p.router, reason: reasonText })}: ${span(p.start, p.end)}`, label: p.router, href: '#' + eventAnchor(p.event.id) });
    periods.push({ lane: laneMaster, what: t('timeline.masterBand', { router: p.router, reason: reasonText }), from: fmt.rel(p.start), to: p.ended === 'capture-end' ? t('timeline.captureEnd') : fmt.rel(p.end), duration: fmt.duration((p.end - p.start) * 1000) });
    if (!seenRouters.has(p.router)) { seenRouters.add(p.router); legend.push({ cls: 'r' + colour, label: t('timeline.legend.master', { router: p.router }) }); }
    if (p.ended === 'capture-end') coveredToEnd = true;
    covered = Math.max(covered, p.end);
  }
  if (masters.length && !coveredToEnd && covered < range.end) {
    items.push({ lane: 0, t0: covered, t1: range.end, cls: 'nomaster', title: `${t('timeline.noMaster')}: ${span(covered, range.end)}` });
    periods.push({ lane: laneMaster, what: t('timeline.noMaster'), from: fmt.rel(covered), to: t('timeline.captureEnd'), duration: fmt.duration((range.end - covered) * 1000) });
  }
  if (items.some((i) => i.cls === 'nomaster')) legend.push({ cls: 'nomaster', label: t('timeline.noMaster') });

  const byId = new Map(events.map((e) => [e.id, e]));
  const garps = ofKind(events, 'arp.garp').filter((e) => garpVrid(e, byId, events) === vrid);
  if (garps.length) {
    const lane = lanes.push(laneGarp) - 1;
    for (const g of garps) {
      items.push({ lane, t0: g.time, t1: g.time, cls: 'garp', title: `${fmt.rel(g.time)} ${ctx.say.summary(g)}`, href: '#' + eventAnchor(g.id) });
      periods.push({ lane: laneGarp, what: t('timeline.garp', { count: g.count ?? '?', ip: g.ip ?? '?', mac: g.mac ?? '?' }), from: fmt.rel(g.time), to: '', duration: '' });
    }
    legend.push({ cls: 'garp', label: t('timeline.legend.garp') });
  }
  const marks = events.filter((e) => MARK_KINDS.has(e.kind) && vridOf(e) === vrid);
  if (marks.length) {
    const lane = lanes.push(laneEvents) - 1;
    for (const m of marks) {
      items.push({ lane, t0: m.time, t1: m.time, cls: SEVERITY_CLS[m.severity] ?? 'mark-info', title: `${fmt.rel(m.time)} ${ctx.say.summary(m)}`, href: '#' + eventAnchor(m.id) });
      periods.push({ lane: laneEvents, what: ctx.say.summary(m), from: fmt.rel(m.time), to: '', duration: '' });
    }
    for (const sev of ['info', 'notice', 'warning']) {
      if (marks.some((m) => m.severity === sev)) legend.push({ cls: SEVERITY_CLS[sev], label: t('timeline.legend.events', { severity: labelOf(i18n, 'severity.', sev) }) });
    }
  }
  const splits = ofKind(events, 'vrrp.split-brain').filter((e) => e.vrid === vrid);
  for (const s of splits) {
    const a = finite(s.start) ?? s.time, b = finite(s.end) ?? a;
    const routers = (s.routers ?? []).join(', ');
    items.push({ lane: -1, t0: a, t1: b, cls: 'split', title: `${t('timeline.split', { routers })}: ${span(a, b)}`, href: '#' + eventAnchor(s.id) });
    periods.push({ lane: laneMaster, what: t('timeline.split', { routers }), from: fmt.rel(a), to: fmt.rel(b), duration: fmt.duration((b - a) * 1000) });
  }
  if (splits.length) legend.push({ cls: 'split', label: t('timeline.legend.split') });
  const title = t('timeline.vrid.title', { vrid });
  return layout(`timeline-vrid-${vrid}`, 'vrid', title, lanes, items, legend, periods, range, (rel) => relTick(i18n, rel), t('timeline.vrid.aria', { vrid }));
}

/** The VRID a GARP burst belongs to: that of the vrrp.master it follows, else the only VRID there is. */
function garpVrid(g: EventOf<'arp.garp'>, byId: Map<string, AnalysisEvent>, events: readonly AnalysisEvent[]): number | null {
  if (g.related) { const m = byId.get(g.related); if (m) return 'vrid' in m && typeof m.vrid === 'number' ? m.vrid : null; }
  const vrids = vridsOf(events);
  return vrids.length === 1 ? vrids[0] : null;
}

/** GARP bursts that no VRID timeline can show (no related master and several VRIDs). */
export function orphanGarps(events: readonly AnalysisEvent[]): AnalysisEvent[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  return ofKind(events, 'arp.garp').filter((e) => garpVrid(e, byId, events) === null);
}

export function serviceTimeline(events: readonly AnalysisEvent[], service: Service, index: number, ctx: TimelineContext): Timeline {
  const { i18n, fmt, range } = ctx;
  const t = (k: MessageKey, p: Record<string, string | number> = {}) => i18n.t(k, p);
  const span = (a: number, b: number) => `${fmt.rel(a)} → ${fmt.rel(b)} (${fmt.duration((b - a) * 1000)})`;
  const items: Item[] = [];
  const periods: Period[] = [];
  const legend = new Map<string, string>();
  // One lane per real server × checker, labelled with both: keepalived judges each checker apart (a server is
  // out while one fails), so a failing UDP_CHECK must not paint the lane of the same host's passing SMTP_CHECK.
  // A real server no checker probes has one lane, its own. Pool membership (lvs.realserver) is the server's: it
  // is drawn on each of its lanes.
  const hcs = [...ofKind(events, 'hc.state'), ...ofKind(events, 'hc.probe')];
  const rsOfCheck = (e: { target: string; checker: string }) => realServerOf(service, e.target, e.checker === 'ping');
  const checkersOf = service.realServers.map(() => new Set<string>());
  for (const e of hcs) { const rs = rsOfCheck(e); if (rs >= 0) checkersOf[rs].add(e.checker); }
  const lanes: string[] = [];
  const laneIndex = new Map<string, number>();
  const lanesOfRs: number[][] = service.realServers.map((rs, i) => {
    const checkers = [...checkersOf[i]].sort();
    if (!checkers.length) { laneIndex.set(`${i}|`, lanes.length); return [lanes.push(rs) - 1]; }
    return checkers.map((c) => {
      laneIndex.set(`${i}|${c}`, lanes.length);
      return lanes.push(`${rs} · ${t(`hc.checker.${c}` as MessageKey)}`) - 1;
    });
  });
  const laneOfCheck = (e: { target: string; checker: string }) => { const rs = rsOfCheck(e); return rs < 0 ? -1 : laneIndex.get(`${rs}|${e.checker}`) ?? -1; };
  // Health-check verdicts (top strip, per checker) and pool membership (bottom strip, per server) run until the
  // next change on the same lane.
  interface Change { e: AnalysisEvent; target: string; state: string; checker: string; lanes: number[] }
  const strips: { kind: 'hc.state' | 'lvs.realserver'; band: 'top' | 'bottom'; values: Record<string, string>; changes: Change[] }[] = [
    {
      kind: 'hc.state', band: 'top', values: { up: 'up', down: 'down' },
      changes: ofKind(events, 'hc.state').map((e) => ({ e, target: e.target, state: e.state, checker: e.checker ?? '', lanes: [laneOfCheck(e)] })).filter((c) => c.lanes[0] >= 0),
    },
    {
      kind: 'lvs.realserver', band: 'bottom', values: { in: 'in', out: 'out' },
      changes: ofKind(events, 'lvs.realserver').map((e) => {
        const rs = realServerOf(service, e.realServer, false);
        return { e, target: e.realServer, state: e.state, checker: e.checker ?? '', lanes: rs < 0 ? [] : lanesOfRs[rs] };
      }).filter((c) => c.lanes.length > 0),
    },
  ];
  const probes = ofKind(events, 'hc.probe').filter((p) => laneOfCheck(p) >= 0);
  for (const s of strips) {
    const changes = s.changes;
    // These events mark changes: before a lane's first one it was in the other state, since its first probe
    // (or the start of the capture).
    const opposite: Record<string, string> = { up: 'down', down: 'up', in: 'out', out: 'in' };
    const seenLane = new Set<number>();
    for (const c of changes) {
      for (const lane of c.lanes) {
        if (seenLane.has(lane)) continue;
        seenLane.add(lane);
        const before = opposite[c.state ?? ''];
        if (!before) continue;
        const firstProbe = probes.find((p) => laneOfCheck(p) === lane);
        const from = Math.min(firstProbe ? firstProbe.time : range.start, c.e.time);
        if (from >= c.e.time) continue;
        const what = t('timeline.implied', { state: t(s.kind === 'hc.state' ? 'timeline.hcState' : 'timeline.poolState', { state: stateLabel(i18n, before), checker: c.checker }) });
        items.push({ lane, t0: from, t1: c.e.time, cls: s.values[before], band: s.band, title: `${s.kind === 'hc.state' ? lanes[lane] : c.target} ${what}: ${span(from, c.e.time)}` });
        legend.set(s.values[before], t(s.kind === 'hc.state' ? 'timeline.legend.hc' : 'timeline.legend.pool', { state: stateLabel(i18n, before) }));
      }
    }
    changes.forEach((c, i) => {
      const { e, target } = c;
      const next = changes.slice(i + 1).find((n) => n.lanes[0] === c.lanes[0]);
      const state = c.state ?? '?';
      const cls = s.values[state] ?? 'unknown';
      const end = next ? next.e.time : range.end;
      const what = t(s.kind === 'hc.state' ? 'timeline.hcState' : 'timeline.poolState', { state: stateLabel(i18n, state), checker: c.checker });
      for (const lane of c.lanes) items.push({ lane, t0: e.time, t1: end, cls, band: s.band, title: `${target} ${what}: ${span(e.time, end)}`, href: '#' + eventAnchor(e.id) });
      periods.push({ lane: s.kind === 'hc.state' ? lanes[c.lanes[0]] : target, what, from: fmt.rel(e.time), to: next ? fmt.rel(end) : t('timeline.captureEnd'), duration: fmt.duration((end - e.time) * 1000) });
      legend.set(cls, t(s.kind === 'hc.state' ? 'timeline.legend.hc' : 'timeline.legend.pool', { state: stateLabel(i18n, state) }));
    });
  }
  for (const e of probes) {
    const count = finite(e.count) ?? 1, interval = finite(e.intervalMs) ?? 0;
    const end = e.time + Math.max(0, count - 1) * interval / 1000;
    items.push({ lane: laneOfCheck(e), t0: e.time, t1: end, cls: 'probe', band: 'mid', title: `${fmt.rel(e.time)} ${ctx.say.summary(e)}`, href: '#' + eventAnchor(e.id) });
    legend.set('probe', t('timeline.legend.probe'));
  }
  for (const e of ofKind(events, 'lvs.sorry')) {
    if (e.vip !== service.vip || service.vip === '') continue;
    const sorry = e.sorryServer ?? '?';
    const label = t('timeline.lane.sorry', { server: sorry });
    let lane = lanes.indexOf(label);
    if (lane < 0) lane = lanes.push(label) - 1;
    const a = finite(e.start) ?? e.time, b = finite(e.end) ?? range.end;
    items.push({ lane, t0: a, t1: b, cls: 'sorry', title: `${t('timeline.sorry', { server: sorry })}: ${span(a, b)}`, href: '#' + eventAnchor(e.id) });
    periods.push({ lane: label, what: t('timeline.sorry', { server: sorry }), from: fmt.rel(a), to: fmt.rel(b), duration: fmt.duration((b - a) * 1000) });
    legend.set('sorry', t('timeline.legend.sorry'));
  }
  const outages = ofKind(events, 'svc.outage').filter((e) => e.vip === service.vip && service.vip !== '');
  if (outages.length) {
    const label = t('timeline.lane.outage');
    const lane = lanes.push(label) - 1;
    for (const e of outages) {
      const a = finite(e.start) ?? e.time, b = finite(e.end) ?? a;
      const dur = finite(e.durationMs) ?? (b - a) * 1000;
      items.push({ lane, t0: a, t1: b, cls: 'outage', title: `${t('timeline.outage')}: ${fmt.rel(a)} → ${fmt.rel(b)} (${fmt.duration(dur)})`, href: '#' + eventAnchor(e.id) });
      periods.push({ lane: label, what: t('timeline.outage'), from: fmt.rel(a), to: fmt.rel(b), duration: fmt.duration(dur) });
    }
    legend.set('outage', t('timeline.legend.outage'));
  }
  const title = service.vip ? t('timeline.service.title', { vip: service.vip }) : t('timeline.service.unassigned');
  if (lanes.length === 0) lanes.push(t('timeline.lane.none'));
  return layout(`timeline-service-${index + 1}`, 'service', title, lanes, items, [...legend].map(([cls, label]) => ({ cls, label })), periods, range, (rel) => relTick(i18n, rel), title);
}

function relTick(i18n: I18n, rel: number): string {
  const digits = rel !== 0 && rel < 1 ? (rel < 0.01 ? 3 : rel < 0.1 ? 2 : 1) : 0;
  const f = new Intl.NumberFormat(i18n.lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits });
  return i18n.t('time.rel', { s: f.format(Math.round(rel * 1000) / 1000) });
}

export function reasonLabel(i18n: I18n, reason: string): string {
  return labelOf(i18n, 'reason.', reason);
}

export function stateLabel(i18n: I18n, state: string): string {
  return labelOf(i18n, 'state.', state);
}
