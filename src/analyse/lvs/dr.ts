// LVS-DR: the director re-sends the client's SYN, unchanged, to a real server's MAC on the same link;
// the real server holds the VIP on a loopback and answers the client itself.

import type { EngineContext } from '../engine.js';
import type { Flow } from '../tcp/flows.js';
import type { Network } from './network.js';
import type { Pool } from './pool.js';

export class DirectRouting {
  constructor(private readonly network: Network, private readonly pool: Pool) {}

  /**
   * A client's SYN to a VIP seen again (`flow.syns` > 1): to a MAC that is not the VIP holder's but a
   * known host's, within 0.5 s of the first, it is the director's copy (sent from `srcMac`, the director's).
   */
  resentSyn(flow: Flow, srcMac: string | null, dstMac: string | null, t: number, n: number, ctx: EngineContext): void {
    const { vipMacs, macToIp } = this.network;
    const holder = vipMacs.get(flow.serverIp);
    if (!dstMac || !holder || dstMac === holder || !macToIp.has(dstMac) || t - flow.synTime >= 0.5) return;
    this.pool.forward({
      method: 'dr', client: flow.clientIp, clientPort: flow.clientPort, service: { proto: 'tcp', vip: flow.serverIp, port: flow.serverPort },
      server: `${macToIp.get(dstMac)!}:${flow.serverPort}`, ...this.network.forwarder(flow.serverIp, [srcMac, holder], macToIp.get(holder) ?? null), time: t, frame: n,
    }, ctx);
  }
}
