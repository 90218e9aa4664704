// One frame decoded through every layer we know: the dispatch tables from link type to EtherType to
// IP protocol to port. Pure apart from the optional head reassembler (stateful, bounded), which lets an
// HTTP head split over several TCP segments be decoded on the segment that completes it, as tshark does.

import type { Frame } from '../io/frame.js';
import { CUSTOM_BLOCK_LINKTYPE } from '../io/frame.js';
import { Arp, decodeArp } from './arp.js';
import { u32, u32le } from './bytes.js';
import { Ethernet, EtherType, decodeEthernet } from './ethernet.js';
import { decodeHsrp } from './hsrp.js';
import { decodeHttpHead, hasHeadEnd, looksLikeHttpStart } from './http.js';
import { decodeIcmp, type Icmp } from './icmp.js';
import { decodeIcmpv6, type Icmpv6 } from './icmpv6.js';
import { decodeIgmp, type Igmp } from './igmp.js';
import { decodeIPv4, IPv4 } from './ipv4.js';
import { decodeIPv6, IPv6 } from './ipv6.js';
import { decodeIpvsSync } from './ipvs-sync.js';
import { decodeDns } from './dns.js';
import { decodeCarp, looksLikeCarp } from './carp.js';
import { CookedHeader, decodeSll, decodeSll2 } from './sll.js';
import { decodeSmtpLine } from './smtp.js';
import { decodeTcp, Tcp, TcpFlag } from './tcp.js';
import { decodeTlsHandshake, looksLikeTlsHandshake } from './tls.js';
import type { Problem } from './types.js';
import { decodeUdp, Udp } from './udp.js';
import { decodeVrrp, Vrrp, VRRP_PROTO } from './vrrp.js';

export type HttpHead = NonNullable<ReturnType<typeof decodeHttpHead>>;

/**
 * What the decoder asks of the stateful step that puts HTTP heads split over TCP segments together
 * (src/reassemble/reassembly.ts implements it): the decoders stay pure and depend on nothing after them.
 */
export interface HeadStreams {
  /** Heads waiting for their next segment. */
  readonly pending: number;
  synSeen(ip: IPv4 | IPv6, tcp: Tcp): void;
  /** undefined: no head pending on this flow; null: taken as part of a pending head; the head when complete. */
  continueHead(pkt: Packet, ip: IPv4 | IPv6, tcp: Tcp, b: Uint8Array, at: number, end: number): HttpHead | null | undefined;
  isRepeatedHead(ip: IPv4 | IPv6, tcp: Tcp): boolean;
  startHead(pkt: Packet, ip: IPv4 | IPv6, tcp: Tcp, b: Uint8Array, at: number, end: number): void;
}

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
export type SmtpLines = NonNullable<ReturnType<typeof decodeSmtpLine>>;
export type TlsHello = NonNullable<ReturnType<typeof decodeTlsHandshake>>;
export type DnsMessage = NonNullable<ReturnType<typeof decodeDns>>;
export type IpvsSyncMessage = NonNullable<ReturnType<typeof decodeIpvsSync>>;
export type Hsrp = NonNullable<ReturnType<typeof decodeHsrp>>;
export type Carp = NonNullable<ReturnType<typeof decodeCarp>>;

export const IpProto = { ICMP: 1, IGMP: 2, IPIP: 4, TCP: 6, UDP: 17, IPV6: 41, ICMPV6: 58, VRRP: 112 } as const;
/** The ports SMTP is decoded on. */
export const isSmtpPort = (p: number) => p === 25 || p === 587 || p === 2525;
/** First bytes that can start an HTTP head: the methods' initials and the H of "HTTP/". */
const HTTP_INITIAL = new Uint8Array(256);
for (const c of 'GHPDOCT') HTTP_INITIAL[c.charCodeAt(0)] = 1;
const TLS_HANDSHAKE = 0x16;
const DNS_PORTS = new Set([53, 5353]);
const IPVS_SYNC_PORT = 8848;

export class Packet {
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
}

