// What the HTML and Markdown reports (and the terminal summary) show, built from the Analysis alone:
// the summary, the timelines, the events with their fields, the hosts, the warnings. Frames come later,
// streamed by frames.ts. Nothing here looks at packets: every statement comes from an event.

import type { Analysis, Host } from '../pipeline.js';
import { ofKind, type AnalysisEvent, type EventOf } from '../analyse/events.js';
import { tenuresOf } from '../analyse/episodes.js';
import type { I18n, MessageKey } from './i18n/index.js';
import { Say } from './say/index.js';
import { checkReason } from './say/checks.js';
import { TOOL_VERSION } from '../version.js';
import { incidentLine, incidentStory, incidentTitle } from './say/incidents.js';
import { hsrpActivesLine, hsrpTakeoversLine } from './say/hsrp.js';
import { checklistSection, directorNames, type ChecklistSectionView } from '../checklist/section.js';
import { eventAnchor, finite, frameAnchor, isAnnotated } from './annotations.js';
import { labelOf, plural, ReportFormat } from './format.js';
import { eventFilters, type DisplayFilter } from './filters.js';
import { SentenceLedger, type Teller } from './sentences.js';
import {
  orphanGarps, reasonLabel, routerColours, serviceTimeline, servicesOf, stateLabel,
  timeRange, vridsOf, vridTimeline, type Timeline,
} from './timeline.js';

export interface CaptureView { file: string; format: string; linkTypes: string; frames: string; start: string; end: string; duration: string }
export interface EventField { name: string; label: string; text: string; href: string | null; title: string | null }
export interface FrameLink { n: number; href: string }
export interface EventView {
  id: string;
  anchor: string;
  time: string;
  utc: string;
  kind: string;
  kindLabel: string;
  severity: string;
  severityLabel: string;
  summary: string;
  frames: FrameLink[];
  moreFrames: string | null;
  /** Wireshark display filters selecting exactly its frames (one per input file they come from). */
  filters: DisplayFilter[];
  fields: EventField[];
}
export interface StoryFrameLink { label: string; href: string | null }
export interface StoryLineView { time: string; text: string; frames: StoryFrameLink[]; moreFrames: string | null }
/** One incident told: its title, when, and its story line by line with the frames behind each line. */
export interface IncidentView { id: string; anchor: string; kind: string; title: string; time: string; lines: StoryLineView[] }
export interface HostView { ip: string; macs: string; roles: string }
export interface WarningView { where: string; href: string | null; message: string }

export interface ReportModel {
  lang: string;
  title: string;
  subtitle: string;
  generator: string;
  captures: CaptureView[];
  /** The capture, the masters, then one line per incident. */
  summary: string[];
  /** The five lines the command prints on stderr (capture, masters, failovers, real servers, outages). */
  overview: string[];
  /** Each incident's story, by start. */
  incidents: IncidentView[];
  /** The lab checklist and the configuration cross-check (null for an analysis made without them). */
  checklist: ChecklistSectionView | null;
  timelines: Timeline[];
  vridTimelines: Timeline[];
  serviceTimelines: Timeline[];
  /** GARP bursts no VRID timeline shows (several VRIDs and no related master). */
  otherGarps: EventView[];
  events: EventView[];
  hosts: HostView[];
  hostsFromEvents: boolean;
  warnings: WarningView[];
  warningsDropped: string | null;
  /** Routine frame comments the analysis did not keep (a cap on very long captures). */
  commentsDropped: string | null;
  allFrames: boolean;
  counts: { frames: number; events: number; warnings: number; failovers: number; outages: number };
  /** Where the streamed frame list goes in a template (see templates.ts). */
  frames: string;
}

export interface ModelOptions {
  allFrames: boolean;
}

/** Most frame links a line of an incident's story shows before "and N more". */
const MAX_STORY_FRAME_LINKS = 12;
/** Most frame links an event shows before "and N more" (its frames are all in the frame list). */
const MAX_EVENT_FRAME_LINKS = 40;
/** Most items a summary line names before "and N more". */
const MAX_SUMMARY_ITEMS = 6;
export const FRAMES_SLOT = '@@VRRPSCOPE_FRAMES@@';

