// IPv4 (RFC 791).

import { ipv4FromU32, u16, u32 } from './bytes.js';
import type { Problem } from './types.js';
import { hex8, hex16, type Field } from './fields.js';
import { dissectIpHeader, dissectTunnelled, registerEtherType, registerIpProtocol, type TunnelSlot } from './registry.js';

export class IPv4 {
  problem: Problem | null = null;
  constructor(
    readonly bytes: Uint8Array,
    readonly at: number,
    readonly headerLength: number,
    readonly totalLength: number,
    readonly id: number,
    /** Flags and fragment offset (16 bits). */
    readonly fragField: number,
    readonly ttl: number,
    /** ip.proto */
    readonly proto: number,
    readonly srcNum: number,
    readonly dstNum: number,
    /** Offset of the payload and its end (clipped to the captured bytes). */
    readonly payloadAt: number,
    readonly payloadEnd: number,
  ) {}
  get src(): string { return ipv4FromU32(this.srcNum); }
  get dst(): string { return ipv4FromU32(this.dstNum); }
  get moreFragments(): boolean { return (this.fragField & 0x2000) !== 0; }
  get dontFragment(): boolean { return (this.fragField & 0x4000) !== 0; }
  /** Fragment offset in bytes. */
  get fragmentOffset(): number { return (this.fragField & 0x1fff) * 8; }
  /** A fragment other than the first: no transport header in it. */
  get isLaterFragment(): boolean { return (this.fragField & 0x1fff) !== 0; }
  get isMulticast(): boolean { return this.dstNum >>> 28 === 0xe; }
}

export function decodeIPv4(b: Uint8Array, o: number, end: number): IPv4 | null {
  if (end - o < 20) return null;
  const ihl = (b[o] & 0x0f) * 4;
  let total = u16(b, o + 2);
  let problem: Problem | null = null;
  if (b[o] >> 4 !== 4) problem = { layer: 'ip', message: `IP version ${b[o] >> 4} in an IPv4 header` };
  else if (ihl < 20) problem = { layer: 'ip', message: `IPv4 header length ${ihl} bytes is less than the minimum of 20` };
  if (total === 0) total = end - o; // TCP segmentation offload on the capturing host leaves 0 here
  else if (total < ihl && !problem) problem = { layer: 'ip', message: `IPv4 total length ${total} is less than its header length ${ihl}` };
  const hl = Math.max(20, Math.min(ihl, end - o));
  const payloadEnd = Math.min(o + Math.max(total, hl), end);
  const ip = new IPv4(b, o, ihl, total, u16(b, o + 4), u16(b, o + 6), b[o + 8], b[o + 9], u32(b, o + 12), u32(b, o + 16), o + hl, payloadEnd);
  if (problem) ip.problem = problem;
  else if (o + total > end) ip.problem = { layer: 'ip', message: `IPv4 packet truncated: ${end - o} of ${total} bytes captured` };
  return ip;
}

/** The packet view as the IPv4 dissectors fill it: the frame's header, or the inner one of a tunnel. */
export interface IPv4Slot extends TunnelSlot { ip: IPv4 | null }

registerEtherType([0x0800], 'ip', {
  dissect(pkt: IPv4Slot, b, at, end, depth, streams) {
    const ip = decodeIPv4(b, at, end);
    if (!ip) { pkt.addProblem({ layer: 'ip', message: `IPv4 header truncated (${end - at} bytes)` }); return; }
    pkt.ip = ip;
    // A header length under 20 leaves no header to read the rest of the packet from.
    if (ip.problem && ip.headerLength < 20) { pkt.addProblem(ip.problem); return; }
    dissectIpHeader(pkt, ip, ip.proto, b, ip.moreFragments, depth, streams);
  },
});

// IP in IP (LVS-TUN): one level is all LVS makes.
registerIpProtocol([4], 'ip', {
  dissect(pkt: IPv4Slot, b, at, end, _ip, depth, streams) {
    const inner = depth === 0 ? decodeIPv4(b, at, end) : null;
    if (inner) dissectTunnelled(pkt, inner, inner.proto, b, depth, streams);
  },
});

/**
 * Wireshark's fields of an IPv4 header (read from the header's bytes, as sent). Not ip.version: Wireshark
 * puts a hidden ip.version in IPv6 headers too, so the name would not say which header it is.
 */
export const ipv4Fields: readonly Field<IPv4>[] = [
  { name: 'ip.hdr_len', value: (ip) => ip.headerLength },
  { name: 'ip.len', value: (ip) => u16(ip.bytes, ip.at + 2) },
  { name: 'ip.id', value: (ip) => hex16(ip.id) },
  { name: 'ip.flags', value: (ip) => hex8(ip.fragField >> 13) },
  { name: 'ip.frag_offset', value: (ip) => ip.fragmentOffset },
  { name: 'ip.ttl', value: (ip) => ip.ttl },
  { name: 'ip.proto', value: (ip) => ip.proto },
  { name: 'ip.src', value: (ip) => ip.src },
  { name: 'ip.dst', value: (ip) => ip.dst },
];