class PendingHttpHead {
  constructor(readonly bytes: Uint8Array, readonly at: number, readonly end: number) {}
}

export function decodePacket(frame: Frame, streams?: HeadStreams): Packet {
  const pkt = new Packet(frame);
  const b = frame.buf, o = frame.start, end = o + frame.caplen;
  let type = -1, at = o;
  switch (frame.linkType) {
    case 1: {
      const eth = decodeEthernet(b, o, end);
      if (!eth) { pkt.addProblem({ layer: 'eth', message: `frame too short for an Ethernet header (${frame.caplen} bytes)` }); return pkt; }
      pkt.eth = eth; type = eth.innerType; at = eth.payloadAt;
      break;
    }
    case 113: case 276: {
      const c = frame.linkType === 113 ? decodeSll(b, o, end) : decodeSll2(b, o, end);
      if (!c) { pkt.addProblem({ layer: 'sll', message: `frame too short for a Linux cooked header (${frame.caplen} bytes)` }); return pkt; }
      pkt.cooked = c; type = c.protocol; at = c.payloadAt;
      break;
    }
    case 0: case 108: {
      // BSD loopback: the address family, in host byte order for NULL and network order for LOOP.
      if (frame.caplen < 4) { pkt.addProblem({ layer: 'null', message: 'frame too short for a loopback header' }); return pkt; }
      let af = frame.linkType === 108 ? u32(b, o) : u32le(b, o);
      if (af > 0xffff) af = u32(b, o);
      type = af === 2 ? EtherType.IPV4 : af === 10 || af === 24 || af === 28 || af === 30 ? EtherType.IPV6 : -1;
      at = o + 4;
      break;
    }
    case 12: case 14: case 101: case 228: case 229: {
      const v = frame.caplen > 0 ? b[o] >> 4 : 0;
      type = frame.linkType === 228 || v === 4 ? EtherType.IPV4 : frame.linkType === 229 || v === 6 ? EtherType.IPV6 : -1;
      break;
    }
    case CUSTOM_BLOCK_LINKTYPE:
      return pkt;
    default:
      return pkt; // unknown link types are reported once per file by the caller
  }
  decodeNetwork(pkt, b, type, at, end, streams);
  return pkt;
}

function decodeNetwork(pkt: Packet, b: Uint8Array, type: number, at: number, end: number, streams?: HeadStreams, depth = 0): void {
  if (type === EtherType.IPV4) {
    const ip = decodeIPv4(b, at, end);
    if (!ip) { pkt.addProblem({ layer: 'ip', message: `IPv4 header truncated (${end - at} bytes)` }); return; }
    pkt.ip = ip;
    pkt.addProblem(ip.problem);
    if (ip.problem && ip.headerLength < 20) return;
    if (ip.isLaterFragment) return;
    decodeFragmentTransport(pkt, b, ip.proto, ip, ip.moreFragments, depth, streams);
  } else if (type === EtherType.IPV6) {
    const ip = decodeIPv6(b, at, end);
    if (!ip) { pkt.addProblem({ layer: 'ipv6', message: `IPv6 header truncated (${end - at} bytes)` }); return; }
    pkt.ipv6 = ip;
    pkt.addProblem(ip.problem);
    if (ip.isLaterFragment) return;
    decodeFragmentTransport(pkt, b, ip.upperProto, ip, ip.moreFragments, depth, streams);
  } else if (type === EtherType.ARP) {
    const arp = decodeArp(b, at, end);
    if (!arp) { pkt.addProblem({ layer: 'arp', message: `ARP truncated (${end - at} bytes)` }); return; }
    pkt.arp = arp;
    pkt.addProblem(arp.problem);
  }
}

/**
 * The transport of a whole datagram or of its first fragment. A first fragment (more fragments follow)
 * holds the transport header and the start of the payload: what its decoders find missing (a UDP
 * length longer than the fragment, a cut message) is in the next fragments, not damage, so it is not a
 * problem. Fragments are normal on a network; we do not reassemble them (later fragments are skipped).
 */