export function buildModel(a: Analysis, i18n: I18n, opts: ModelOptions): ReportModel {
  const fmt = new ReportFormat(i18n, a.start);
  const events = a.events;
  const range = timeRange(events, a.start, a.end);
  const colours = routerColours(events);
  const say = new Say(i18n, a.events);
  const ctx = { i18n, say, fmt, range, colours, episodes: a.episodes };
  const vridTimelines = vridsOf(events).map((v) => vridTimeline(events, v, ctx));
  const serviceTimelines = servicesOf(events).map((s, i) => serviceTimeline(events, s, i, ctx));
  const { hosts, derived } = hostViews(a, i18n);
  const filters = eventFilters(a);
  const warnings = a.warnings.length + a.warningsDropped;
  const files = a.captures.map((c) => c.file).join(', ');
  const overview = summaryLines(a, i18n, fmt);
  return {
    lang: i18n.lang,
    title: i18n.t('report.title'),
    subtitle: files,
    generator: i18n.t('report.generator', { name: 'vrrpscope', version: TOOL_VERSION }),
    captures: a.captures.map((c) => ({
      file: c.file,
      format: c.format,
      linkTypes: c.linkTypes.join(', '),
      frames: fmt.count(c.frames),
      start: c.start === null ? '—' : fmt.utc(c.start, 6),
      end: c.end === null ? '—' : fmt.utc(c.end, 6),
      duration: c.start === null || c.end === null ? '—' : fmt.duration((c.end - c.start) * 1000),
    })),
    summary: reportSummary(a, i18n, fmt, overview),
    overview,
    incidents: incidentViews(a, i18n, fmt, (n) => opts.allFrames || isAnnotated(a, n)),
    checklist: checklistSection(a, i18n, { frameHref: (n) => (opts.allFrames || isAnnotated(a, n) ? '#' + frameAnchor(n) : null), eventHref: (id) => '#' + eventAnchor(id), time: (t) => fmt.rel(t) }),
    timelines: [...vridTimelines, ...serviceTimelines],
    vridTimelines,
    serviceTimelines,
    otherGarps: orphanGarps(events).map((e) => eventView(e, say, fmt, filters.get(e.id))),
    events: eventList(events, i18n, fmt, filters),
    hosts,
    hostsFromEvents: derived,
    warnings: a.warnings.map((w) => warningView(w, say, (n) => opts.allFrames || isAnnotated(a, n))),
    warningsDropped: a.warningsDropped ? plural(i18n, 'warnings.dropped', a.warningsDropped) : null,
    commentsDropped: a.commentsDropped ? plural(i18n, 'frames.commentsDropped', a.commentsDropped) : null,
    allFrames: opts.allFrames,
    counts: {
      frames: a.frames,
      events: events.length,
      warnings,
      failovers: failovers(events).length,
      outages: events.filter((e) => e.kind === 'svc.outage').length,
    },
    frames: FRAMES_SLOT,
  };
}

function failovers(events: readonly AnalysisEvent[]): EventOf<'vrrp.master'>[] {
  // A router advertising beside a live master that outranks it is no failover (a split brain tells it);
  // nor is a master advertising again after its own silence with nobody in between (no previous master).
  return ofKind(events, 'vrrp.master').filter((e) => typeof e.reason === 'string' && e.reason !== 'initial' && e.reason !== 'unknown' && typeof e.previous === 'string');
}

function listText(i18n: I18n, items: string[]): string {
  const sep = i18n.t('list.separator');
  if (items.length <= MAX_SUMMARY_ITEMS) return items.join(sep);
  return items.slice(0, MAX_SUMMARY_ITEMS).join(sep) + sep + plural(i18n, 'summary.more', items.length - MAX_SUMMARY_ITEMS);
}

