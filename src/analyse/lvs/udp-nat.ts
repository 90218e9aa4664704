// LVS-NAT over UDP: the director sends the client's datagram on to a real server with the destination
// rewritten: same client address and port, same payload. Each (client, port) is one IPVS connection;
// its first datagram is what the scheduler placed. Either side may be captured first.

import type { Packet } from '../../dissect/packet.js';
import type { IPv4 } from '../../dissect/ipv4.js';
import type { IPv6 } from '../../dissect/ipv6.js';
import type { Udp } from '../../dissect/udp.js';
import type { EngineContext } from '../engine.js';
import { NAT_MATCH_WINDOW_S } from './nat.js';
import type { Network } from './network.js';
import type { Pool } from './pool.js';
import { MAX_PENDING } from './services.js';

/** A client's datagram, to the VIP (front side) or to a real server (back side), waiting for the other side. */
interface Datagram { client: string; mac: string | null; dstMac: string | null; cport: number; to: string; port: number; length: number; time: number; frame: number }

/** A UDP datagram's client port and first four payload bytes (a DNS query's id and flags) as one exact number. */
function datagramKey(u: Udp, b: Uint8Array): number {
  const at = u.payloadAt, len = u.payloadEnd - at;
  let head = 0;
  for (let i = 0; i < 4; i++) head = head * 256 + (i < len ? b[at + i] : 0);
  return head * 65536 + u.srcPort;
}

export class UdpNat {
  /** Clients' datagrams to a virtual service, and datagrams from clients to other hosts, by datagramKey. */
  private readonly fronts = new Map<number, Datagram>();
  private readonly backs = new Map<number, Datagram>();

  constructor(private readonly network: Network, private readonly pool: Pool) {}

  /** A datagram from a client: to the VIP (`toVip`, the front side) or to another host (maybe the back side). */
  datagram(u: Udp, ip: IPv4 | IPv6, pkt: Packet, toVip: boolean, t: number, ctx: EngineContext): void {
    const key = datagramKey(u, pkt.frame.buf);
    const me: Datagram = { client: ip.src, mac: pkt.eth?.src ?? null, dstMac: pkt.eth?.dst ?? null, cport: u.srcPort, to: ip.dst, port: u.dstPort, length: u.payloadEnd - u.payloadAt, time: t, frame: pkt.frame.n };
    const [mine, others] = toVip ? [this.fronts, this.backs] : [this.backs, this.fronts];
    const other = others.get(key);
    if (other && other.client === me.client && other.port === me.port && other.length === me.length && Math.abs(other.time - t) < NAT_MATCH_WINDOW_S) {
      others.delete(key);
      const [front, back] = toVip ? [me, other] : [other, me];
      this.matched(front, back, ctx);
      return;
    }
    this.expire(t);
    if (mine.size < MAX_PENDING) mine.set(key, me);
  }

  /** A matched pair: a new IPVS connection when the client's (address, port) was not forwarded before. */
  private matched(front: Datagram, back: Datagram, ctx: EngineContext): void {
    const { client, cport, to: vip, port } = front;
    const seen = this.pool.forwarded.get(client, cport);
    if (seen && seen.service === `${vip}:${port}/udp`) return; // a later datagram of the same connection
    this.network.client(client, front.mac, ctx);
    this.pool.forward({
      method: 'nat', client, clientPort: cport, service: { proto: 'udp', vip, port },
      server: `${back.to}:${port}`, ...this.network.forwarder(vip, [front.dstMac, back.mac]), time: back.time, frame: back.frame,
    }, ctx);
  }

  private expire(t: number): void {
    // Insertion order is time order: the old ones are at the front.
    for (const [k, f] of this.fronts) { if (t - f.time <= NAT_MATCH_WINDOW_S) break; this.fronts.delete(k); }
    for (const [k, b] of this.backs) { if (t - b.time <= NAT_MATCH_WINDOW_S) break; this.backs.delete(k); }
  }
}
