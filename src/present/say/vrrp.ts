// The words of the VRRP findings (src/analyse/vrrp/events.ts).

import type { EventSentences, NoteSentences, Say } from './types.js';
import type { MessageKey } from '../i18n/index.js';
import type { VrrpCadence, VrrpLoss, VrrpMaster, VrrpNote, VrrpPeerUnresolved, VrrpSplitBrain } from '../../analyse/vrrp/events.js';

/** The RFC of the VRRP version spoken (the section numbers of the timers are the same in both). */
const rfcOf = (version: number): string => (version === 3 ? 'RFC 5798' : 'RFC 3768');

function master(e: VrrpMaster, say: Say): string {
  const { i18n } = say;
  const params = {
    router: e.router, vrid: e.vrid, priority: e.priority ?? '?', previous: e.previous ?? '', prevPriority: e.prevPriority ?? '',
    gap: e.gapMs == null ? '' : say.seconds(e.gapMs), expected: e.expectedMs == null ? '' : say.seconds(e.expectedMs),
    interval: e.intervalMs == null ? '' : say.seconds(e.intervalMs), skew: e.skewMs == null ? '' : say.seconds(e.skewMs), vips: (e.addresses ?? []).join(', '),
    excess: e.gapMs != null && e.expectedMs != null ? say.seconds(e.gapMs - e.expectedMs) : '',
    rfc: rfcOf(e.version),
  };
  const key: MessageKey = e.resumed ? (e.resumed === 'restart' ? 'vrrp.master.restarted' : 'vrrp.master.resumed')
    : e.reason === 'initial' ? 'vrrp.master.initial'
    : e.reason === 'already-master' ? 'vrrp.master.already-master'
    : e.reason === 'preemption' ? 'vrrp.master.preemption'
    : e.reason === 'master-down' ? 'vrrp.master.master-down'
    : e.reason === 'resignation' ? 'vrrp.master.resignation'
    : e.prevPriority === e.priority ? 'vrrp.master.tie'
    : 'vrrp.master.unknown';
  if (e.shownBy === 'garp') return i18n.t('vrrp.master.garp', { ...params, frame: e.previousAliveFrame ?? '' });
  const text = i18n.t(key, params);
  if (e.previousAliveFrame != null) return text + ' ' + i18n.t(e.previousHeld ? 'vrrp.master.held-adverts' : 'vrrp.master.lost-adverts', { ...params, frame: e.previousAliveFrame });
  if (key === 'vrrp.master.preemption') return text + ' ' + preemptionWait(e, say);
  return e.late ? text + ' ' + i18n.t('vrrp.master.late', params) : text;
}

/** How long the preempting router waited, from what, and what the excess over its timer means. */
function preemptionWait(e: VrrpMaster, say: Say): string {
  const { i18n } = say;
  if (e.waitFrom == null || e.waitMs == null || e.waitFromFrame == null) return i18n.t('vrrp.preempt.unseen');
  const params = { frame: e.waitFromFrame, wait: say.seconds(e.waitMs), previous: e.previous ?? '' };
  const told = e.waitFrom === 'priority-drop' ? i18n.t('vrrp.preempt.drop', params)
    : i18n.t('vrrp.preempt.return', { ...params, signal: i18n.t(`vrrp.signal.${e.waitFrom}` as MessageKey) });
  if (e.expectedMs == null) return told;
  const excess = e.waitMs - e.expectedMs;
  const slack = e.intervalMs ?? 1000;
  const verdict = excess > slack ? i18n.t('vrrp.preempt.delay', { excess: say.seconds(excess), delay: Math.max(1, Math.round(excess / 1000)) })
    // Its first frame seen is only a bound: it may have been back, silent, for longer.
    : excess < -slack ? i18n.t(e.waitFrom === 'first-frame' ? 'vrrp.preempt.back-earlier' : 'vrrp.preempt.early', { excess: say.seconds(-excess) })
    : i18n.t('vrrp.preempt.on-time');
  return told + ' ' + verdict;
}

