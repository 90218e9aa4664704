// TCP connections with bounded state: each flow's story (handshake, data, FIN/RST, SYN retries,
// retransmissions, timeouts) for the analysers that reason about connections (health checks, LVS
// forwarding, outages). Flows live in an open-addressing table keyed by the 5-tuple (no strings on the
// per-segment path) and in a list by last activity, so idle and closed flows expire in O(1) and the
// table never holds more than `maxFlows` (the oldest are evicted, and counted).

import type { Packet } from '../../dissect/packet.js';
import { IPv4 } from '../../dissect/ipv4.js';
import { TcpFlag, isOpeningSyn } from '../../dissect/tcp.js';
import { FlowTable } from '../../reassemble/flow-table.js';
import { PacketSegment, type SegmentView, type TcpSegment } from '../../dissect/tcp-segment.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';

const { SYN, FIN, RST, ACK, PSH, ECE, CWR } = TcpFlag;

export type FlowEnd = 'fin' | 'rst' | 'refused' | 'unanswered' | 'idle' | 'open';

export class Flow {
  /** Who sent the first SYN (or the first segment seen, when the capture started mid-connection). */
  clientIp = '';
  clientPort = 0;
  clientMac: string | null = null;
  serverIp = '';
  serverPort = 0;
  serverMac: string | null = null;
  /** True when the SYN was seen: the flow's start is known. */
  sawSyn = false;
  synTime = 0;
  synFrame = 0;
  /** SYNs sent (1 + retransmissions). */
  syns = 0;
  synAckFrame = 0;
  synAckTime = 0;
  /** The client's ACK completing the handshake. */
  established = false;
  clientIsn = 0;
  serverIsn = 0;
  clientBytes = 0;
  serverBytes = 0;
  clientSegments = 0;
  serverSegments = 0;
  firstClientDataFrame = 0;
  firstServerDataFrame = 0;
  /** Segments whose data was seen before (sequence number behind the highest sent). */
  retransmissions = 0;
  finFrom: 'client' | 'server' | null = null;
  finFrame = 0;
  rstFrom: 'client' | 'server' | null = null;
  rstFrame = 0;
  lastTime = 0;
  lastFrame = 0;
  firstTime = 0;
  firstFrame = 0;
  ended: FlowEnd = 'open';
  /** The analysers' own state for this flow, one entry per declared FlowSlot (null until one is written). */
  slots: unknown[] | null = null;
  // bookkeeping
  key0 = 0; key1 = 0; key2 = 0;
  clientSeqMax = 0;
  serverSeqMax = 0;
  prev: Flow | null = null;
  next: Flow | null = null;
  /** Where the flow sits in the table (-1: removed). */
  at = -1;
  closedAt = 0;
  id = 0;
  /** IPv6 flows: the two addresses, sorted ("a|b"), to tell hash collisions apart. */
  v6key: string | null = null;
  /** The client is the lower end of the canonical key (tells a segment's direction without strings). */
  clientLow = true;

  get duration(): number { return this.lastTime - this.firstTime; }
}

/**
 * An analyser's own state on a flow, declared with the flow table (TcpFlows.declareSlot), as Zeek's
 * protocol scripts add their field to the connection record (`redef record connection += {…}`): each
 * analyser reads and writes its slot and no field another module owns. The flow's array of slots is
 * made on the first write, so flows no analyser annotates cost nothing.
 */
export class FlowSlot<T> {
  constructor(readonly owner: string, private readonly index: number) {}

  get(f: Flow): T | undefined {
    const s = f.slots;
    return s === null ? undefined : s[this.index] as T | undefined;
  }

  set(f: Flow, value: T): void {
    (f.slots ??= [])[this.index] = value;
  }
}

export interface FlowListener {
  /**
   * A segment of a flow that opens it (SYN) or carries data, after the flow's state was updated;
   * `fromClient` tells its direction. Other segments (ACKs, FINs, RSTs) only change the flow's state,
   * which onFlowEnd tells.
   */
  onSegment?(flow: Flow, seg: SegmentView, fromClient: boolean, ctx: EngineContext): void;
  /** The flow ended (FIN both ways or RST, refused, SYNs unanswered, idle) or the capture ended. */
  onFlowEnd?(flow: Flow, ctx: EngineContext): void;
}

