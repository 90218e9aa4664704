// The rule engine: decoded packets flow through small stateful analysers (one per domain), each of
// which emits typed events (events.ts; the contract is docs/events.md) with the frames that prove them,
// and per-frame notes (notes.ts). Facts only: the words are the presentation's (src/present/say).
// Analysers keep bounded state; the engine owns event ids, ordering, hosts and the bounded store of
// frame notes.

import type { Packet } from '../dissect/packet.js';
import type { TcpSegment } from '../dissect/tcp-segment.js';
import { frameTime } from '../io/frame.js';
import type { AnalysisEvent, NewEvent } from './events.js';
import type { Note } from './notes.js';

export type Role = 'director' | 'backup-director' | 'real-server' | 'sorry-server' | 'client' | 'vip';

/** What a packet carries, for the analysers that look at some kinds only (Analyzer.wants). */
export const PacketKind = { TCP: 1, UDP: 2, ARP: 4, VRRP: 8, ICMP: 16, ICMPV6: 32, TUNNEL: 64, IGMP: 128 } as const;

function kindOf(pkt: Packet): number {
  return (pkt.tcp ? PacketKind.TCP : 0) | (pkt.udp ? PacketKind.UDP : 0) | (pkt.arp ? PacketKind.ARP : 0) | (pkt.vrrp ? PacketKind.VRRP : 0)
    | (pkt.icmp ? PacketKind.ICMP : 0) | (pkt.icmpv6 ? PacketKind.ICMPV6 : 0) | (pkt.inner ? PacketKind.TUNNEL : 0)
    | (pkt.igmp ? PacketKind.IGMP : 0);
}

export interface EngineContext {
  /** Emits an event; the returned object may still be updated (counts, end times) until finish. */
  emit<E extends NewEvent>(event: E): E & { id: string };
  /**
   * Withdraws an event emitted earlier that later frames disprove (a master found silent whose adverts
   * were only lost: it shows it is still master), with the note it put on a frame, if given. Live mode has
   * already printed it.
   */
  retract(event: { id: string }, note?: { frame: number; note: Note['note'] }): void;
  /**
   * Adds a note to a frame. Routine notes (every advert of a steady master) stop being stored past a
   * cap, so a week-long capture stays in bounded memory; notable ones are kept. `null`: a routine note
   * the caller did not build because routineComments was false (counted as dropped).
   */
  comment(frame: number, note: Note | null, routine?: boolean): void;
  /** False once routine comments are no longer stored: callers skip building them. */
  readonly routineComments: boolean;
  /** A warning for the report (analysis left incomplete: a table full, state dropped). */
  warn(note: Note, frame?: number): void;
  /** Asks for `analyzer.tick` on the first frame at or after time `t` that the analyser does not look at. */
  wakeAt(analyzer: Analyzer, t: number): void;
  /** Records a host, its MAC and a role. */
  host(ip: string, mac?: string | null, role?: Role): void;
  /** Events of the other analysers, as they are emitted (an analyser reacts in its own onEvent). */
  readonly events: readonly AnalysisEvent[];
  /** The time of the first timestamped frame of input file `fileIndex` (what a capture that starts late missed). */
  startOf(fileIndex: number): number | undefined;
}

export interface Analyzer {
  readonly name: string;
  onPacket(pkt: Packet, ctx: EngineContext): void;
  /** The kinds of packet onPacket looks at (PacketKind bits); every packet when absent. */
  readonly wants?: number;
  /**
   * Time-driven work (a silence to notice, pending state to expire) between the packets it looks at:
   * called with a frame's time once that reaches what the analyser asked for with EngineContext.wakeAt.
   */
  tick?(t: number, ctx: EngineContext): void;
  /**
   * A TCP segment read straight from the bytes (dissect/tcp-segment.ts) at time `t`, in place of
   * onPacket, for an analyser that looks at TCP. The engine is given such segments only when every
   * analyser that looks at TCP has this method (Engine.takesTcpSegments); otherwise they come as packets.
   */
  onTcpSegment?(seg: TcpSegment, t: number, ctx: EngineContext): void;
  /** Another analyser emitted an event (called synchronously from emit). */
  onEvent?(event: AnalysisEvent, ctx: EngineContext): void;
  /** End of input: close open episodes. `lastTime` is the time of the last frame. */
  finish(ctx: EngineContext, lastTime: number): void;
  /** Extra findings for the report's top level (JSON fields beside `events`), after finish. */
  facts?(): Record<string, unknown>;
}

