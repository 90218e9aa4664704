// Maps our JSON frame onto tshark's field names, so the two can be compared field by field.

import type { OurFrame } from './ours.js';
import { ORACLE_FIELDS, type OracleRow } from './tshark.js';

const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');
const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function ourRow(f: OurFrame): Partial<OracleRow> {
  const L = f.layers ?? {};
  const r: Partial<OracleRow> = {};
  r['frame.number'] = String(f.n);
  if (L.eth) {
    r['eth.src'] = L.eth.src; r['eth.dst'] = L.eth.dst;
    r['eth.type'] = L.eth.type === null ? '' : hex4(L.eth.type);
  }
  if (L.arp) {
    r['arp.opcode'] = s(L.arp.op);
    r['arp.src.hw_mac'] = s(L.arp.senderMac); r['arp.src.proto_ipv4'] = s(L.arp.senderIp);
    r['arp.dst.hw_mac'] = s(L.arp.targetMac); r['arp.dst.proto_ipv4'] = s(L.arp.targetIp);
  }
  if (L.ip) { r['ip.src'] = L.ip.src; r['ip.dst'] = L.ip.dst; r['ip.proto'] = s(L.ip.proto); r['ip.ttl'] = s(L.ip.ttl); }
  if (L.ipv6) { r['ipv6.src'] = L.ipv6.src; r['ipv6.dst'] = L.ipv6.dst; r['ipv6.nxt'] = s(L.ipv6.next); r['ipv6.hlim'] = s(L.ipv6.hopLimit); }
  if (L.vrrp) {
    const v = L.vrrp;
    r['vrrp.version'] = s(v.version); r['vrrp.type'] = s(v.type); r['vrrp.virt_rtr_id'] = s(v.vrid);
    r['vrrp.prio'] = s(v.priority); r['vrrp.addr_count'] = s(v.count);
    r['vrrp.auth_type'] = v.version === 3 ? '' : s(v.authType);
    r['vrrp.adver_int'] = v.version === 3 ? '' : s(v.intervalMs / 1000);
    r['vrrp.short_adver_int'] = v.version === 3 ? s(v.intervalMs / 10) : '';
    r['vrrp.checksum.status'] = v.checksumOk === null ? '2' : v.checksumOk ? '1' : '0';
    const first = v.addresses?.[0] ?? '';
    r['vrrp.ip_addr'] = L.ipv6 ? '' : first;
    r['vrrp.ipv6_addr'] = L.ipv6 ? first : '';
  }
  if (L.tcp) {
    r['tcp.srcport'] = s(L.tcp.srcPort); r['tcp.dstport'] = s(L.tcp.dstPort);
    r['tcp.flags'] = hex4(L.tcp.flags); r['tcp.seq_raw'] = s(L.tcp.seq); r['tcp.ack_raw'] = s(L.tcp.ack);
  }
  // tshark's first occurrence of a transport field may come from the packet an ICMP error quotes;
  // there it prints the ports but, depending on how much is quoted, not always the rest.
  const quotedTcp = !L.tcp && L.quoted?.tcp, udp = L.udp ?? L.quoted?.udp;
  if (quotedTcp) { r['tcp.srcport'] = s(quotedTcp.srcPort); r['tcp.dstport'] = s(quotedTcp.dstPort); }
  if (udp) { r['udp.srcport'] = s(udp.srcPort); r['udp.dstport'] = s(udp.dstPort); }
  if (L.http) {
    r['http.request.method'] = s(L.http.method); r['http.request.uri'] = s(L.http.uri);
    r['http.response.code'] = s(L.http.status); r['http.user_agent'] = s(L.http.userAgent); r['http.host'] = s(L.http.host);
  }
  return r;
}

export interface FieldDiff { frame: number; field: string; tshark: string; ours: string }

/** Differences between tshark's rows and ours, field by field (time compared to the microsecond). */
export function diffRows(theirs: OracleRow[], ours: OurFrame[], skip: Set<string> = new Set()): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  const n = Math.max(theirs.length, ours.length);
  for (let i = 0; i < n; i++) {
    const t = theirs[i], o = ours[i];
    if (!t || !o) { diffs.push({ frame: i + 1, field: 'frame', tshark: t ? 'present' : 'missing', ours: o ? 'present' : 'missing' }); continue; }
    const mine = ourRow(o);
    for (const field of ORACLE_FIELDS) {
      if (skip.has(field)) continue;
      if (field === 'frame.time_epoch') {
        const tt = t[field] === '' ? null : Number(t[field]);
        if ((tt === null) !== (o.time === null) || (tt !== null && Math.abs(tt - (o.time as number)) > 1e-6)) diffs.push({ frame: o.n, field, tshark: t[field], ours: String(o.time) });
        continue;
      }
      if (!o.layers?.tcp && o.layers?.quoted?.tcp && /^tcp\.(flags|seq_raw|ack_raw)$/.test(field)) continue;
      const theirs1 = t[field] ?? '', ours1 = mine[field] ?? '';
      if (theirs1 !== ours1) diffs.push({ frame: o.n, field, tshark: theirs1, ours: ours1 });
    }
  }
  return diffs;
}