export interface FlowOptions {
  /** Flows kept at most; the least recently active is evicted beyond it. */
  maxFlows?: number;
  /** An open flow with no segment for this long ends as idle (seconds). */
  idleTimeout?: number;
  /** A flow whose SYN got no answer for this long ends as unanswered (seconds). */
  synTimeout?: number;
  /** Flows quiet for less than this are not looked at by the sweep (seconds). */
  linger?: number;
}

export class TcpFlows implements Analyzer {
  readonly name = 'tcp-flows';
  readonly wants = PacketKind.TCP;
  private readonly listeners: FlowListener[] = [];
  private readonly slotOwners: string[] = [];
  private readonly maxFlows: number;
  private readonly idleTimeout: number;
  private readonly synTimeout: number;
  private readonly linger: number;
  /** The table starts small and doubles as flows accumulate (a small table stays in the CPU cache). */
  private mask: number;
  private readonly maxMask: number;
  private keys: Uint32Array;
  private table: (Flow | null)[];
  private head: Flow | null = null; // least recently active
  private tail: Flow | null = null;
  private count = 0;
  private nextId = 1;
  private lastSweep = 0;
  /** Flows evicted because the table was full (reported as a warning-level count). */
  evicted = 0;
  flowsSeen = 0;
  /** Most connections open at once. */
  maxOpen = 0;

  constructor(opts: FlowOptions = {}) {
    this.maxFlows = opts.maxFlows ?? 100_000;
    this.idleTimeout = opts.idleTimeout ?? 300;
    this.synTimeout = opts.synTimeout ?? 30;
    this.linger = opts.linger ?? 1;
    let cap = 1;
    while (cap < this.maxFlows * 2) cap <<= 1;
    this.maxMask = cap - 1;
    const start = Math.min(cap, 4096);
    this.mask = start - 1;
    this.keys = new Uint32Array(start * 3);
    this.table = new Array(start).fill(null);
  }

  subscribe(l: FlowListener): void {
    this.listeners.push(l);
  }

  /** A slot of per-flow state for the analyser `owner` (one per owner). */
  declareSlot<T>(owner: string): FlowSlot<T> {
    if (this.slotOwners.includes(owner)) throw new Error(`flow slot ${owner} declared twice`);
    this.slotOwners.push(owner);
    return new FlowSlot<T>(owner, this.slotOwners.length - 1);
  }

  onPacket(pkt: Packet, ctx: EngineContext): void {
    const tcp = pkt.tcp, ip = pkt.net;
    if (!tcp || !ip || pkt.frame.noTimestamp || pkt.quoted) return;
    this.take(new PacketSegment(pkt, tcp, ip), FlowTable.address(ip, 'src'), FlowTable.address(ip, 'dst'),
      ip instanceof IPv4 ? null : [ip.src, ip.dst].sort().join('|'), frameTime(pkt.frame), ctx);
  }

  /** A segment read from the bytes (Ethernet + IPv4): what onPacket does, without a Packet. */
  onTcpSegment(seg: TcpSegment, t: number, ctx: EngineContext): void {
    this.take(seg, seg.srcNum, seg.dstNum, null, t, ctx);
  }

