// The rule engine's dispatch: an analyser that declares the kinds of packet it looks at gets only
// those, and between them only the times it asked for (wakeAt); one that declares nothing gets all.

import { describe, expect, it } from 'vitest';
import { Engine, PacketKind, type Analyzer, type EngineContext } from '../../src/analyse/engine.js';
import { Frame } from '../../src/io/frame.js';
import { decodePacket } from '../../src/dissect/packet.js';
import { I18n } from '../../src/present/i18n/index.js';
import type { Packet } from '../../src/dissect/packet.js';
import { advert, run, tcp, type Timed } from '../support/frames.js';

class Recorder implements Analyzer {
  readonly name = 'recorder';
  readonly seen: number[] = [];
  readonly ticks: number[] = [];
  constructor(readonly wants: number | undefined, private readonly wake: number | null = null) {}
  onPacket(pkt: Packet, ctx: EngineContext): void {
    this.seen.push(pkt.frame.n);
    if (this.wake !== null && this.seen.length === 1) ctx.wakeAt(this, 1795550000 + this.wake);
  }
  tick(t: number): void {
    this.ticks.push(Math.round((t - 1795550000) * 10) / 10);
  }
  finish(): void {}
}

const segment = (i: number) => tcp({ src: '10.0.0.50', dst: '10.0.0.21', sport: 40000 + i, dport: 80, flags: 'A' });
// Frame 1 an advert at 0 s, then TCP segments at 1, 2 … 6 s, an advert at 7 s.
const frames: Timed[] = [[0, advert({ src: '10.0.0.11' })], ...[1, 2, 3, 4, 5, 6].map((s): Timed => [s, segment(s)]), [7, advert({ src: '10.0.0.11' })]];

describe('engine dispatch', () => {
  it('gives an analyser only the kinds it looks at; one without `wants` gets every packet', () => {
    const vrrpOnly = new Recorder(PacketKind.VRRP), tcpOnly = new Recorder(PacketKind.TCP), all = new Recorder(undefined);
    run([vrrpOnly, tcpOnly, all], frames);
    expect(vrrpOnly.seen).toEqual([1, 8]);
    expect(tcpOnly.seen).toEqual([2, 3, 4, 5, 6, 7]);
    expect(all.seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('between its packets, ticks once at the first frame at or after the time it asked for, and not otherwise', () => {
    const waking = new Recorder(PacketKind.VRRP, 3.5), quiet = new Recorder(PacketKind.VRRP);
    run([waking, quiet], frames);
    expect(waking.ticks).toEqual([4]);
    expect(quiet.ticks).toEqual([]);
  });

  it('a frame without a time (pcapng simple packet block) wakes nobody', () => {
    const waking = new Recorder(PacketKind.VRRP, 0.5);
    const engine = new Engine([waking]);
    engine.onPacket(decodePacket(Frame.of(advert({ src: '10.0.0.11' }), 1, 1795550000, 0, 1)));
    const untimed = Frame.of(segment(1), 1, 1795550009, 0, 2);
    untimed.noTimestamp = true;
    engine.onPacket(decodePacket(untimed));
    expect(waking.ticks).toEqual([]);
    engine.onPacket(decodePacket(Frame.of(segment(2), 1, 1795550001, 0, 3)));
    expect(waking.ticks).toEqual([1]);
  });
});

