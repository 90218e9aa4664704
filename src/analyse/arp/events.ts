// What the ARP/ND analyser finds: gratuitous ARP (or unsolicited NA) bursts tied to the takeover they
// announce (or to a unicast instance leaving FAULT), takeovers nobody announced, MAC changes no takeover
// explains, and a use_vmac master whose own traffic carries its real MAC.

import type { EventBase } from '../event-base.js';

/** A burst of gratuitous ARPs (or IPv6 unsolicited neighbour advertisements) for one IP from one MAC. */
export interface ArpGarp extends EventBase {
  kind: 'arp.garp';
  ip: string;
  mac: string;
  count: number;
  /** Id of the vrrp.master it announces, or null. */
  related: string | null;
  /** The router and VRID of that takeover (null when not tied to one). */
  router: string | null;
  vrid: number | null;
  /** ARP: 1 request (keepalived's way), 2 reply (other vendors'); absent for NAs. */
  opcode?: 1 | 2;
  /** `ndp` for unsolicited neighbour advertisements. */
  protocol?: 'ndp';
  /** The burst's place among the bursts of its takeover for that address (1 first, 2, 3…); null when not tied to one. */
  burst: number | null;
  sincePreviousBurstMs: number | null;
  /**
   * Why keepalived sent it: `takeover` (entering MASTER, vrrp_garp_master_repeat), `garp-delay` (the one delayed
   * burst, vrrp_garp_master_delay after it), `garp-refresh` (vrrp_garp_master_refresh, every period while MASTER),
   * `fault-exit` (a unicast instance leaving FAULT announces its own unicast_src_ip, keepalived
   * vrrp_scheduler.c try_up_instance), `lower-prio` (a master answering another router's lower-priority advert,
   * "forcing new election": vrrp_garp_lower_prio_repeat, by default vrrp_garp_master_repeat), `lower-prio-delay`
   * (its delayed repeat, vrrp_garp_lower_prio_delay, by default vrrp_garp_master_delay); null when nothing explains it.
   */
  cause: GarpCause | null;
  /** lower-prio / lower-prio-delay: the router whose lower-priority advert the master answered, and its priority. */
  lowerAdvertFrom?: string;
  lowerAdvertPriority?: number;
  /** lower-prio-delay: since the lower-prio burst it repeats. */
  sinceLowerPrioBurstMs?: number;
  /** Delayed and refresh bursts: since the first burst of the takeover. */
  sinceFirstBurstMs?: number;
  /** Refresh bursts: 1 for the first refresh of the takeover, 2… */
  refreshIndex?: number;
  /**
   * The refresh period as the wire shows it: from the takeover for a first refresh that came before any
   * delayed burst, else from the previous refresh; absent for a first refresh after the delayed burst, where
   * keepalived versions disagree (see sinceDelayedBurstMs).
   */
  refreshPeriodMs?: number;
  /** A first refresh after the delayed burst: since that burst (keepalived >= 2.3.2 counts the first refresh from there). */
  sinceDelayedBurstMs?: number;
  /**
   * How the first refresh of the takeover was timed, once the bursts show it: `after-takeover` (one period after
   * entering MASTER, re-armed on the advert it rides on: keepalived before 2.3.2), `after-delayed-burst`
   * (vrrp_garp_master_delay + period after it, a timer of its own: 2.3.2 and later).
   */
  firstRefresh?: 'after-takeover' | 'after-delayed-burst';
  /** Sent from the VRRP virtual MAC 00:00:5e:00:01:VRID (IPv6 00:00:5e:00:02:VRID): keepalived use_vmac. */
  virtualMac?: true;
}

export type GarpCause = 'takeover' | 'garp-delay' | 'garp-refresh' | 'fault-exit' | 'lower-prio' | 'lower-prio-delay';

/**
 * A VIP announced from the VRRP virtual MAC (use_vmac) that also shows with a real MAC: the master's own
 * traffic from the VIP (its ARP requests, its replies) leaves from its base interface with the base MAC, so
 * hosts' entries for the VIP move between the two MACs. Not a conflict: both reach the master.
 */
export interface ArpVmacRealMac extends EventBase {
  kind: 'arp.vmac-real-mac';
  ip: string;
  vrid: number;
  virtualMac: string;
  realMac: string;
  /** The router whose own address (ARP) or adverts (vmac_xmit_base) have that real MAC, or null when the capture does not show it. */
  router: string | null;
  /** The master of the VIP when the real MAC first showed (the one host holding the VIP then), or null. */
  master: string | null;
  /** Times the address moved between the two MACs. */
  count: number;
}

/** A MAC change for one IP that no VRRP takeover explains. */
export interface ArpConflict extends EventBase {
  kind: 'arp.conflict';
  ip: string;
  /** From, to. */
  macs: [string, string];
  /** Changes between the two. */
  count: number;
  /** Both MACs are VRRP routers' of that VIP: the VIP is configured on both directors. */
  betweenRouters: boolean;
}

/** A takeover announced by no gratuitous ARP (or NA) where the capture shows ARP (or ND). */
export interface ArpMissingGarp extends EventBase {
  kind: 'arp.missing-garp';
  vrid: number;
  router: string;
  family: 4 | 6;
  /** The VIPs the takeover should have announced. */
  addresses: string[];
  /** Id of the vrrp.master. */
  related: string;
}

export type ArpEvent = ArpGarp | ArpConflict | ArpMissingGarp | ArpVmacRealMac;

/** A frame of a gratuitous ARP (or NA) burst: its place in the burst, and the router that took over. */
export interface GarpFrameNote { note: 'arp.garp'; protocol: 'arp' | 'ndp'; nth: number; ip: string; after: string | null }
/** The frame where an address changed MAC. */
export interface ArpConflictNote { note: 'arp.conflict'; ip: string; from: string }

export type ArpNote = GarpFrameNote | ArpConflictNote;
