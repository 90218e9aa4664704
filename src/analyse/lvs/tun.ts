// LVS-TUN: the director sends the client's SYN to the real server inside IP-in-IP (outer: director →
// real server; inner: client → VIP, unchanged).

import type { Packet } from '../../dissect/packet.js';
import { isOpeningSyn } from '../../dissect/tcp.js';
import type { EngineContext } from '../engine.js';
import type { Network } from './network.js';
import type { Pool } from './pool.js';

export class Tunnelling {
  /** Tunnelled SYNs already counted (client, port, sequence), bounded. */
  private readonly seen = new Set<string>();

  constructor(private readonly network: Network, private readonly pool: Pool) {}

  packet(pkt: Packet, t: number, ctx: EngineContext): void {
    const inner = pkt.inner, tcp = pkt.tcp, outer = pkt.ip;
    if (!inner || !tcp || !isOpeningSyn(tcp.flags) || !outer) return;
    // One tunnelled SYN crosses two links (director → router → real server): count it once.
    const key = `${inner.src}|${tcp.srcPort}|${tcp.seq}`;
    if (this.seen.has(key)) return;
    if (this.seen.size >= 4096) this.seen.clear();
    this.seen.add(key);
    this.network.tunnel(outer.src, inner.dst);
    this.pool.forward({
      method: 'tun', client: inner.src, clientPort: tcp.srcPort, service: { proto: 'tcp', vip: inner.dst, port: tcp.dstPort },
      server: `${outer.dst}:${tcp.dstPort}`, ...this.network.forwarder(inner.dst, [pkt.eth?.src ?? null], outer.src), time: t, frame: pkt.frame.n,
    }, ctx);
  }
}
