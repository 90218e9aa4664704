// The one-line view of a frame: protocol, source, destination and an Info text in the manner of
// Wireshark's packet list, so a reader can cross-check a report line against Wireshark.

import { linkTypeName } from '../io/frame.js';
import { tcpFlagsText } from './tcp.js';
import { icmpTypeText } from './icmp.js';
import { IPv4 } from './ipv4.js';
import type { Packet } from './packet.js';
import { tlsVersionName } from './tls.js';
import type { Arp } from './arp.js';
import type { Vrrp } from './vrrp.js';

export interface FrameSummary {
  protocol: string;
  src: string;
  dst: string;
  info: string;
}

function vrrpInfo(v: Vrrp): string {
  const interval = v.version === 3 ? `${v.intervalMs / 1000} s (${v.intervalMs / 10} cs)` : `${v.intervalMs / 1000} s`;
  let s = `Advertisement v${v.version}, VRID ${v.vrid}, priority ${v.priority}`;
  if (v.priority === 0) s += ' (master stopping)';
  else if (v.priority === 255) s += ' (address owner)';
  s += `, interval ${interval}`;
  const addrs = v.addresses;
  if (addrs.length) s += `, ${addrs.length === 1 ? 'VIP' : 'VIPs'} ${addrs.join(' ')}`;
  if (v.version === 2 && v.authType === 1) s += `, auth "${v.authString ?? ''}"`;
  else if (v.version === 2 && v.authType === 2) s += ', auth AH';
  if (v.problems.length) s += ` [${v.problems.join('; ')}]`;
  return s;
}

function arpInfo(a: Arp): string {
  if (a.problem && !a.complete) return `ARP [${a.problem.message}]`;
  const addr = a.ethIpv4;
  if (!addr) return `ARP opcode ${a.op} [${a.problem?.message ?? `protocol type 0x${a.protoType.toString(16).padStart(4, '0')}, not IPv4`}]`;
  if (a.isGratuitous) return `Gratuitous ARP for ${addr.senderIp} (${a.op === 1 ? 'Request' : 'Reply'})`;
  if (a.isProbe) return `Who has ${addr.targetIp}? (ARP Probe)`;
  if (a.op === 1) return `Who has ${addr.targetIp}? Tell ${addr.senderIp}`;
  if (a.op === 2) return `${addr.senderIp} is at ${addr.senderMac}`;
  return `ARP opcode ${a.op}`;
}

