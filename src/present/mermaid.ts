// A Mermaid sequence diagram of the election and the failovers, from the vrrp.* and arp.garp events:
// each router is a participant, adverts and gratuitous ARPs are messages to the network, silences,
// failover times and split brains are notes. Every text goes through mermaidText.

import type { AnalysisEvent, EventOf } from '../analyse/events.js';
import { Say } from './say/index.js';
import type { I18n, MessageKey } from './i18n/index.js';
import { finite } from './annotations.js';
import { mermaidText } from './escape.js';
import { plural, type ReportFormat } from './format.js';
import { reasonLabel } from './timeline.js';

/** Statements a diagram holds before it points to the event list (a diagram people can still read). */
export const MAX_STATEMENTS = 120;

const KINDS = new Set(['vrrp.master', 'vrrp.resign', 'vrrp.silent', 'vrrp.split-brain', 'vrrp.mismatch', 'vrrp.invalid', 'arp.garp', 'arp.conflict']);

/** The diagram's lines (without the ``` fence), or [] when there is no VRRP or GARP event. */
export function mermaidSequence(events: readonly AnalysisEvent[], i18n: I18n, fmt: ReportFormat): string[] {
  const sentences = new Say(i18n, events);
  const t = (k: MessageKey, p: Record<string, string | number> = {}) => i18n.t(k, p);
  const chosen = events.filter((e) => KINDS.has(e.kind));
  if (chosen.length === 0) return [];
  const byId = new Map(events.map((e) => [e.id, e]));
  const ids = new Map<string, string>();
  const participants: string[] = [];
  const who = (name: string): string => {
    let id = ids.get(name);
    if (!id) {
      id = 'P' + (ids.size + 1);
      ids.set(name, id);
      participants.push(`  participant ${id} as ${mermaidText(name)}`);
    }
    return id;
  };
  // The sender of a GARP burst: the router whose mastership it announces, else its MAC.
  const garpSender = (e: EventOf<'arp.garp'>): string => {
    const m = e.related ? byId.get(e.related) : undefined;
    return (m && routerOf(m)) ?? e.mac ?? '?';
  };
  for (const e of chosen) {
    if (e.kind === 'vrrp.master' && e.previous) who(e.previous);
    const r = e.kind === 'arp.garp' ? garpSender(e) : routerOf(e);
    if (r) who(r);
    if (e.kind === 'vrrp.split-brain') for (const x of e.routers ?? []) who(x);
  }
  const net = 'N';
  const body: string[] = [];
  const say = (text: string) => mermaidText(text, { colon: true });
  for (const e of chosen) {
    if (body.length >= MAX_STATEMENTS) {
      body.push(`  Note over ${net}: ${say(plural(i18n, 'mermaid.more', chosen.length - chosen.indexOf(e)))}`);
      break;
    }
    const time = fmt.rel(e.time);
    const vrid = ('vrid' in e && typeof e.vrid === 'number' ? e.vrid : null) ?? '?';
    switch (e.kind) {
      case 'vrrp.master': {
        const router = e.router ?? '?', previous = e.previous, gap = finite(e.gapMs);
        if (previous && previous !== router && gap !== null) body.push(`  Note over ${who(previous)},${who(router)}: ${say(t('mermaid.failover', { gap: fmt.duration(gap) }))}`);
        body.push(`  ${who(router)}->>${net}: ${say(t('mermaid.master', { time, vrid, priority: finite(e.priority) ?? '?', reason: reasonLabel(i18n, e.reason ?? 'unknown') }))}`);
        break;
      }
      case 'vrrp.resign':
        body.push(`  ${who(e.router ?? '?')}->>${net}: ${say(t('mermaid.resign', { time, vrid }))}`);
        break;
      case 'vrrp.silent':
        // At the time of its cause, the master's last advert, not of the detection 3 intervals later.
        body.push(`  Note over ${who(e.router ?? '?')}: ${say(t('mermaid.silent', { time: fmt.rel(lastAdvertTime(e, events)), vrid }))}`);
        break;
      case 'vrrp.split-brain': {
        const rs: string[] = e.routers ?? [];
        const start = finite(e.start) ?? e.time, end = finite(e.end) ?? start;
        const over = rs.length >= 2 ? `${who(rs[0])},${who(rs[rs.length - 1])}` : rs.length === 1 ? who(rs[0]) : net;
        body.push(`  Note over ${over}: ${say(t('mermaid.split', { from: fmt.rel(start), to: fmt.rel(end), vrid }))}`);
        break;
      }
      case 'arp.garp':
        body.push(`  ${who(garpSender(e))}->>${net}: ${say(t('mermaid.garp', { time, count: finite(e.count) ?? '?', ip: e.ip ?? '?' }))}`);
        break;
      default: {
        const r = routerOf(e);
        body.push(`  Note over ${r ? who(r) : net}: ${say(t('mermaid.note', { time, text: sentences.summary(e) }))}`);
      }
    }
  }
  return ['sequenceDiagram', ...participants, `  participant ${net} as ${say(t('mermaid.network'))}`, ...body];
}

/** The router an event names (`router`), whatever its kind, or null. */
function routerOf(e: AnalysisEvent): string | null {
  return 'router' in e && typeof e.router === 'string' ? e.router : null;
}

/**
 * When a silent master sent its last advert: the analysis finds the silence 3 of its advert intervals
 * after it (RFC 3768 §6.4.3, a backup's Master_Down timer is of the same order), the interval its own
 * vrrp.master event carries; the event's time when that is not known.
 */
function lastAdvertTime(e: EventOf<'vrrp.silent'>, events: readonly AnalysisEvent[]): number {
  let interval: number | null = null;
  for (const m of events) {
    if (m.time > e.time) continue;
    if (m.kind === 'vrrp.master' && m.router === e.router && m.vrid === e.vrid && m.family === e.family) interval = finite(m.intervalMs);
  }
  return interval === null ? e.time : e.time - (3 * interval) / 1000;
}
