// LVS-NAT over TCP: the director sends the client's SYN on to a real server with the destination
// rewritten: same client address, port and initial sequence number. Captures of two links need not be
// in time order (dumpcap writes each interface's blocks as they come), so either side may be seen
// first; each waits up to NAT_MATCH_WINDOW_S for the other.

import type { Analyzer, EngineContext } from '../engine.js';
import type { HealthChecks } from '../checks/analyser.js';
import type { Flow } from '../tcp/flows.js';
import { NumberTable } from '../number-table.js';
import type { Forwarder, Network } from './network.js';
import type { Pool } from './pool.js';
import { MAX_PENDING, type Service, type Services } from './services.js';

/** How far apart in time the two sides of one forwarded connection may be seen (seconds). */
export const NAT_MATCH_WINDOW_S = 3;

/** A client's SYN to a virtual service (the front side), sent to `mac` (the director's). */
interface FrontSyn { flow: Flow; time: number; frame: number; service: Service; mac: string | null }
/**
 * A SYN from a client to a host that is no VIP (maybe the back side of a forwarded connection), with the
 * director its source MAC names and that director's tenure then (it may be over when the SYN expires).
 */
interface BackSyn { flow: Flow; time: number; frame: number; by: Forwarder }

/**
 * A SYN's (client port, initial sequence number) as one exact number: what ties a client's connection to
 * the director's forwarded copy of it (the client address is compared on a match).
 */
function synKey(port: number, seq: number): number {
  return seq * 65536 + port;
}

export class Nat {
  private readonly fronts = new NumberTable<FrontSyn>();
  private readonly backs = new NumberTable<BackSyn>();
  private lastExpiry = 0;

  /** `owner`: the analyser the engine wakes to expire waiting SYNs. */
  constructor(private readonly owner: Analyzer, private readonly network: Network, private readonly services: Services,
    private readonly pool: Pool, private readonly checks: HealthChecks) {}

  /** A client's SYN (initial sequence `seq`) to a virtual service, sent to MAC `mac`. */
  front(flow: Flow, seq: number, service: Service, mac: string | null, t: number, n: number, ctx: EngineContext): void {
    const key = synKey(flow.clientPort, seq);
    const back = this.backs.get(key);
    if (back && back.flow.clientIp === flow.clientIp && Math.abs(back.time - t) < NAT_MATCH_WINDOW_S) {
      this.backs.delete(key);
      this.matched(service, mac, back.flow, back.time, back.frame, ctx);
    } else if (this.fronts.size < MAX_PENDING) { this.fronts.set(key, { flow, time: t, frame: n, service, mac }); ctx.wakeAt(this.owner, this.lastExpiry + 1); }
  }

  /**
   * A client's SYN to a virtual service sent again, to MAC `mac`: the director that forwards it is the one
   * it reached last (after a takeover the first SYN may have gone to the old master, dead, and the
   * retransmission to the new one).
   */
  resent(flow: Flow, seq: number, mac: string | null): void {
    const front = this.fronts.get(synKey(flow.clientPort, seq));
    if (front && front.flow === flow) front.mac = mac;
  }

  /** A client's SYN to a host that is neither a VIP nor a director. */
  back(flow: Flow, seq: number, t: number, n: number, ctx: EngineContext): void {
    const key = synKey(flow.clientPort, seq);
    const front = this.fronts.get(key);
    if (front && front.flow.clientIp === flow.clientIp && Math.abs(t - front.time) < NAT_MATCH_WINDOW_S && front.flow !== flow) {
      this.fronts.delete(key);
      this.matched(front.service, front.mac, flow, t, n, ctx);
    } else if (this.backs.size < MAX_PENDING) {
      this.backs.set(key, { flow, time: t, frame: n, by: this.network.forwarder(null, [flow.clientMac]) });
      ctx.wakeAt(this.owner, this.lastExpiry + 1);
    }
  }

  /** `frontMac`: where the client sent its SYN; the back side's copy came from `back.clientMac`. */
  private matched(service: Service, frontMac: string | null, back: Flow, t: number, n: number, ctx: EngineContext): void {
    this.pool.forward({
      method: 'nat', client: back.clientIp, clientPort: back.clientPort, service,
      server: `${back.serverIp}:${back.serverPort}`, ...this.network.forwarder(service.vip, [frontMac, back.clientMac]), time: t, frame: n,
    }, ctx);
  }

  /** Once a second of capture time while SYNs wait for their other side. */
  expireDue(now: number, ctx: EngineContext): void {
    if (!this.backs.size && !this.fronts.size) return;
    if (now - this.lastExpiry > 1) { this.lastExpiry = now; this.expire(now, ctx); }
    if (this.backs.size || this.fronts.size) ctx.wakeAt(this.owner, this.lastExpiry + 1);
  }

  finish(ctx: EngineContext): void {
    this.expire(Infinity, ctx);
  }

  /** Back-side connections no front-side SYN matched: only the real-server side is in the capture. */
  private expire(now: number, ctx: EngineContext): void {
    for (const k of this.fronts.keysWhere((f) => now - f.time > NAT_MATCH_WINDOW_S)) this.fronts.delete(k);
    // In the order the SYNs came.
    const expired = this.backs.keysWhere((b) => now - b.time > NAT_MATCH_WINDOW_S).map((k) => ({ k, b: this.backs.get(k)! }));
    expired.sort((x, y) => x.b.frame - y.b.frame);
    for (const { k, b } of expired) {
      this.backs.delete(k);
      const flow = b.flow;
      const server = `${flow.serverIp}:${flow.serverPort}`;
      // Known as a director by now (its first probes came before anything showed it was one)?
      if (this.network.isDirector(flow.clientIp) || this.checks.isProbe(flow)) continue;
      if (this.checks.seriesOf(server).length || this.maybeSorryServer(flow)) {
        this.pool.forward({
          method: 'nat', client: flow.clientIp, clientPort: flow.clientPort, service: { proto: 'tcp', vip: null, port: flow.serverPort },
          server, ...b.by, time: b.time, frame: b.frame,
        }, ctx);
      }
    }
  }

  /** A back-side connection from a client to a host nobody checks, while checked servers exist for that port. */
  private maybeSorryServer(flow: Flow): boolean {
    const svc = this.services.byName(`?:${flow.serverPort}`);
    return !!svc && svc.servers.size > 0 && !this.network.isDirector(flow.serverIp);
  }
}
