// Just enough TCP reassembly to decode an application head (HTTP request or response head) that spans
// several segments: the bytes of a head that started but did not end are kept per flow direction, in
// order, up to 16 KiB, and decoded on the segment that completes them (tshark with
// http.desegment_body off reports the head's fields on that frame too). Bounded: at most `maxFlows`
// heads pending, each dropped after `maxAgeSec` of capture time without progress.

import { decodeHttpHead, HeadKind, headKind, type HeadStreams } from '../dissect/http.js';
import { FlowTable } from './flow-table.js';
import type { IPv4 } from '../dissect/ipv4.js';
import type { IPv6 } from '../dissect/ipv6.js';
import type { Packet } from '../dissect/packet.js';
import { tcpPorts } from '../dissect/registry.js';
export { applyHttpOverride, type HttpOverride } from '../dissect/packet.js';
import { TcpFlag } from '../dissect/tcp.js';
import type { Tcp } from '../dissect/tcp.js';
import type { TcpSegment } from '../dissect/tcp-segment.js';

interface PendingHead {
  bytes: Uint8Array;
  length: number;
  nextSeq: number;
  lastSec: number;
}

const MAX_HEAD = 16 * 1024;

/** Puts HTTP heads split over TCP segments together, for the decoders (dissect/http.ts HeadStreams). */
export class HeadReassembler implements HeadStreams {
  private heads = new Map<string, PendingHead>();
  /** Heads dropped because the table was full or they grew too large (reported as a count). */
  dropped = 0;

  /** Per flow direction, the sequence number just after the last HTTP head seen. */
  private headEnds = new FlowTable(15);

  constructor(readonly maxFlows = 4096, readonly maxAgeSec = 30) {}

  /** A SYN opens a (possibly reused) flow: its first data byte is at ISN + 1, so nothing before counts. */
  synSeen(ip: IPv4 | IPv6, tcp: Tcp): void {
    this.synSeenAt(FlowTable.address(ip, 'src'), FlowTable.address(ip, 'dst'), tcp.srcPort, tcp.dstPort, tcp.seq);
  }

  /** synSeen by numbers (the addresses as FlowTable.address gives them: an IPv4 address's own number). */
  synSeenAt(src: number, dst: number, srcPort: number, dstPort: number, seq: number): void {
    this.headEnds.set(src, dst, (srcPort << 16 | dstPort) >>> 0, seq + 1);
  }

  /**
   * True when this segment starts before the end of the last head seen on its flow direction (a
   * retransmission). Records the segment's end otherwise. Only called for segments that start a head.
   */
  isRepeatedHead(ip: IPv4 | IPv6, tcp: Tcp): boolean {
    return this.isRepeatedHeadAt(FlowTable.address(ip, 'src'), FlowTable.address(ip, 'dst'), tcp.srcPort, tcp.dstPort, tcp.seq, tcp.payloadLength);
  }

  /** isRepeatedHead by numbers (see synSeenAt). */
  isRepeatedHeadAt(src: number, dst: number, srcPort: number, dstPort: number, seq: number, length: number): boolean {
    const c = (srcPort << 16 | dstPort) >>> 0;
    const prev = this.headEnds.get(src, dst, c);
    // Sequence comparison modulo 2^32 (RFC 9293 §3.4): does seq come before prev?
    if (prev !== undefined) {
      const d = (prev - seq) | 0;
      if (d > 0 && d < 0x40000000) return true;
    }
    this.headEnds.set(src, dst, c, seq + length);
    return false;
  }

