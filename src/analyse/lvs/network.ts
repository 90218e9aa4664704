// Who is who on an LVS network, as the other analysers and ARP tell it: the VIPs and the director
// that holds each (VRRP masters, tunnel ends), the directors' MACs, the hosts' MACs, the clients.

import type { EngineContext } from '../engine.js';
import type { VrrpMaster, VrrpResign } from '../vrrp/events.js';
import type { HealthChecks } from '../checks/analyser.js';

/** Bounds: a capture (or crafted traffic: any IP-in-IP SYN names a VIP) cannot grow these without end. */
const MAX_VIPS = 4096, MAX_DIRECTORS = 1024, MAX_MACS = 65_536;

/** The director that forwarded a connection, and the vrrp.master that began its tenure then (null: not master, or no VRRP seen). */
export interface Forwarder { director: string | null; tenure: VrrpMaster | null }

export class Network {
  readonly vips = new Set<string>();
  /** VIP → its current master router. */
  readonly masters = new Map<string, string>();
  /** VIP → the MAC its master advertised from. */
  readonly vipMacs = new Map<string, string>();
  /** MACs the VRRP masters advertised from (directors). */
  readonly directorMacs = new Set<string>();
  /**
   * MAC → the router that last advertised from it as master: the director behind a frame sent to or
   * from that MAC (a VRRP virtual MAC moves with mastership: the latest master is the one using it).
   */
  private readonly routerOfMac = new Map<string, string>();
  /**
   * "family:vrid" → the vrrp.master that began its current master's tenure, or null once it resigned. (A
   * master gone silent is master until another takes over: its adverts may be lost while it forwards.)
   */
  private readonly tenures = new Map<string, VrrpMaster | null>();
  /** "router|vip": the router was master of a VRID announcing that VIP. */
  private readonly announced = new Set<string>();
  /** MAC → the address it gave as ARP sender (not a VIP). */
  readonly macToIp = new Map<string, string>();
  /** The VIPs each VRRP instance ("family:vrid") announces, to tie outages to their instance. */
  readonly vipsOfVrid = new Map<string, Set<string>>();
  private readonly directors = new Set<string>();
  /** Clients already registered as hosts (ctx.host once per address). */
  private readonly clients = new Set<string>();

  constructor(private readonly checks: HealthChecks) {}

  /** A VRRP master: a director, holding the addresses it announces. */
  master(e: VrrpMaster): void {
    this.director(e.router);
    const key = `${e.family}:${e.vrid}`;
    const set = this.vipsOfVrid.get(key) ?? new Set<string>();
    for (const v of e.addresses) set.add(v);
    if (this.vipsOfVrid.size < 1024) this.vipsOfVrid.set(key, set);
    for (const v of e.addresses) {
      if (!this.vip(v)) continue;
      this.masters.set(v, e.router);
      if (e.mac) this.vipMacs.set(v, e.mac);
    }
    if (e.mac && this.directorMacs.size < 256) this.directorMacs.add(e.mac);
    if (e.mac && (this.routerOfMac.size < 256 || this.routerOfMac.has(e.mac))) this.routerOfMac.set(e.mac, e.router);
    if (this.tenures.size < 1024 || this.tenures.has(key)) this.tenures.set(key, e);
    for (const v of e.addresses) if (this.announced.size < MAX_VIPS) this.announced.add(`${e.router}|${v}`);
  }

  /** A master's priority 0: its tenure is over (keepalived's MASTER state ends with the priority-0 advert). */
  stopped(e: VrrpResign): void {
    const key = `${e.family}:${e.vrid}`;
    if (this.tenures.get(key)?.router === e.router) this.tenures.set(key, null);
  }

  /**
   * Which director forwarded a client's connection, by the MAC the wire shows for it (`mac`: the front
   * side's destination, or the back side's source; the first a VRRP master advertised from), and the tenure as master during which it did: the
   * vrrp.master that began it, or null when that director was not master then (of the VIP's VRID, or of
   * any when the VIP is unknown). Without a director's MAC, `known` (the tunnel's source), else the
   * VIP's current master, is taken.
   */
  forwarder(vip: string | null, macs: readonly (string | null)[], known: string | null = null): Forwarder {
    let director: string | null = null;
    for (const mac of macs) if (mac !== null && (director = this.routerOfMac.get(mac) ?? null) !== null) break;
    director ??= known ?? (vip !== null ? this.masters.get(vip) : undefined) ?? null;
    if (director === null) return { director, tenure: null };
    // The tenure of the VRID holding the VIP; else (the director named by its other side's MAC, or the
    // VIP unknown) of a VRID it is master of there.
    let tenure: VrrpMaster | null = null;
    for (const e of this.tenures.values()) {
      if (e?.router !== director) continue;
      if (vip !== null && e.addresses.includes(vip)) { tenure = e; break; }
      if (vip === null || !this.announced.has(`${director}|${vip}`)) tenure ??= e;
    }
    return { director, tenure };
  }

  /** A tunnel's outer source sending a client's SYN to a VIP: a director (LVS-TUN). */
  tunnel(director: string, vip: string): void {
    this.vip(vip);
    this.director(director);
  }

  /** Adds a VIP (false when the table is full and it is not in it). */
  private vip(ip: string): boolean {
    if (this.vips.size < MAX_VIPS) this.vips.add(ip);
    return this.vips.has(ip);
  }

  private director(ip: string): void {
    if (this.directors.size < MAX_DIRECTORS) this.directors.add(ip);
  }

  /** An ARP sender address and MAC (a VIP's MAC is its holder's, not its own). */
  arpSender(ip: string, mac: string): void {
    if (!this.vips.has(ip) && (this.macToIp.size < MAX_MACS || this.macToIp.has(mac))) this.macToIp.set(mac, ip);
  }

  isDirector(ip: string): boolean {
    return this.directors.has(ip) || this.checks.isDirector(ip);
  }

  /** Tells the engine of a client once. */
  client(ip: string, mac: string | null, ctx: EngineContext): void {
    if (!this.clients.has(ip) && this.clients.size < 10_000) { this.clients.add(ip); ctx.host(ip, mac, 'client'); }
  }
}
