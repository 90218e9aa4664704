// The words of the health-check findings (src/analyse/checks/events.ts).

import type { EventSentences, NoteSentences, Say } from './types.js';
import type { MessageKey } from '../i18n/index.js';
import type { Checker } from '../../analyse/checks/events.js';

function checkerName(c: Checker, say: Say): string {
  return say.i18n.t(`hc.checker.${c}` as MessageKey);
}

export const checkEvents: EventSentences<'hc.probe' | 'hc.state'> = {
  'hc.probe': (e, say) => {
    const { i18n } = say;
    const text = i18n.t(e.down ? 'hc.probe.some-down' : 'hc.probe', {
      checker: checkerName(e.checker, say), director: e.director, target: e.target, count: e.count,
      interval: e.intervalMs === null ? '?' : say.seconds(e.intervalMs), down: e.down, details: e.details ? ` (${e.details})` : '',
      delayLoop: e.intervalMs === null ? '?' : String(Math.round(e.intervalMs / 1000)),
    });
    const g = e.genhash;
    return g && g.length ? `${text} ${i18n.t(g.length > 1 ? 'hc.genhash.changed' : 'hc.genhash', { md5: g[0], all: g.join(', ') })}` : text;
  },
  'hc.state': (e, say) => {
    const params = {
      checker: checkerName(e.checker, say), director: e.director, target: e.target, reason: e.reason,
      others: (e.othersUp ?? []).map((c) => checkerName(c, say)).join(', '),
      attempts: e.attempts ?? 1, retry: e.retry ?? Math.max(0, (e.attempts ?? 1) - 1),
      successes: (e.attempts ?? 1) > 1 ? say.i18n.t('hc.state.up.successes', { count: e.attempts }) : '',
    };
    let key: MessageKey = e.state === 'down' ? (e.reason === 'page changed' ? 'hc.state.down.digest' : params.attempts > 1 ? 'hc.state.down' : 'hc.state.down.once') : 'hc.state.up';
    if (e.state === 'down' && e.othersUp?.length) key = 'hc.state.down.others-up';
    return say.i18n.t(key, params);
  },
};

export const checkNotes: NoteSentences<'hc.probe'> = {
  'hc.probe': (n, say) => say.i18n.t(n.verdict === 'up' ? 'hc.comment.up' : 'hc.comment.down', {
    checker: checkerName(n.checker, say), director: n.director, target: n.target, reason: n.reason, nth: say.ordinal(n.nth),
  }) + (n.digestChanged ? say.i18n.t('hc.comment.digest-changed', n.digestChanged) : ''),
};
