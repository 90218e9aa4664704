// The rule engine: decoded packets flow through small stateful analysers (one per domain), each of
// which emits events of the vocabulary in ../shared/spec/events.md with the frames that prove them,
// and per-frame comments. Analysers keep bounded state; the engine owns event ids and ordering.

import type { Packet } from '../decoders/packet.js';
import type { VrrpscopeEvent } from './events.js';

export interface EngineContext {
  emit(event: Omit<VrrpscopeEvent, 'id'>): VrrpscopeEvent;
  /** Sets (or appends to) the comment of a frame. */
  comment(frame: number, text: string): void;
}

export interface Analyzer {
  readonly name: string;
  onPacket(pkt: Packet, ctx: EngineContext): void;
  /** End of input: close open episodes. `lastTime` is the time of the last frame. */
  finish(ctx: EngineContext, lastTime: number): void;
}

export class Engine implements EngineContext {
  readonly events: VrrpscopeEvent[] = [];
  readonly frameComments = new Map<number, string>();
  private nextId = 1;

  constructor(readonly analyzers: Analyzer[]) {}

  emit(event: Omit<VrrpscopeEvent, 'id'>): VrrpscopeEvent {
    const e = { id: 'e' + this.nextId++, ...event } as VrrpscopeEvent;
    this.events.push(e);
    return e;
  }

  comment(frame: number, text: string): void {
    const prev = this.frameComments.get(frame);
    this.frameComments.set(frame, prev ? prev + '; ' + text : text);
  }

  onPacket(pkt: Packet): void {
    for (const a of this.analyzers) a.onPacket(pkt, this);
  }

  finish(lastTime: number): void {
    for (const a of this.analyzers) a.finish(this, lastTime);
    this.events.sort((a, b) => a.time - b.time || Number(a.id.slice(1)) - Number(b.id.slice(1)));
  }

  /** Event ids naming each frame. */
  frameEvents(): Map<number, string[]> {
    const m = new Map<number, string[]>();
    for (const e of this.events) for (const n of e.frames) {
      const l = m.get(n);
      if (l) l.push(e.id); else m.set(n, [e.id]);
    }
    return m;
  }
}