  /**
   * A segment from address `sa` to `da` (FlowTable.address numbers) at time `t`; `v6`: an IPv6 flow's
   * two addresses, sorted ("a|b"), which tell flows apart beyond the hashed key.
   */
  private take(seg: SegmentView, sa: number, da: number, v6: string | null, t: number, ctx: EngineContext): void {
    if (t - this.lastSweep >= 1) { this.sweep(t, ctx); this.lastSweep = t; }
    // Canonical key: the lower (address, port) first, so both directions find the same flow.
    const forward = sa < da || (sa === da && seg.srcPort <= seg.dstPort);
    const k0 = forward ? sa : da, k1 = forward ? da : sa;
    const k2 = ((forward ? seg.srcPort : seg.dstPort) << 16 | (forward ? seg.dstPort : seg.srcPort)) >>> 0;
    let flow = this.find(k0, k1, k2, v6);
    const flags = seg.flags, len = seg.payloadEnd - seg.payloadAt;
    const syn = isOpeningSyn(flags);
    // A new SYN on a closed or ended flow with the same ports: the ports were reused.
    if (flow && syn && (flow.ended !== 'open' || (flow.sawSyn && seg.seq !== flow.clientIsn && flow.established))) {
      this.end(flow, flow.ended === 'open' ? 'idle' : flow.ended, ctx);
      this.remove(flow);
      flow = null;
    }
    if (!flow) {
      // A bare ACK, FIN or RST of no known flow is the tail of one that ended (the last ACK after both
      // FINs): nothing to start. SYNs, SYN/ACKs and data start a flow (mid-connection captures too).
      if (!(flags & SYN) && len === 0) return;
      flow = this.create(k0, k1, k2, forward, seg, v6, t, ctx);
    }
    // Direction from the canonical key: cheaper than comparing address strings.
    const fromClient = flow.clientPort === seg.srcPort && (flow.clientLow === forward);
    if (fromClient ? !flow.clientMac : !flow.serverMac) this.learnMac(flow, fromClient, seg.srcMac);
    if (this.segment(flow, seg.frame.n, flags, seg.seq, len, fromClient, t)) return;
    if (syn || len > 0) {
      const listeners = this.listeners;
      for (let i = 0; i < listeners.length; i++) listeners[i].onSegment?.(flow, seg, fromClient, ctx);
    }
    this.closeIfEnded(flow, t, ctx);
  }

  private learnMac(f: Flow, fromClient: boolean, mac: string | null): void {
    if (fromClient) f.clientMac = mac; else f.serverMac = mac;
  }

  /**
   * A segment's effect on its flow; true when that was all (a pure ACK on an established flow, the
   * common case, kept short: it changes nothing but the time).
   */
  private segment(f: Flow, n: number, flags: number, seq: number, len: number, fromClient: boolean, t: number): boolean {
    if (f.established && (flags & ~(ACK | PSH | ECE | CWR)) === 0 && len === 0) {
      f.lastTime = t;
      f.lastFrame = n;
      this.touch(f);
      return true;
    }
    this.update(f, n, flags, seq, len, fromClient, t);
    this.touch(f);
    return false;
  }

  /** A flow that the segment ended: its listeners told, and gone at once (closed flows then die young in the garbage collector's eyes). */
  private closeIfEnded(f: Flow, t: number, ctx: EngineContext): void {
    if (f.ended === 'open' || f.closedAt) return;
    f.closedAt = t;
    for (const l of this.listeners) l.onFlowEnd?.(f, ctx);
    this.remove(f);
  }

  /** A new flow from its first segment (`srcLow`: the segment's source is the lower end of the canonical key). */
  private create(k0: number, k1: number, k2: number, srcLow: boolean, seg: SegmentView, v6key: string | null, t: number, ctx: EngineContext): Flow {
    if (this.count >= this.maxFlows && this.head) {
      const old = this.head;
      this.end(old, old.ended === 'open' ? 'idle' : old.ended, ctx);
      this.remove(old);
      this.evicted++;
    }
    const f = new Flow();
    f.id = this.nextId++;
    f.key0 = k0; f.key1 = k1; f.key2 = k2;
    f.v6key = v6key;
    // The initiator is the SYN's sender; a SYN/ACK's receiver; otherwise the higher port (ephemeral) side.
    const flags = seg.flags, srcPort = seg.srcPort, dstPort = seg.dstPort;
    const synAck = (flags & (SYN | ACK)) === (SYN | ACK);
    const srcIsClient = isOpeningSyn(flags) || (!synAck && srcPort > dstPort);
    const srcIp = seg.srcIp, dstIp = seg.dstIp, srcMac = seg.srcMac, dstMac = seg.dstMac;
    f.clientIp = srcIsClient ? srcIp : dstIp; f.clientPort = srcIsClient ? srcPort : dstPort; f.clientMac = srcIsClient ? srcMac : dstMac;
    f.serverIp = srcIsClient ? dstIp : srcIp; f.serverPort = srcIsClient ? dstPort : srcPort; f.serverMac = srcIsClient ? dstMac : srcMac;
    f.clientLow = srcIsClient === srcLow;
    f.firstTime = t;
    f.firstFrame = seg.frame.n;
    this.insert(f);
    this.flowsSeen++;
    if (this.count > this.maxOpen) this.maxOpen = this.count;
    return f;
  }

