// The words of the HSRP findings (src/analyse/hsrp/events.ts).

import type { EventSentences, NoteSentences, Say } from './types.js';
import type { MessageKey } from '../i18n/index.js';
import type { HsrpVersion } from '../../analyse/hsrp/events.js';
import { ofKind, type AnalysisEvent } from '../../analyse/events.js';
import { labelOf, plural, type ReportFormat } from '../format.js';
import type { I18n } from '../i18n/index.js';
import type { HsrpActiveStep, HsrpCauseStep, Incident } from '../../analyse/incidents.js';

/** "group 1 (HSRP version 2, VLAN 10)". */
function groupText(i18n: I18n, group: number, version: HsrpVersion, vlan: number | null): string {
  return i18n.t(vlan === null ? 'hsrp.group' : 'hsrp.group.vlan', { group, version, vlan: vlan ?? '' });
}

/** An HSRP state as Cisco names it (Speak, Standby, Active …). */
export function hsrpState(say: { i18n: Say['i18n'] }, state: string): string {
  return labelOf(say.i18n, 'hsrp.state.', state);
}

const ms = (say: Say, v: number | null | undefined): string => (v === null || v === undefined ? '—' : say.seconds(v));

export const hsrpEvents: EventSentences<'hsrp.active' | 'hsrp.standby'> = {
  'hsrp.active': (e, say) => {
    const { i18n } = say;
    const p = {
      router: e.router, group: groupText(say.i18n, e.group, e.version, e.vlan), prio: e.priority === null ? '' : i18n.t('hsrp.priority', { priority: e.priority }), previous: e.previous ?? '',
      previousPriority: e.previousPriority ?? '?', gap: ms(say, e.gapMs), since: ms(say, e.sinceCauseMs), hello: ms(say, e.helloMs), hold: ms(say, e.holdMs),
      vip: e.virtualIp ?? '?', vmac: e.virtualMac, frame: e.causeFrame ?? '?',
    };
    let text = i18n.t(`hsrp.active.${e.reason}` as MessageKey, p);
    if (e.evidence === 'interface-state') text += ' ' + i18n.t('hsrp.active.interface-state', p);
    else if (e.virtualIp) text += ' ' + i18n.t('hsrp.active.answers', p);
    return text;
  },
  'hsrp.standby': (e, say) => say.i18n.t(e.reason === 'already-standby' ? 'hsrp.standby.already' : e.previous ? 'hsrp.standby.replaces' : 'hsrp.standby.election', {
    router: e.router, group: groupText(say.i18n, e.group, e.version, e.vlan), priority: e.priority, previous: e.previous ?? '',
  }),
};

export const hsrpNotes: NoteSentences<'hsrp.hello' | 'hsrp.coup' | 'hsrp.resign' | 'hsrp.interface' | 'hsrp.garp' | 'hsrp.dual-active' | 'hsrp.groups-full'> = {
  'hsrp.hello': (n, say) => say.i18n.t(n.from ? 'hsrp.comment.change' : 'hsrp.comment.hello', {
    router: n.router, group: n.group, state: hsrpState(say, n.state), from: n.from ? hsrpState(say, n.from) : '', priority: n.priority ?? '?',
  }),
  'hsrp.coup': (n, say) => say.i18n.t(n.active ? 'hsrp.comment.coup' : 'hsrp.comment.coup.none', { router: n.router, group: n.group, priority: n.priority ?? '?', active: n.active ?? '' }),
  'hsrp.resign': (n, say) => say.i18n.t(n.active ? 'hsrp.comment.resign' : 'hsrp.comment.resign.other', { router: n.router, group: n.group }),
  'hsrp.interface': (n, say) => say.i18n.t('hsrp.comment.interface', { router: n.router, active: n.active, passive: n.passive }),
  'hsrp.garp': (n, say) => say.i18n.t(n.active ? 'hsrp.comment.garp.active' : 'hsrp.comment.garp', {
    ip: n.ip, group: groupText(say.i18n, n.group, n.version, null), active: n.active ?? '',
  }),
  'hsrp.dual-active': (n, say) => say.i18n.t('hsrp.comment.dual-active', { router: n.router, group: n.group, other: n.other }),
  'hsrp.groups-full': (n, say) => say.i18n.t('hsrp.groups-full', { max: n.max }),
};

/** An HSRP takeover's line in the summary (src/analyse/incidents.ts, kind `hsrp`). */
export function hsrpIncidentLine(inc: Incident, i18n: I18n, fmt: ReportFormat): string {
  const a = inc.steps.find((s): s is HsrpActiveStep => s.step === 'hsrp-active');
  if (!a) return fmt.rel(inc.start);
  const known = a.reason === 'failover' || a.reason === 'resign' || a.reason === 'coup';
  return i18n.t(`hsrp.incident.line.${known ? a.reason : 'unexplained'}` as MessageKey, {
    time: fmt.rel(inc.start), group: a.group, from: a.previous, to: a.router, waited: fmt.duration(a.waitedMs), hold: fmt.duration(a.holdMs),
  });
}

/** An HSRP step of an incident's story. */
export function hsrpStepItem(s: HsrpCauseStep | HsrpActiveStep, i18n: I18n, fmt: ReportFormat): string {
  if (s.step === 'hsrp-cause') return i18n.t(`hsrp.incident.item.${s.cause}` as MessageKey, { router: s.router, group: s.group });
  return i18n.t(s.waitedMs === null ? 'hsrp.incident.item.active' : 'hsrp.incident.item.active.waited', {
    router: s.router, group: s.group, waited: fmt.duration(s.waitedMs), hold: fmt.duration(s.holdMs),
  });
}

/**
 * The summary's line of HSRP Active routers (for a capture without VRRP master): per group, who was
 * Active from when; null without any.
 */
export function hsrpActivesLine(events: readonly AnalysisEvent[], i18n: I18n, fmt: ReportFormat, list: (items: string[]) => string): string | null {
  const byGroup = new Map<string, { group: string; items: string[] }>();
  for (const e of ofKind(events, 'hsrp.active')) {
    const key = `${e.vlan}|${e.version}|${e.group}`;
    let g = byGroup.get(key);
    if (!g) byGroup.set(key, g = { group: i18n.t('hsrp.summary.group', { group: groupText(i18n, e.group, e.version, e.vlan), vip: e.virtualIp ?? '?' }), items: [] });
    g.items.push(i18n.t('hsrp.summary.activeFrom', { router: e.router, time: fmt.rel(e.time) }));
  }
  if (byGroup.size === 0) return null;
  return [...byGroup.values()].map((g) => i18n.t('hsrp.summary.actives', { group: g.group, list: list(g.items) })).join(' ');
}

/** The summary's line of HSRP takeovers (a new Active in place of another); null without any. */
export function hsrpTakeoversLine(events: readonly AnalysisEvent[], i18n: I18n, fmt: ReportFormat, list: (items: string[]) => string): string | null {
  const changes = ofKind(events, 'hsrp.active').filter((e) => e.previous !== null);
  if (changes.length === 0) return null;
  return plural(i18n, 'hsrp.summary.takeovers', changes.length, {
    list: list(changes.map((e) => i18n.t('hsrp.summary.takeoverItem', {
      time: fmt.rel(e.time), group: e.group, previous: e.previous ?? '?', router: e.router, reason: labelOf(i18n, 'hsrp.reason.', e.reason),
    }))),
  });
}
