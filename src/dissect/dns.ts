// DNS message header and first question (RFC 1035 §4.1) from a UDP payload.
//
// keepalived's DNS_CHECK (check_dns.c) sends one question with RD set, by default type SOA for the
// root name, and counts the check good when the reply has the same id, QR set and rcode 0.
// Over TCP the caller must skip the 2-byte length prefix first. Field names follow Wireshark's dns.*.

import type { Problem } from './types.js';
import { hex16, type Field } from './fields.js';
import { registerUdpPort, type PacketBase } from './registry.js';

export interface DnsQuestion {
  /** dns.qry.name; the root name is "<Root>" as Wireshark prints it. */
  name: string;
  /** dns.qry.type */
  type: number;
  /** "SOA", "A", ... or "TYPE<n>" (RFC 3597 form) */
  typeName: string;
  /** dns.qry.class (1 = IN); the top bit is the mDNS unicast-response bit and is kept. */
  class: number;
}

export interface DnsMessage {
  /** dns.id */
  id: number;
  /** dns.flags: the whole 16-bit flags word */
  flags: number;
  /** dns.flags.response */
  qr: boolean;
  /** dns.flags.opcode (0 query, 4 notify, 5 update) */
  opcode: number;
  /** dns.flags.authoritative */
  aa: boolean;
  /** dns.flags.truncated */
  tc: boolean;
  /** dns.flags.recdesired */
  rd: boolean;
  /** dns.flags.recavail */
  ra: boolean;
  /** dns.flags.authenticated */
  ad: boolean;
  /** dns.flags.checkdisable */
  cd: boolean;
  /** dns.flags.rcode */
  rcode: number;
  /** "NoError", "NXDomain", ... (RFC 6895 mnemonics) */
  rcodeName: string;
  /** dns.count.queries, dns.count.answers, dns.count.auth_rr, dns.count.add_rr */
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  /** The first question, when qdcount > 0 and it could be read. */
  question?: DnsQuestion;
  problem?: Problem;
}

const TYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA',
  33: 'SRV', 35: 'NAPTR', 39: 'DNAME', 41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY',
  64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 251: 'IXFR', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};

const RCODE_NAMES = [
  'NoError', 'FormErr', 'ServFail', 'NXDomain', 'NotImp', 'Refused', 'YXDomain', 'YXRRSet', 'NXRRSet',
  'NotAuth', 'NotZone',
];

export function dnsTypeName(type: number): string {
  return TYPE_NAMES[type] ?? 'TYPE' + type;
}

/** RFC 1035 §2.3.4: a name is at most 255 octets on the wire. */
const MAX_NAME_WIRE = 255;
/** Bound on compression pointers followed for one name; with backward-only pointers loops cannot occur anyway. */
const MAX_POINTERS = 32;

export interface DnsNameRead {
  name: string;
  /** Offset just after the name where it appears (after the first pointer if any). */
  next: number;
  /** Why the name could not be read completely; `name` then holds the labels read so far. */
  error?: string;
  /** With an error: true when `next` is still right (the name's own bytes ended in a pointer). */
  nextKnown?: boolean;
}

/**
 * Reads a possibly compressed domain name at `pos`; `msg` is the start of the DNS message
 * (pointers are offsets from it). Never loops: every pointer must point before the label it
 * is found in, and at most MAX_POINTERS are followed.
 */
