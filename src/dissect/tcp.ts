// TCP (RFC 9293) header.

import { u16, u32 } from './bytes.js';
import type { Problem } from './types.js';
import { hex16, type Field } from './fields.js';
import type { IPv4 } from './ipv4.js';
import type { IPv6 } from './ipv6.js';
import { dissectTcpPayload, registerIpProtocol, type PacketBase } from './registry.js';

export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80, AE: 0x100 } as const;
/** A connection's opening segment: SYN without ACK (a SYN/ACK answers one). */
export function isOpeningSyn(flags: number): boolean {
  return (flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
}
const FLAG_NAMES: [number, string][] = [[0x100, 'AE'], [0x80, 'CWR'], [0x40, 'ECE'], [0x20, 'URG'], [0x10, 'ACK'], [0x08, 'PSH'], [0x04, 'RST'], [0x02, 'SYN'], [0x01, 'FIN']];

export class Tcp {
  problem: Problem | null = null;
  constructor(
    readonly srcPort: number,
    readonly dstPort: number,
    /** Raw sequence and acknowledgement numbers (tcp.seq_raw, tcp.ack_raw). */
    readonly seq: number,
    readonly ack: number,
    readonly headerLength: number,
    /** The 12 flag bits of tcp.flags. */
    readonly flags: number,
    readonly window: number,
    readonly payloadAt: number,
    readonly payloadEnd: number,
  ) {}
  get payloadLength(): number { return this.payloadEnd - this.payloadAt; }
  has(flag: number): boolean { return (this.flags & flag) !== 0; }
}

/** "SYN, ACK" as Wireshark writes the flags in its Info column. */
export function tcpFlagsText(flags: number): string {
  const out: string[] = [];
  for (let i = FLAG_NAMES.length - 1; i >= 0; i--) if (flags & FLAG_NAMES[i][0]) out.push(FLAG_NAMES[i][1]);
  return out.join(', ');
}

export function decodeTcp(b: Uint8Array, o: number, end: number): Tcp | null {
  if (end - o < 20) return null;
  const hl = (b[o + 12] >> 4) * 4;
  const flags = ((b[o + 12] & 0x0f) << 8) | b[o + 13];
  const at = Math.min(o + Math.max(hl, 20), end);
  const t = new Tcp(u16(b, o), u16(b, o + 2), u32(b, o + 4), u32(b, o + 8), hl, flags, u16(b, o + 14), at, end);
  if (hl < 20) t.problem = { layer: 'tcp', message: `TCP header length ${hl} bytes is less than the minimum of 20` };
  else if (o + hl > end) t.problem = { layer: 'tcp', message: `TCP header truncated: ${end - o} of ${hl} bytes` };
  return t;
}

/**
 * What TCP hands its segments to when frames are decoded in order (src/reassemble/reassembly.ts): the
 * decoders stay pure and depend on nothing after them. http.ts HeadStreams adds what HTTP asks of it.
 */
export interface TcpStreams {
  /** Heads waiting for their next segment. */
  readonly pending: number;
  synSeen(ip: IPv4 | IPv6, tcp: Tcp): void;
  /**
   * A segment while something is pending: true when it continues a pending head (taken as part of it,
   * and the packet told so, with the head when it is complete); false when it is to be dissected as usual.
   */
  continueHead(pkt: PacketBase, ip: IPv4 | IPv6, tcp: Tcp, b: Uint8Array, at: number, end: number): boolean;
}

/** The packet view as the TCP dissector fills it. */
export interface TcpSlot extends PacketBase { tcp: Tcp | null }

registerIpProtocol([6], 'tcp', {
  dissect(pkt: TcpSlot, b, at, end, ip: IPv4 | IPv6, _depth, streams: TcpStreams | undefined) {
    const tcp = decodeTcp(b, at, end);
    if (!tcp) { pkt.addProblem({ layer: 'tcp', message: `TCP header truncated (${end - at} bytes)` }); return; }
    pkt.tcp = tcp;
    pkt.addProblem(tcp.problem);
    if (streams && (tcp.flags & TcpFlag.SYN) !== 0) streams.synSeen(ip, tcp);
    if (tcp.payloadEnd === tcp.payloadAt || tcp.problem) return;
    if (streams && streams.pending > 0 && streams.continueHead(pkt, ip, tcp, b, tcp.payloadAt, tcp.payloadEnd)) return;
    dissectTcpPayload(pkt, b, tcp.payloadAt, tcp.payloadEnd, ip, tcp, streams);
  },
});

/** tcp.flags.str as Wireshark 4.0 writes it: one character per flag bit, high to low, `·` when clear. */
function flagsStr(flags: number): string {
  const letters = 'RRRNCEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) s += flags & (0x800 >> i) ? letters[i] : '\u00b7';
  return s;
}

/** Wireshark's fields of a TCP header (sequence numbers raw, as tcp.seq_raw; tcp.len as captured). */
export const tcpFields: readonly Field<Tcp>[] = [
  { name: 'tcp.srcport', value: (t) => t.srcPort },
  { name: 'tcp.dstport', value: (t) => t.dstPort },
  { name: 'tcp.seq_raw', value: (t) => t.seq },
  { name: 'tcp.ack_raw', value: (t) => t.ack },
  { name: 'tcp.hdr_len', value: (t) => t.headerLength },
  { name: 'tcp.flags', value: (t) => hex16(t.flags) },
  { name: 'tcp.flags.str', value: (t) => flagsStr(t.flags) },
  { name: 'tcp.window_size_value', value: (t) => t.window },
  { name: 'tcp.len', value: (t) => t.payloadLength },
];
