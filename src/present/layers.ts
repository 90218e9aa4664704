// Decoded fields of a frame, named as Wireshark names them (docs/events.md, Frame; README "Decoded
// fields"): `layers` maps each Wireshark protocol of the frame (eth, ieee8021ad, vlan, sll, arp, ip, ipv6, icmp,
// icmpv6, igmp, tcp, udp, vrrp, carp, hsrp, ipvs, dns, tls, smtp, http) to its fields keyed by their
// full Wireshark name ({ vrrp: { "vrrp.prio": 150 } }), built from the field tables the decoders declare
// (src/dissect/*.ts, `xxxFields`). Two containers hold layers of the same shape: `inner` (the inner
// header of IP-in-IP, LVS-TUN) and `quoted` (the packet an ICMP error quotes).
//
// What vrrpscope's decoders know that Wireshark has no field for is apart, in `notes`, never among the
// fields. Built only when a frame is shown, never on the analysis's hot path.

import type { Packet } from '../dissect/packet.js';
import { IPv4, ipv4Fields } from '../dissect/ipv4.js';
import { ipv6Fields } from '../dissect/ipv6.js';
import { fieldsOf, notesOf, type FieldValue } from '../dissect/fields.js';
import { ethernetFields, ieee8021adFields, vlanFields } from '../dissect/ethernet.js';
import { sllFields } from '../dissect/sll.js';
import { arpFields } from '../dissect/arp.js';
import { icmpFields } from '../dissect/icmp.js';
import { icmpv6Fields } from '../dissect/icmpv6.js';
import { igmpFields } from '../dissect/igmp.js';
import { tcpFields } from '../dissect/tcp.js';
import { udpFields } from '../dissect/udp.js';
import { vrrpFields, vrrpNotes } from '../dissect/vrrp.js';
import { carpFields } from '../dissect/carp.js';
import { hsrpFields } from '../dissect/hsrp.js';
import { ipvsSyncFields, ipvsSyncNotes } from '../dissect/ipvs-sync.js';
import { dnsFields } from '../dissect/dns.js';
import { tlsFields, tlsNotes } from '../dissect/tls.js';
import { smtpFields } from '../dissect/smtp.js';
import { httpFields } from '../dissect/http.js';

/** Wireshark protocol → { Wireshark field name → value }; `inner` and `quoted` hold Layers. */
export interface Layers { [layer: string]: Record<string, FieldValue> | Layers }
/** Wireshark protocol → { vrrpscope's note → value }, only the layers that have some. */
export type Notes = Record<string, Record<string, unknown>>;

/** The keys of `layers` that are containers of layers, not a protocol's fields. */
export const LAYER_CONTAINERS = ['inner', 'quoted'] as const;

const ipLayer = (ip: NonNullable<Packet['ip']> | NonNullable<Packet['ipv6']>): Layers =>
  ip instanceof IPv4 ? { ip: fieldsOf(ip, ipv4Fields) } : { ipv6: fieldsOf(ip, ipv6Fields) };

export function layersOf(p: Packet): Layers {
  const L: Layers = {};
  if (p.eth) {
    L.eth = fieldsOf(p.eth, ethernetFields);
    if (p.eth.vlans) {
      const q = fieldsOf(p.eth, ieee8021adFields), v = fieldsOf(p.eth, vlanFields);
      if (Object.keys(q).length) L.ieee8021ad = q;
      if (Object.keys(v).length) L.vlan = v;
    }
  }
  if (p.cooked) L.sll = fieldsOf(p.cooked, sllFields);
  if (p.arp) L.arp = fieldsOf(p.arp, arpFields);
  if (p.ip) L.ip = fieldsOf(p.ip, ipv4Fields);
  if (p.ipv6) L.ipv6 = fieldsOf(p.ipv6, ipv6Fields);
  if (p.inner) L.inner = ipLayer(p.inner);
  if (p.icmp) L.icmp = fieldsOf(p.icmp, icmpFields);
  if (p.quoted) L.quoted = layersOf(p.quoted);
  if (p.icmpv6) L.icmpv6 = fieldsOf(p.icmpv6, icmpv6Fields);
  if (p.igmp) L.igmp = fieldsOf(p.igmp, igmpFields);
  if (p.tcp) L.tcp = fieldsOf(p.tcp, tcpFields);
  if (p.udp) L.udp = fieldsOf(p.udp, udpFields);
  if (p.vrrp) L.vrrp = fieldsOf(p.vrrp, vrrpFields);
  if (p.carp) L.carp = fieldsOf(p.carp, carpFields);
  if (p.hsrp) L.hsrp = fieldsOf(p.hsrp, hsrpFields);
  if (p.ipvsSync) L.ipvs = fieldsOf(p.ipvsSync, ipvsSyncFields);
  if (p.dns) L.dns = fieldsOf(p.dns, dnsFields);
  if (p.tls) L.tls = fieldsOf(p.tls, tlsFields);
  if (p.smtp) L.smtp = fieldsOf(p.smtp, smtpFields);
  if (p.http) L.http = fieldsOf(p.http, httpFields);
  return L;
}

/** vrrpscope's notes on the frame's layers (not Wireshark fields); empty when there are none. */
export function notesOfPacket(p: Packet): Notes {
  const N: Notes = {};
  const put = (layer: string, o: Record<string, unknown>) => { if (Object.keys(o).length) N[layer] = o; };
  if (p.vrrp) put('vrrp', notesOf(p.vrrp, vrrpNotes));
  if (p.ipvsSync) put('ipvs', notesOf(p.ipvsSync, ipvsSyncNotes));
  if (p.tls) put('tls', notesOf(p.tls, tlsNotes));
  return N;
}

/** Every field table, by the `layers` key it fills: the names a report can show (test/oracle checks each with tshark). */
export const FIELD_TABLES: Readonly<Record<string, readonly { readonly name: string }[]>> = {
  eth: ethernetFields, ieee8021ad: ieee8021adFields, vlan: vlanFields, sll: sllFields, arp: arpFields, ip: ipv4Fields, ipv6: ipv6Fields,
  icmp: icmpFields, icmpv6: icmpv6Fields, igmp: igmpFields, tcp: tcpFields, udp: udpFields, vrrp: vrrpFields,
  carp: carpFields, hsrp: hsrpFields, ipvs: ipvsSyncFields, dns: dnsFields, tls: tlsFields, smtp: smtpFields, http: httpFields,
};

/** All Wireshark field names of the field tables, in table order. */
export const FIELD_NAMES: readonly string[] = Object.values(FIELD_TABLES).flatMap((t) => t.map((f) => f.name));