export function readDnsName(b: Uint8Array, msg: number, end: number, pos: number): DnsNameRead {
  let name = '';
  let wire = 0;
  let next = -1;
  let pointers = 0;
  let p = pos;
  for (;;) {
    if (p >= end) return { name, next: next >= 0 ? next : p, error: 'name runs past the end of the message', nextKnown: next >= 0 };
    const len = b[p];
    if (len === 0) {
      if (next < 0) next = p + 1;
      return { name: name === '' ? '<Root>' : name, next };
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (p + 1 >= end) return { name, next: next >= 0 ? next : end, error: 'compression pointer cut short' };
      const target = msg + (((len & 0x3f) << 8) | b[p + 1]);
      if (next < 0) next = p + 2;
      if (++pointers > MAX_POINTERS) return { name, next, error: 'too many compression pointers', nextKnown: true };
      if (target >= p) {
        return { name, next, error: `compression pointer to offset ${target - msg} does not point backwards (loop?)`, nextKnown: true };
      }
      p = target;
      continue;
    }
    if (kind !== 0) {
      return { name, next: next >= 0 ? next : p + 1, error: `unsupported label type 0x${kind.toString(16)}`, nextKnown: next >= 0 };
    }
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) return { name, next: next >= 0 ? next : p, error: 'name longer than 255 bytes', nextKnown: next >= 0 };
    if (p + 1 + len > end) {
      return { name, next: next >= 0 ? next : end, error: 'label runs past the end of the message', nextKnown: next >= 0 };
    }
    if (name !== '') name += '.';
    for (let i = p + 1; i <= p + len; i++) {
      const c = b[i];
      // Printable ASCII as is; a dot or backslash inside a label and anything else escaped (RFC 4343 §2.1).
      if (c === 0x2e || c === 0x5c) name += '\\' + String.fromCharCode(c);
      else if (c > 0x20 && c < 0x7f) name += String.fromCharCode(c);
      else name += '\\' + c.toString().padStart(3, '0');
    }
    p += 1 + len;
  }
}

/** Decodes the header and first question of the DNS message at bytes[offset..end). Null if under 12 bytes. */
export function decodeDns(bytes: Uint8Array, offset: number, end: number): DnsMessage | null {
  if (offset < 0 || end > bytes.length || end - offset < 12) return null;
  const b = bytes;
  const o = offset;
  const flags = (b[o + 2] << 8) | b[o + 3];
  const rcode = flags & 0x000f;
  const msg: DnsMessage = {
    id: (b[o] << 8) | b[o + 1],
    flags,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode,
    rcodeName: RCODE_NAMES[rcode] ?? 'RCODE' + rcode,
    qdcount: (b[o + 4] << 8) | b[o + 5],
    ancount: (b[o + 6] << 8) | b[o + 7],
    nscount: (b[o + 8] << 8) | b[o + 9],
    arcount: (b[o + 10] << 8) | b[o + 11],
  };
  if (msg.qdcount === 0) return msg;

  const nr = readDnsName(b, o, end, o + 12);
  if (nr.error) {
    msg.problem = { layer: 'dns', message: `first question: ${nr.error}` };
    // A bad pointer spoils only the name: type and class still follow it (Wireshark reads them too).
    if (!nr.nextKnown || end - nr.next < 4) return msg;
  } else if (end - nr.next < 4) {
    msg.problem = { layer: 'dns', message: `first question truncated: type and class missing after "${nr.name}"` };
    return msg;
  }
  const type = (b[nr.next] << 8) | b[nr.next + 1];
  msg.question = {
    name: nr.name,
    type,
    typeName: dnsTypeName(type),
    class: (b[nr.next + 2] << 8) | b[nr.next + 3],
  };
  return msg;
}

/** The packet view as the DNS dissector fills it. */
export interface DnsSlot extends PacketBase { dns: DnsMessage | null }

// DNS and multicast DNS; rank 2, below IPVS sync and HSRP when a datagram's two ports are registered.
registerUdpPort([53, 5353], 'dns', {
  dissect(pkt: DnsSlot, b, at, end) {
    pkt.dns = decodeDns(b, at, end);
  },
}, 2);

/** Wireshark's fields of a DNS message header and its first question. */
export const dnsFields: readonly Field<DnsMessage>[] = [
  { name: 'dns.id', value: (m) => hex16(m.id) },
  { name: 'dns.flags', value: (m) => hex16(m.flags) },
  { name: 'dns.flags.response', value: (m) => m.qr },
  { name: 'dns.flags.opcode', value: (m) => m.opcode },
  { name: 'dns.flags.rcode', value: (m) => (m.qr ? m.rcode : null) },
  { name: 'dns.count.queries', value: (m) => m.qdcount },
  { name: 'dns.count.answers', value: (m) => m.ancount },
  { name: 'dns.count.auth_rr', value: (m) => m.nscount },
  { name: 'dns.count.add_rr', value: (m) => m.arcount },
  { name: 'dns.qry.name', value: (m) => m.question?.name },
  { name: 'dns.qry.type', value: (m) => m.question?.type },
  { name: 'dns.qry.class', value: (m) => (m.question ? hex16(m.question.class) : null) },
];