/** The five lines of "what happened": capture, masters, failovers, real servers, outages. */
export function summaryLines(a: Analysis, i18n: I18n, fmt: ReportFormat): string[] {
  const events = a.events;
  const t = (k: MessageKey, p: Record<string, string | number> = {}) => i18n.t(k, p);
  const lines: string[] = [];
  const duration = a.start === null || a.end === null ? '—' : fmt.duration((a.end - a.start) * 1000);
  lines.push(plural(i18n, 'summary.capture', a.frames, {
    files: a.captures.map((c) => c.file).join(', '),
    duration,
    events: plural(i18n, 'count.events', events.length),
    warnings: plural(i18n, 'count.warnings', a.warnings.length + a.warningsDropped),
  }));

  const vrids = vridsOf(events).map((v) => ({ v, tenures: tenuresOf(a.episodes, v) })).filter((x) => x.tenures.length > 0);
  // (An HSRP capture: its Active routers, and their changes, instead of "no VRRP master, no failover".)
  if (vrids.length === 0) lines.push(hsrpActivesLine(events, i18n, fmt, (l) => listText(i18n, l)) ?? t('summary.noMaster'));
  else {
    lines.push(vrids.map(({ v, tenures }) => t('summary.masters', {
      vrid: v,
      // A tenure inside another router's (a dual master the other outlived: lost adverts, a split brain)
      // says when it ended, so that the list does not read as if it stayed master (vrrp-lossy's d2).
      list: listText(i18n, tenures.map((p) => p.end !== null && tenures.some((q) => q !== p && q.start < p.start && (q.end === null || q.end > p.end!))
        ? t('summary.masterFromTo', { router: p.router, time: fmt.rel(p.start), end: fmt.rel(p.end) })
        : t('summary.masterFrom', { router: p.router, time: fmt.rel(p.start) }))),
    })).join(' '));
  }

  // A sync group's VRIDs moving together are one failover (one incident): told once, with all its VRIDs.
  const groupVrids = new Map<string, string>(), inGroup = new Set<string>();
  for (const inc of a.episodes.incidents) {
    if (inc.kind !== 'crash' && inc.kind !== 'stop' && inc.kind !== 'fault' && inc.kind !== 'preemption') continue;
    const first = inc.steps.find((s) => s.step === 'takeover');
    if (!first) continue;
    for (const s of inc.steps) if (s.step === 'takeover' && s !== first) inGroup.add(s.event);
    groupVrids.set(first.event, inc.vrids.join(', '));
  }
  const fo = failovers(events).filter((e) => !inGroup.has(e.id));
  if (fo.length === 0) lines.push(hsrpTakeoversLine(events, i18n, fmt, (l) => listText(i18n, l)) ?? t('summary.noFailover'));
  else {
    lines.push(plural(i18n, 'summary.failovers', fo.length, {
      list: listText(i18n, fo.map((e) => {
        // A preemption's time is how long the returning router waited (its Master_Down timer, and any
        // preempt_delay), not the gap between two adverts; unknown when its return is not seen.
        const preemption = e.reason === 'preemption';
        const gap = finite(preemption ? e.waitMs ?? null : e.gapMs);
        const key = gap === null ? 'summary.failoverItem' : preemption ? 'summary.failoverItemWait' : 'summary.failoverItemGap';
        return t(key, {
          time: fmt.rel(e.time), vrid: groupVrids.get(e.id) ?? e.vrid ?? '?', previous: e.previous ?? '?', router: e.router ?? '?',
          reason: reasonLabel(i18n, e.reason ?? 'unknown'), gap: fmt.duration(gap),
        });
      })),
    }));
  }

  lines.push(serversLine(events, i18n, fmt));

  const outages = events.filter((e): e is EventOf<'svc.outage' | 'vrrp.split-brain'> => e.kind === 'svc.outage' || e.kind === 'vrrp.split-brain');
  if (outages.length === 0) lines.push(t('summary.noOutage'));
  else {
    lines.push(plural(i18n, 'summary.outages', outages.length, {
      list: listText(i18n, outages.map((e) => {
        const start = finite(e.start) ?? e.time, end = finite(e.end) ?? start;
        const dur = fmt.duration((e.kind === 'svc.outage' ? finite(e.durationMs) : null) ?? (end - start) * 1000);
        return e.kind === 'svc.outage'
          ? t('summary.outageItem', { vip: e.vip ?? '?', duration: dur, from: fmt.rel(start) })
          : t('summary.splitItem', { vrid: e.vrid ?? '?', routers: (e.routers ?? []).join(', '), duration: dur, from: fmt.rel(start) });
      })),
    }));
  }
  return lines;
}

/**
 * The report's summary: the capture and its masters, then one line per incident (a sync group's VRIDs
 * moving together are one); without any incident, the lines that say there was none.
 */
function reportSummary(a: Analysis, i18n: I18n, fmt: ReportFormat, lines: string[]): string[] {
  const incidents = a.episodes.incidents;
  if (!incidents.length) return lines;
  return [...lines.slice(0, 2), ...incidents.map((inc) => incidentLine(inc, i18n, fmt))];
}

/**
 * The incidents' stories. Each frame is named by its number in the report, or, when several files were
 * merged, by its file and its own number there (what the reader opens in Wireshark).
 */
