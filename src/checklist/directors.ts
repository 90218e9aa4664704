// Which configuration is which director on the wire. Each vrrp_instance of each --config file is matched
// to the router that advertises it: by unicast_src_ip first, then by VRID and priority when exactly one
// instance and one router of that VRID share a priority, then by elimination (one of each left). A
// director's addresses are those of its matched routers; health-check and sync senders are then known
// by those addresses (or, if one director and one sender are left over, by elimination). Names come
// from router_id: "d1 (10.0.0.11)".

import type { AnalysisEvent } from '../analyse/events.js';
import { configName, instancePriority, type ConfVrrpInstance, type KeepalivedConfig } from '../config/model.js';
import type { RouterOnWire, WireLedger } from './wire.js';

export interface Slot {
  config: KeepalivedConfig;
  instance: ConfVrrpInstance;
  vrid: number;
  family: 4 | 6;
  priority: number;
}

export interface Director {
  config: KeepalivedConfig;
  name: string;
  ips: string[];
}

export class DirectorMap {
  readonly directors: Director[];
  readonly slots: Slot[];
  readonly routerSlot = new Map<string, Slot>();
  readonly slotRouter = new Map<Slot, RouterOnWire>();
  private readonly byIp = new Map<string, Director>();

  constructor(configs: KeepalivedConfig[], wire: WireLedger, events: readonly AnalysisEvent[]) {
    this.directors = configs.map((config) => ({ config, name: configName(config), ips: [] }));
    const names = new Map<string, number>();
    for (const d of this.directors) names.set(d.name, (names.get(d.name) ?? 0) + 1);
    // Two files with one router_id (or none): tell them apart by file name.
    for (const d of this.directors) if ((names.get(d.name) ?? 0) > 1) d.name = d.config.path.split('/').pop()!.replace(/\.conf$/, '');
    this.slots = configs.flatMap((config) => config.instances.filter((i) => i.vrid).map((instance) => ({
      config, instance, vrid: instance.vrid!.value, family: familyOf(instance), priority: instancePriority(instance),
    })));
    this.matchRouters(wire);
    for (const [slot, r] of this.slotRouter) this.addIp(this.directorOf(slot.config), r.ip);
    this.matchSenders(events);
  }

  private directorOf(c: KeepalivedConfig): Director {
    return this.directors.find((d) => d.config === c)!;
  }

  private addIp(d: Director, ip: string): void {
    if (this.byIp.has(ip)) return;
    this.byIp.set(ip, d);
    d.ips.push(ip);
  }

  private assign(slot: Slot, r: RouterOnWire): void {
    this.routerSlot.set(r.key, slot);
    this.slotRouter.set(slot, r);
  }

  private matchRouters(wire: WireLedger): void {
    const routers = [...wire.routers.values()];
    const free = (r: RouterOnWire) => !this.routerSlot.has(r.key);
    const open = (s: Slot) => !this.slotRouter.has(s);
    const fits = (s: Slot, r: RouterOnWire) => s.vrid === r.vrid && s.family === r.family;
    // 1. unicast_src_ip names the router's address.
    for (const s of this.slots) {
      const src = s.instance.unicastSrcIp?.value;
      const r = src ? routers.find((x) => free(x) && fits(s, x) && x.ip === src) : undefined;
      if (r) this.assign(s, r);
    }
    // 2. VRID and priority, when they single out one instance and one router.
    const advertised = (r: RouterOnWire) => r.values.priority.map((v) => Number(v.value)).filter((p) => p > 0);
    for (const s of this.slots) {
      if (!open(s)) continue;
      const slotsAlike = this.slots.filter((o) => open(o) && o.vrid === s.vrid && o.family === s.family && o.priority === s.priority);
      const candidates = routers.filter((r) => free(r) && fits(s, r) && advertised(r).includes(s.priority));
      if (slotsAlike.length === 1 && candidates.length === 1) this.assign(s, candidates[0]);
    }
    // 3. Elimination: one instance and one router of a VRID left.
    for (const s of this.slots) {
      if (!open(s)) continue;
      const slotsLeft = this.slots.filter((o) => open(o) && o.vrid === s.vrid && o.family === s.family);
      const routersLeft = routers.filter((r) => free(r) && fits(s, r));
      if (slotsLeft.length === 1 && routersLeft.length === 1) this.assign(s, routersLeft[0]);
    }
    // 4. A director already known by another VRID: its router on this VRID has the same MAC.
    for (const s of this.slots) {
      if (!open(s)) continue;
      const known = [...this.slotRouter].filter(([o]) => o.config === s.config).map(([, r]) => r.mac).filter(Boolean);
      const r = routers.find((x) => free(x) && fits(s, x) && x.mac && known.includes(x.mac));
      if (r) this.assign(s, r);
    }
  }

  /** Health-check directors and sync senders not known by a VRRP address: by elimination. */
  private matchSenders(events: readonly AnalysisEvent[]): void {
    const senders = new Set<string>();
    for (const e of events) {
      if (e.kind === 'hc.probe' && typeof e.director === 'string') senders.add(e.director);
      if (e.kind === 'lvs.sync' && typeof e.sender === 'string') senders.add(e.sender);
    }
    const unknown = [...senders].filter((ip) => !this.byIp.has(ip));
    if (!unknown.length) return;
    const sendersOf = (d: Director) => d.ips.filter((ip) => senders.has(ip));
    const withChecks = this.directors.filter((d) => (d.config.virtualServers.length > 0 || d.config.lvsSyncDaemon) && sendersOf(d).length === 0);
    if (unknown.length === 1 && withChecks.length === 1) this.addIp(withChecks[0], unknown[0]);
  }

  director(ip: string): Director | null {
    return this.byIp.get(ip) ?? null;
  }

  /** "d1 (10.0.0.11)" for a known address, else the address. */
  label(ip: string): string {
    const d = this.byIp.get(ip);
    return d ? `${d.name} (${ip})` : ip;
  }

  directorLabel(d: Director): string {
    return d.ips.length ? `${d.name} (${d.ips.join(', ')})` : d.name;
  }

  /** The slot a wire router was matched to. */
  slotOf(r: RouterOnWire): Slot | null {
    return this.routerSlot.get(r.key) ?? null;
  }
}

/** An instance's address family, as keepalived decides it: from its VIPs (or its unicast source). */
export function familyOf(i: ConfVrrpInstance): 4 | 6 {
  const first = i.vips[0]?.value ?? i.unicastSrcIp?.value ?? '';
  return first.includes(':') ? 6 : 4;
}
