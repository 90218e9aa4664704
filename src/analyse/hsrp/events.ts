// What the HSRP analyser finds, per group (VLAN, HSRP version, group number): who is Active and Standby
// when and why (a Resign is told by the takeover it causes, and on its frame). Facts only: the words are in src/present/say/hsrp.ts.
//
// HSRP (RFC 2281; Cisco's HSRPv2) elects one Active router, which answers for the virtual IP with the
// group's virtual MAC, and one Standby router, which takes over when the Active's hellos stop for the
// hold time. Unlike VRRP, every router in Speak, Standby or Active state sends hellos, each carrying
// its state, so the wire shows the election itself.

import type { EventBase } from '../event-base.js';

/** hsrp.version on the wire: 0 is RFC 2281 (what Cisco calls HSRPv1), 2 is HSRPv2. */
export type HsrpVersion = 0 | 2;

/**
 * Why a router became Active: `already-active`, Active in its first hello of the capture; `election`,
 * the group had no Active yet and the router went Speak → (Standby →) Active; `coup`, a router of higher
 * priority with preemption sent a Coup and took over; `resign`, the Active sent a Resign and this router
 * took over; `failover`, the Active's hellos stopped for the hold time and this router (the Standby)
 * took over; `unexplained`, the Active changed and the wire shows none of these.
 */
export type HsrpReason = 'already-active' | 'election' | 'coup' | 'resign' | 'failover' | 'unexplained';

/** A router becomes (or is first seen as) the Active router of an HSRP group. */
export interface HsrpActive extends EventBase {
  kind: 'hsrp.active';
  group: number;
  version: HsrpVersion;
  /** The 802.1Q VLAN of the hellos, or null when untagged. */
  vlan: number | null;
  /** The router (source address of its hellos). */
  router: string;
  /** hsrp.priority / hsrp2.priority; null when only its Interface State advertisement shows it Active. */
  priority: number | null;
  reason: HsrpReason;
  /** The Active router before it, or null. */
  previous: string | null;
  previousPriority: number | null;
  /** The previous Active's last hello as Active to this router's first (null without a previous Active). */
  gapMs: number | null;
  /** Hello and hold times carried by its hellos (milliseconds; v0 carries seconds), null when not seen. */
  helloMs: number | null;
  holdMs: number | null;
  /** The virtual IP (hsrp.virt_ip / hsrp2.virt_ip), null when no hello of the group carried it. */
  virtualIp: string | null;
  /** The group's virtual MAC: 00:00:0c:07:ac:XX (v0), 00:00:0c:9f:fX:XX (v2), 00:05:73:a0:0X:XX (v2, IPv6 group). */
  virtualMac: string;
  /** The source MAC of its first hello as Active (Cisco sends an Active's hellos from the virtual MAC). */
  mac: string | null;
  /**
   * The frame that explains the change: the Coup (coup), the Resign (resign), the previous Active's
   * last hello (failover), the router's first Speak hello (election); null otherwise.
   */
  causeFrame: number | null;
  /** From that frame to this event (a Coup's takeover, a Resign's, an election's Speak → Active), null without it. */
  sinceCauseMs: number | null;
  /** `hello`: its hello in Active state shows it; `interface-state`: only its Interface State advertisement (active groups up by one) does. */
  evidence: 'hello' | 'interface-state';
}

/** A router becomes (or is first seen as) the Standby router of an HSRP group. */
export interface HsrpStandby extends EventBase {
  kind: 'hsrp.standby';
  group: number;
  version: HsrpVersion;
  vlan: number | null;
  router: string;
  priority: number;
  /** `already-standby`: Standby in its first hello of the capture; `election`: after Speak (or Listen). */
  reason: 'already-standby' | 'election';
  /** The Standby router before it (null when the role was vacant: none seen, or it became Active). */
  previous: string | null;
  /** Its first hello in Speak state before this one, or null. */
  speakFrame: number | null;
}

export type HsrpEvent = HsrpActive | HsrpStandby;

/** State of a router in an HSRP hello, with the state it announced before (null: its first hello, or unchanged). */
export interface HsrpHelloNote {
  note: 'hsrp.hello';
  router: string;
  group: number;
  /** hsrp.state name: initial, learn, listen, speak, standby, active (v2 also disabled, init). */
  state: string;
  priority: number | null;
  from: string | null;
}
/** A Coup message: the sender, of higher priority with preemption, claims the Active role. */
export interface HsrpCoupNote { note: 'hsrp.coup'; router: string; group: number; priority: number | null; active: string | null }
/** A Resign message: `active`, its sender was the Active router (the one seen, or, with none seen, its Resign says Active). */
export interface HsrpResignNote { note: 'hsrp.resign'; router: string; group: number; active: boolean }
/** An Interface State advertisement (v0 opcode 3, v2 Interface State TLV): how many groups the sender holds Active and Standby/Listen. */
export interface HsrpInterfaceNote { note: 'hsrp.interface'; router: string; active: number; passive: number }

/** A gratuitous ARP from an HSRP group's virtual MAC; `active`: the group's Active router when the capture shows it. */
export interface HsrpGarpNote { note: 'hsrp.garp'; ip: string; group: number; version: HsrpVersion; active: string | null }
/** A router says Active while the group's Active (`other`) is still sending hellos as Active, without a Coup. */
export interface HsrpDualActiveNote { note: 'hsrp.dual-active'; router: string; group: number; other: string }
/** More HSRP groups than the analyser keeps: those beyond are not analysed. */
export interface HsrpGroupsFullNote { note: 'hsrp.groups-full'; max: number }

export type HsrpNote = HsrpHelloNote | HsrpCoupNote | HsrpResignNote | HsrpInterfaceNote | HsrpGarpNote | HsrpDualActiveNote | HsrpGroupsFullNote;
