// What the LVS analyser finds: forwarding per real server, how a service spread its connections, pool
// changes, the sorry server, IPVS sync, connections across a takeover, and outages of a VIP. Facts
// only: the words are in src/present/say/lvs.ts.

import type { EventBase } from '../event-base.js';
import type { Checker } from '../checks/events.js';

export type Method = 'nat' | 'dr' | 'tun';

/**
 * Connections to a virtual service one director forwarded to a real server during one tenure as VRRP
 * master (one event per real server, director and tenure). `time` is the first connection's.
 */
export interface LvsForward extends EventBase {
  kind: 'lvs.forward';
  method: Method;
  /** The service, ip:port. */
  vip: string;
  realServer: string;
  /** The director whose MAC the connections went through (front side, or the forwarded copy's source), or null. */
  director: string | null;
  connections: number;
  /** True for the sorry server. */
  sorry: boolean;
  /** Id of the vrrp.master that began the director's tenure as master then; null when it was not master (or no VRRP seen). */
  tenure: string | null;
  /** The last connection's time. */
  end: number;
}

/** How a virtual service spread its connections. */
export interface LvsService extends EventBase {
  kind: 'lvs.service';
  vip: string;
  connections: number;
  scheduling: 'rr' | 'wrr' | 'single' | 'spread';
  /** Length of the repeating cycle of a weighted round robin (0 when none). */
  cycle: number;
  /** `{ server: connections }`, the sorry server aside. */
  realServers: Record<string, number>;
  /** `{ director: connections }`, the sorry server aside; connections of no known director are not in it. */
  directors: Record<string, number>;
}

/** A real server stops or starts receiving new connections. */
export interface LvsRealServer extends EventBase {
  kind: 'lvs.realserver';
  realServer: string;
  state: 'in' | 'out';
  service: string;
  /** What explains it: a health-check verdict (`hc`), the quorum (`quorum`), or nothing seen (`none`). */
  cause: 'hc' | 'quorum' | 'none';
  /** The checker and reason of the verdict, when cause is `hc`. */
  checker: Checker | null;
  reason: string | null;
  /** Id of the health-check verdict or sorry-server event that explains it, or null. */
  related: string | null;
}

/** New connections go to the sorry server. */
export interface LvsSorry extends EventBase {
  kind: 'lvs.sorry';
  vip: string;
  sorryServer: string;
  start: number;
  /** Null while still in use at the end of the capture. */
  end: number | null;
}

/** IPVS connection-sync traffic from one director. */
export interface LvsSync extends EventBase {
  kind: 'lvs.sync';
  sender: string;
  syncid: number;
  version: 0 | 1;
  messages: number;
  connections: number;
  /** Seconds from the first sync message to the last. */
  durationMs: number;
  matched: number;
  mismatched: number;
  unseen: number;
}

/** Connections open across a director takeover. */
export interface LvsFailoverConnections extends EventBase {
  kind: 'lvs.failover-connections';
  /** Id of the vrrp.master. */
  related: string;
  /** The router that took over, and the master before it. */
  router: string;
  previous: string | null;
  survived: number;
  reset: number;
  /** Of the reset connections, those no IPVS sync message seen in the capture carried before the takeover. */
  unsynced: number;
  /** IPVS connection sync was seen in the capture. */
  synced: boolean;
}

/** Clients' connections (or pings) to a VIP go unanswered or are reset, or ARP for the VIP goes unanswered. */
export interface SvcOutage extends EventBase {
  kind: 'svc.outage';
  vip: string;
  /** What failed: TCP connections, UDP datagrams, pings, or ARP for the VIP. */
  probe: 'tcp' | 'udp' | 'ping' | 'arp';
  start: number;
  /** The last failure seen. */
  end: number;
  /** Still failing at the end of the capture. */
  ongoing: boolean;
  durationMs: number;
  failedConnections: number;
  /** Id of the event that explains it, or null. */
  related: string | null;
}

/**
 * A real server the directors check answers (or announces) ARP for a VIP beside the director holding it:
 * LVS-DR real servers holding the VIP on their loopback without arp_ignore/arp_announce.
 */
export interface LvsVipArp extends EventBase {
  kind: 'lvs.vip-arp';
  vip: string;
  /** The real server's address and the MAC that claimed the VIP. */
  realServer: string;
  mac: string;
  /** The MAC of the director holding the VIP (its VRRP master's), or null. */
  holderMac: string | null;
  /** ARP packets from that MAC giving the VIP as their sender address (replies, or requests announcing it). */
  claims: number;
  /** Clients' new connections to the VIP sent to that MAC: straight to the real server, past the director. */
  bypassed: number;
  /** Connections to the VIP's services the capture shows a director forwarding. */
  forwarded: number;
}

export type LvsEvent = LvsForward | LvsService | LvsRealServer | LvsSorry | LvsSync | LvsFailoverConnections | LvsVipArp | SvcOutage;

export type LvsNote =
  /** A client's connection forwarded; `sorry` when it went to the sorry server. */
  | { note: 'lvs.forward'; method: Method | 'nat-udp'; client: string; service: string; server: string; sorry: boolean }
  | { note: 'lvs.sync'; sender: string; syncid: number; count: number; examples: string[] };
