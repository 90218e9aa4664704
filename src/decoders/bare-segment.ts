// Most frames of a busy capture are TCP segments that carry no data and open nothing: the SYN/ACKs,
// ACKs, FINs and RSTs of connections. The flow table needs a handful of numbers from them, not
// a decoded Packet (four objects a frame). peekBareSegment reads those numbers straight from an
// Ethernet + IPv4 frame, and declines anything else, and anything in which decodePacket would find a
// problem (no tags; IP and TCP options are fine; fragments, truncation, data, opening SYNs are not):
// such frames take the full decode. Pure, never throws.

import type { Frame } from '../io/frame.js';
import { macCached, u16, u32 } from './bytes.js';
import { TcpFlag } from './tcp.js';

export class BareSegment {
  /** The frame read (set by peekBareSegment). */
  frame!: Frame;
  srcNum = 0;
  dstNum = 0;
  srcPort = 0;
  dstPort = 0;
  flags = 0;
  seq = 0;

  /** The Ethernet addresses (made on demand: the flow table wants them once per side). */
  get srcMac(): string {
    return macCached(this.frame.buf, this.frame.start + 6);
  }

  get dstMac(): string {
    return macCached(this.frame.buf, this.frame.start);
  }
}

const ETH = 14;

/** Fills `s` and returns true when `f` is a bare segment (see above); false leaves `s` meaningless. */
export function peekBareSegment(f: Frame, s: BareSegment): boolean {
  if (f.linkType !== 1 || f.noTimestamp) return false;
  const b = f.buf, o = f.start, caplen = f.caplen;
  // Ethernet II straight to IPv4 (no VLAN tag), room for two minimal headers.
  if (caplen < ETH + 40 || b[o + 12] !== 0x08 || b[o + 13] !== 0x00) return false;
  const ip = o + ETH;
  const vihl = b[ip];
  const ihl = (vihl & 0x0f) * 4;
  // Version 4, a sane header, TCP, neither a fragment nor the first of several (MF, offset).
  if (vihl >> 4 !== 4 || ihl < 20 || b[ip + 9] !== 6 || ((b[ip + 6] & 0x3f) | b[ip + 7]) !== 0) return false;
  // Whole in the capture, with room for a TCP header (a total length of 0, left by TSO, fails here).
  const total = u16(b, ip + 2);
  if (total < ihl + 20 || ETH + total > caplen) return false;
  const tcp = ip + ihl;
  const hl = (b[tcp + 12] >> 4) * 4;
  // No data: the TCP header ends where the IP packet does (which also rules out a header cut short).
  if (hl < 20 || ihl + hl !== total) return false;
  const flags = ((b[tcp + 12] & 0x0f) << 8) | b[tcp + 13];
  if ((flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) return false; // an opening SYN (a SYN/ACK is bare)
  s.frame = f;
  s.srcNum = u32(b, ip + 12);
  s.dstNum = u32(b, ip + 16);
  s.srcPort = u16(b, tcp);
  s.dstPort = u16(b, tcp + 2);
  s.flags = flags;
  s.seq = u32(b, tcp + 4);
  return true;
}