/** Routine comments kept: every frame of a lab capture; the first ones of a large capture (the report
 *  folds bulk traffic into counted runs anyway). */
export const MAX_ROUTINE_COMMENTS = 5_000;
const MAX_HOSTS = 10_000;

interface HostEntry { ip: string; macs: Set<string>; roles: Set<Role> }

export class Engine implements EngineContext {
  readonly events: AnalysisEvent[] = [];
  readonly frameNotes = new Map<number, Note[]>();
  /** Warnings of the analysers (see EngineContext.warn). */
  readonly warnings: { frame?: number; note: Note }[] = [];
  /** Routine comments not stored because the cap was reached. */
  routineCommentsDropped = 0;
  private routineCount = 0;
  private nextId = 1;
  /** Told of each event as it is emitted, before finish sorts them (live mode prints them). */
  onEmit: ((e: AnalysisEvent) => void) | null = null;
  private readonly hostTable = new Map<string, HostEntry>();
  /** Per input file: the time of its first timestamped frame (noteFrame). */
  private readonly starts: number[] = [];
  private emitting: Analyzer | null = null;
  /** Per analyser: the PacketKind bits it looks at (-1: every packet), and when it asked to tick. */
  private readonly wants: number[];
  private readonly wakes: number[];

  /** Every analyser that looks at TCP takes TcpSegments: the caller may pass them without decoding. */
  readonly takesTcpSegments: boolean;
  /** Per analyser: it looks at TCP segments. */
  private readonly takesTcp: boolean[];

  constructor(readonly analyzers: Analyzer[]) {
    this.wants = analyzers.map((a) => a.wants ?? -1);
    this.wakes = analyzers.map(() => Infinity);
    this.takesTcp = this.wants.map((w) => w === -1 || (w & PacketKind.TCP) !== 0);
    this.takesTcpSegments = analyzers.every((a, i) => !this.takesTcp[i] || typeof a.onTcpSegment === 'function');
  }

  /** The pipeline tells each frame's time before the frame, so that startOf knows each file's start. */
  noteFrame(fileIndex: number, t: number): void {
    if (this.starts[fileIndex] === undefined && !Number.isNaN(t)) this.starts[fileIndex] = t;
  }

  startOf(fileIndex: number): number | undefined {
    return this.starts[fileIndex];
  }

  wakeAt(analyzer: Analyzer, t: number): void {
    const i = this.analyzers.indexOf(analyzer);
    if (i >= 0 && t < this.wakes[i]) this.wakes[i] = t;
  }

  emit<E extends NewEvent>(event: E): E & { id: string } {
    const e = { id: 'e' + this.nextId++, ...event } as E & { id: string };
    this.events.push(e as unknown as AnalysisEvent);
    for (const a of this.analyzers) if (a.onEvent && a !== this.emitting) a.onEvent(e as unknown as AnalysisEvent, this);
    this.onEmit?.(e as unknown as AnalysisEvent);
    return e;
  }

  retract(event: { id: string }, note?: { frame: number; note: Note['note'] }): void {
    const i = this.events.findIndex((e) => e.id === event.id);
    if (i >= 0) this.events.splice(i, 1);
    const notes = note && this.frameNotes.get(note.frame);
    if (notes) {
      const kept = notes.filter((x) => x.note !== note.note);
      if (kept.length) this.frameNotes.set(note.frame, kept); else this.frameNotes.delete(note.frame);
    }
  }

