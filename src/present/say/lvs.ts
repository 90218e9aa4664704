// The words of the LVS findings (src/analyse/lvs/events.ts): forwarding, scheduling, the pool, the
// sorry server, IPVS sync, connections across a takeover, and the outages clients saw.

import type { EventSentences, NoteSentences, Say } from './types.js';
import type { MessageKey } from '../i18n/index.js';
import { checkReason } from './checks.js';
import type { LvsEvent, SvcOutage } from '../../analyse/lvs/events.js';

type LvsKind = LvsEvent['kind'];

/** The service an outage names: a ping outage names the VIP alone. */
function outageService(e: SvcOutage): string {
  return e.probe === 'ping' ? e.vip.replace(/ \(ping\)$/, '') : e.vip;
}

export const lvsEvents: EventSentences<LvsKind> = {
  'lvs.forward': (e, say) => {
    const { i18n } = say;
    const params = { service: e.vip, server: e.realServer, count: e.connections, director: e.director ?? '?' };
    const base = i18n.t(e.sorry ? `lvs.forward.sorry.${e.method}` : `lvs.forward.${e.method}`, params);
    // Which of the director's times as master (none: not master then, or no VRRP in the capture).
    if (e.director === null || e.tenure === null) return base;
    const span = e.connections > 1 ? i18n.t('lvs.forward.span', { duration: say.seconds((e.end - e.time) * 1000) }) : '';
    return `${base} ${i18n.t('lvs.forward.tenure', { ...params, span })}`;
  },
  'lvs.service': (e, say) => say.i18n.t(`lvs.service.${e.scheduling === 'wrr' && e.cycle ? 'wrr-cycle' : e.scheduling}`, {
    service: e.vip, count: e.connections, cycle: e.cycle,
    servers: Object.entries(e.realServers).map(([server, n]) => `${server} (${n})`).join(', '),
  }) + (Object.keys(e.directors).length > 1
    ? say.i18n.t('lvs.service.directors', { list: Object.entries(e.directors).map(([director, n]) => `${director} (${n})`).join(', ') })
    : ''),
  'lvs.realserver': (e, say) => {
    const { i18n } = say;
    const out = e.state === 'out';
    const key: MessageKey = e.cause === 'hc' ? (out ? 'lvs.realserver.out.hc' : 'lvs.realserver.in.hc')
      : e.cause === 'quorum' ? (out ? 'lvs.realserver.out.quorum' : 'lvs.realserver.in.quorum')
      : out ? 'lvs.realserver.out' : 'lvs.realserver.in';
    const cause = e.cause === 'hc' ? say.event(e.related) : null;
    return i18n.t(key, {
      server: e.realServer, service: e.service, cause: cause ? say.summary(cause) : '',
      checker: e.checker ? i18n.t(`hc.checker.${e.checker}`) : '', reason: e.reason ? checkReason(e.reason, say) : '',
    });
  },
  'lvs.sorry': (e, say) => e.end === null
    ? say.i18n.t('lvs.sorry.open', { service: e.vip, sorry: e.sorryServer })
    : say.i18n.t('lvs.sorry', { service: e.vip, sorry: e.sorryServer, duration: say.seconds((e.end - e.start) * 1000) }),
  'lvs.sync': (e, say) => say.i18n.t('lvs.sync', {
    sender: e.sender, syncid: e.syncid, version: e.version, messages: e.messages, connections: e.connections, duration: say.seconds(e.durationMs),
  }) + (e.matched + e.mismatched ? ' ' + say.i18n.t('lvs.sync.check', { matched: e.matched, mismatched: e.mismatched }) : ''),
  'lvs.failover-connections': (e, say) => say.i18n.t(e.reset ? 'lvs.failover.reset' : 'lvs.failover.survived', {
    router: e.router, survived: e.survived, reset: e.reset, sync: say.i18n.t(e.synced ? 'lvs.failover.sync' : 'lvs.failover.nosync'),
  }) + (e.synced && e.reset && e.unsynced ? say.i18n.t(e.unsynced >= e.reset ? 'lvs.failover.unsynced-all' : 'lvs.failover.unsynced', { count: e.unsynced }) : ''),
  'lvs.vip-arp': (e, say) => {
    const { i18n } = say;
    const params = { vip: e.vip, server: e.realServer, mac: e.mac, holder: e.holderMac ?? '?', count: e.claims, bypassed: e.bypassed, forwarded: e.forwarded };
    return i18n.t('lvs.vip-arp', params) + ' ' + i18n.t(e.bypassed ? 'lvs.vip-arp.bypassed' : 'lvs.vip-arp.unused', params);
  },
  'svc.outage': (e, say) => {
    const { i18n } = say;
    const duration = say.seconds((e.end - e.start) * 1000);
    if (e.probe === 'arp') return i18n.t('svc.outage.arp', { vip: e.vip, duration });
    const key: MessageKey = e.probe === 'ping' ? 'svc.outage.ping' : e.probe === 'udp' ? 'svc.outage.udp' : e.ongoing ? 'svc.outage.open' : 'svc.outage';
    const cause = say.event(e.related);
    return i18n.t(key, { service: outageService(e), duration, count: e.failedConnections })
      + (cause ? ' ' + i18n.t('svc.outage.cause', { cause: say.cite(cause) }) : '');
  },
};

export const lvsNotes: NoteSentences<'lvs.forward' | 'lvs.sync'> = {
  'lvs.forward': (n, say) => n.sorry
    ? say.i18n.t('lvs.comment.sorry', { method: n.method === 'nat-udp' ? 'NAT' : n.method.toUpperCase(), client: n.client, service: n.service, server: n.server })
    : say.i18n.t(`lvs.comment.${n.method}`, { client: n.client, service: n.service, server: n.server }),
  'lvs.sync': (n, say) => say.i18n.t('lvs.comment.sync', { sender: n.sender, syncid: n.syncid, count: n.count, conns: n.examples.join(', ') }),
};
