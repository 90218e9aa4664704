// ICMP for IPv4 (RFC 792): echo, unreachable and friends. PING_CHECK is an echo request from a director.

import { u16 } from './bytes.js';

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
  /** Echo identifier and sequence number (echo request/reply only). */
  id: number | null;
  seq: number | null;
  /** For errors: offset of the quoted IP header of the packet that caused it. */
  quotedAt: number | null;
  end: number;
}

export function decodeIcmp(b: Uint8Array, o: number, end: number): Icmp | null {
  if (end - o < 4) return null;
  const type = b[o], code = b[o + 1];
  const echo = (type === 0 || type === 8) && end - o >= 8;
  const error = (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) && end - o >= 28;
  return { type, code, id: echo ? u16(b, o + 4) : null, seq: echo ? u16(b, o + 6) : null, quotedAt: error ? o + 8 : null, end };
}

export function icmpTypeText(type: number, code: number): string {
  if (type === 3) return `${TYPES[3]} (${UNREACH[code] ?? 'code ' + code})`;
  return TYPES[type] ?? `type ${type}, code ${code}`;
}
