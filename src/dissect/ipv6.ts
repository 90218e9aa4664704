// IPv6 (RFC 8200) with its extension-header chain.

import { ipv6String, u16 } from './bytes.js';
import type { Problem } from './types.js';
import type { Field } from './fields.js';
import { dissectIpHeader, dissectTunnelled, registerEtherType, registerIpProtocol, type TunnelSlot } from './registry.js';

const HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, ESP = 50, AH = 51, NO_NEXT = 59, DEST_OPTS = 60, MOBILITY = 135;

export class IPv6 {
  problem: Problem | null = null;
  /** Upper-layer protocol after the extension headers (ipv6.nxt of the last header). */
  upperProto = -1;
  /** Set when a Fragment header with a non-zero offset hides the upper-layer header. */
  isLaterFragment = false;
  /** Set when a Fragment header says more fragments follow (ipv6.fragment.more): the datagram goes on in them. */
  moreFragments = false;
  constructor(
    readonly bytes: Uint8Array,
    readonly at: number,
    readonly payloadLength: number,
    /** ipv6.nxt of the fixed header. */
    readonly next: number,
    readonly hopLimit: number,
    public payloadAt: number,
    readonly payloadEnd: number,
  ) {}
  get src(): string { return ipv6String(this.bytes, this.at + 8); }
  get dst(): string { return ipv6String(this.bytes, this.at + 24); }
  get srcAt(): number { return this.at + 8; }
  get dstAt(): number { return this.at + 24; }
  get isMulticast(): boolean { return this.bytes[this.at + 24] === 0xff; }
  get srcIsLinkLocal(): boolean { return this.bytes[this.at + 8] === 0xfe && (this.bytes[this.at + 9] & 0xc0) === 0x80; }
}

export function decodeIPv6(b: Uint8Array, o: number, end: number): IPv6 | null {
  if (end - o < 40) return null;
  const plen = u16(b, o + 4);
  const payloadEnd = plen === 0 ? end : Math.min(o + 40 + plen, end);
  const ip = new IPv6(b, o, plen, b[o + 6], b[o + 7], o + 40, payloadEnd);
  if (b[o] >> 4 !== 6) ip.problem = { layer: 'ipv6', message: `IP version ${b[o] >> 4} in an IPv6 header` };
  else if (plen !== 0 && o + 40 + plen > end) ip.problem = { layer: 'ipv6', message: `IPv6 packet truncated: ${end - o - 40} of ${plen} payload bytes captured` };
  let nh = ip.next, p = o + 40;
  for (let i = 0; i < 16; i++) {
    if (nh === HOP_BY_HOP || nh === ROUTING || nh === DEST_OPTS || nh === MOBILITY || nh === FRAGMENT || nh === AH) {
      if (payloadEnd - p < 8) {
        ip.problem ??= { layer: 'ipv6', message: `IPv6 extension header ${nh} truncated` };
        nh = NO_NEXT;
        break;
      }
      const len = nh === FRAGMENT ? 8 : nh === AH ? (b[p + 1] + 2) * 4 : (b[p + 1] + 1) * 8;
      if (nh === FRAGMENT && (u16(b, p + 2) & 0xfff8) !== 0) ip.isLaterFragment = true;
      if (nh === FRAGMENT && (u16(b, p + 2) & 1) !== 0) ip.moreFragments = true;
      nh = b[p];
      p += len;
      if (p > payloadEnd) {
        ip.problem ??= { layer: 'ipv6', message: 'IPv6 extension header runs past the end of the packet' };
        nh = NO_NEXT;
        p = payloadEnd;
        break;
      }
      continue;
    }
    break;
  }
  if (nh === ESP) ip.isLaterFragment = false;
  ip.upperProto = nh;
  ip.payloadAt = p;
  return ip;
}

/** The packet view as the IPv6 dissectors fill it: the frame's header, or the inner one of a tunnel. */
export interface IPv6Slot extends TunnelSlot { ipv6: IPv6 | null }

registerEtherType([0x86dd], 'ipv6', {
  dissect(pkt: IPv6Slot, b, at, end, depth, streams) {
    const ip = decodeIPv6(b, at, end);
    if (!ip) { pkt.addProblem({ layer: 'ipv6', message: `IPv6 header truncated (${end - at} bytes)` }); return; }
    pkt.ipv6 = ip;
    dissectIpHeader(pkt, ip, ip.upperProto, b, ip.moreFragments, depth, streams);
  },
});

// IPv6 in IP (LVS-TUN with IPv6 real servers), as IPv4 in IP (ipv4.ts).
registerIpProtocol([41], 'ipv6', {
  dissect(pkt: IPv6Slot, b, at, end, _ip, depth, streams) {
    const inner = depth === 0 ? decodeIPv6(b, at, end) : null;
    if (inner) dissectTunnelled(pkt, inner, inner.upperProto, b, depth, streams);
  },
});

/** Wireshark's fields of an IPv6 header (ipv6.nxt: the fixed header's). */
export const ipv6Fields: readonly Field<IPv6>[] = [
  { name: 'ipv6.version', value: (ip) => ip.bytes[ip.at] >> 4 },
  { name: 'ipv6.plen', value: (ip) => ip.payloadLength },
  { name: 'ipv6.nxt', value: (ip) => ip.next },
  { name: 'ipv6.hlim', value: (ip) => ip.hopLimit },
  { name: 'ipv6.src', value: (ip) => ip.src },
  { name: 'ipv6.dst', value: (ip) => ip.dst },
];
