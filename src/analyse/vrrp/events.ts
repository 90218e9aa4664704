// What the VRRP analyser finds, per instance (link, address family, VRID): who is master when and why,
// resignations, silences, split brains, disagreements between routers, adverts receivers drop, late
// adverts. Facts only: the words are in src/present/say/vrrp.ts.

import type { EventBase } from '../event-base.js';
import type { TakeoverReason } from './rules.js';

export type Family = 4 | 6;

/** A router starts acting as master of a VRID (the first master and every change). */
export interface VrrpMaster extends EventBase {
  kind: 'vrrp.master';
  vrid: number;
  family: Family;
  version: 2 | 3;
  router: string;
  /** The advert's source MAC. */
  mac: string | null;
  /** Null only for a takeover shown by its GARPs alone (shownBy) by a router never heard advertising in the capture. */
  priority: number | null;
  reason: TakeoverReason;
  /** The master before it (null when initial, or when it is the same router again). */
  previous: string | null;
  prevPriority: number | null;
  /** The same router advertising again after its own silence (`restart` when that silence followed its priority 0), nobody in between. */
  resumed: 'silence' | 'restart' | null;
  /** Previous master's last advert to this one's first; null when initial. */
  gapMs: number | null;
  /** What the timers allow: Master_Down_Interval, or Skew_Time after a priority-0 advert; null when not applicable. */
  expectedMs: number | null;
  /** The advert interval and Skew_Time the timers were computed from. */
  intervalMs: number;
  skewMs: number;
  /** The gap exceeds the expectation by more than one advert interval. */
  late: boolean;
  /** The VIPs advertised. */
  addresses: string[];
  /**
   * Preemption: what the wait before taking over is measured from (`igmp-join`/`mld-report`: the router
   * rejoined the VRRP group, keepalived starting; `first-frame`: its first frame after its silence;
   * `priority-drop`: the master's last advert at a priority not below this router's), or null when the
   * capture does not show it (a backup whose own priority rose: backups do not advertise).
   */
  waitFrom?: 'igmp-join' | 'mld-report' | 'first-frame' | 'priority-drop' | null;
  /** Preemption: the frame the wait is measured from, and the wait measured (null with waitFrom null). */
  waitFromFrame?: number | null;
  waitMs?: number | null;
  /**
   * Reason `unknown` after adverts lost on the link: the frame showing `previous` still master after this
   * router took over (its gratuitous ARPs for the VIP, keepalived answering a lower-priority advert):
   * this router missed its adverts, a dual master that the higher priority resolves.
   */
  previousAliveFrame?: number;
  /**
   * `garp`: the takeover shows only by the router's burst of gratuitous ARPs for the VIP (keepalived sends
   * them only on entering MASTER), its adverts of that period lost on the link like the master's adverts it
   * missed: time and frames are the burst's; priority, version and addresses are those of its first advert
   * seen later in the capture (keepalived-semantics.md §4).
   */
  shownBy?: 'garp';
  /**
   * With previousAliveFrame: `previous` is a unicast master whose adverts were held in its kernel's
   * neighbour queue (its ARP requests for its peer unanswered: vrrp.peer-unresolved), not lost on the link.
   */
  previousHeld?: true;
  /**
   * A dual master of missed adverts (reason unknown): when it went back to backup, at the advert of the master
   * that outranks it which reached it (keepalived: "Master received advert … with higher priority").
   */
  end?: number;
}

/** The master advertises priority 0 (keepalived on SIGTERM or FAULT). */
export interface VrrpResign extends EventBase {
  kind: 'vrrp.resign';
  vrid: number;
  family: Family;
  version: 2 | 3;
  router: string;
  /** Skew_Time of the best backup: how long it waits before taking over. */
  skewMs: number;
  /**
   * keepalived entered FAULT (a tracked interface, script or file failed), not a stop: it sends two
   * priority-0 adverts ms apart when it leaves MASTER for FAULT (vrrp_state_leave_master, then
   * vrrp_restore_interface) and one on SIGTERM; the other instances of its sync group follow with one
   * each at the same moment (keepalived-semantics.md §5, §8.19; recorded: vrrp-track-interface,
   * vrrp-sync-group). False: one advert, a stop (or a FAULT the wire cannot tell apart).
   */
  fault: boolean;
}

