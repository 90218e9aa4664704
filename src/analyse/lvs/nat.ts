// LVS-NAT over TCP: the director sends the client's SYN on to a real server with the destination
// rewritten: same client address, port and initial sequence number. Captures of two links need not be
// in time order (dumpcap writes each interface's blocks as they come), so either side may be seen
// first; each waits up to NAT_MATCH_WINDOW_S for the other.

import type { Analyzer, EngineContext } from '../engine.js';
import type { HealthChecks } from '../checks/analyser.js';
import type { Flow } from '../tcp/flows.js';
import { NumberTable } from '../number-table.js';
import type { Network } from './network.js';
import type { Pool } from './pool.js';
import { MAX_PENDING, type Service, type Services } from './services.js';

/** How far apart in time the two sides of one forwarded connection may be seen (seconds). */
export const NAT_MATCH_WINDOW_S = 3;

/** A client's SYN to a virtual service (the front side). */
interface FrontSyn { flow: Flow; time: number; frame: number; service: Service }
/** A SYN from a client to a host that is no VIP (maybe the back side of a forwarded connection). */
interface BackSyn { flow: Flow; time: number; frame: number }

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

  /** A client's SYN (initial sequence `seq`) to a virtual service. */
  front(flow: Flow, seq: number, service: Service, t: number, n: number, ctx: EngineContext): void {
    const key = synKey(flow.clientPort, seq);
    const back = this.backs.get(key);
    if (back && back.flow.clientIp === flow.clientIp && Math.abs(back.time - t) < NAT_MATCH_WINDOW_S) {
      this.backs.delete(key);
      this.matched(service, back.flow, back.time, back.frame, ctx);
    } else if (this.fronts.size < MAX_PENDING) { this.fronts.set(key, { flow, time: t, frame: n, service }); ctx.wakeAt(this.owner, this.lastExpiry + 1); }
  }

  /** A client's SYN to a host that is neither a VIP nor a director. */
  back(flow: Flow, seq: number, t: number, n: number, ctx: EngineContext): void {
    const key = synKey(flow.clientPort, seq);
    const front = this.fronts.get(key);
    if (front && front.flow.clientIp === flow.clientIp && Math.abs(t - front.time) < NAT_MATCH_WINDOW_S && front.flow !== flow) {
      this.fronts.delete(key);
      this.matched(front.service, flow, t, n, ctx);
    } else if (this.backs.size < MAX_PENDING) {
      this.backs.set(key, { flow, time: t, frame: n });
      ctx.wakeAt(this.owner, this.lastExpiry + 1);
    }
  }

  private matched(service: Service, back: Flow, t: number, n: number, ctx: EngineContext): void {
    const vip = service.vip;
    this.pool.forward({
      method: 'nat', client: back.clientIp, clientPort: back.clientPort, service,
      server: `${back.serverIp}:${back.serverPort}`, director: (vip && this.network.masters.get(vip)) ?? null, time: t, frame: n,
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
          server, director: null, time: b.time, frame: b.frame,
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