function decodeFragmentTransport(pkt: Packet, b: Uint8Array, proto: number, ip: IPv4 | IPv6, more: boolean, depth: number, streams?: HeadStreams): void {
  if (!more) { decodeTransport(pkt, b, proto, ip, ip.payloadAt, ip.payloadEnd, depth, streams); return; }
  const before = pkt.problems?.length ?? 0;
  decodeTransport(pkt, b, proto, ip, ip.payloadAt, ip.payloadEnd, depth, streams);
  if (pkt.problems && pkt.problems.length > before) pkt.problems.length = before;
}

function decodeTransport(pkt: Packet, b: Uint8Array, proto: number, ip: IPv4 | IPv6, at: number, end: number, depth: number, streams?: HeadStreams): void {
  switch (proto) {
    case IpProto.TCP: {
      const tcp = decodeTcp(b, at, end);
      if (!tcp) { pkt.addProblem({ layer: 'tcp', message: `TCP header truncated (${end - at} bytes)` }); return; }
      pkt.tcp = tcp;
      pkt.addProblem(tcp.problem);
      if (streams && (tcp.flags & TcpFlag.SYN) !== 0) streams.synSeen(ip, tcp);
      if (tcp.payloadEnd > tcp.payloadAt && !tcp.problem) decodeTcpPayload(pkt, b, ip, tcp, streams);
      return;
    }
    case IpProto.UDP: {
      const udp = decodeUdp(b, at, end);
      if (!udp) { pkt.addProblem({ layer: 'udp', message: `UDP header truncated (${end - at} bytes)` }); return; }
      pkt.udp = udp;
      pkt.addProblem(udp.problem);
      decodeUdpPayload(pkt, b, udp);
      return;
    }
    case VRRP_PROTO: {
      if (looksLikeCarp(b, at, end)) { pkt.carp = decodeCarp(b, at, end); return; }
      const v4 = ip instanceof IPv4;
      const vrrp = decodeVrrp(b, at, end, {
        family: v4 ? 4 : 6,
        srcAt: v4 ? ip.at + 12 : (ip as IPv6).srcAt,
        dstAt: v4 ? ip.at + 16 : (ip as IPv6).dstAt,
        ttl: v4 ? (ip as IPv4).ttl : (ip as IPv6).hopLimit,
        multicast: ip.isMulticast,
        complete: ip.problem === null,
      });
      if (!vrrp) { pkt.addProblem({ layer: 'vrrp', message: `VRRP header truncated (${end - at} bytes)` }); return; }
      pkt.vrrp = vrrp;
      return;
    }
    case IpProto.ICMP:
      pkt.icmp = decodeIcmp(b, at, end);
      pkt.addProblem(pkt.icmp ? pkt.icmp.problem : { layer: 'icmp', message: `ICMP header truncated (${end - at} bytes)` });
      if (pkt.icmp?.quotedAt != null && depth === 0) pkt.quoted = decodeQuoted(pkt.frame, b, EtherType.IPV4, pkt.icmp.quotedAt, end);
      return;
    case IpProto.ICMPV6:
      pkt.icmpv6 = decodeIcmpv6(b, at, end);
      pkt.addProblem(pkt.icmpv6 ? pkt.icmpv6.problem : { layer: 'icmpv6', message: `ICMPv6 header truncated (${end - at} bytes)` });
      // Error messages (types 1-4) quote the offending packet after 8 bytes.
      if (pkt.icmpv6 && pkt.icmpv6.type < 128 && end - at >= 48 && depth === 0) pkt.quoted = decodeQuoted(pkt.frame, b, EtherType.IPV6, at + 8, end);
      return;
    case IpProto.IGMP:
      pkt.igmp = decodeIgmp(b, at, end);
      return;
    case IpProto.IPIP:
    case IpProto.IPV6: {
      // IP-in-IP (LVS-TUN): decode the inner packet's transport; one level is all LVS makes.
      if (depth > 0) return;
      const inner = proto === IpProto.IPIP ? decodeIPv4(b, at, end) : decodeIPv6(b, at, end);
      if (!inner) return;
      pkt.inner = inner;
      pkt.addProblem(inner.problem);
      if (inner.isLaterFragment) return;
      const innerProto = inner instanceof IPv4 ? inner.proto : inner.upperProto;
      decodeTransport(pkt, b, innerProto, inner, inner.payloadAt, inner.payloadEnd, depth + 1, streams);
      return;
    }
    default:
      return;
  }
}