/** A master stops advertising for more than 3 advert intervals. */
export interface VrrpSilent extends EventBase {
  kind: 'vrrp.silent';
  vrid: number;
  family: Family;
  router: string;
  lastAdvertFrame: number;
  /** The router that took over, or null. */
  takenOverBy: string | null;
  /** Last advert of the silent master to the first of the one that took over. */
  takeoverGapMs: number | null;
  /** A router that stopped while a master that outranks it was advertising: that master. */
  beside?: string;
  /**
   * It was still master: the master of another cluster on the VRID whose adverts re-armed its advert
   * timer (keepalived), as it showed by answering the router that took over at once.
   */
  rearmedBy?: string;
}

export interface SplitBrainCause { field: DifferenceField; values: Record<string, string> }

/**
 * Two routers master of one VRID at once: both advertise for more than 3 intervals, or (`adverts` set) a
 * dual master of any length over one interval that the wire shows after the lower-priority router missed
 * the master's adverts.
 */
export interface VrrpSplitBrain extends EventBase {
  kind: 'vrrp.split-brain';
  vrid: number;
  family: Family;
  routers: [string, string];
  start: number;
  /** Null while ongoing at the end of the capture. */
  end: number | null;
  /** What differed between the two streams; empty when nothing did (adverts not reaching the peer). */
  causes: SplitBrainCause[];
  /** For each cause, the line keepalived 2.2 logs when it drops the other's adverts. */
  causeLogs: string[];
  /**
   * Why the lower-priority router did not hear the master, when the wire shows it: the master's adverts were
   * `lost` on the link (the capture misses them too; the master showed it stayed master by its gratuitous
   * ARPs or later adverts), or `held` in its kernel's neighbour queue (a unicast master whose peer's MAC does
   * not resolve: vrrp.peer-unresolved). Absent for a split brain of two routers that both advertise.
   */
  adverts?: 'lost' | 'held';
  /**
   * With `adverts`: the lower-priority router, which went back to backup when the master's next advert
   * reached it (keepalived: "Master received advert from … with higher priority"); `end` is that advert.
   * Null when the capture ends first.
   */
  yielded?: string | null;
}

export type DifferenceField = 'advertInterval' | 'auth' | 'addresses' | 'version' | 'checksumVariant' | 'ttl' | 'unicast';

/** Routers of one VRID disagree on a field of their adverts. */
export interface VrrpMismatch extends EventBase {
  kind: 'vrrp.mismatch';
  vrid: number;
  field: DifferenceField;
  /** `{ ip: value }`, the first router first. */
  values: Record<string, string>;
  /** The line keepalived 2.2 logs when it drops the other's adverts; null when it does not drop them. */
  keepalivedLog: string | null;
  /** The VRRP version of the routers (a v3 interval difference is adopted, not an error). */
  version: 2 | 3;
}

/** Adverts a receiver must drop, once per router and problem. */
export interface VrrpInvalid extends EventBase {
  kind: 'vrrp.invalid';
  vrid: number;
  router: string;
  problem: string;
  keepalivedLog: string;
  /** Adverts with that problem. */
  count: number;
}

/** Two clusters use one VRID with disjoint VIP sets. */
export interface VrrpCollision extends EventBase {
  kind: 'vrrp.collision';
  vrid: number;
  routers: [string, string];
  /** The VIP set of each, in the same order. */
  addresses: [string[], string[]];
}

/** A master's adverts came late during its tenure (near miss when a gap reached 2 intervals). */
export interface VrrpJitter extends EventBase {
  kind: 'vrrp.jitter';
  vrid: number;
  router: string;
  lateAdverts: number;
  maxGapMs: number;
  intervalMs: number;
  /** Master_Down_Interval of the best backup: the margin the worst gap left. */
  masterDownMs: number;
}

/**
 * Adverts of a master missing from the wire while it stayed master (keepalived-semantics.md §5): gaps on
 * its own cadence (k intervals: k − 1 adverts missing) with nobody else advertising, or with the router
 * showing it still held the VIP. One event per router and VRID, updated to the end of the capture.
 */
export interface VrrpLoss extends EventBase {
  kind: 'vrrp.loss';
  vrid: number;
  family: Family;
  router: string;
  intervalMs: number;
  /** Adverts missing in all, and the gaps they fell in. */
  missing: number;
  gaps: number;
  longestGapMs: number;
  /** The window: the advert before the first gap, the advert after the last one (s). */
  start: number;
  end: number;
}

/**
 * A unicast master whose adverts stop reaching the wire while its kernel asks for the peer's MAC (ARP
 * requests from the master for its unicast peer, unanswered): keepalived stays MASTER and its adverts wait
 * in the neighbour queue (keepalived-semantics.md §3). Not a crash, not a takeover; the adverts that
 * come back are the same master's.
 */
