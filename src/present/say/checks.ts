// The words of the health-check findings (src/analyse/checks/events.ts).

import type { EventSentences, NoteSentences, Say } from './types.js';
import type { MessageKey } from '../i18n/index.js';
import type { Checker } from '../../analyse/checks/events.js';
import type { I18n } from '../i18n/index.js';
import { labelOf } from '../format.js';

function checkerName(c: Checker, say: Say): string {
  return say.i18n.t(`hc.checker.${c}` as MessageKey);
}

/** Reasons that carry a number: pattern and catalogue key (the analyser's fact is `timeout (3 SYNs)`, `status 500` …). */
const COUNTED_REASONS: [RegExp, MessageKey][] = [
  [/^timeout \((\d+) SYNs\)$/, 'hc.reason.timeout-syns'],
  [/^status (\d+)$/, 'hc.reason.status'],
  [/^banner (\d+), not 220$/, 'hc.reason.banner'],
  [/^HELO answered (\d+), not 250$/, 'hc.reason.helo'],
];

/**
 * A check attempt's outcome (`refused`, `no reply`, `status 500` … as the analyser records it) in the
 * reader's language; a value it does not know (a TLS version, a DNS rcode) is shown as it is.
 */
export function checkReason(reason: string | null | undefined, say: { i18n: I18n }): string {
  if (typeof reason !== 'string') return '';
  for (const [re, key] of COUNTED_REASONS) {
    const m = re.exec(reason);
    if (m) return say.i18n.t(key, { count: Number(m[1]), code: m[1] });
  }
  return labelOf(say.i18n, 'hc.reason.', reason.replace(/ /g, '-'));
}

/**
 * A check's target as the reader needs it: a PING_CHECK probes an address but belongs to a real server
 * (ip:port); where the events name it (or the servers it may be), they are said.
 */
function targetOf(e: { checker: Checker; target: string; realServers?: string[] }, say: Say): string {
  const rs = e.realServers ?? [];
  if (e.checker !== 'ping' || !rs.length || (rs.length === 1 && rs[0] === e.target)) return e.target;
  return say.i18n.t(rs.length === 1 ? 'hc.ping.owner' : 'hc.ping.owners', { address: e.target, server: rs[0], servers: rs.join(', ') });
}

export const checkEvents: EventSentences<'hc.probe' | 'hc.state'> = {
  'hc.probe': (e, say) => {
    const { i18n } = say;
    const text = i18n.t(e.down ? 'hc.probe.some-down' : 'hc.probe', {
      checker: checkerName(e.checker, say), director: e.director, target: targetOf(e, say), count: e.count,
      interval: e.intervalMs === null ? '?' : say.seconds(e.intervalMs), down: e.down, details: e.details ? ` (${e.details})` : '',
      delayLoop: e.intervalMs === null ? '?' : String(Math.round(e.intervalMs / 1000)),
    });
    const g = e.genhash;
    return g && g.length ? `${text} ${i18n.t(g.length > 1 ? 'hc.genhash.changed' : 'hc.genhash', { md5: g[0], all: g.join(', ') })}` : text;
  },
  'hc.state': (e, say) => {
    const params = {
      checker: checkerName(e.checker, say), director: e.director, target: targetOf(e, say), reason: checkReason(e.reason, say),
      others: (e.othersUp ?? []).map((c) => checkerName(c, say)).join(', '),
      attempts: e.attempts ?? 1, retry: e.retry ?? Math.max(0, (e.attempts ?? 1) - 1),
      successes: (e.attempts ?? 1) > 1 ? say.i18n.t('hc.state.up.successes', { count: e.attempts }) : '',
    };
    let key: MessageKey = e.state === 'down' ? (e.reason === 'page changed' ? 'hc.state.down.digest' : params.attempts > 1 ? 'hc.state.down' : 'hc.state.down.once') : 'hc.state.up';
    if (e.state === 'down' && e.othersUp?.length) key = 'hc.state.down.others-up';
    else if (e.state === 'down' && e.startup) key = 'hc.state.down.startup';
    const text = say.i18n.t(key, params);
    // The quorum's hysteresis delays a return only where a quorum is in play (a sorry server or a
    // quorum-driven pool change in the capture); elsewhere the clause would not apply.
    return key === 'hc.state.up' && say.quorumSeen() ? text + ' ' + say.i18n.t('hc.state.up.quorum') : text;
  },
};

export const checkNotes: NoteSentences<'hc.probe'> = {
  'hc.probe': (n, say) => say.i18n.t(n.verdict === 'up' ? 'hc.comment.up' : 'hc.comment.down', {
    checker: checkerName(n.checker, say), director: n.director, target: n.target, reason: checkReason(n.reason, say), nth: say.ordinal(n.nth, 'm'), // (le 1er test)
  }) + (n.digestChanged ? say.i18n.t('hc.comment.digest-changed', n.digestChanged) : ''),
};