function incidentViews(a: Analysis, i18n: I18n, fmt: ReportFormat, listed: (n: number) => boolean): IncidentView[] {
  const stories = a.episodes.incidents.map((inc) => ({ inc, lines: incidentStory(inc, i18n, fmt) }));
  const shown = (frames: number[]) => frames.slice(0, MAX_STORY_FRAME_LINKS);
  const origins = a.captures.length > 1
    ? a.store.origins(stories.flatMap((s) => s.lines.flatMap((l) => shown(l.frames))))
    : null;
  const label = (n: number): string => {
    const o = origins?.get(n);
    return o ? i18n.t('incident.frame.file', { file: a.captures[o.fileIndex]?.file ?? '?', n: o.fileFrame }) : i18n.t('incident.frame', { n });
  };
  return stories.map(({ inc, lines }) => ({
    id: inc.id,
    anchor: 'incident-' + inc.id,
    kind: inc.kind,
    title: incidentTitle(inc, i18n),
    time: fmt.rel(inc.start),
    lines: lines.map((l) => ({
      time: fmt.rel(l.time),
      text: l.text,
      frames: shown(l.frames).map((n) => ({ label: label(n), href: listed(n) ? '#' + frameAnchor(n) : null })),
      moreFrames: l.frames.length > MAX_STORY_FRAME_LINKS ? plural(i18n, 'event.moreFrames', l.frames.length - MAX_STORY_FRAME_LINKS) : null,
    })),
  }));
}

/** Real servers lost and regained (pool changes if seen, else health-check verdicts) and sorry-server periods. */
function serversLine(events: readonly AnalysisEvent[], i18n: I18n, fmt: ReportFormat): string {
  const t = (k: MessageKey, p: Record<string, string | number> = {}) => i18n.t(k, p);
  const pool = ofKind(events, 'lvs.realserver');
  const checks = ofKind(events, 'hc.state');
  const inPool = new Set(pool.map((e) => e.realServer));
  const changes = [
    ...pool.map((e) => ({ server: e.realServer ?? '?', lost: e.state === 'out', time: e.time })),
    ...checks.filter((e) => !inPool.has(e.target)).map((e) => ({ server: e.target ?? '?', lost: e.state === 'down', time: e.time })),
  ].sort((x, y) => x.time - y.time);
  const perServer = new Map<string, string[]>();
  const down = new Set<string>();
  for (const c of changes) {
    if (c.lost && !down.has(c.server)) {
      down.add(c.server);
      const l = perServer.get(c.server) ?? [];
      l.push(t('summary.serverLost', { time: fmt.rel(c.time) }));
      perServer.set(c.server, l);
    } else if (!c.lost && down.has(c.server)) {
      down.delete(c.server);
      perServer.get(c.server)!.push(t('summary.serverBack', { time: fmt.rel(c.time) }));
    }
  }
  const items = [...perServer].map(([server, l]) => t('summary.serverItem', { server, changes: l.join(', ') }));
  for (const e of ofKind(events, 'lvs.sorry')) {
    const start = finite(e.start) ?? e.time, end = finite(e.end);
    items.push(t(end === null ? 'summary.sorryOpen' : 'summary.sorryItem', { server: e.sorryServer ?? '?', vip: e.vip ?? '?', from: fmt.rel(start), to: fmt.rel(end) }));
  }
  if (items.length) return t('summary.servers', { list: listText(i18n, items) });
  const anyLvs = events.some((e) => e.kind.startsWith('hc.') || e.kind.startsWith('lvs.'));
  return t(anyLvs ? 'summary.noServerLost' : 'summary.noServers');
}

/**
 * The events list: one row per event, each sentence told once. An outage names the event that caused it
 * (that event has its own row) instead of telling its sentence again; a row whose sentences an earlier
 * row already told names that row ("Same as event e12, at 14.200 s"), its time, frames, filters and
 * fields still its own.
 */
function eventList(events: readonly AnalysisEvent[], i18n: I18n, fmt: ReportFormat, filters: Map<string, DisplayFilter[]>): EventView[] {
  const say = new Say(i18n, events, { cite: (e) => i18n.t('event.cite', { id: e.id, kind: labelOf(i18n, 'kind.', e.kind), time: fmt.rel(e.time) }) });
  const ledger = new SentenceLedger({
    same: (t) => i18n.t('event.same', { id: t.id, time: t.time }),
    like: (t) => i18n.t('event.like', { id: t.id, time: t.time }),
    told: (t) => i18n.t('event.told', { id: t.id, time: t.time }),
  });
  return events.map((e) => {
    const view = eventView(e, say, fmt, filters.get(e.id));
    const self: Teller = { id: e.id, time: view.time };
    return { ...view, summary: ledger.tell(view.summary, self) };
  });
}

const BASE_FIELDS = new Set(['id', 'kind', 'time', 'frames', 'severity', 'summary', 'filters']);

