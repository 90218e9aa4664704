// ICMPv6 (RFC 4443) and Neighbour Discovery (RFC 4861). keepalived announces an IPv6 VIP with an
// unsolicited Neighbour Advertisement to ff02::1, Override flag set (vrrp_ndisc.c).

import { ipv6String, macString, u16 } from './bytes.js';
import type { Echo, Problem } from './types.js';
import { hex16, type Field } from './fields.js';
import { EtherType } from './ethernet.js';
import { dissectQuoted, registerIpProtocol, type PacketBase } from './registry.js';

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation', 136: 'Neighbor Advertisement',
  137: 'Redirect', 143: 'Multicast Listener Report Message v2',
};

export class Icmpv6 {
  /** NA flags: Router, Solicited, Override. */
  router = false;
  solicited = false;
  override = false;
  /** NS/NA target address offset, or -1. */
  targetAt = -1;
  /** Link-layer address option (source for NS/RS/RA, target for NA) offset and length, or -1. */
  linkAddrAt = -1;
  linkAddrLen = 0;
  /** Echo request/reply with its identifier and sequence number; null for other types and cut echoes. */
  echo: Echo | null = null;
  problem: Problem | null = null;
  constructor(readonly bytes: Uint8Array, readonly type: number, readonly code: number) {}
  get typeName(): string { return TYPES[this.type] ?? `ICMPv6 type ${this.type}`; }
  get target(): string | null { return this.targetAt >= 0 ? ipv6String(this.bytes, this.targetAt) : null; }
  get linkAddr(): string | null { return this.linkAddrAt >= 0 ? macString(this.bytes, this.linkAddrAt, this.linkAddrLen) : null; }
}

export function decodeIcmpv6(b: Uint8Array, o: number, end: number): Icmpv6 | null {
  if (end - o < 4) return null;
  const m = new Icmpv6(b, b[o], b[o + 1]);
  if (m.type === 128 || m.type === 129) {
    const request = m.type === 128;
    if (end - o >= 8) m.echo = { request, id: u16(b, o + 4), seq: u16(b, o + 6) };
    else m.problem = { layer: 'icmpv6', message: `ICMPv6 echo ${request ? 'request' : 'reply'} truncated: ${end - o} of 8 bytes` };
  }
  if ((m.type === 135 || m.type === 136) && end - o >= 24) {
    if (m.type === 136) {
      m.router = (b[o + 4] & 0x80) !== 0;
      m.solicited = (b[o + 4] & 0x40) !== 0;
      m.override = (b[o + 4] & 0x20) !== 0;
    }
    m.targetAt = o + 8;
    // Options: type, length in 8-byte units; 1 = source, 2 = target link-layer address.
    let p = o + 24;
    for (let i = 0; i < 32 && p + 2 <= end; i++) {
      const len = b[p + 1] * 8;
      if (len === 0 || p + len > end) break;
      if ((b[p] === 1 || b[p] === 2) && len >= 8) { m.linkAddrAt = p + 2; m.linkAddrLen = Math.min(6, len - 2); }
      p += len;
    }
  }
  return m;
}

/** The packet view as the ICMPv6 dissector fills it (`quoted`: the packet an error quotes). */
export interface Icmpv6Slot extends PacketBase { icmpv6: Icmpv6 | null; quoted: PacketBase | null }

registerIpProtocol([58], 'icmpv6', {
  dissect(pkt: Icmpv6Slot, b, at, end, _ip, depth) {
    const m = (pkt.icmpv6 = decodeIcmpv6(b, at, end));
    pkt.addProblem(m ? m.problem : { layer: 'icmpv6', message: `ICMPv6 header truncated (${end - at} bytes)` });
    // Error messages (types 1-4) quote the offending packet after 8 bytes.
    if (m && m.type < 128 && end - at >= 48 && depth === 0) pkt.quoted = dissectQuoted(pkt, EtherType.IPV6, b, at + 8, end);
  },
});

/** Wireshark's fields of an ICMPv6 message (echo, neighbour solicitation and advertisement). */
export const icmpv6Fields: readonly Field<Icmpv6>[] = [
  { name: 'icmpv6.type', value: (m) => m.type },
  { name: 'icmpv6.code', value: (m) => m.code },
  { name: 'icmpv6.echo.identifier', value: (m) => (m.echo ? hex16(m.echo.id) : null) },
  { name: 'icmpv6.echo.sequence_number', value: (m) => m.echo?.seq },
  { name: 'icmpv6.nd.na.flag.r', value: (m) => (m.type === 136 ? m.router : null) },
  { name: 'icmpv6.nd.na.flag.s', value: (m) => (m.type === 136 ? m.solicited : null) },
  { name: 'icmpv6.nd.na.flag.o', value: (m) => (m.type === 136 ? m.override : null) },
  { name: 'icmpv6.nd.ns.target_address', value: (m) => (m.type === 135 ? m.target : null) },
  { name: 'icmpv6.nd.na.target_address', value: (m) => (m.type === 136 ? m.target : null) },
  { name: 'icmpv6.opt.linkaddr', value: (m) => m.linkAddr },
];
