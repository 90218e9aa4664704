// The TCP flow table: every segment finds its own connection while thousands are open at once (the
// table grows), closed connections leave it, and beyond its cap the least recently active is evicted
// and counted.

import { Say } from '../../src/present/say/index.js';
import { describe, expect, it } from 'vitest';
import { TcpFlows, type Flow } from '../../src/analyse/tcp/flows.js';
import { TcpFlag } from '../../src/dissect/tcp.js';
import { byTime, connection, run, tcp, type Timed } from '../support/frames.js';

function recorder(flows: TcpFlows): { ended: Flow[]; segments: Map<Flow, number> } {
  const ended: Flow[] = [];
  const segments = new Map<Flow, number>();
  flows.subscribe({
    onSegment: (f) => segments.set(f, (segments.get(f) ?? 0) + 1),
    onFlowEnd: (f) => ended.push(f),
  });
  return { ended, segments };
}

describe('TCP flows', () => {
  it('keeps 6000 concurrent connections apart, then each closes as its own flow', { timeout: 30_000 }, () => {
    const flows = new TcpFlows();
    const r = recorder(flows);
    const frames: Timed[] = [];
    const N = 6000;
    // Every connection opens (SYN, SYN/ACK, ACK) before any closes: 6000 flows live at once.
    for (let i = 0; i < N; i++) {
      const c = { src: `10.1.${i >> 8}.${i & 255}`, dst: '10.0.0.100', sport: 40000 + (i % 20000), dport: 80 };
      const s = { src: c.dst, dst: c.src, sport: 80, dport: c.sport };
      frames.push([i * 1e-4, tcp({ ...c, flags: 'S', seq: i })], [i * 1e-4 + 5e-5, tcp({ ...s, flags: 'SA', seq: 7, ack: i + 1 })], [i * 1e-4 + 6e-5, tcp({ ...c, flags: 'A', seq: i + 1, ack: 8 })]);
    }
    for (let i = 0; i < N; i++) {
      const c = { src: `10.1.${i >> 8}.${i & 255}`, dst: '10.0.0.100', sport: 40000 + (i % 20000), dport: 80 };
      const s = { src: c.dst, dst: c.src, sport: 80, dport: c.sport };
      const t = 1 + i * 1e-4;
      frames.push([t, tcp({ ...c, flags: 'PA', seq: i + 1, ack: 8, payload: 'x' })], [t + 2e-5, tcp({ ...c, flags: 'FA', seq: i + 2, ack: 8 })], [t + 5e-5, tcp({ ...s, flags: 'FA', seq: 8, ack: i + 3 })]);
    }
    const { engine } = run([flows], frames);
    expect(flows.flowsSeen).toBe(N);
    expect(flows.evicted).toBe(0);
    expect(engine.warnings).toEqual([]);
    expect(engine.facts()).toEqual({ tcp: { connections: N, maxOpen: N, evicted: 0 } });
    expect(flows.size).toBe(0);
    expect(r.ended.length).toBe(N);
    // One assertion over the 6000 (18 000 expect() calls cost more than the flows themselves).
    expect(r.ended.filter((f) => f.ended !== 'fin' || f.established !== true || f.syns !== 1).map((f) => [f.ended, f.established, f.syns])).toEqual([]);
    // Listeners get the segments that open a flow or carry data: each flow's own SYN and its data
    // segment, sent once all 6000 were open.
    expect(r.segments.size).toBe(N);
    expect(new Set(r.segments.values())).toEqual(new Set([2]));
    expect(r.ended.filter((f) => f.clientBytes !== 1).map((f) => f.clientBytes)).toEqual([]);
  });

  it('evicts the least recently active flow beyond its cap, and counts it', () => {
    const flows = new TcpFlows({ maxFlows: 100 });
    const r = recorder(flows);
    const frames: Timed[] = [];
    for (let i = 0; i < 150; i++) frames.push(...connection({ client: '10.0.0.50', server: '10.0.0.21', cport: 30000 + i, sport: 80, at: i * 0.001, clientCloses: true }).slice(0, 3));
    const { engine } = run([flows], frames.sort(byTime));
    expect(flows.flowsSeen).toBe(150);
    expect(flows.evicted).toBe(50);
    expect(flows.size).toBe(100);
    // The report says so, and the JSON carries the counts.
    expect(engine.warnings.map((w) => w.note)).toEqual([{ note: 'flows.evicted', count: 50, max: 100 }]);
    expect(engine.warnings.map((w) => new Say('en').note(w.note))).toEqual(['50 TCP connections were dropped from tracking because 100 were already open: what happened to them (health-check verdicts, forwarding, outages) is not in this report.']);
    expect(engine.facts()).toEqual({ tcp: { connections: 150, maxOpen: 100, evicted: 50 } });
    // The first 50 were evicted (ended as idle), in the order they were opened; all 150 end by the finish.
    expect(r.ended.slice(0, 50).map((f) => f.clientPort)).toEqual(Array.from({ length: 50 }, (_, i) => 30000 + i));
    expect(r.ended.length).toBe(150);
  });

  it('a new SYN on a closed flow\'s ports is a new connection', () => {
    const flows = new TcpFlows();
    const r = recorder(flows);
    const first = connection({ client: '10.0.0.50', server: '10.0.0.21', cport: 31000, sport: 80, at: 0, request: 'x', response: 'y' });
    const again = connection({ client: '10.0.0.50', server: '10.0.0.21', cport: 31000, sport: 80, at: 0.5, isn: 555 });
    run([flows], [...first, ...again]);
    expect(flows.flowsSeen).toBe(2);
    expect(r.ended.map((f) => [f.clientIsn, f.ended])).toEqual([[32000, 'fin'], [555, 'fin']]);
  });

  it('keeps each analyser\'s own state on a flow in the slot it declared, apart from the others\'', () => {
    const flows = new TcpFlows();
    const ports = flows.declareSlot<number>('ports');
    const seqs = flows.declareSlot<string>('seqs');
    expect(() => flows.declareSlot('ports')).toThrow(/declared twice/);
    const seen: [number | undefined, string | undefined][] = [];
    // One listener writes both slots on a flow's SYN (the second only for even ports); the other reads them as the flow ends.
    flows.subscribe({
      onSegment: (f, seg) => { if (seg.flags & TcpFlag.SYN) { ports.set(f, f.clientPort); if (f.clientPort % 2 === 0) seqs.set(f, `isn ${seg.seq}`); } },
    });
    flows.subscribe({ onFlowEnd: (f) => seen.push([ports.get(f), seqs.get(f)]) });
    const frames: Timed[] = [];
    for (let i = 0; i < 4; i++) frames.push(...connection({ client: '10.0.0.50', server: '10.0.0.21', cport: 32000 + i, sport: 80, at: i * 0.01, isn: 100 + i }));
    // A connection whose SYN was not captured: nobody wrote a slot, the flow holds none.
    let untouched: Flow | null = null;
    flows.subscribe({ onFlowEnd: (f) => { if (f.clientPort === 33000) untouched = f; } });
    frames.push(...connection({ client: '10.0.0.50', server: '10.0.0.21', cport: 33000, sport: 80, at: 1, request: 'x' }).slice(3));
    run([flows], frames.sort(byTime));
    expect(seen.slice(0, 4)).toEqual([[32000, 'isn 100'], [32001, undefined], [32002, 'isn 102'], [32003, undefined]]);
    expect(untouched!.slots).toBeNull();
  });
});
