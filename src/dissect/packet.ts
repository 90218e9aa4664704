// One frame decoded through every layer we know: one packet view (Packet) that the protocol modules'
// dissectors fill in, each registered at load time in the dispatch tables of dissect/registry.ts (link
// type, EtherType, IP protocol, UDP and TCP ports, heuristics). decodePacket starts the walk at the
// frame's link type; a number nobody registered ends it. Pure apart from the optional head reassembler
// (stateful, bounded), which lets an HTTP head split over several TCP segments be decoded on the
// segment that completes it, as tshark does.

import type { Frame } from '../io/frame.js';
// Every protocol module registers its dissectors as it loads: importing them here fills the tables
// before any frame is decoded, whoever imports this module.
import './ethernet.js';
import './sll.js';
import './loopback.js';
import './raw-ip.js';
import './arp.js';
import './ipv4.js';
import './ipv6.js';
import './icmp.js';
import './icmpv6.js';
import './igmp.js';
import './tcp.js';
import './udp.js';
import './vrrp.js';
import './carp.js';
import './hsrp.js';
import './ipvs-sync.js';
import './dns.js';
import './smtp.js';
import './tls.js';
import './http.js';
import type { Arp, ArpSlot } from './arp.js';
import type { Carp, CarpSlot } from './carp.js';
import type { DnsMessage, DnsSlot } from './dns.js';
import type { Ethernet, EthernetSlot } from './ethernet.js';
import type { Hsrp, HsrpSlot } from './hsrp.js';
import { decodeHttpHead, type HeadStreams, type HttpHead, type HttpSlot } from './http.js';
import type { Icmp, IcmpSlot } from './icmp.js';
import type { Icmpv6, Icmpv6Slot } from './icmpv6.js';
import type { Igmp, IgmpSlot } from './igmp.js';
import type { IPv4, IPv4Slot } from './ipv4.js';
import type { IPv6, IPv6Slot } from './ipv6.js';
import type { IpvsSyncMessage, IpvsSyncSlot } from './ipvs-sync.js';
import { dissectLink, type PacketBase } from './registry.js';
import type { CookedHeader, CookedSlot } from './sll.js';
import type { SmtpLines, SmtpSlot } from './smtp.js';
import type { Tcp, TcpSlot } from './tcp.js';
import type { TlsHello, TlsSlot } from './tls.js';
import type { Problem } from './types.js';
import type { Udp, UdpSlot } from './udp.js';
import type { Vrrp, VrrpSlot } from './vrrp.js';

export type { Carp, DnsMessage, HeadStreams, Hsrp, HttpHead, IpvsSyncMessage, SmtpLines, TlsHello };
export { isSmtpPort } from './smtp.js';

/**
 * What the reassembler concluded for a frame that a decode of the frame alone cannot: an HTTP head put
 * together from several segments ending with it, a segment of such a head, or a repeated head; the
 * second pass, which decodes frames alone, applies it.
 */
export type HttpOverride = HttpHead | 'segment' | 'repeated';

export function applyHttpOverride(pkt: Packet, head: HttpOverride): void {
  pkt.http = typeof head === 'string' ? null : head;
  pkt.retransmittedHead = head === 'repeated';
  pkt.headSegment = head === 'segment';
  pkt.reassembledHead = typeof head !== 'string';
}

/** The decoded layers of one frame: every slot a protocol's dissector fills (null when absent). */
export class Packet implements PacketBase, EthernetSlot, CookedSlot, ArpSlot, IPv4Slot, IPv6Slot, IcmpSlot, Icmpv6Slot, IgmpSlot,
  TcpSlot, UdpSlot, VrrpSlot, CarpSlot, HsrpSlot, IpvsSyncSlot, DnsSlot, TlsSlot, SmtpSlot, HttpSlot {
  eth: Ethernet | null = null;
  cooked: CookedHeader | null = null;
  arp: Arp | null = null;
  ip: IPv4 | null = null;
  ipv6: IPv6 | null = null;
  /** The inner IP header of an IP-in-IP tunnel (LVS-TUN); transport layers below decode from it. */
  inner: IPv4 | IPv6 | null = null;
  icmp: Icmp | null = null;
  icmpv6: Icmpv6 | null = null;
  igmp: Igmp | null = null;
  tcp: Tcp | null = null;
  udp: Udp | null = null;
  vrrp: Vrrp | null = null;
  carp: Carp | null = null;
  hsrp: Hsrp | null = null;
  ipvsSync: IpvsSyncMessage | null = null;
  dns: DnsMessage | null = null;
  tls: TlsHello | null = null;
  smtp: SmtpLines | null = null;
  /** The HTTP head, decoded on first access (most heads in a busy capture are never looked at). */
  private httpHead: HttpHead | PendingHttpHead | null = null;
  problems: Problem[] | null = null;
  /** The packet quoted inside an ICMP/ICMPv6 error (its IP header and the start of its transport header). */
  quoted: Packet | null = null;
  /** The TCP segment repeats an HTTP head already seen on its flow (a retransmission): not decoded again. */
  retransmittedHead = false;
  /** The HTTP head was put together from several segments ending with this one. */
  reassembledHead = false;
  /** The segment starts an HTTP head that ends in a later segment (tshark: "segment of a reassembled PDU"). */
  headSegment = false;
  constructor(readonly frame: Frame) {}

  get http(): HttpHead | null {
    const h = this.httpHead;
    if (h instanceof PendingHttpHead) this.httpHead = decodeHttpHead(h.bytes, h.at, h.end);
    return this.httpHead as HttpHead | null;
  }

  set http(head: HttpHead | null) {
    this.httpHead = head;
  }

  /** Marks bytes[at..end) as a complete HTTP head, to be decoded when asked for. */
  setHttpBytes(bytes: Uint8Array, at: number, end: number): void {
    this.httpHead = new PendingHttpHead(bytes, at, end);
  }

  /** The innermost IP header (inner of a tunnel, else the outer one). */
  get net(): IPv4 | IPv6 | null { return this.inner ?? this.ip ?? this.ipv6; }

  addProblem(p: Problem | null | undefined): void {
    if (p) (this.problems ??= []).push(p);
  }

  sibling(): Packet {
    return new Packet(this.frame);
  }
}

class PendingHttpHead {
  constructor(readonly bytes: Uint8Array, readonly at: number, readonly end: number) {}
}

/** Decodes `frame` through the dispatch tables; `streams` when frames come in order (the first pass). */
export function decodePacket(frame: Frame, streams?: HeadStreams): Packet {
  const pkt = new Packet(frame);
  dissectLink(pkt, frame.linkType, frame.buf, frame.start, frame.start + frame.caplen, streams);
  return pkt;
}