export function summarize(p: Packet): FrameSummary {
  const f = p.frame;
  const net = p.ip ?? p.ipv6;
  let src = net ? net.src : p.eth ? p.eth.src : p.cooked?.src ?? '';
  let dst = net ? net.dst : p.eth ? p.eth.dst : '';
  if (p.arp && !net) { src = p.eth?.src ?? p.cooked?.src ?? ''; dst = p.eth?.dst ?? ''; }
  const out = (protocol: string, info: string): FrameSummary => ({ protocol, src, dst, info });
  if (f.linkType === -1) return out('pcapng', 'custom block');
  if (p.vrrp) return out('VRRP', vrrpInfo(p.vrrp));
  if (p.carp) return out('CARP', `CARP advertisement, vhid ${p.carp.vhid}, advbase ${p.carp.advbase}, advskew ${p.carp.advskew} (not VRRP)`);
  if (p.arp) return out('ARP', arpInfo(p.arp));
  if (p.hsrp) {
    const h = p.hsrp;
    // Only what the packet carries: an advertisement (interface state) has no group or priority.
    const parts = [h.stateName ? `${h.opcodeName} (state ${h.stateName})` : h.opcodeName];
    if (h.group !== undefined) parts.push(`group ${h.group}`);
    if (h.priority !== undefined) parts.push(`priority ${h.priority}`);
    if (h.activeGroups !== undefined) parts.push(`active groups ${h.activeGroups}`);
    if (h.passiveGroups !== undefined) parts.push(`passive groups ${h.passiveGroups}`);
    if (h.virtualIp) parts.push(`virtual IP ${h.virtualIp}`);
    return out(h.version >= 2 ? 'HSRPv2' : 'HSRP', parts.join(', '));
  }
  if (p.ipvsSync) {
    const m = p.ipvsSync;
    return out('IPVS sync', `IPVS connection sync v${m.version}, syncid ${m.syncid}, ${m.count} connection${m.count === 1 ? '' : 's'}`);
  }
  if (p.http) {
    const h = p.http;
    return out('HTTP', h.kind === 'request' ? `${h.method} ${h.uri} ${h.version}` : `${h.version} ${h.status} ${h.reason ?? ''}`.trimEnd());
  }
  if (p.smtp && p.smtp.lines.length) {
    const l = p.smtp.lines[0];
    const text = l.code !== undefined ? `S: ${l.code} ${l.text}` : `C: ${l.text}`;
    return out('SMTP', text + (p.smtp.lines.length > 1 ? ` (+${p.smtp.lines.length - 1} lines)` : ''));
  }
  if (p.tls) {
    const t = p.tls;
    return out(t.versionName.startsWith('TLS') ? 'TLSv' + t.versionName.slice(4) : 'TLS',
      `${t.handshakeType === 'client-hello' ? 'Client Hello' : 'Server Hello'}${t.sni ? ' (SNI=' + t.sni + ')' : ''}, ${t.versionName || tlsVersionName(t.helloVersion)}`);
  }
  if (p.dns) {
    const d = p.dns;
    const q = d.question ?? null;
    const qtext = q ? ` ${q.typeName ?? q.type} ${q.name === '' ? '<Root>' : q.name}` : '';
    return out('DNS', `Standard query${d.qr ? ' response' : ''} 0x${d.id.toString(16).padStart(4, '0')}${qtext}`);
  }
  if (p.tcp) {
    const t = p.tcp;
    return out('TCP', `${t.srcPort} → ${t.dstPort} [${tcpFlagsText(t.flags)}] Seq=${t.seq} Ack=${t.ack} Win=${t.window} Len=${t.payloadLength}`);
  }
  if (p.udp) return out('UDP', `${p.udp.srcPort} → ${p.udp.dstPort} Len=${p.udp.payloadEnd - p.udp.payloadAt}`);
  if (p.icmp) return out('ICMP', icmpTypeText(p.icmp.type, p.icmp.code) + (p.icmp.echo ? ` id=${p.icmp.echo.id}, seq=${p.icmp.echo.seq}` : ''));
  if (p.icmpv6) {
    const m = p.icmpv6;
    let info = m.typeName;
    // A cut NS/NA has no target (null): the type name alone, not "null".
    if (m.type === 136 && m.target) info += ` ${m.target}${m.router || m.solicited || m.override ? ' (' + [m.router && 'rtr', m.solicited && 'sol', m.override && 'ovr'].filter(Boolean).join(', ') + ')' : ''}${m.linkAddr ? ' is at ' + m.linkAddr : ''}`;
    else if (m.type === 135 && m.target) info += ` for ${m.target}${m.linkAddr ? ' from ' + m.linkAddr : ''}`;
    return out('ICMPv6', info);
  }
  if (p.igmp) return out('IGMP', p.igmp.typeName + (p.igmp.group ? ' ' + p.igmp.group : ''));
  if (p.inner) return out('IPIP', `IP-in-IP to ${p.inner.dst}`);
  if (net) {
    const proto = net instanceof IPv4 ? net.proto : net.upperProto;
    return out(net instanceof IPv4 ? 'IPv4' : 'IPv6', `IP protocol ${proto}${net.isLaterFragment ? ' (fragment)' : ''}`);
  }
  if (p.eth) return out('Ethernet', p.eth.type === null ? '802.3 / LLC' : `EtherType 0x${p.eth.type.toString(16).padStart(4, '0')}`);
  if (p.cooked) return out('SLL', `protocol 0x${p.cooked.protocol.toString(16).padStart(4, '0')}`);
  return out(linkTypeName(f.linkType), `${f.caplen} bytes, link type ${linkTypeName(f.linkType)} not decoded`);
}
