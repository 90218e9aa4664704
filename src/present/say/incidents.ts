// The words of the incidents (src/analyse/incidents.ts): one line for the summary, and the story — the
// steps told in time order, those of one kind for a sync group's VRIDs on one line — with the frames behind
// each line. The frames are given as numbers: the renderer links them (and names their file when
// several inputs were merged).

import type { Incident, IncidentStep, TakeoverStep, OutageStep } from '../../analyse/incidents.js';
import type { I18n, MessageKey, Params } from '../i18n/index.js';
import { plural, type ReportFormat } from '../format.js';
import { hsrpIncidentLine, hsrpStepItem } from './hsrp.js';

export interface StoryLine {
  /** The time of the line's first step. */
  time: number;
  text: string;
  frames: number[];
}

/**
 * The order of a story's steps at one time: the cause, the takeover and what announced it, what the
 * clients saw, then the return (lines go by time first). A step kind (with its state) is one line for
 * all the VRIDs of the incident.
 */
const ORDER = [
  'last-advert', 'resign', 'resign:fault', 'return', 'hsrp-cause', 'hsrp-active', 'split-brain', 'check:down', 'pool:out', 'sorry:in',
  'takeover', 'garp', 'no-garp', 'outage', 'connections', 'check:up', 'pool:in', 'sorry:out',
] as const;

function lineKey(s: IncidentStep): string {
  if (s.step === 'resign' && s.fault) return 'resign:fault';
  return s.step === 'check' || s.step === 'pool' || s.step === 'sorry' ? `${s.step}:${s.state}` : s.step;
}

const vridList = (vrids: number[]) => vrids.join(', ');

/** "3.61 s" or "3.61–3.64 s" for a sync group whose VRIDs took different times. */
function span(fmt: ReportFormat, values: (number | null)[]): string {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (!v.length) return '—';
  const lo = Math.min(...v), hi = Math.max(...v);
  const a = fmt.duration(lo), b = fmt.duration(hi);
  return a === b ? a : `${a.replace(/\u00a0s$/, '')}–${b}`;
}

/** The incident's subject; a ping outage's VIP reads "10.0.0.100 (ping)" in the event: the address alone. */
function subjectOf(inc: Incident): string {
  return (inc.subject ?? '').replace(/ \((?:ping|tcp|udp|arp)\)$/, '');
}

/** How long the incident itself lasted: its steps without the clients' failures (which may start earlier). */
function ownSpanMs(inc: Incident): number {
  const own = inc.steps.filter((s) => s.step !== 'outage');
  if (!own.length) return (inc.end - inc.start) * 1000;
  const ends = own.map((s) => (s.step === 'split-brain' && s.end !== null ? s.end : s.time));
  return (Math.max(...ends) - own[0].time) * 1000;
}

/** One line for the summary. */
export function incidentLine(inc: Incident, i18n: I18n, fmt: ReportFormat): string {
  const takeovers = inc.steps.filter((s): s is TakeoverStep => s.step === 'takeover');
  const outages = inc.steps.filter((s): s is OutageStep => s.step === 'outage');
  const p: Params = {
    // A preemption's story starts at the router's return; its line says when it took over.
    time: fmt.rel(inc.kind === 'preemption' && takeovers.length ? takeovers[0].time : inc.start), vrids: vridList(inc.vrids), from: inc.from.join(inc.kind === 'split-brain' ? i18n.t('incident.and') : ', '), to: inc.to.join(', '), subject: subjectOf(inc),
    waited: span(fmt, takeovers.map((t) => t.waitedMs)), duration: fmt.duration(ownSpanMs(inc)),
  };
  const vrids = inc.vrids.length > 1 ? 'many' : 'one';
  let text: string;
  switch (inc.kind) {
    case 'crash': case 'stop': case 'fault': case 'preemption':
      text = i18n.t(`incident.line.${inc.kind}.${vrids}` as MessageKey, p);
      if (p.waited !== '—') text += i18n.t(`incident.wait.${inc.kind}` as MessageKey, p);
      break;
    case 'split-brain':
      text = i18n.t(inc.closed ? 'incident.line.split-brain' : 'incident.line.split-brain.open', p);
      break;
    case 'real-server':
      text = i18n.t(inc.closed ? 'incident.line.real-server' : 'incident.line.real-server.open', p);
      break;
    case 'sorry': {
      const s = inc.steps.find((x) => x.step === 'sorry');
      text = i18n.t(inc.closed ? 'incident.line.sorry' : 'incident.line.sorry.open', { ...p, server: s && s.step === 'sorry' ? s.sorryServer : '' });
      break;
    }
    case 'outage':
      text = i18n.t('incident.line.outage', { ...p, duration: fmt.duration(outages[0]?.durationMs) });
      break;
    case 'hsrp':
      text = hsrpIncidentLine(inc, i18n, fmt);
      break;
    default:
      return fmt.rel(inc.start);
  }
  // What the clients saw: how long some client's requests were failing (the union of the outages' windows:
  // the two VIPs of a sync group failing over the same 3.6 s failed for 3.6 s, not 7.2 s).
  if (inc.kind !== 'outage' && outages.length) {
    text += i18n.t('incident.line.clients', { duration: fmt.duration(unionMs(outages)) });
  }
  return text + '.';
}

