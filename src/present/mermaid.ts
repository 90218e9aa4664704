// A Mermaid sequence diagram of the election and the failovers, from the vrrp.* and arp.garp events:
// each router is a participant, adverts and gratuitous ARPs are messages to the network, silences,
// failover times and split brains are notes. Every text goes through mermaidText.

import type { AnalysisEvent } from '../analyse/events.js';
import { Say } from './say/index.js';
import type { I18n, MessageKey } from './i18n/index.js';
import { num, str, strs } from './annotations.js';
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
  const garpSender = (e: AnalysisEvent): string => {
    const related = str(e, 'related');
    const m = related ? byId.get(related) : undefined;
    return (m && str(m, 'router')) ?? str(e, 'mac') ?? '?';
  };
  for (const e of chosen) {
    if (e.kind === 'vrrp.master') { const p = str(e, 'previous'); if (p) who(p); }
    const r = e.kind === 'arp.garp' ? garpSender(e) : str(e, 'router');
    if (r) who(r);
    for (const x of strs(e, 'routers')) who(x);
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
    const vrid = num(e, 'vrid') ?? '?';
    switch (e.kind) {
      case 'vrrp.master': {
        const router = str(e, 'router') ?? '?', previous = str(e, 'previous'), gap = num(e, 'gapMs');
        if (previous && previous !== router && gap !== null) body.push(`  Note over ${who(previous)},${who(router)}: ${say(t('mermaid.failover', { gap: fmt.duration(gap) }))}`);
        body.push(`  ${who(router)}->>${net}: ${say(t('mermaid.master', { time, vrid, priority: num(e, 'priority') ?? '?', reason: reasonLabel(i18n, str(e, 'reason') ?? 'unknown') }))}`);
        break;
      }
      case 'vrrp.resign':
        body.push(`  ${who(str(e, 'router') ?? '?')}->>${net}: ${say(t('mermaid.resign', { time, vrid }))}`);
        break;
      case 'vrrp.silent':
        body.push(`  Note over ${who(str(e, 'router') ?? '?')}: ${say(t('mermaid.silent', { time, vrid }))}`);
        break;
      case 'vrrp.split-brain': {
        const rs = strs(e, 'routers');
        const start = num(e, 'start') ?? e.time, end = num(e, 'end') ?? start;
        const over = rs.length >= 2 ? `${who(rs[0])},${who(rs[rs.length - 1])}` : rs.length === 1 ? who(rs[0]) : net;
        body.push(`  Note over ${over}: ${say(t('mermaid.split', { from: fmt.rel(start), to: fmt.rel(end), vrid }))}`);
        break;
      }
      case 'arp.garp':
        body.push(`  ${who(garpSender(e))}->>${net}: ${say(t('mermaid.garp', { time, count: num(e, 'count') ?? '?', ip: str(e, 'ip') ?? '?' }))}`);
        break;
      default: {
        const r = str(e, 'router');
        body.push(`  Note over ${r ? who(r) : net}: ${say(t('mermaid.note', { time, text: sentences.summary(e) }))}`);
      }
    }
  }
  return ['sequenceDiagram', ...participants, `  participant ${net} as ${say(t('mermaid.network'))}`, ...body];
}
