// UDP (RFC 768) header.

import { u16 } from './bytes.js';
import type { Problem } from './types.js';
import type { Field } from './fields.js';
import { dissectUdpPayload, registerIpProtocol, type PacketBase } from './registry.js';

export class Udp {
  problem: Problem | null = null;
  constructor(
    readonly srcPort: number,
    readonly dstPort: number,
    readonly length: number,
    readonly payloadAt: number,
    readonly payloadEnd: number,
  ) {}
}

export function decodeUdp(b: Uint8Array, o: number, end: number): Udp | null {
  if (end - o < 8) return null;
  const len = u16(b, o + 4);
  const u = new Udp(u16(b, o), u16(b, o + 2), len, o + 8, Math.min(end, len >= 8 ? o + len : end));
  if (len < 8) u.problem = { layer: 'udp', message: `UDP length ${len} is less than the header's 8 bytes` };
  else if (o + len > end) u.problem = { layer: 'udp', message: `UDP datagram truncated: ${end - o} of ${len} bytes` };
  return u;
}

/** The packet view as the UDP dissector fills it. */
export interface UdpSlot extends PacketBase { udp: Udp | null }

registerIpProtocol([17], 'udp', {
  dissect(pkt: UdpSlot, b, at, end) {
    const udp = decodeUdp(b, at, end);
    if (!udp) { pkt.addProblem({ layer: 'udp', message: `UDP header truncated (${end - at} bytes)` }); return; }
    pkt.udp = udp;
    pkt.addProblem(udp.problem);
    if (udp.payloadEnd > udp.payloadAt) dissectUdpPayload(pkt, b, udp.payloadAt, udp.payloadEnd, udp.srcPort, udp.dstPort);
  },
});

/** Wireshark's fields of a UDP header. */
export const udpFields: readonly Field<Udp>[] = [
  { name: 'udp.srcport', value: (u) => u.srcPort },
  { name: 'udp.dstport', value: (u) => u.dstPort },
  { name: 'udp.length', value: (u) => u.length },
];
