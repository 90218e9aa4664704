// Outages clients saw: a run of failed attempts (connections, pings, UDP requests) to a virtual
// service, from the first failure to the next success, extended back to unanswered ARP requests for
// the VIP, and tied to the event that explains it. An attempt's outcome is known within seconds (an
// answer, or a refusal, reset or SYNs left unanswered); outcomes are buffered and read in start order,
// so concurrent attempts cannot split or hide an outage.

import type { EngineContext } from '../engine.js';
import type { Flow, FlowSlot, TcpFlows } from '../tcp/flows.js';
import type { Causes } from './causes.js';
import type { Network } from './network.js';
import { MAX_FRAMES, type Attempt, type Service } from './services.js';

/** A time nobody answered clients' ARP requests for a VIP (first request, the answer). */
interface VipArpWindow { vip: string; from: number; to: number; frame: number; used: boolean }

export class Outages {
  /** A client's connection to a virtual service, until its outcome is known. */
  private readonly connection: FlowSlot<Service | null>;
  /** Clients asking who has a VIP and getting no answer: nobody holds it (first request time, frame). */
  private readonly vipArpWait = new Map<string, { from: number; frame: number }>();
  private readonly vipArpWindows: VipArpWindow[] = [];

  constructor(flows: TcpFlows, private readonly network: Network, private readonly causes: Causes) {
    this.connection = flows.declareSlot<Service | null>('lvs');
  }

  /** A client's connection to `svc` opens: its outcome counts for the service. */
  watch(flow: Flow, svc: Service): void {
    this.connection.set(flow, svc);
  }

  /** The server sent data to the client: the connection worked, whatever happens to it later. */
  answered(flow: Flow, ctx: EngineContext): void {
    if (this.connection.get(flow)) this.connectionOutcome(flow, true, ctx);
  }

  flowEnd(flow: Flow, ctx: EngineContext): void {
    if (!flow.sawSyn || !this.connection.get(flow)) return;
    const failed = flow.ended === 'refused' || flow.ended === 'unanswered' || flow.ended === 'rst';
    if (failed || flow.established) this.connectionOutcome(flow, !failed, ctx);
  }

  private connectionOutcome(flow: Flow, ok: boolean, ctx: EngineContext): void {
    const svc = this.connection.get(flow)!;
    this.connection.set(flow, null);
    this.attempt(svc, { time: flow.synTime, frame: flow.synFrame, ok, end: flow.lastTime }, flow.lastTime, ctx);
  }

  /** An attempt's outcome, known at `now`. */
  attempt(svc: Service, a: Attempt, now: number, ctx: EngineContext): void {
    if (svc.attempts.length < 100_000) svc.attempts.push(a);
    // Read in batches, every 5 s of capture time, what is older than 15 s (all outcomes are known by then).
    if (now - svc.lastRead > 5) { svc.lastRead = now; this.read(svc, now - 15, ctx); }
  }

  private read(svc: Service, upTo: number, ctx: EngineContext): void {
    svc.attempts.sort((a, b) => a.time - b.time);
    let i = 0;
    for (; i < svc.attempts.length && svc.attempts[i].time <= upTo; i++) {
      const o = svc.attempts[i];
      if (!o.ok) {
        if (!svc.failures) svc.failures = { start: o.time, frames: [], count: 0, last: o.end };
        svc.failures.count++;
        svc.failures.last = Math.max(svc.failures.last, o.time);
        if (svc.failures.frames.length < MAX_FRAMES) svc.failures.frames.push(o.frame);
      } else if (svc.failures) {
        this.close(svc, o.time, o.frame, ctx);
      }
    }
    svc.attempts.splice(0, i);
  }

  private close(svc: Service, end: number | null, frame: number | null, ctx: EngineContext): void {
    const f = svc.failures!;
    svc.failures = null;
    // The clients' SYNs may have waited behind unanswered ARP requests for the VIP: the outage began then.
    for (const w of this.vipArpWindows) {
      if (w.vip === svc.vip && w.from < f.start && w.to >= f.start - 1) { f.start = w.from; f.frames.unshift(w.frame); w.used = true; }
    }
    const stop = end ?? f.last;
    const cause = this.causes.outage(f.start, stop, svc.vip, svc.proto === 'ping' ? null : svc.port);
    ctx.emit({
      kind: 'svc.outage', time: f.start, frames: frame ? [...f.frames, frame] : f.frames, severity: 'warning',
      vip: svc.id, probe: svc.proto, start: f.start, end: stop, ongoing: end === null,
      durationMs: Math.round((stop - f.start) * 1000), failedConnections: f.count, related: cause?.id ?? null,
    });
  }

  /**
   * An ARP request or reply. Any address may turn out to be a VIP once its first master shows:
   * requests are kept (bounded); the answer closes the wait.
   */
  arp(op: number, sender: string, target: string, t: number, n: number): void {
    if (op === 1 && target !== sender && !this.network.isDirector(sender)) {
      if (!this.vipArpWait.has(target) && this.vipArpWait.size < 1024) this.vipArpWait.set(target, { from: t, frame: n });
      return;
    }
    const w = this.vipArpWait.get(sender);
    if (!w) return;
    this.vipArpWait.delete(sender);
    if (this.network.vips.has(sender) && t - w.from > 0.5 && this.vipArpWindows.length < 256) this.vipArpWindows.push({ vip: sender, from: w.from, to: t, frame: w.frame, used: false });
  }

  /** End of capture: the service's outcomes read, an open outage told as ongoing. */
  finish(svc: Service, ctx: EngineContext): void {
    this.read(svc, Infinity, ctx);
    if (svc.failures) this.close(svc, null, null, ctx);
  }

  /** End of capture: unanswered ARP for a VIP that no failed attempt told (clients that gave up before connecting). */
  finishArp(ctx: EngineContext): void {
    for (const w of this.vipArpWindows) {
      if (w.used || w.to - w.from < 1) continue;
      ctx.emit({
        kind: 'svc.outage', time: w.from, frames: [w.frame], severity: 'warning',
        vip: w.vip, probe: 'arp', start: w.from, end: w.to, ongoing: false, durationMs: Math.round((w.to - w.from) * 1000), failedConnections: 0, related: null,
      });
    }
  }
}