/** The packet an ICMP error quotes: decoded like any other, but its problems (it is cut short by design)
 *  are not the frame's problems. */
function decodeQuoted(frame: Frame, b: Uint8Array, type: number, at: number, end: number): Packet {
  const q = new Packet(frame);
  decodeNetwork(q, b, type, at, end, undefined, 1);
  q.problems = null;
  return q;
}

function decodeUdpPayload(pkt: Packet, b: Uint8Array, udp: Udp): void {
  const at = udp.payloadAt, end = udp.payloadEnd;
  if (end <= at) return;
  const s = udp.srcPort, d = udp.dstPort;
  if (d === IPVS_SYNC_PORT || s === IPVS_SYNC_PORT) pkt.ipvsSync = decodeIpvsSync(b, at, end);
  else if (s === 1985 || d === 1985 || s === 2029 || d === 2029) pkt.hsrp = decodeHsrp(b, at, end, d);
  else if (DNS_PORTS.has(d) || DNS_PORTS.has(s)) pkt.dns = decodeDns(b, at, end);
}

/** What decodeTcpPayload makes of a TCP payload (payloadKind). */
export const Payload = { OTHER: 0, SMTP: 1, TLS: 2, HTTP_WHOLE: 3, HTTP_PART: 4 } as const;

/**
 * Which decoder a TCP payload goes to, by its ports and first bytes: SMTP lines on the SMTP ports, a
 * TLS handshake, an HTTP head whole in the segment or started in it, or nothing decoded.
 */
export function payloadKind(b: Uint8Array, at: number, end: number, srcPort: number, dstPort: number): number {
  if (isSmtpPort(srcPort) || isSmtpPort(dstPort)) return Payload.SMTP;
  const first = b[at];
  if (first === TLS_HANDSHAKE) return Payload.TLS;
  if (HTTP_INITIAL[first] === 1 && looksLikeHttpStart(b, at, end)) return hasHeadEnd(b, at, end) ? Payload.HTTP_WHOLE : Payload.HTTP_PART;
  return Payload.OTHER;
}

function decodeTcpPayload(pkt: Packet, b: Uint8Array, ip: IPv4 | IPv6, tcp: Tcp, streams?: HeadStreams): void {
  const at = tcp.payloadAt, end = tcp.payloadEnd;
  if (streams && streams.pending > 0) {
    const head = streams.continueHead(pkt, ip, tcp, b, at, end);
    if (head !== undefined) {
      if (head) { pkt.http = head; pkt.reassembledHead = true; } else pkt.headSegment = true;
      return;
    }
  }
  switch (payloadKind(b, at, end, tcp.srcPort, tcp.dstPort)) {
    case Payload.SMTP:
      pkt.smtp = decodeSmtpLine(b, at, end, isSmtpPort(tcp.srcPort));
      return;
    case Payload.TLS:
      if (looksLikeTlsHandshake(b, at, end)) pkt.tls = decodeTlsHandshake(b, at, end);
      return;
    case Payload.HTTP_WHOLE:
      // A retransmitted head is the same message again; tshark does not dissect it twice either.
      if (streams && streams.isRepeatedHead(ip, tcp)) { pkt.retransmittedHead = true; return; }
      pkt.setHttpBytes(b, at, end);
      return;
    case Payload.HTTP_PART:
      if (streams && streams.isRepeatedHead(ip, tcp)) { pkt.retransmittedHead = true; return; }
      if (streams) { streams.startHead(pkt, ip, tcp, b, at, end); pkt.headSegment = true; } else pkt.http = decodeHttpHead(b, at, end);
      return;
  }
}