  private update(f: Flow, n: number, flags: number, seq: number, len: number, fromClient: boolean, t: number): void {
    if (isOpeningSyn(flags) && fromClient) {
      if (!f.sawSyn) { f.sawSyn = true; f.synTime = t; f.synFrame = n; f.clientIsn = seq; f.clientSeqMax = (seq + 1) >>> 0; }
      f.syns++;
    } else if ((flags & (SYN | ACK)) === (SYN | ACK) && !fromClient) {
      if (!f.synAckFrame) { f.synAckFrame = n; f.synAckTime = t; f.serverIsn = seq; f.serverSeqMax = (seq + 1) >>> 0; }
    } else if ((flags & ACK) && fromClient && f.synAckFrame && !f.established) {
      f.established = true;
    }
    if (len > 0) {
      const end = (seq + len) >>> 0;
      if (fromClient) {
        if (f.clientSegments > 0 && ((end - f.clientSeqMax) | 0) <= 0) f.retransmissions++;
        else { f.clientBytes += len; f.clientSeqMax = end; }
        f.clientSegments++;
        if (!f.firstClientDataFrame) f.firstClientDataFrame = n;
      } else {
        if (f.serverSegments > 0 && ((end - f.serverSeqMax) | 0) <= 0) f.retransmissions++;
        else { f.serverBytes += len; f.serverSeqMax = end; }
        f.serverSegments++;
        if (!f.firstServerDataFrame) f.firstServerDataFrame = n;
      }
    }
    if (flags & RST) {
      if (!f.rstFrom) { f.rstFrom = fromClient ? 'client' : 'server'; f.rstFrame = n; }
      // A RST answering a SYN is a refusal: nothing listens on the port (or a firewall said no).
      f.ended = !f.synAckFrame && !fromClient && f.sawSyn ? 'refused' : 'rst';
    } else if (flags & FIN) {
      if (!f.finFrom) { f.finFrom = fromClient ? 'client' : 'server'; f.finFrame = n; }
      else if ((f.finFrom === 'client') !== fromClient) f.ended = 'fin';
    }
    // (An ACK of the first FIN leaves the flow half-closed: it ends with the second FIN, or idles out.)
    f.lastTime = t;
    f.lastFrame = n;
  }

  /** Expires idle flows, unanswered SYNs and closed flows past their linger time. */
  private sweep(t: number, ctx: EngineContext): void {
    let f = this.head;
    while (f) {
      const next = f.next;
      const idle = t - f.lastTime;
      if (f.ended !== 'open') {
        this.remove(f);
      } else if (f.sawSyn && !f.synAckFrame && idle > Math.min(this.synTimeout, 3)) {
        // SYNs with no answer: the client retransmits at 1, 3, 7 s…; after 3 s quiet we call it.
        this.end(f, 'unanswered', ctx);
        this.remove(f);
      } else if (idle > this.idleTimeout) {
        this.end(f, 'idle', ctx);
        this.remove(f);
      } else if (idle < this.linger) {
        break; // the list is by last activity: the rest is more recent
      }
      f = next;
    }
  }

