// Clients pinging a VIP, and their UDP requests to a virtual service (DNS through LVS…): an echo
// request or a datagram with no answer from the VIP within 2 s is a failed attempt (outage.ts).

import type { IPv4 } from '../../dissect/ipv4.js';
import type { IPv6 } from '../../dissect/ipv6.js';
import type { Udp } from '../../dissect/udp.js';
import type { Echo } from '../../dissect/types.js';
import type { EngineContext } from '../engine.js';
import type { Network } from './network.js';
import type { Outages } from './outage.js';
import { MAX_PENDING, type ServiceKey, type Services } from './services.js';

interface Request { time: number; frame: number; service: ServiceKey }

export class Requests {
  /** By client, VIP and echo id/sequence or ports; insertion order is time order. */
  private readonly pending = new Map<string, Request>();

  constructor(private readonly network: Network, private readonly services: Services, private readonly outages: Outages) {}

  /** Only an echo whose identifier was captured can be matched with its reply. */
  echo({ request, id, seq }: Echo, ip: IPv4 | IPv6, n: number, t: number, ctx: EngineContext): void {
    const vips = this.network.vips;
    if (request && vips.has(ip.dst) && !this.network.isDirector(ip.src)) {
      if (this.pending.size < MAX_PENDING) this.pending.set(`${ip.src}|${ip.dst}|${id}|${seq}`, { time: t, frame: n, service: { proto: 'ping', vip: ip.dst, port: 0 } });
    } else if (!request && vips.has(ip.src)) {
      this.answer(`${ip.dst}|${ip.src}|${id}|${seq}`, ctx);
    }
    for (const [k, p] of this.pending) {
      if (t - p.time <= 2) break;
      this.pending.delete(k);
      this.outcome(p, false, ctx);
    }
  }

  /** A client's datagram to a VIP. */
  udpRequest(u: Udp, ip: IPv4 | IPv6, n: number, t: number): void {
    if (this.pending.size < MAX_PENDING) this.pending.set(`udp|${ip.src}|${u.srcPort}|${ip.dst}|${u.dstPort}`, { time: t, frame: n, service: { proto: 'udp', vip: ip.dst, port: u.dstPort } });
  }

  /** A datagram from a VIP to a client. */
  udpAnswer(u: Udp, ip: IPv4 | IPv6, ctx: EngineContext): void {
    this.answer(`udp|${ip.dst}|${u.dstPort}|${ip.src}|${u.srcPort}`, ctx);
  }

  private answer(key: string, ctx: EngineContext): void {
    const p = this.pending.get(key);
    if (p) { this.pending.delete(key); this.outcome(p, true, ctx); }
  }

  private outcome(p: Request, ok: boolean, ctx: EngineContext): void {
    const svc = this.services.get(p.service);
    if (svc) this.outages.attempt(svc, { time: p.time, frame: p.frame, ok, end: p.time }, p.time, ctx);
  }

  /** End of capture: what is still unanswered failed. */
  finish(ctx: EngineContext): void {
    for (const p of this.pending.values()) this.outcome(p, false, ctx);
    this.pending.clear();
  }
}