  /**
   * What decodePacket does with this reassembler for a plain segment (tcp-segment.ts), done on its
   * numbers when that is simple: true then, with seg.head set when the segment repeats a head; false
   * when the frame must be decoded with the reassembler instead (a head pending, or an HTTP head that
   * does not end in this segment).
   */
  takeSegment(seg: TcpSegment): boolean {
    if (seg.flags & TcpFlag.SYN) this.synSeenAt(seg.srcNum, seg.dstNum, seg.srcPort, seg.dstPort, seg.seq);
    const at = seg.payloadAt, end = seg.payloadEnd;
    if (end === at) return true;
    if (this.heads.size > 0) return false;
    // A protocol registered for either port takes the payload (SMTP), never HTTP (dissect/registry.ts).
    if (tcpPorts.either(seg.srcPort, seg.dstPort) !== undefined) return true;
    const kind = headKind(seg.frame.buf, at, end);
    if (kind === HeadKind.PART) return false;
    if (kind === HeadKind.WHOLE && this.isRepeatedHeadAt(seg.srcNum, seg.dstNum, seg.srcPort, seg.dstPort, seg.seq, end - at)) seg.head = 'repeated';
    return true;
  }

  get pending(): number {
    return this.heads.size;
  }

  private static key(ip: IPv4 | IPv6, tcp: Tcp): string {
    return ip.src + ':' + tcp.srcPort + '>' + ip.dst + ':' + tcp.dstPort;
  }

  startHead(pkt: Packet, ip: IPv4 | IPv6, tcp: Tcp, b: Uint8Array, at: number, end: number): void {
    if (this.heads.size >= this.maxFlows) this.expire(pkt.frame.tsSec, true);
    const len = end - at;
    if (len > MAX_HEAD) { this.dropped++; return; }
    const bytes = new Uint8Array(Math.min(MAX_HEAD, Math.max(1024, len * 2)));
    bytes.set(b.subarray(at, end));
    this.heads.set(HeadReassembler.key(ip, tcp), { bytes, length: len, nextSeq: (tcp.seq + len) >>> 0, lastSec: pkt.frame.tsSec });
  }

  /**
   * A segment on a flow: false when no head is pending on it (the caller decodes as usual); true when
   * the segment was taken as part of a pending head: a segment of it, or the one that completes it
   * (the head is then the packet's).
   */
  continueHead(pkt: Packet, ip: IPv4 | IPv6, tcp: Tcp, b: Uint8Array, at: number, end: number): boolean {
    const key = HeadReassembler.key(ip, tcp);
    const h = this.heads.get(key);
    if (!h) {
      if (pkt.frame.tsSec - this.lastExpiry > this.maxAgeSec) this.expire(pkt.frame.tsSec, false);
      return false;
    }
    pkt.headSegment = true;
    if (tcp.seq !== h.nextSeq) return true; // retransmission or out of order: keep waiting
    const len = end - at;
    if (h.length + len > MAX_HEAD) { this.heads.delete(key); this.dropped++; return true; }
    if (h.length + len > h.bytes.length) {
      const grown = new Uint8Array(Math.min(MAX_HEAD, Math.max(h.bytes.length * 2, h.length + len)));
      grown.set(h.bytes.subarray(0, h.length));
      h.bytes = grown;
    }
    h.bytes.set(b.subarray(at, end), h.length);
    h.length += len;
    h.nextSeq = (h.nextSeq + len) >>> 0;
    h.lastSec = pkt.frame.tsSec;
    const head = decodeHttpHead(h.bytes, 0, h.length);
    if (head && !head.complete) return true;
    this.heads.delete(key);
    // The last segment of the head (or of what turned out not to be one: no head, like tshark).
    if (head) { pkt.headSegment = false; pkt.http = head; pkt.reassembledHead = true; }
    return true;
  }

  private lastExpiry = 0;

  private expire(nowSec: number, evictOldest: boolean): void {
    this.lastExpiry = nowSec;
    let oldestKey: string | null = null, oldest = Infinity;
    for (const [k, h] of this.heads) {
      if (nowSec - h.lastSec > this.maxAgeSec) { this.heads.delete(k); continue; }
      if (h.lastSec < oldest) { oldest = h.lastSec; oldestKey = k; }
    }
    if (evictOldest && this.heads.size >= this.maxFlows && oldestKey) { this.heads.delete(oldestKey); this.dropped++; }
  }
}