  get routineComments(): boolean {
    return this.routineCount < MAX_ROUTINE_COMMENTS;
  }

  comment(frame: number, note: Note | null, routine = false): void {
    if (note === null) { if (routine) this.routineCommentsDropped++; return; }
    const prev = this.frameNotes.get(frame);
    if (prev === undefined && routine) {
      if (this.routineCount >= MAX_ROUTINE_COMMENTS) { this.routineCommentsDropped++; return; }
      this.routineCount++;
    }
    if (prev) prev.push(note); else this.frameNotes.set(frame, [note]);
  }

  warn(note: Note, frame?: number): void {
    if (this.warnings.length < 100) this.warnings.push(frame === undefined ? { note } : { frame, note });
  }

  host(ip: string, mac?: string | null, role?: Role): void {
    let h = this.hostTable.get(ip);
    if (!h) {
      if (this.hostTable.size >= MAX_HOSTS) return;
      h = { ip, macs: new Set(), roles: new Set() };
      this.hostTable.set(ip, h);
    }
    if (mac) h.macs.add(mac);
    if (role) h.roles.add(role);
  }

  hosts(): { ip: string; macs: string[]; roles: Role[] }[] {
    return [...this.hostTable.values()]
      .filter((h) => h.roles.size > 0)
      .map((h) => ({ ip: h.ip, macs: [...h.macs], roles: [...h.roles] }));
  }

  /**
   * Each analyser gets the packet if it looks at that kind; one that does not gets only the time, when
   * it asked for it (wakeAt), so that most analysers cost nothing on the bulk of a busy capture.
   */
  onPacket(pkt: Packet): void {
    const kind = kindOf(pkt);
    let t: number | undefined; // the frame's time, worked out only if an analyser waits for one
    const list = this.analyzers, wants = this.wants, wakes = this.wakes;
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const w = wants[i];
      if (w === -1 || (w & kind) !== 0) {
        this.emitting = a;
        a.onPacket(pkt, this);
      } else if (wakes[i] !== Infinity) {
        t ??= pkt.frame.noTimestamp ? NaN : frameTime(pkt.frame);
        if (t >= wakes[i]) this.wake(i, t); // (a frame without a time never is)
      }
    }
    this.emitting = null;
  }

  /** A TCP segment read from the bytes at time `t` (only when takesTcpSegments): as onPacket, to the onTcpSegment of those looking at TCP. */
  onTcpSegment(seg: TcpSegment, t: number): void {
    const list = this.analyzers, takes = this.takesTcp, wakes = this.wakes;
    for (let i = 0; i < list.length; i++) {
      if (takes[i]) {
        this.emitting = list[i];
        list[i].onTcpSegment!(seg, t, this);
      } else if (t >= wakes[i]) this.wake(i, t);
    }
    this.emitting = null;
  }

  private wake(i: number, t: number): void {
    this.wakes[i] = Infinity;
    this.emitting = this.analyzers[i];
    this.analyzers[i].tick?.(t, this);
  }

  finish(lastTime: number): void {
    for (const a of this.analyzers) {
      this.emitting = a;
      a.finish(this, lastTime);
    }
    this.emitting = null;
    this.events.sort((a, b) => a.time - b.time || Number(a.id.slice(1)) - Number(b.id.slice(1)));
  }

  /** What the analysers add beside the events (e.g. `vips`: who answered for each VIP over time). */
  facts(): Record<string, unknown> {
    return Object.assign({}, ...this.analyzers.map((a) => a.facts?.() ?? {}));
  }

  /** Event ids naming each frame. */
  frameEvents(): Map<number, string[]> {
    const m = new Map<number, string[]>();
    for (const e of this.events) for (const n of e.frames) {
      const l = m.get(n);
      if (l) l.push(e.id); else if (!l) m.set(n, [e.id]);
    }
    return m;
  }
}
