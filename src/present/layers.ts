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
import { ipv6Fields, type IPv6 } from '../dissect/ipv6.js';
import { fieldsOf, notesOf, type Field, type FieldValue, type Note } from '../dissect/fields.js';
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

/** One Wireshark protocol a frame may have: its `layers` key, where the packet keeps it, its tables. */
interface Protocol {
  readonly key: string;
  readonly fields: readonly { readonly name: string }[];
  fieldsIn(p: Packet): Record<string, FieldValue> | null;
  notesIn(p: Packet): Record<string, unknown> | null;
}

/** `omitEmpty`: the layer is left out when none of its fields is there (the VLAN tag layers of an untagged frame). */
function protocol<T>(key: string, of: (p: Packet) => T | null | undefined, fields: readonly Field<T>[], opts: { notes?: readonly Note<T>[]; omitEmpty?: boolean } = {}): Protocol {
  return {
    key,
    fields,
    fieldsIn(p) {
      const layer = of(p);
      if (layer === null || layer === undefined) return null;
      const out = fieldsOf(layer, fields);
      return opts.omitEmpty && Object.keys(out).length === 0 ? null : out;
    },
    notesIn(p) {
      const layer = of(p);
      return opts.notes && layer !== null && layer !== undefined ? notesOf(layer, opts.notes) : null;
    },
  };
}

/** A container of layers (see LAYER_CONTAINERS), in its place among the protocols. */
interface Container { readonly key: (typeof LAYER_CONTAINERS)[number]; layersIn(p: Packet): Layers | null }

const innerLayers = (ip: IPv4 | IPv6): Layers => (ip instanceof IPv4 ? { ip: fieldsOf(ip, ipv4Fields) } : { ipv6: fieldsOf(ip, ipv6Fields) });
const tagged = (p: Packet) => (p.eth?.vlans ? p.eth : null);

/** The frame's layers in the order Wireshark shows them. */
const LAYERS: readonly (Protocol | Container)[] = [
  protocol('eth', (p) => p.eth, ethernetFields),
  protocol('ieee8021ad', tagged, ieee8021adFields, { omitEmpty: true }),
  protocol('vlan', tagged, vlanFields, { omitEmpty: true }),
  protocol('sll', (p) => p.cooked, sllFields),
  protocol('arp', (p) => p.arp, arpFields),
  protocol('ip', (p) => p.ip, ipv4Fields),
  protocol('ipv6', (p) => p.ipv6, ipv6Fields),
  { key: 'inner', layersIn: (p) => (p.inner === null ? null : innerLayers(p.inner)) },
  protocol('icmp', (p) => p.icmp, icmpFields),
  { key: 'quoted', layersIn: (p) => (p.quoted === null ? null : layersOf(p.quoted)) },
  protocol('icmpv6', (p) => p.icmpv6, icmpv6Fields),
  protocol('igmp', (p) => p.igmp, igmpFields),
  protocol('tcp', (p) => p.tcp, tcpFields),
  protocol('udp', (p) => p.udp, udpFields),
  protocol('vrrp', (p) => p.vrrp, vrrpFields, { notes: vrrpNotes }),
  protocol('carp', (p) => p.carp, carpFields),
  protocol('hsrp', (p) => p.hsrp, hsrpFields),
  protocol('ipvs', (p) => p.ipvsSync, ipvsSyncFields, { notes: ipvsSyncNotes }),
  protocol('dns', (p) => p.dns, dnsFields),
  protocol('tls', (p) => p.tls, tlsFields, { notes: tlsNotes }),
  protocol('smtp', (p) => p.smtp, smtpFields),
  protocol('http', (p) => p.http, httpFields),
];
const PROTOCOLS = LAYERS.filter((l): l is Protocol => 'fields' in l);

export function layersOf(p: Packet): Layers {
  const L: Layers = {};
  for (const l of LAYERS) {
    const v = 'fields' in l ? l.fieldsIn(p) : l.layersIn(p);
    if (v !== null) L[l.key] = v;
  }
  return L;
}

/** vrrpscope's notes on the frame's layers (not Wireshark fields); empty when there are none. */
export function notesOfPacket(p: Packet): Notes {
  const N: Notes = {};
  for (const l of PROTOCOLS) {
    const o = l.notesIn(p);
    if (o !== null && Object.keys(o).length) N[l.key] = o;
  }
  return N;
}

/** Every field table, by the `layers` key it fills: the names a report can show (test/oracle checks each with tshark). */
export const FIELD_TABLES: Readonly<Record<string, readonly { readonly name: string }[]>> = Object.fromEntries(PROTOCOLS.map((l) => [l.key, l.fields]));

/** All Wireshark field names of the field tables, in table order. */
export const FIELD_NAMES: readonly string[] = Object.values(FIELD_TABLES).flatMap((t) => t.map((f) => f.name));
