// Gratuitous ARP after each takeover of a configured director, against vrrp_garp_master_repeat and
// vrrp_garp_master_delay.

import { ofKind, type AnalysisEvent } from '../../analyse/events.js';
import { DEFAULT_GARP_MASTER_DELAY_S, DEFAULT_GARP_MASTER_REPEAT, type Where } from '../../config/model.js';
import type { Slot } from '../directors.js';
import type { Report } from './context.js';

/**
 * keepalived's GARP pattern after each takeover of a configured director: vrrp_garp_master_repeat
 * GARPs per address at once, then as many vrrp_garp_master_delay later. Only the first burst and the
 * delayed one of an address are judged (not refreshes nor answers to lower-priority adverts); a first
 * burst that is a multiple of the setting is one burst seen on several merged links.
 */
export function crossCheckGarp(x: Report): void {
  const { events, directors } = x.c;
  const masters = ofKind(events, 'vrrp.master');
  const bursts = ofKind(events, 'arp.garp').filter((e) => typeof e.related === 'string');
  const troubled = new Set(events.filter((e) => e.kind === 'vrrp.split-brain' || e.kind === 'vrrp.mismatch').map((e) => e.vrid));
  const groups = new Map<string, { who: string; at: Where; field: 'repeat' | 'delay'; conf: string; wire: Set<string>; frames: number[]; ids: string[] }>();
  const note = (slot: Slot, who: string, field: 'repeat' | 'delay', wire: string, e: AnalysisEvent) => {
    const own = field === 'repeat' ? slot.instance.garp.masterRepeat ?? slot.config.garp.masterRepeat : slot.instance.garp.masterDelay ?? slot.config.garp.masterDelay;
    const at = own?.at ?? slot.instance.at;
    const conf = own ? String(own.value) : x.t('check.default', { value: String(field === 'repeat' ? DEFAULT_GARP_MASTER_REPEAT : DEFAULT_GARP_MASTER_DELAY_S) });
    const key = `${field}|${at.file}|${at.line}`;
    let g = groups.get(key);
    if (!g) groups.set(key, g = { who, at, field, conf, wire: new Set(), frames: [], ids: [] });
    g.wire.add(wire);
    g.frames.push(...e.frames.slice(0, 5));
    g.ids.push(e.id);
  };
  for (const m of masters) {
    const router = [...x.c.wire.routers.values()].find((r) => r.ip === m.router && r.vrid === m.vrid);
    const slot = router ? directors.slotOf(router) : null;
    if (!slot || slot.config.garp.minGarp || slot.instance.garp.interval || slot.config.garp.interval) continue;
    const repeat = (slot.instance.garp.masterRepeat ?? slot.config.garp.masterRepeat)?.value ?? DEFAULT_GARP_MASTER_REPEAT;
    const delay = (slot.instance.garp.masterDelay ?? slot.config.garp.masterDelay)?.value ?? DEFAULT_GARP_MASTER_DELAY_S;
    const next = masters.find((o) => o.vrid === m.vrid && o.time > m.time);
    const who = directors.label(m.router);
    const byIp = new Map<string, typeof bursts>();
    for (const b of bursts) if (b.related === m.id) byIp.set(b.ip, [...(byIp.get(b.ip) ?? []), b]);
    for (const list of byIp.values()) {
      // the delayed burst is the one the ARP analysis found on the takeover's schedule (a refresh shorter than
      // the delay comes before it: keepalived-semantics §8.21)
      const [first] = list.sort((a, b) => a.time - b.time);
      const second = list.find((b) => b.cause === 'garp-delay');
      const count = first.count;
      if (repeat > 0 && (count < repeat || count % repeat !== 0)) note(slot, who, 'repeat', String(count), first);
      if (!second || troubled.has(m.vrid) || (next && next.time < second.time)) continue;
      const gap = second.time - first.time;
      if (delay > 0 && Math.abs(gap - delay) > 0.5) note(slot, who, 'delay', x.c.i18n.fmt.seconds(gap * 1000), second);
    }
  }
  for (const g of groups.values()) {
    x.add('vrrp-garp', 'warning', g.who, g.field === 'repeat' ? 'check.finding.vrrp.garp-repeat' : 'check.finding.vrrp.garp-delay', {
      director: g.who, wire: [...g.wire].join(', '), conf: g.conf, where: x.where(g.at),
    }, [g.at], g.frames, g.ids);
  }
}
