// Ethernet II and IEEE 802.3 (LLC/SNAP) with 802.1Q / 802.1ad / QinQ tags.

import { macCached, u16 } from './bytes.js';
import { hex16, type Field } from './fields.js';
import { dissectNetwork, registerLinkType, type PacketBase } from './registry.js';

export const EtherType = { IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, IPV6: 0x86dd, QINQ: 0x88a8, QINQ_OLD: 0x9100 } as const;

export class Ethernet {
  constructor(
    readonly bytes: Uint8Array,
    readonly at: number,
    /** The first type field (eth.type), or null for an 802.3 length field. */
    readonly type: number | null,
    /** Type of what follows the tags and any LLC/SNAP header: what the payload is. */
    readonly innerType: number,
    /** VLAN ids of the 802.1Q/802.1ad tags, outermost first, or null. */
    readonly vlans: number[] | null,
    /** Offset of the payload in `bytes`. */
    readonly payloadAt: number,
  ) {}
  get dst(): string { return macCached(this.bytes, this.at); }
  get src(): string { return macCached(this.bytes, this.at + 6); }
  /** True when the destination is broadcast ff:ff:ff:ff:ff:ff. */
  get isBroadcast(): boolean {
    const b = this.bytes, o = this.at;
    return (b[o] & b[o + 1] & b[o + 2] & b[o + 3] & b[o + 4] & b[o + 5]) === 0xff;
  }
}

/** Decodes an Ethernet header at b[o..end). Null when shorter than 14 bytes. */
export function decodeEthernet(b: Uint8Array, o: number, end: number): Ethernet | null {
  if (end - o < 14) return null;
  const type = u16(b, o + 12);
  let p = o + 14;
  let inner = type;
  let vlans: number[] | null = null;
  // Tags, as many as there are (802.1Q inside 802.1ad, or stacked 802.1Q).
  for (let i = 0; i < 8 && (inner === EtherType.VLAN || inner === EtherType.QINQ || inner === EtherType.QINQ_OLD); i++) {
    if (end - p < 4) { inner = -1; break; }
    (vlans ??= []).push(u16(b, p) & 0x0fff);
    inner = u16(b, p + 2);
    p += 4;
  }
  if (inner >= 0 && inner <= 1500) {
    // 802.3 length field: LLC, and SNAP (AA AA 03 + OUI + type) carries an EtherType.
    if (end - p >= 8 && b[p] === 0xaa && b[p + 1] === 0xaa && b[p + 2] === 0x03) {
      inner = u16(b, p + 6);
      p += 8;
    } else {
      inner = -1; // plain LLC: not an IP or ARP carrier we decode
    }
  }
  return new Ethernet(b, o, type <= 1500 ? null : type, inner, vlans, p);
}

/** The packet view as the Ethernet dissector fills it. */
export interface EthernetSlot extends PacketBase { eth: Ethernet | null }

registerLinkType([1], 'eth', {
  dissect(pkt: EthernetSlot, b, at, end, _linkType, streams) {
    const eth = decodeEthernet(b, at, end);
    if (!eth) { pkt.addProblem({ layer: 'eth', message: `frame too short for an Ethernet header (${end - at} bytes)` }); return; }
    pkt.eth = eth;
    dissectNetwork(pkt, eth.innerType, b, eth.payloadAt, end, 0, streams);
  },
});

/** Wireshark's fields of an Ethernet header (the tags are Wireshark's `vlan` layer, below). */
export const ethernetFields: readonly Field<Ethernet>[] = [
  { name: 'eth.dst', value: (e) => e.dst },
  { name: 'eth.src', value: (e) => e.src },
  { name: 'eth.type', value: (e) => (e.type === null ? null : hex16(e.type)) },
  { name: 'eth.len', value: (e) => (e.type === null ? u16(e.bytes, e.at + 12) : null) },
];

/** The tags' (TPID, id) pairs, outermost first, read again from the bytes (only when a frame is shown). */
function tags(e: Ethernet): { tpid: number; id: number }[] {
  const out: { tpid: number; id: number }[] = [];
  if (!e.vlans) return out;
  for (let i = 0, p = e.at + 12; i < e.vlans.length; i++, p += 4) out.push({ tpid: u16(e.bytes, p), id: e.vlans[i] });
  return out;
}

/** Wireshark's `vlan` layer: the ids of the 802.1Q tags (TPID 0x8100, or the old 0x9100), outermost first. */
export const vlanFields: readonly Field<Ethernet>[] = [
  { name: 'vlan.id', value: (e) => tags(e).filter((t) => t.tpid !== EtherType.QINQ).map((t) => t.id) },
];

/** Wireshark's `ieee8021ad` layer: the ids of the 802.1ad (TPID 0x88a8) service tags. */
export const ieee8021adFields: readonly Field<Ethernet>[] = [
  { name: 'ieee8021ad.id', value: (e) => tags(e).filter((t) => t.tpid === EtherType.QINQ).map((t) => t.id) },
];
