// Linux "cooked" captures (tcpdump -i any): SLL (LINKTYPE_LINUX_SLL, 113) and SLL2 (276).
// They keep only the *source* link-layer address, so destination-MAC checks must cope without it.

import { macString, u16, u32 } from './bytes.js';
import { hex16, type Field } from './fields.js';
import { dissectNetwork, registerLinkType, type PacketBase } from './registry.js';

const PACKET_TYPES = ['unicast to us', 'broadcast', 'multicast', 'unicast to another host', 'sent by us'];

export class CookedHeader {
  constructor(
    readonly bytes: Uint8Array,
    readonly version: 1 | 2,
    readonly packetType: number,
    readonly hatype: number,
    readonly addrLen: number,
    readonly addrAt: number,
    /** Protocol (an EtherType for Ethernet-like devices). */
    readonly protocol: number,
    /** SLL2 only: interface index. */
    readonly ifindex: number | null,
    readonly payloadAt: number,
  ) {}
  /** Source link-layer address (a MAC when 6 bytes long), or null. */
  get src(): string | null {
    return this.addrLen > 0 ? macString(this.bytes, this.addrAt, Math.min(this.addrLen, 8)) : null;
  }
  get packetTypeName(): string {
    return PACKET_TYPES[this.packetType] ?? 'type ' + this.packetType;
  }
}

export function decodeSll(b: Uint8Array, o: number, end: number): CookedHeader | null {
  if (end - o < 16) return null;
  return new CookedHeader(b, 1, u16(b, o), u16(b, o + 2), u16(b, o + 4), o + 6, u16(b, o + 14), null, o + 16);
}

export function decodeSll2(b: Uint8Array, o: number, end: number): CookedHeader | null {
  if (end - o < 20) return null;
  return new CookedHeader(b, 2, b[o + 10], u16(b, o + 8), b[o + 11], o + 12, u16(b, o), u32(b, o + 4), o + 20);
}

/** The packet view as the cooked-header dissector fills it. */
export interface CookedSlot extends PacketBase { cooked: CookedHeader | null }

registerLinkType([113, 276], 'sll', {
  dissect(pkt: CookedSlot, b, at, end, linkType, streams) {
    const c = linkType === 113 ? decodeSll(b, at, end) : decodeSll2(b, at, end);
    if (!c) { pkt.addProblem({ layer: 'sll', message: `frame too short for a Linux cooked header (${end - at} bytes)` }); return; }
    pkt.cooked = c;
    dissectNetwork(pkt, c.protocol, b, c.payloadAt, end, 0, streams);
  },
});

/** Wireshark's fields of a Linux cooked header (SLL and SLL2 share them). */
export const sllFields: readonly Field<CookedHeader>[] = [
  { name: 'sll.pkttype', value: (c) => c.packetType },
  { name: 'sll.hatype', value: (c) => c.hatype },
  { name: 'sll.halen', value: (c) => c.addrLen },
  { name: 'sll.src.eth', value: (c) => (c.addrLen === 6 ? c.src : null) },
  { name: 'sll.etype', value: (c) => (c.protocol > 1500 ? hex16(c.protocol) : null) },
  { name: 'sll.ltype', value: (c) => (c.protocol <= 1500 ? hex16(c.protocol) : null) },
  { name: 'sll.ifindex', value: (c) => c.ifindex },
];
