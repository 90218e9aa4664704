// Several capture points of the same traffic: the front and back bridges of a lab, a `tcpdump -i any`
// on a director beside the bridge's capture, the same file copied under two names. A frame that leaves
// one host is then in two inputs; analysed twice, it would double every event it makes (two masters
// for one advert, two GARP bursts for one). This pairs such copies so that the analysis sees the frame
// once and the report can say where else it was seen.
//
// Two frames are the same frame seen at two points when they come from different inputs, within
// WINDOW seconds of each other, with the same sender MAC (Ethernet source, or the Linux cooked
// header's address; none for raw IP), the same EtherType and the same network-layer bytes (cut at the
// IP total length or the ARP length: a bridge pads short frames to 60 bytes, a host's own capture does
// not). A frame re-sent by a router or an LVS director is not the same frame: its sender MAC, its TTL
// or its addresses differ. Identical frames sent in a burst (five gratuitous ARPs in a row) pair one
// to one, in order. Frames within one input are never paired: a host really sends the same bytes twice.
//
// Which copy is analysed: the one of the input named first. A host stamps a frame it sends a few
// microseconds before the bridge does, so the copies come in either order; every frame therefore
// waits WINDOW seconds here (its bytes copied) before it goes on, and analysers see the traffic of
// the first-named capture point whenever it has it: the routers of one VRID are then told from one
// point, not half from a bridge and half from a director's own capture.

import { Frame } from '../io/frame.js';
import { copyBytes } from '../dissect/bytes.js';

/** Seconds between two copies of one frame (capture points of one lab share a clock). */
export const WINDOW = 0.5;
/** Copies waiting for their pair, at most (memory bound on a capture at full line rate). */
export const MAX_PENDING = 20_000;
/** Bytes of the network layer hashed (the rest of a long frame adds nothing: headers differ first). */
const HASHED = 512;

/** Where a frame's network layer starts and what identifies its sender, per link type. */
function layout(buf: Uint8Array, start: number, caplen: number, linkType: number): { mac: number; macLen: number; type: number; l3: number } | null {
  switch (linkType) {
    case 1: { // Ethernet, one 802.1Q tag at most
      if (caplen < 14) return null;
      let type = (buf[start + 12] << 8) | buf[start + 13], l3 = 14;
      if (type === 0x8100 && caplen >= 18) { type = (buf[start + 16] << 8) | buf[start + 17]; l3 = 18; }
      return { mac: start + 6, macLen: 6, type, l3 };
    }
    case 113: { // Linux cooked v1: type(2) hatype(2) halen(2) addr(8) protocol(2)
      if (caplen < 16) return null;
      const halen = Math.min(8, (buf[start + 4] << 8) | buf[start + 5]);
      return { mac: start + 6, macLen: halen, type: (buf[start + 14] << 8) | buf[start + 15], l3: 16 };
    }
    case 276: { // Linux cooked v2: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8)
      if (caplen < 20) return null;
      return { mac: start + 12, macLen: Math.min(8, buf[start + 11]), type: (buf[start + 0] << 8) | buf[start + 1], l3: 20 };
    }
    case 101: case 12: case 14: { // raw IP
      if (caplen < 1) return null;
      const v = buf[start] >> 4;
      return { mac: start, macLen: 0, type: v === 6 ? 0x86dd : 0x0800, l3: 0 };
    }
    case 228: return { mac: start, macLen: 0, type: 0x0800, l3: 0 };
    case 229: return { mac: start, macLen: 0, type: 0x86dd, l3: 0 };
    default: return null;
  }
}

/** The network layer's own length (without link padding), or what was captured of it. */
function l3Length(buf: Uint8Array, p: number, avail: number, type: number): number {
  if (type === 0x0800 && avail >= 4 && buf[p] >> 4 === 4) return Math.min(avail, (buf[p + 2] << 8) | buf[p + 3]);
  if (type === 0x86dd && avail >= 6) return Math.min(avail, 40 + ((buf[p + 4] << 8) | buf[p + 5]));
  if (type === 0x0806 && avail >= 6) return Math.min(avail, 8 + 2 * buf[p + 4] + 2 * buf[p + 5]);
  return avail;
}

/** A frame held for WINDOW seconds, with what is known of it. */
export interface Held {
  frame: Frame;
  t: number;
  file: string;
  /** Set when this frame is a copy of `of` (another input's frame, analysed instead). */
  copyOf: { n: number; file: string; fileFrame: number } | null;
}

interface Pending extends Held { h1: number; h2: number; len: number; paired: boolean; leave?: number }

/** Bytes held at most (besides MAX_PENDING frames): beyond, the oldest frames go on without waiting. */
export const MAX_HELD_BYTES = 16 << 20;

/**
 * The held frames' bytes, in one buffer used as a ring: frames leave in the order they came, so the
 * space of the oldest is freed first. (One small typed array per held frame cost ~1 KB of memory each.)
 */
class ByteRing {
  readonly buf: Uint8Array;
  private head = 0;
  private tail = 0;
  private used = 0;
  constructor(size: number) { this.buf = new Uint8Array(size); }

  /** Room for n bytes: its offset, or -1 when the ring is full. */
  alloc(n: number): number {
    const size = this.buf.length;
    if (n > size) return -1;
    if (this.used === 0) this.head = this.tail = 0;
    if (this.tail >= this.head) { // free: [tail, size) and [0, head)
      if (this.tail + n <= size) { const o = this.tail; this.tail += n; this.used += n; return o; }
      if (n < this.head) { this.tail = n; this.used += n; return 0; }
      return -1;
    }
    if (this.tail + n < this.head) { const o = this.tail; this.tail += n; this.used += n; return o; }
    return -1;
  }