/** The length of the union of the outages' windows [time, time + durationMs], in ms. */
function unionMs(outages: readonly OutageStep[]): number {
  const w = outages.map((o) => [o.time * 1000, o.time * 1000 + o.durationMs] as const).sort((a, b) => a[0] - b[0]);
  let total = 0, start = 0, end = 0, open = false;
  for (const [a, b] of w) {
    if (!open || a > end) { if (open) total += end - start; start = a; end = b; open = true; } else end = Math.max(end, b);
  }
  return open ? total + end - start : 0;
}

/** The title of the story: the summary line's words without the clients' part. */
export function incidentTitle(inc: Incident, i18n: I18n): string {
  if (inc.kind === 'hsrp') return i18n.t('hsrp.incident.title', { group: inc.steps.find((s) => s.step === 'hsrp-active')?.group ?? '?' });
  return i18n.t(`incident.title.${inc.kind}` as MessageKey, { vrids: vridList(inc.vrids), subject: subjectOf(inc) });
}

/** The story: one line per kind of step, by its first step's time, each with its frames. */
export function incidentStory(inc: Incident, i18n: I18n, fmt: ReportFormat): StoryLine[] {
  const groups = new Map<string, IncidentStep[]>();
  for (const s of inc.steps) {
    const k = lineKey(s);
    const l = groups.get(k) ?? [];
    l.push(s);
    groups.set(k, l);
  }
  const lines: StoryLine[] = [];
  // A frame is named once in a story (the takeover's advert is also the connections' reference point).
  const named = new Set<number>();
  const sep = i18n.t('list.separator');
  // Told in time order (the clients' first failures may come before the takeover); at one time, in ORDER.
  const keys = ORDER.filter((k) => groups.has(k))
    .map((k, i) => ({ k, i, time: Math.min(...groups.get(k)!.map((s) => s.time)) }))
    .sort((x, y) => x.time - y.time || x.i - y.i);
  for (const { k, time } of keys) {
    const steps = groups.get(k)!;
    const items = steps.map((s) => stepItem(s, inc, i18n, fmt)).join(sep);
    const frames = [...new Set(steps.flatMap(shownFrames))].filter((n) => !named.has(n));
    for (const n of frames) named.add(n);
    lines.push({ time, text: i18n.t(`${k.startsWith('hsrp-') ? 'hsrp.' : ''}incident.step.${k}` as MessageKey, { items }), frames });
  }
  return lines;
}

/**
 * The frames a line names for a step: a GARP burst by its first frame, the connections kept by the
 * takeover's advert, an outage by its first and last failures; the others all theirs.
 */
function shownFrames(s: IncidentStep): number[] {
  if (s.step === 'garp' || s.step === 'connections') return s.frames.slice(0, 1);
  if (s.step === 'outage' || s.step === 'split-brain') return s.frames.length > 2 ? [s.frames[0], s.frames[s.frames.length - 1]] : s.frames;
  return s.frames;
}

function stepItem(s: IncidentStep, inc: Incident, i18n: I18n, fmt: ReportFormat): string {
  const t = (k: string, p: Params) => i18n.t(`incident.item.${k}` as MessageKey, p);
  switch (s.step) {
    case 'last-advert': case 'resign': case 'return':
      return t('router', { router: s.router, vrid: s.vrid });
    case 'takeover': {
      const p = { router: s.router, vrid: s.vrid, waited: fmt.duration(s.waitedMs), expected: fmt.duration(s.expectedMs) };
      const key = s.waitedMs === null ? 'takeover.unmeasured' : s.expectedMs === null ? 'takeover.noTimer' : `takeover.${inc.kind}`;
      return t(key, p) + (s.late ? i18n.t('incident.item.late') : '');
    }
    case 'garp':
      return plural(i18n, `incident.item.garp.${s.protocol}`, s.count, { ip: s.ip, router: s.router });
    case 'no-garp':
      return t('no-garp', { addresses: s.addresses.join(', '), router: s.router, vrid: s.vrid });
    case 'outage':
      // (A ping outage's vip reads "10.0.0.100 (ping)": the item names the probe already.)
      return plural(i18n, `incident.item.outage.${s.probe}`, s.failed, { vip: s.vip.replace(` (${s.probe})`, ''), duration: fmt.duration(s.durationMs), from: fmt.rel(s.time), to: fmt.rel(s.end) })
        + (s.ongoing ? i18n.t('incident.item.ongoing') : '');
    case 'connections': {
      const open = s.survived + s.reset;
      return plural(i18n, s.synced ? 'incident.item.connections.synced' : 'incident.item.connections.unsynced', open, { router: s.router, survived: s.survived });
    }
    case 'split-brain': {
      const causes = s.causes.map((c) => i18n.t(`vrrp.field.${c}` as MessageKey)).join(', ');
      const p = { vrid: s.vrid, a: s.routers[0], b: s.routers[1], duration: s.end === null ? '—' : fmt.duration((s.end - s.time) * 1000), causes };
      if (s.adverts && s.end !== null) return t(`split-brain.${s.adverts}`, { ...p, yielded: s.yielded ?? '?' });
      return t(s.end === null ? (causes ? 'split-brain.open' : 'split-brain.open.unreachable') : causes ? 'split-brain' : 'split-brain.unreachable', p);
    }
    case 'check':
      return t('check', { checker: i18n.t(`hc.checker.${s.checker}` as MessageKey), director: s.director, target: s.target });
    case 'pool':
      return t('pool', { server: s.realServer, service: s.service });
    case 'sorry':
      return t('sorry', { server: s.sorryServer, vip: s.vip });
    case 'hsrp-cause': case 'hsrp-active':
      return hsrpStepItem(s, i18n, fmt);
    default:
      return '';
  }
}
