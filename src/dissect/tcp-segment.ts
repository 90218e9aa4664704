// Nearly every frame of a busy capture is a plain TCP segment over Ethernet and IPv4, and what the
// analysis wants of most of them is a dozen numbers, not a decoded Packet (four objects a frame).
// peekTcpSegment reads those numbers straight from the bytes, and declines anything else, and
// anything in which decodePacket would find a problem (VLAN tags, fragments, truncation): such frames
// take the full decode. What an analyser wants beyond the numbers (an HTTP head, say) it gets from
// packet(), which decodes the frame then, once. Pure apart from that memo; never throws.

import type { Frame } from '../io/frame.js';
import { ipv4FromU32, macCached, u16, u32 } from './bytes.js';
import { applyHttpOverride, decodePacket, type HttpOverride, type Packet } from './packet.js';
import type { IPv4 } from './ipv4.js';
import type { IPv6 } from './ipv6.js';
import type { Tcp } from './tcp.js';

/** A TCP segment as the flow table and its listeners see it, read from the bytes or from a Packet. */
export interface SegmentView {
  readonly frame: Frame;
  readonly srcPort: number;
  readonly dstPort: number;
  /** The (innermost) IP addresses as text. */
  readonly srcIp: string;
  readonly dstIp: string;
  readonly flags: number;
  readonly seq: number;
  /** The TCP payload: frame.buf[payloadAt .. payloadEnd). */
  readonly payloadAt: number;
  readonly payloadEnd: number;
  /** The segment travels inside an IP-in-IP tunnel (LVS-TUN). */
  readonly tunnelled: boolean;
  /** The Ethernet addresses (the source: the cooked header's without Ethernet), or null. */
  readonly srcMac: string | null;
  readonly dstMac: string | null;
  /** The whole frame decoded (made on the first call for a segment read from the bytes). */
  packet(): Packet;
}

export class TcpSegment implements SegmentView {
  frame!: Frame;
  srcNum = 0;
  dstNum = 0;
  srcPort = 0;
  dstPort = 0;
  flags = 0;
  seq = 0;
  payloadAt = 0;
  payloadEnd = 0;
  readonly tunnelled = false;
  /** What the reassembler concluded for this frame (HeadReassembler.takeSegment): packet() says so too. */
  head: HttpOverride | null = null;
  private decoded: Packet | null = null;
  /** The frame number `decoded` was made for (a reader may hand the same frame object out again). */
  private decodedN = 0;

  get srcIp(): string { return ipv4FromU32(this.srcNum); }
  get dstIp(): string { return ipv4FromU32(this.dstNum); }

  get srcMac(): string {
    return macCached(this.frame.buf, this.frame.start + 6);
  }

  get dstMac(): string {
    return macCached(this.frame.buf, this.frame.start);
  }

  packet(): Packet {
    if (this.decoded && this.decoded.frame === this.frame && this.decodedN === this.frame.n) return this.decoded;
    const p = decodePacket(this.frame);
    if (this.head) applyHttpOverride(p, this.head);
    this.decodedN = this.frame.n;
    return (this.decoded = p);
  }
}

const ETH = 14;

/** Fills `s` and returns true when `f` is an Ethernet + IPv4 + TCP frame without problems. */
export function peekTcpSegment(f: Frame, s: TcpSegment): boolean {
  if (f.linkType !== 1 || f.noTimestamp) return false;
  const b = f.buf, o = f.start, caplen = f.caplen;
  // Ethernet II straight to IPv4 (no VLAN tag), room for two minimal headers.
  if (caplen < ETH + 40 || b[o + 12] !== 0x08 || b[o + 13] !== 0x00) return false;
  const ip = o + ETH;
  const vihl = b[ip];
  const ihl = (vihl & 0x0f) * 4;
  // Version 4, a sane header, TCP, neither a fragment nor the first of several (MF, offset).
  if (vihl >> 4 !== 4 || ihl < 20 || b[ip + 9] !== 6 || ((b[ip + 6] & 0x3f) | b[ip + 7]) !== 0) return false;
  // Whole in the capture, with room for a TCP header (a total length of 0, left by TSO, fails here).
  const total = u16(b, ip + 2);
  if (total < ihl + 20 || ETH + total > caplen) return false;
  const tcp = ip + ihl;
  const hl = (b[tcp + 12] >> 4) * 4;
  // The TCP header within the IP packet.
  if (hl < 20 || ihl + hl > total) return false;
  s.frame = f;
  s.srcNum = u32(b, ip + 12);
  s.dstNum = u32(b, ip + 16);
  s.srcPort = u16(b, tcp);
  s.dstPort = u16(b, tcp + 2);
  s.flags = ((b[tcp + 12] & 0x0f) << 8) | b[tcp + 13];
  s.seq = u32(b, tcp + 4);
  s.payloadAt = tcp + hl;
  s.payloadEnd = ip + total;
  s.head = null;
  return true;
}

/** A Packet's TCP segment as a SegmentView (the frames that took the full decode). */
export class PacketSegment implements SegmentView {
  constructor(private readonly pkt: Packet, private readonly tcp: Tcp, private readonly net: IPv4 | IPv6) {}
  get frame(): Frame { return this.pkt.frame; }
  get srcPort(): number { return this.tcp.srcPort; }
  get dstPort(): number { return this.tcp.dstPort; }
  get srcIp(): string { return this.net.src; }
  get dstIp(): string { return this.net.dst; }
  get srcMac(): string | null { return this.pkt.eth?.src ?? this.pkt.cooked?.src ?? null; }
  get flags(): number { return this.tcp.flags; }
  get seq(): number { return this.tcp.seq; }
  get payloadAt(): number { return this.tcp.payloadAt; }
  get payloadEnd(): number { return this.tcp.payloadEnd; }
  get tunnelled(): boolean { return this.pkt.inner !== null; }
  get dstMac(): string | null { return this.pkt.eth?.dst ?? null; }
  packet(): Packet { return this.pkt; }
}