  private end(f: Flow, how: FlowEnd, ctx: EngineContext): void {
    if (f.closedAt) return;
    if (f.ended === 'open') f.ended = how;
    f.closedAt = f.lastTime || 1;
    for (const l of this.listeners) l.onFlowEnd?.(f, ctx);
  }

  finish(ctx: EngineContext, lastTime: number): void {
    let f = this.head;
    while (f) {
      const next = f.next;
      if (!f.closedAt) this.end(f, f.sawSyn && !f.synAckFrame && lastTime - f.lastTime > 1 ? 'unanswered' : 'open', ctx);
      f = next;
    }
    if (this.evicted) ctx.warn({ note: 'flows.evicted', count: this.evicted, max: this.maxFlows });
  }

  facts(): Record<string, unknown> {
    return { tcp: { connections: this.flowsSeen, maxOpen: this.maxOpen, evicted: this.evicted } };
  }

  // --- table and activity list ---

  private hashOf(k0: number, k1: number, k2: number): number {
    let h = Math.imul(k0 ^ Math.imul(k1, 0x9e3779b1) ^ Math.imul(k2, 0x85ebca77), 0xc2b2ae3d);
    h ^= h >>> 15;
    return h & this.mask;
  }

  private find(k0: number, k1: number, k2: number, v6: string | null): Flow | null {
    let i = this.hashOf(k0, k1, k2);
    const keys = this.keys, table = this.table;
    for (;;) {
      const f = table[i];
      if (!f) return null;
      const k = i * 3;
      if (keys[k] === k0 && keys[k + 1] === k1 && keys[k + 2] === k2 && (v6 === null || f.v6key === v6)) return f;
      i = (i + 1) & this.mask;
    }
  }

  private insert(f: Flow): void {
    if ((this.count + 1) * 2 > this.mask + 1 && this.mask < this.maxMask) this.grow();
    this.place(f);
    this.count++;
    f.prev = this.tail; f.next = null;
    if (this.tail) this.tail.next = f; else this.head = f;
    this.tail = f;
  }

  /** Doubles the table: every flow is placed again. */
  private grow(): void {
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.keys = new Uint32Array(cap * 3);
    this.table = new Array(cap).fill(null);
    for (let f = this.head; f; f = f.next) if (f.at >= 0) this.place(f);
  }

  private place(f: Flow): void {
    let i = this.hashOf(f.key0, f.key1, f.key2);
    while (this.table[i]) i = (i + 1) & this.mask;
    this.table[i] = f;
    f.at = i;
    const k = i * 3;
    this.keys[k] = f.key0; this.keys[k + 1] = f.key1; this.keys[k + 2] = f.key2;
  }

  /** Removes a flow: backward-shift deletion keeps linear probing correct without tombstones. */
  private remove(f: Flow): void {
    if (f.at < 0) return;
    const table = this.table, keys = this.keys, mask = this.mask;
    let i = f.at;
    table[i] = null;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const g = table[j];
      if (!g) break;
      const home = this.hashOf(g.key0, g.key1, g.key2);
      // Move g back to i if its home is not cyclically within (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        table[i] = g; g.at = i;
        keys[i * 3] = g.key0; keys[i * 3 + 1] = g.key1; keys[i * 3 + 2] = g.key2;
        table[j] = null;
        i = j;
      }
    }
    f.at = -1;
    this.count--;
    if (f.prev) f.prev.next = f.next; else this.head = f.next;
    if (f.next) f.next.prev = f.prev; else this.tail = f.prev;
    f.prev = f.next = null;
  }

  private touch(f: Flow): void {
    if (this.tail === f) return;
    if (f.prev) f.prev.next = f.next; else this.head = f.next;
    if (f.next) f.next.prev = f.prev;
    f.prev = this.tail; f.next = null;
    if (this.tail) this.tail.next = f;
    this.tail = f;
  }

  get size(): number { return this.count; }

  /** Every flow not ended yet (for a snapshot at a director takeover). */
  forEachOpen(each: (f: Flow) => void): void {
    for (let f = this.head; f; f = f.next) if (f.ended === 'open') each(f);
  }
}
