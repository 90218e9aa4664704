// The words of the ARP/ND findings (src/analyse/arp/events.ts).

import type { EventSentences, NoteSentences } from './types.js';
import type { MessageKey } from '../i18n/index.js';

export const arpEvents: EventSentences<'arp.garp' | 'arp.conflict' | 'arp.missing-garp' | 'arp.vmac-real-mac'> = {
  'arp.garp': (e, say) => {
    const { i18n } = say;
    const what: MessageKey = e.protocol === 'ndp' ? 'arp.what.na' : e.opcode === 1 ? 'arp.what.request' : 'arp.what.reply';
    const secs = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : say.seconds(ms));
    const whole = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : String(Math.round(ms / 1000)));
    const sinceDelayed = e.sinceDelayedBurstMs;
    const params = {
      count: e.count, ip: e.ip, mac: e.mac, router: e.router ?? '', vrid: e.vrid ?? '',
      delay: secs(e.sinceLowerPrioBurstMs ?? e.sinceFirstBurstMs ?? e.sincePreviousBurstMs), delaySeconds: whole(e.sinceFirstBurstMs ?? e.sincePreviousBurstMs),
      period: secs(e.refreshPeriodMs), periodSeconds: whole(e.refreshPeriodMs),
      sinceFirst: secs(e.sinceFirstBurstMs), sinceDelayed: secs(sinceDelayed),
      fromTakeoverSeconds: whole(e.sinceFirstBurstMs), fromDelayedSeconds: whole(sinceDelayed),
      first: e.firstRefresh === 'after-takeover' ? i18n.t('arp.garp.refresh.from-takeover')
        : e.firstRefresh === 'after-delayed-burst' ? i18n.t('arp.garp.refresh.from-delayed') : '',
      lower: e.lowerAdvertFrom ?? '', lowerPriority: e.lowerAdvertPriority ?? '',
      what: i18n.t(what, { count: e.count }),
    };
    // keepalived sends requests (or NAs); replies from the virtual MAC are other routers' style (Cisco).
    const keepalivedStyle = e.protocol === 'ndp' || e.opcode === 1;
    const key: MessageKey = e.cause === 'takeover'
      ? (e.virtualMac ? (keepalivedStyle ? 'arp.garp.first.vmac' : 'arp.garp.first.vmac.router') : keepalivedStyle ? 'arp.garp.first' : 'arp.garp.first.router')
      : e.cause === 'garp-delay' ? 'arp.garp.second'
      : e.cause === 'garp-refresh' ? (sinceDelayed !== undefined ? 'arp.garp.refresh.after-delay' : e.refreshIndex === 1 ? 'arp.garp.refresh.first' : 'arp.garp.refresh')
      : e.cause === 'fault-exit' ? 'arp.garp.fault-exit'
      : e.cause === 'lower-prio' ? 'arp.garp.lower-prio' : e.cause === 'lower-prio-delay' ? 'arp.garp.lower-prio-delay' : 'arp.garp.unlinked';
    return i18n.t(key, params);
  },
  'arp.conflict': (e, say) => say.i18n.t(e.betweenRouters ? 'arp.conflict.vip' : 'arp.conflict', { ip: e.ip, from: e.macs[0], to: e.macs[1] }),
  'arp.missing-garp': (e, say) => say.i18n.t(e.family === 6 ? 'arp.missing-na' : 'arp.missing-garp', { router: e.router, vrid: e.vrid, vips: e.addresses.join(', ') }),
  'arp.vmac-real-mac': (e, say) => say.i18n.t('arp.vmac-real-mac', {
    ip: e.ip, vmac: e.virtualMac, real: e.realMac, vrid: e.vrid, count: e.count,
    router: e.router ? say.i18n.t('arp.vmac-real-mac.router', { router: e.router })
      : e.master ? say.i18n.t('arp.vmac-real-mac.master', { master: e.master }) : say.i18n.t('arp.vmac-real-mac.unknown'),
  }),
};

export const arpNotes: NoteSentences<'arp.garp' | 'arp.conflict'> = {
  'arp.garp': (n, say) => say.i18n.t(n.protocol === 'ndp' ? 'arp.comment.na' : 'arp.comment.garp', {
    // (une annonce de voisinage, un ARP gratuit)
    nth: say.ordinal(n.nth, n.protocol === 'ndp' ? 'f' : 'm'), ip: n.ip, after: n.after ? say.i18n.t('arp.comment.after', { router: n.after }) : '',
  }),
  'arp.conflict': (n, say) => say.i18n.t('arp.comment.conflict', { ip: n.ip, from: n.from }),
};