function splitBrain(e: VrrpSplitBrain, say: Say): string {
  const { i18n } = say;
  const [a, b] = e.routers;
  const causes = (e.causes ?? []).map((c, i) => i18n.t(`vrrp.cause.${c.field}` as MessageKey, {
    va: c.values[a] ?? '', vb: c.values[b] ?? '', a, b, log: e.causeLogs?.[i] ?? '',
  }));
  // A dual master of missed adverts, ended by the election: who yielded to whom.
  if (e.adverts && e.yielded && e.end != null) {
    const high = e.yielded === a ? b : a;
    return i18n.t(e.adverts === 'held' ? 'vrrp.split-brain.held' : 'vrrp.split-brain.lost', {
      vrid: e.vrid, a, b, high, low: e.yielded, duration: say.seconds((e.end - e.start) * 1000),
    });
  }
  const cause = causes.length ? causes.join(' ') : e.adverts ? i18n.t(e.adverts === 'held' ? 'vrrp.cause.held' : 'vrrp.cause.lost') : i18n.t('vrrp.cause.unreachable');
  return e.end == null
    ? i18n.t('vrrp.split-brain.ongoing', { vrid: e.vrid, a, b, cause })
    : i18n.t('vrrp.split-brain', { vrid: e.vrid, a, b, duration: say.seconds((e.end - e.start) * 1000), cause });
}

function loss(e: VrrpLoss, say: Say): string {
  const text = say.i18n.t('vrrp.loss', {
    router: e.router, vrid: e.vrid, missing: e.missing, gaps: e.gaps, span: say.seconds((e.end - e.start) * 1000),
    interval: say.seconds(e.intervalMs), longest: say.seconds(e.longestGapMs),
  });
  return e.longestGapMs > 3 * e.intervalMs ? text + ' ' + say.i18n.t('vrrp.loss.dual') : text;
}

function peerUnresolved(e: VrrpPeerUnresolved, say: Say): string {
  const { i18n } = say;
  const text = i18n.t('vrrp.peer-unresolved', { router: e.router, vrid: e.vrid, peer: e.peer, frame: e.lastAdvertFrame, requests: e.arpRequests, broadcast: e.broadcast });
  return text + ' ' + (e.end == null || e.resumeFrame == null ? i18n.t('vrrp.peer-unresolved.ongoing')
    : i18n.t('vrrp.peer-unresolved.back', { gap: say.seconds((e.end - e.time) * 1000), resume: e.resumeFrame, peer: e.peer }));
}

function cadence(e: VrrpCadence, say: Say): string {
  return say.i18n.t(e.observedMs < e.intervalMs ? 'vrrp.cadence.fast' : 'vrrp.cadence.slow', {
    router: e.router, vrid: e.vrid, observed: say.seconds(e.observedMs), samples: e.samples, interval: say.seconds(e.intervalMs),
  });
}

export const vrrpEvents: EventSentences<'vrrp.master' | 'vrrp.resign' | 'vrrp.silent' | 'vrrp.split-brain' | 'vrrp.mismatch' | 'vrrp.invalid' | 'vrrp.collision' | 'vrrp.jitter' | 'vrrp.loss' | 'vrrp.peer-unresolved' | 'vrrp.cadence' | 'vrrp.priority' | 'vrrp.unreachable'> = {
  'vrrp.loss': loss,
  'vrrp.unreachable': (e, say) => say.i18n.t(e.code === 2 ? 'vrrp.unreachable.protocol' : 'vrrp.unreachable', {
    router: e.router, vrid: e.vrid, peer: e.peer, by: e.answeredBy, code: e.code, count: e.count, span: say.seconds((e.end - e.time) * 1000),
  }),
  'vrrp.peer-unresolved': peerUnresolved,
  'vrrp.cadence': cadence,
  'vrrp.master': master,
  'vrrp.resign': (e, say) => say.i18n.t(e.fault ? 'vrrp.resign.fault' : 'vrrp.resign', { router: e.router, vrid: e.vrid, rfc: rfcOf(e.version) }),
  'vrrp.silent': (e, say) => {
    const params = {
      router: e.router, vrid: e.vrid, frame: e.lastAdvertFrame, other: e.takenOverBy ?? e.beside ?? '',
      gap: e.takeoverGapMs == null ? '' : say.seconds(e.takeoverGapMs), by: e.rearmedBy ?? '',
    };
    if (e.rearmedBy && e.takenOverBy) return say.i18n.t('vrrp.silent.rearmed', params);
    return say.i18n.t(e.beside && !e.takenOverBy ? 'vrrp.silent.contender' : e.takenOverBy ? 'vrrp.silent.taken-over' : 'vrrp.silent.nobody', params);
  },
  'vrrp.split-brain': splitBrain,
  'vrrp.mismatch': (e, say) => {
    const [[a, va] = ['', ''], [b, vb] = ['', '']] = Object.entries(e.values ?? {}).map(([k, v]) => [k, String(v)]);
    const params = { vrid: e.vrid, field: say.i18n.t(`vrrp.field.${e.field}` as MessageKey), a, b, va, vb, log: e.keepalivedLog ?? '' };
    // A difference receivers do not drop: no log line to quote.
    return say.i18n.t(e.keepalivedLog == null ? 'vrrp.mismatch.no-drop' : 'vrrp.mismatch', params)
      + (e.keepalivedLog == null && e.field === 'advertInterval' ? ' ' + say.i18n.t('vrrp.mismatch.v3-interval') : '');
  },
  'vrrp.invalid': (e, say) => say.i18n.t('vrrp.invalid', { router: e.router, vrid: e.vrid, problem: e.problem, log: e.keepalivedLog ?? '' }),
  'vrrp.collision': (e, say) => say.i18n.t('vrrp.collision', {
    vrid: e.vrid, a: e.routers[0], b: e.routers[1], vipsA: (e.addresses?.[0] ?? []).join(', '), vipsB: (e.addresses?.[1] ?? []).join(', '),
  }),
  'vrrp.priority': (e, say) => {
    const params = { router: e.router, vrid: e.vrid, from: e.from, to: e.to, by: e.thenBy ?? '', after: e.thenMs == null ? '' : say.seconds(e.thenMs) };
    const what = say.i18n.t(e.whileBackup ? 'vrrp.priority.backup' : 'vrrp.priority', params);
    const then = e.then === 'taken-over' ? 'vrrp.priority.taken-over' : e.then === 'preempted' ? 'vrrp.priority.preempted'
      : e.to < e.from ? 'vrrp.priority.kept' : null;
    return then ? what + ' ' + say.i18n.t(then, params) : what;
  },
  'vrrp.jitter': (e, say) => say.i18n.t(e.maxGapMs >= 2 * e.intervalMs ? 'vrrp.jitter.near-miss' : 'vrrp.jitter', {
    router: e.router, vrid: e.vrid, count: e.lateAdverts, interval: say.seconds(e.intervalMs),
    max: say.seconds(e.maxGapMs), down: say.seconds(e.masterDownMs), margin: say.seconds(e.masterDownMs - e.maxGapMs),
  }),
};

