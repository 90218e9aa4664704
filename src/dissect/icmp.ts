// ICMP for IPv4 (RFC 792): echo, unreachable and friends. PING_CHECK is an echo request from a director.

import { u16 } from './bytes.js';
import type { Echo, Problem } from './types.js';
import type { Field } from './fields.js';
import { EtherType } from './ethernet.js';
import { dissectQuoted, registerIpProtocol, type PacketBase } from './registry.js';

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 5: 'Redirect', 8: 'Echo (ping) request',
  11: 'Time-to-live exceeded', 12: 'Parameter problem',
};
const UNREACH: Record<number, string> = {
  0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
  4: 'Fragmentation needed', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 13: 'Communication administratively filtered',
};

export interface Icmp {
  type: number;
  code: number;
  /** Echo request/reply with its identifier and sequence number; null for other types and cut echoes. */
  echo: Echo | null;
  /** For errors: offset of the quoted IP header of the packet that caused it. */
  quotedAt: number | null;
  end: number;
  problem: Problem | null;
}

export function decodeIcmp(b: Uint8Array, o: number, end: number): Icmp | null {
  if (end - o < 4) return null;
  const type = b[o], code = b[o + 1];
  const isEcho = type === 0 || type === 8;
  const echo = isEcho && end - o >= 8 ? { request: type === 8, id: u16(b, o + 4), seq: u16(b, o + 6) } : null;
  const problem = isEcho && !echo ? { layer: 'icmp', message: `ICMP echo ${type === 8 ? 'request' : 'reply'} truncated: ${end - o} of 8 bytes` } : null;
  const error = (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) && end - o >= 28;
  return { type, code, echo, quotedAt: error ? o + 8 : null, end, problem };
}

export function icmpTypeText(type: number, code: number): string {
  if (type === 3) return `${TYPES[3]} (${UNREACH[code] ?? 'code ' + code})`;
  return TYPES[type] ?? `type ${type}, code ${code}`;
}

/** The packet view as the ICMP dissector fills it (`quoted`: the packet an error quotes). */
export interface IcmpSlot extends PacketBase { icmp: Icmp | null; quoted: PacketBase | null }

registerIpProtocol([1], 'icmp', {
  dissect(pkt: IcmpSlot, b, at, end, _ip, depth) {
    const icmp = (pkt.icmp = decodeIcmp(b, at, end));
    pkt.addProblem(icmp ? icmp.problem : { layer: 'icmp', message: `ICMP header truncated (${end - at} bytes)` });
    if (icmp?.quotedAt != null && depth === 0) pkt.quoted = dissectQuoted(pkt, EtherType.IPV4, b, icmp.quotedAt, end);
  },
});

/** Wireshark's fields of an ICMP message (the packet an error quotes is a layer of its own). */
export const icmpFields: readonly Field<Icmp>[] = [
  { name: 'icmp.type', value: (m) => m.type },
  { name: 'icmp.code', value: (m) => m.code },
  { name: 'icmp.ident', value: (m) => m.echo?.id },
  { name: 'icmp.seq', value: (m) => m.echo?.seq },
];