export interface VrrpPeerUnresolved extends EventBase {
  kind: 'vrrp.peer-unresolved';
  vrid: number;
  family: Family;
  router: string;
  /** The unicast peer its adverts go to. */
  peer: string;
  lastAdvertFrame: number;
  /** ARP requests from the router for the peer after its last advert, and how many were broadcast. */
  arpRequests: number;
  broadcast: number;
  /** Its adverts again (time in s, frame), or null when they do not come back in the capture. */
  end: number | null;
  resumeFrame: number | null;
}

/** A router's adverts arrive much faster or slower than the interval they carry (one per router and VRID). */
export interface VrrpCadence extends EventBase {
  kind: 'vrrp.cadence';
  vrid: number;
  router: string;
  /** The interval its adverts carry, and the median gap between them. */
  intervalMs: number;
  observedMs: number;
  /** Gaps measured. */
  samples: number;
}

/**
 * A router advertises another non-zero priority than in its previous advert (keepalived: a tracked
 * script/file/interface weight, or a reload), and what followed.
 */
export interface VrrpPriority extends EventBase {
  kind: 'vrrp.priority';
  vrid: number;
  family: Family;
  router: string;
  from: number;
  to: number;
  /** The change was made while it did not advertise (a backup): seen at its next advert, somewhere since its previous one. */
  whileBackup: boolean;
  /**
   * What followed: `taken-over` (a backup it fell below took over, on its Master_Down_Interval from the last
   * advert at the old priority), `preempted` (the router, a backup whose priority rose, took over with this
   * advert), or null (nothing: no router of its cluster was between the two priorities, or none took over).
   */
  then: 'taken-over' | 'preempted' | null;
  /** The router that took over, its vrrp.master's id, and the time from this change's first advert to that takeover. */
  thenBy: string | null;
  thenEvent: string | null;
  thenMs: number | null;
}

/**
 * Adverts answered by ICMP destination unreachable (keepalived-semantics.md §3): code 2, protocol
 * unreachable, comes from a unicast peer whose host is up while nothing there takes VRRP (keepalived stopped
 * or not running): the sender is not at fault and stays master. One event per sender, destination and code,
 * updated to the end of the capture.
 */
export interface VrrpUnreachable extends EventBase {
  kind: 'vrrp.unreachable';
  vrid: number;
  family: Family;
  /** The advert's sender, and the address it was sent to. */
  router: string;
  peer: string;
  /** The host that answered (the peer itself, or a router on the way). */
  answeredBy: string;
  /** ICMP destination-unreachable code (2: protocol unreachable; 1: host; 3: port; 9, 10, 13: prohibited). */
  code: number;
  /** Adverts answered so far, and the time of the last answer (s). */
  count: number;
  end: number;
}

export type VrrpEvent = VrrpMaster | VrrpResign | VrrpSilent | VrrpSplitBrain | VrrpMismatch | VrrpInvalid | VrrpCollision | VrrpJitter
  | VrrpLoss | VrrpPeerUnresolved | VrrpCadence | VrrpPriority | VrrpUnreachable;

/** Per-frame notes on adverts. */
export type VrrpNote =
  | { note: 'vrrp.first'; router: string; vrid: number; priority: number }
  | { note: 'vrrp.advert'; router: string; vrid: number; priority: number; nth: number; gapMs: number }
  | { note: 'vrrp.late'; router: string; vrid: number; gapMs: number; intervalMs: number }
  | { note: 'vrrp.priority'; router: string; vrid: number; from: number; to: number }
  | { note: 'vrrp.superseded'; router: string; priority: number; by: string }
  | { note: 'vrrp.resign'; router: string; vrid: number; skewMs: number }
  | { note: 'vrrp.last'; router: string; vrid: number }
  | { note: 'vrrp.stepped-down'; router: string; by: string }
  | { note: 'vrrp.invalid'; problem: string }
  | { note: 'vrrp.contender-again'; router: string; vrid: number; master: string }
  | { note: 'vrrp.lost'; router: string; vrid: number; missing: number; gapMs: number }
  | { note: 'vrrp.peer-arp'; router: string; peer: string }
  | { note: 'vrrp.peer-resolved'; router: string; peer: string; gapMs: number }
  | { note: 'vrrp.still-master'; router: string; vrid: number; other: string }
  | { note: 'vrrp.unreachable'; router: string; peer: string; code: number };