export const vrrpNotes: NoteSentences<VrrpNote['note']> = {
  'vrrp.first': (n, say) => say.i18n.t('vrrp.comment.first', { router: n.router, vrid: n.vrid, priority: n.priority }),
  'vrrp.advert': (n, say) => say.i18n.t('vrrp.comment.advert', { router: n.router, vrid: n.vrid, priority: n.priority, nth: say.ordinal(n.nth), gap: say.seconds(n.gapMs) }),
  'vrrp.late': (n, say) => say.i18n.t('vrrp.comment.late', { router: n.router, vrid: n.vrid, gap: say.seconds(n.gapMs), interval: say.seconds(n.intervalMs) }),
  'vrrp.priority': (n, say) => say.i18n.t('vrrp.comment.priority', { router: n.router, vrid: n.vrid, old: n.from, priority: n.to }),
  'vrrp.superseded': (n, say) => say.i18n.t('vrrp.comment.superseded', { router: n.router, priority: n.priority, other: n.by }),
  'vrrp.resign': (n, say) => say.i18n.t('vrrp.comment.resign', { router: n.router, vrid: n.vrid, skew: say.seconds(n.skewMs) }),
  'vrrp.last': (n, say) => say.i18n.t('vrrp.comment.last', { router: n.router, vrid: n.vrid }),
  'vrrp.stepped-down': (n, say) => say.i18n.t('vrrp.comment.stepped-down', { router: n.router, other: n.by }),
  'vrrp.invalid': (n, say) => say.i18n.t('vrrp.comment.invalid', { problem: n.problem }),
  'vrrp.unreachable': (n, say) => say.i18n.t(n.code === 2 ? 'vrrp.comment.unreachable.protocol' : 'vrrp.comment.unreachable', { router: n.router, peer: n.peer, code: n.code }),
  'vrrp.contender-again': (n, say) => say.i18n.t('vrrp.comment.contender-again', { router: n.router, vrid: n.vrid, other: n.master }),
  'vrrp.lost': (n, say) => say.i18n.t('vrrp.comment.lost', { router: n.router, vrid: n.vrid, missing: n.missing, gap: say.seconds(n.gapMs) }),
  'vrrp.peer-arp': (n, say) => say.i18n.t('vrrp.comment.peer-arp', { router: n.router, peer: n.peer }),
  'vrrp.peer-resolved': (n, say) => say.i18n.t('vrrp.comment.peer-resolved', { router: n.router, peer: n.peer, gap: say.seconds(n.gapMs) }),
  'vrrp.still-master': (n, say) => say.i18n.t('vrrp.comment.still-master', { router: n.router, vrid: n.vrid, other: n.other }),
};