  /** The oldest bytes given out, n of them at o, are free again. */
  free(o: number, n: number): void {
    this.head = o + n;
    this.used -= n;
  }
}

export class CapturePoints {
  private readonly pending = new Map<number, Pending[]>();
  private readonly queue: Pending[] = [];
  private head = 0;
  private readonly ring = new ByteRing(MAX_HELD_BYTES);
  private last = -Infinity;
  /** Copies paired, per pair of inputs ("i:j", i < j): how many and the first copy's number. */
  readonly pairs = new Map<string, { count: number; first: number }>();
  /** Frames that went on before WINDOW was over (memory bound reached): their copies, if any, were analysed twice. */
  overflow = 0;

  /** `release` receives every frame, in the order given, once WINDOW seconds have passed after it. */
  constructor(private readonly release: (h: Held) => void) {}

  /** The next frame (in time order). Frames without a time or a known link layer wait too (the order stays) but pair with none. */
  push(f: Frame, t: number, file: string): void {
    if (!Number.isNaN(t)) { this.releaseUntil(t); this.last = t; }
    const at = Number.isNaN(t) ? null : layout(f.buf, f.start, f.caplen, f.linkType);
    const len = at ? l3Length(f.buf, f.start + at.l3, f.caplen - at.l3, at.type) : 0;
    if (!at || len <= 0) { this.hold({ frame: this.own(f), t, file, copyOf: null, h1: -1, h2: 0, len: 0, paired: true }, this.last); return; }
    const { buf } = f, input = f.fileIndex, p = f.start + at.l3;
    // Two FNV-1a hashes with different primes: a pair needs both 32-bit values and the length equal.
    let h1 = 0x811c9dc5 ^ at.type, h2 = 0x01000193 ^ (at.type * 31 + at.macLen);
    for (let i = 0; i < at.macLen; i++) { const b = buf[at.mac + i]; h1 = Math.imul(h1 ^ b, 0x01000193); h2 = Math.imul(h2 ^ b, 0x050c5d1f); }
    const end = p + Math.min(len, HASHED);
    for (let i = p; i < end; i++) { const b = buf[i]; h1 = Math.imul(h1 ^ b, 0x01000193); h2 = Math.imul(h2 ^ b, 0x050c5d1f); }
    h1 >>>= 0; h2 >>>= 0;
    const held = this.own(f);
    const e: Pending = { frame: held, t, file, copyOf: null, h1, h2, len, paired: false };
    const list = this.pending.get(h1);
    const other = list?.find((o) => !o.paired && o.frame.fileIndex !== input && o.h2 === h2 && o.len === len && t - o.t <= WINDOW);
    if (other) {
      other.paired = e.paired = true;
      // The input named first is the one analysed.
      const [kept, copy] = other.frame.fileIndex < input ? [other, e] : [e, other];
      copy.copyOf = { n: kept.frame.n, file: kept.file, fileFrame: kept.frame.fileFrame };
      const i = Math.min(other.frame.fileIndex, input), j = Math.max(other.frame.fileIndex, input);
      const c = this.pairs.get(`${i}:${j}`);
      if (c) c.count++; else this.pairs.set(`${i}:${j}`, { count: 1, first: Math.max(kept.frame.n, copy.frame.n) });
    } else if (list) list.push(e);
    else this.pending.set(h1, [e]);
    this.hold(e, t);
  }

  /** In the queue, in the order given; `at` is when it leaves (its own time, or the last frame's for one without). */
  private hold(e: Pending, at: number): void {
    e.leave = at;
    this.queue.push(e);
    while (this.queue.length - this.head > MAX_PENDING) this.releaseEarly();
  }

  /** The oldest frame goes on before its time (memory bound): a copy of it that comes later is analysed again. */
  private releaseEarly(): void {
    const e = this.queue[this.head];
    if (!e.paired) this.overflow++;
    this.releaseOne();
  }

  /** A frame of its own, its bytes in the ring (a reader reuses its frame objects and buffers). */
  private own(f: Frame): Frame {
    let o = this.ring.alloc(f.caplen);
    while (o < 0 && this.head < this.queue.length) { this.releaseEarly(); o = this.ring.alloc(f.caplen); }
    const c = new Frame(f.fileIndex, f.fileFrame, f.iface, f.linkType, f.tsSec, f.tsNs, this.ring.buf, o, f.caplen, f.origLen, f.offset);
    if (o < 0) { c.buf = copyBytes(f.buf, f.start, f.start + f.caplen); c.start = 0; }
    else this.ring.buf.set(f.buf.subarray(f.start, f.start + f.caplen), o);
    c.n = f.n; c.comments = f.comments; c.noTimestamp = f.noTimestamp; c.snaplen = f.snaplen;
    return c;
  }

  /** End of input: every frame still held goes on. */
  flush(): void {
    while (this.head < this.queue.length) this.releaseOne();
  }

  private releaseUntil(t: number): void {
    const q = this.queue;
    while (this.head < q.length && t - (q[this.head].leave ?? -Infinity) > WINDOW) this.releaseOne();
  }

  private releaseOne(): void {
    const q = this.queue;
    const e = q[this.head];
    q[this.head++] = undefined as unknown as Pending;
    if (this.head > 4096 && this.head * 2 > q.length) { q.splice(0, this.head); this.head = 0; }
    if (e.frame.buf === this.ring.buf) this.ring.free(e.frame.start, e.frame.caplen);
    const list = e.h1 >= 0 ? this.pending.get(e.h1) : undefined;
    if (list) {
      const i = list.indexOf(e);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) this.pending.delete(e.h1);
    }
    this.release(e);
  }
}
