// Who is who on an LVS network, as the other analysers and ARP tell it: the VIPs and the director
// that holds each (VRRP masters, tunnel ends), the directors' MACs, the hosts' MACs, the clients.

import type { EngineContext } from '../engine.js';
import type { VrrpMaster } from '../vrrp/events.js';
import type { HealthChecks } from '../checks/analyser.js';

/** Bounds: a capture (or crafted traffic: any IP-in-IP SYN names a VIP) cannot grow these without end. */
const MAX_VIPS = 4096, MAX_DIRECTORS = 1024, MAX_MACS = 65_536;

export class Network {
  readonly vips = new Set<string>();
  /** VIP → its current master router. */
  readonly masters = new Map<string, string>();
  /** VIP → the MAC its master advertised from. */
  readonly vipMacs = new Map<string, string>();
  /** MACs the VRRP masters advertised from (directors). */
  readonly directorMacs = new Set<string>();
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
