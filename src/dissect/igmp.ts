// IGMP v1/v2/v3 (RFC 2236, RFC 3376): VRRP and IPVS sync join multicast groups, which bridges with
// IGMP snooping need to see.

import { ipv4String } from './bytes.js';
import { hex8, type Field } from './fields.js';
import { registerIpProtocol, type PacketBase } from './registry.js';

export interface Igmp {
  type: number;
  /** Group address for queries/v1-v2 reports/leaves; first group record's address for v3 reports. */
  group: string | null;
  typeName: string;
}

const NAMES: Record<number, string> = { 0x11: 'Membership Query', 0x12: 'Membership Report v1', 0x16: 'Membership Report v2', 0x17: 'Leave Group', 0x22: 'Membership Report v3' };

export function decodeIgmp(b: Uint8Array, o: number, end: number): Igmp | null {
  if (end - o < 8) return null;
  const type = b[o];
  let group: string | null = null;
  if (type === 0x22) {
    if (end - o >= 16 && ((b[o + 6] << 8) | b[o + 7]) > 0) group = ipv4String(b, o + 12);
  } else group = ipv4String(b, o + 4);
  return { type, group, typeName: NAMES[type] ?? `IGMP type 0x${type.toString(16)}` };
}

/** The packet view as the IGMP dissector fills it. */
export interface IgmpSlot extends PacketBase { igmp: Igmp | null }

registerIpProtocol([2], 'igmp', {
  dissect(pkt: IgmpSlot, b, at, end) {
    pkt.igmp = decodeIgmp(b, at, end);
  },
});

/** Wireshark's fields of an IGMP message (igmp.maddr: the group, or a v3 report's first record's). */
export const igmpFields: readonly Field<Igmp>[] = [
  { name: 'igmp.type', value: (m) => hex8(m.type) },
  { name: 'igmp.maddr', value: (m) => m.group },
];
