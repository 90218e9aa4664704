// Decoded fields of a frame as the JSON contract names them (../shared/spec/events.md, issue "layers"):
// eth, arp, ip, ipv6, vrrp, tcp, udp, http at least; the other decoded protocols alongside.

import type { Packet } from '../dissect/packet.js';
import { IPv4 } from '../dissect/ipv4.js';
import { tcpFlagsText } from '../dissect/tcp.js';

export type Layers = Record<string, Record<string, unknown>>;

/** Removes undefined values and the `problem` field (problems go to warnings) from a decoder result. */
function plain(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== 'problem') out[k] = v;
  return out;
}

export function layersOf(p: Packet): Layers {
  const L: Layers = {};
  if (p.eth) {
    L.eth = { src: p.eth.src, dst: p.eth.dst, type: p.eth.type };
    if (p.eth.vlans) L.eth.vlans = p.eth.vlans;
  }
  if (p.cooked) {
    const c = p.cooked;
    L.sll = { version: c.version, src: c.src, packetType: c.packetTypeName, protocol: c.protocol };
    if (c.ifindex !== null) L.sll.ifindex = c.ifindex;
  }
  if (p.arp) {
    const a = p.arp;
    L.arp = { op: a.op, senderMac: a.senderMac, senderIp: a.senderIp, targetMac: a.targetMac, targetIp: a.targetIp, gratuitous: a.isGratuitous };
    if (a.hwLen !== 6) Object.assign(L.arp, { hwLen: a.hwLen, senderHw: a.senderHw });
  }
  if (p.ip) L.ip = ipFields(p.ip);
  if (p.ipv6) L.ipv6 = { src: p.ipv6.src, dst: p.ipv6.dst, next: p.ipv6.next, hopLimit: p.ipv6.hopLimit };
  if (p.inner) L.innerIp = p.inner instanceof IPv4 ? ipFields(p.inner) : { src: p.inner.src, dst: p.inner.dst, next: p.inner.next, hopLimit: p.inner.hopLimit };
  if (p.icmp) L.icmp = { type: p.icmp.type, code: p.icmp.code, id: p.icmp.echo?.id ?? null, seq: p.icmp.echo?.seq ?? null };
  if (p.quoted) L.quoted = layersOf(p.quoted);
  if (p.icmpv6) {
    const m = p.icmpv6;
    L.icmpv6 = { type: m.type, code: m.code, target: m.target, linkAddr: m.linkAddr };
    if (m.type === 136) Object.assign(L.icmpv6, { router: m.router, solicited: m.solicited, override: m.override });
  }
  if (p.igmp) L.igmp = plain(p.igmp);
  if (p.tcp) {
    const t = p.tcp;
    L.tcp = { srcPort: t.srcPort, dstPort: t.dstPort, flags: t.flags, flagNames: tcpFlagsText(t.flags), seq: t.seq, ack: t.ack, window: t.window, len: t.payloadLength };
  }
  if (p.udp) L.udp = { srcPort: p.udp.srcPort, dstPort: p.udp.dstPort, length: p.udp.length };
  if (p.vrrp) {
    const v = p.vrrp;
    L.vrrp = {
      version: v.version, type: v.type, vrid: v.vrid, priority: v.priority, count: v.count,
      authType: v.authType, intervalMs: v.intervalMs, checksum: v.checksum, checksumOk: v.checksumOk,
      checksumVariant: v.checksumVariant, addresses: v.addresses,
    };
    if (v.authString !== null) L.vrrp.authString = v.authString;
    if (v.problems.length) L.vrrp.problems = v.problems;
    if (v.trailerLength) L.vrrp.trailerLength = v.trailerLength;
  }
  if (p.carp) L.carp = plain(p.carp);
  if (p.hsrp) L.hsrp = plain(p.hsrp);
  if (p.ipvsSync) L.ipvsSync = plain(p.ipvsSync);
  if (p.dns) L.dns = plain(p.dns);
  if (p.tls) L.tls = plain(p.tls);
  if (p.smtp) L.smtp = { lines: p.smtp.lines };
  if (p.http) {
    const h = p.http;
    L.http = { method: h.method ?? null, uri: h.uri ?? null, status: h.status ?? null, userAgent: h.userAgent ?? null, host: h.host ?? null, version: h.version };
    if (h.reason !== undefined) L.http.reason = h.reason;
    if (h.contentLength !== undefined) L.http.contentLength = h.contentLength;
  }
  return L;
}

function ipFields(ip: IPv4): Record<string, unknown> {
  return { src: ip.src, dst: ip.dst, proto: ip.proto, ttl: ip.ttl, id: ip.id, length: ip.totalLength };
}
