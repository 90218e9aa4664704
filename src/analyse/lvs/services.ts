// The virtual services clients address and the real servers each one forwarded connections to: the
// records the other LVS modules read and update (pool, sorry server, outages), bounded.

import type { LvsSorry, Method } from './events.js';

const MAX_SERVICES = 256;
/** Frames kept as proof per real server, outage, sync sender, VIP claim. */
export const MAX_FRAMES = 40;
/** SYNs, datagrams, pings and requests waiting for their other side or answer, at most per table. */
export const MAX_PENDING = 20_000;

/** A virtual service as clients address it: TCP or UDP to VIP:port, or ICMP echo to the VIP (port 0). */
export interface ServiceKey { proto: 'tcp' | 'udp' | 'ping'; vip: string | null; port: number }

export interface RealServer {
  /** ip:port. */
  id: string;
  /** The virtual service's id. */
  service: string;
  connections: number;
  /** The service's connection count when this server last got one (the pool reads rounds from it). */
  lastIndex: number;
  state: 'in' | 'out';
  frames: number[];
  method: Method;
  sorry: boolean;
  firstTime: number;
  /** Its connections by the director that forwarded them and that director's tenure as master, in order; at most MAX_PERIODS. */
  periods: ForwardPeriod[];
}

/** Forwarding periods kept per real server (a takeover every few seconds for hours would grow them without end). */
export const MAX_PERIODS = 64;

/**
 * The connections one director forwarded to one real server during one tenure as master (`tenure`:
 * the id of the vrrp.master that began it; null when that director was not master).
 */
export interface ForwardPeriod {
  director: string | null;
  tenure: string | null;
  connections: number;
  first: number;
  last: number;
  frames: number[];
}

/** The sorry server taking the service's new connections from `start` until `end` (null: still). */
export interface SorryWindow { server: string; start: number; startFrame: number; end: number | null; event: LvsSorry | null }

/** A client's attempt (connection, ping, request) and its outcome. */
export interface Attempt { time: number; frame: number; ok: boolean; end: number }

export interface Service extends ServiceKey {
  id: string;
  connections: number;
  servers: Map<string, RealServer>;
  /** The same servers as a list (walked on every forwarded connection). */
  serverList: RealServer[];
  /** Sequence of real servers chosen, bounded, for the scheduling read-out. */
  choices: string[];
  sorry: SorryWindow | null;
  /** Clients' attempts whose outcomes are not read yet, and the open run of failures (outage.ts). */
  attempts: Attempt[];
  lastRead: number;
  failures: { start: number; frames: number[]; count: number; last: number } | null;
}

export class Services {
  private readonly byId = new Map<string, Service>();
  private last: Service | null = null;

  /** The service clients address (a vip of null: only the real-server side of its connections was seen); null when the table is full. */
  get({ proto, vip, port }: ServiceKey): Service | null {
    const last = this.last;
    if (last && last.proto === proto && last.vip === vip && last.port === port) return last;
    const id = proto === 'ping' ? `${vip} (ping)` : proto === 'udp' ? `${vip ?? '?'}:${port}/udp` : `${vip ?? '?'}:${port}`;
    let s = this.byId.get(id);
    if (!s) {
      if (this.byId.size >= MAX_SERVICES) return null;
      s = { id, proto, vip, port, connections: 0, servers: new Map(), serverList: [], choices: [], sorry: null, attempts: [], lastRead: 0, failures: null };
      this.byId.set(id, s);
    }
    this.last = s;
    return s;
  }

  /** A service already seen, by id. */
  byName(id: string): Service | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<Service> {
    return this.byId.values();
  }
}
