// What the ARP/ND analyser finds: gratuitous ARP (or unsolicited NA) bursts tied to the takeover they
// announce, takeovers nobody announced, and MAC changes no takeover explains.

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
  /** 1 first burst of the takeover, 2 second (vrrp_garp_master_delay), 3… refreshes; null when not tied to one. */
  burst: number | null;
  sincePreviousBurstMs: number | null;
  /** The period of vrrp_garp_master_refresh, when seen. */
  refreshPeriodMs?: number;
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

export type ArpEvent = ArpGarp | ArpConflict | ArpMissingGarp;

/** A frame of a gratuitous ARP (or NA) burst: its place in the burst, and the router that took over. */
export interface GarpFrameNote { note: 'arp.garp'; protocol: 'arp' | 'ndp'; nth: number; ip: string; after: string | null }
/** The frame where an address changed MAC. */
export interface ArpConflictNote { note: 'arp.conflict'; ip: string; from: string }

export type ArpNote = GarpFrameNote | ArpConflictNote;
