// The words of the ARP/ND findings (src/analyse/arp/events.ts).

import type { EventSentences, NoteSentences } from './types.js';
import type { MessageKey } from '../i18n/index.js';

export const arpEvents: EventSentences<'arp.garp' | 'arp.conflict' | 'arp.missing-garp'> = {
  'arp.garp': (e, say) => {
    const { i18n } = say;
    const what: MessageKey = e.protocol === 'ndp' ? 'arp.what.na' : e.opcode === 1 ? 'arp.what.request' : 'arp.what.reply';
    const params = {
      count: e.count, ip: e.ip, mac: e.mac, router: e.router ?? '', vrid: e.vrid ?? '',
      delay: e.sincePreviousBurstMs === null ? '' : say.seconds(e.sincePreviousBurstMs),
      delaySeconds: e.sincePreviousBurstMs === null ? '' : String(Math.round(e.sincePreviousBurstMs / 1000)),
      period: e.refreshPeriodMs === undefined ? '' : say.seconds(e.refreshPeriodMs),
      periodSeconds: e.refreshPeriodMs === undefined ? '' : String(Math.round(e.refreshPeriodMs / 1000)),
      what: i18n.t(what, { count: e.count }),
    };
    // keepalived sends requests (or NAs); replies from the virtual MAC are other routers' style (Cisco).
    const keepalivedStyle = e.protocol === 'ndp' || e.opcode === 1;
    const key: MessageKey = e.burst === null ? 'arp.garp.unlinked'
      : e.burst === 1 ? (keepalivedStyle ? 'arp.garp.first' : 'arp.garp.first.router')
      : e.burst === 2 ? 'arp.garp.second' : 'arp.garp.refresh';
    return i18n.t(key, params);
  },
  'arp.conflict': (e, say) => say.i18n.t(e.betweenRouters ? 'arp.conflict.vip' : 'arp.conflict', { ip: e.ip, from: e.macs[0], to: e.macs[1] }),
  'arp.missing-garp': (e, say) => say.i18n.t(e.family === 6 ? 'arp.missing-na' : 'arp.missing-garp', { router: e.router, vrid: e.vrid, vips: e.addresses.join(', ') }),
};

export const arpNotes: NoteSentences<'arp.garp' | 'arp.conflict'> = {
  'arp.garp': (n, say) => say.i18n.t(n.protocol === 'ndp' ? 'arp.comment.na' : 'arp.comment.garp', {
    // (une annonce de voisinage, un ARP gratuit)
    nth: say.ordinal(n.nth, n.protocol === 'ndp' ? 'f' : 'm'), ip: n.ip, after: n.after ? say.i18n.t('arp.comment.after', { router: n.after }) : '',
  }),
  'arp.conflict': (n, say) => say.i18n.t('arp.comment.conflict', { ip: n.ip, from: n.from }),
};