export function eventView(e: AnalysisEvent, say: Say, fmt: ReportFormat, filters: DisplayFilter[] = []): EventView {
  const i18n = say.i18n;
  const fields = e as unknown as Record<string, unknown>;
  const frames = Array.isArray(e.frames) ? e.frames : [];
  const shown = frames.slice(0, MAX_EVENT_FRAME_LINKS).map((n) => ({ n, href: '#' + frameAnchor(n) }));
  return {
    id: e.id,
    anchor: eventAnchor(e.id),
    time: fmt.rel(e.time),
    utc: fmt.utc(e.time, 6),
    kind: e.kind,
    kindLabel: labelOf(i18n, 'kind.', e.kind),
    severity: e.severity,
    severityLabel: labelOf(i18n, 'severity.', e.severity),
    summary: say.summary(e),
    frames: shown,
    moreFrames: frames.length > shown.length ? plural(i18n, 'event.moreFrames', frames.length - shown.length) : null,
    filters,
    // Fields without a value (previous master of an initial election...) say nothing: left out.
    fields: Object.keys(fields).filter((k) => !BASE_FIELDS.has(k) && fields[k] !== null && fields[k] !== undefined && fields[k] !== '').map((k) => eventField(k, fields[k], i18n, fmt, e.kind)),
  };
}

function eventField(name: string, value: unknown, i18n: I18n, fmt: ReportFormat, kind: string): EventField {
  const field = (text: string, href: string | null = null, title: string | null = null): EventField =>
    ({ name, label: fieldLabel(i18n, kind, name), text, href, title });
  if (value === null || value === undefined) return field('—');
  if ((name === 'start' || name === 'end') && typeof value === 'number') return field(fmt.rel(value), null, fmt.utc(value, 6));
  if (/Ms$/.test(name) && typeof value === 'number') return field(fmt.duration(value));
  if ((name === 'related' || name === 'tenure') && typeof value === 'string') return field(value, '#' + eventAnchor(value));
  if (/Frame$/.test(name) && typeof value === 'number') return field(i18n.t('event.frameRef', { n: value }), '#' + frameAnchor(value));
  // A VRRP takeover's reason is a code (reason.*); a check's is the outcome of its last attempt.
  if (name === 'reason' && typeof value === 'string') {
    return field(kind === 'vrrp.master' ? reasonLabel(i18n, value) : kind.startsWith('hsrp.') ? labelOf(i18n, 'hsrp.reason.', value) : checkReason(value, { i18n }));
  }
  if (name === 'cause' && typeof value === 'string') return field(labelOf(i18n, 'cause.', value));
  if (name === 'state' && typeof value === 'string') return field(stateLabel(i18n, value));
  return field(valueText(value, i18n));
}

/** A field's name: `field.<kind>.<name>` where one name means another thing in that kind (a VRRP advert interval, not a delay_loop), else `field.<name>`. */
function fieldLabel(i18n: I18n, kind: string, name: string): string {
  const own = labelOf(i18n, `field.${kind}.`, name);
  return own !== name ? own : labelOf(i18n, 'field.', name);
}

/** Any JSON value as one line of text. */
export function valueText(v: unknown, i18n: I18n): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return i18n.t(v ? 'value.yes' : 'value.no');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => valueText(x, i18n)).join(', ');
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${valueText(x, i18n)}`).join(', ');
  return String(v);
}

function hostViews(a: Analysis, i18n: I18n): { hosts: HostView[]; derived: boolean } {
  const derived = a.hosts.length === 0;
  const hosts = derived ? a.episodes.hosts : a.hosts;
  // Directors named by their keepalived.conf (router_id) when --config was given: "10.0.0.11 (d1)".
  const names = directorNames(a);
  return {
    derived: derived && hosts.length > 0,
    hosts: hosts.map((h) => ({ ip: names.has(h.ip) ? `${h.ip} (${names.get(h.ip)})` : h.ip, macs: h.macs.join(', '), roles: h.roles.map((r) => labelOf(i18n, 'role.', r)).join(', ') })),
  };
}

function warningView(w: Analysis['warnings'][number], say: Say, listed: (n: number) => boolean): WarningView {
  const i18n = say.i18n;
  const message = w.note ? say.note(w.note) : w.message ?? '';
  if (w.frame !== undefined) return { where: i18n.t('warnings.frame', { n: w.frame }), href: listed(w.frame) ? '#' + frameAnchor(w.frame) : null, message };
  const where = w.file === undefined ? '' : i18n.t('warnings.file', { file: w.file, frame: w.fileFrame ?? '?', offset: w.offset ?? '?' });
  return { where, href: null, message };
}
