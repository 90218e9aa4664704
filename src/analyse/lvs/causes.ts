// What explains what LVS shows: the recent VRRP and health-check events, searched for the verdict
// behind a pool change or the event nearest an outage's start.

import type { AnalysisEvent } from '../events.js';
import type { HcState } from '../checks/events.js';
import type { VrrpMaster, VrrpResign, VrrpSilent } from '../vrrp/events.js';
import type { LvsRealServer } from './events.js';
import type { Network } from './network.js';

/** The events that may explain what LVS shows. */
type Explaining = VrrpMaster | VrrpSilent | VrrpResign | HcState;

export class Causes {
  private readonly recent: Explaining[] = [];
  /**
   * Pool changes no verdict explained yet: a health-check verdict is emitted once keepalived's retries
   * are known to have failed (the checks analyser waits for delay_before_retry), which may be after the
   * pool change it explains is seen on the wire; it is tied to them when it comes (verdict()).
   */
  private readonly unexplained: LvsRealServer[] = [];

  constructor(private readonly network: Network) {}

  /** Another analyser's event: kept when it may explain something. */
  event(e: AnalysisEvent): void {
    if (e.kind === 'hc.state') this.verdict(e);
    if (e.kind === 'vrrp.master' || e.kind === 'vrrp.silent' || e.kind === 'hc.state' || e.kind === 'vrrp.resign') {
      this.recent.push(e);
      if (this.recent.length > 512) this.recent.shift();
    }
  }

  /** The health-check verdict that explains a real server leaving or rejoining the pool at `t`. */
  poolChange(server: string, state: 'in' | 'out', t: number): HcState | null {
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const e = this.recent[i];
      if (e.kind !== 'hc.state' || e.time > t + 0.5 || t - e.time > 15) continue;
      if (sameServer(e.target, server) && e.state === (state === 'out' ? 'down' : 'up')) return e;
    }
    return null;
  }

  /** A pool change nothing explained when it was seen: a verdict coming later may. */
  unexplainedChange(e: LvsRealServer): void {
    this.unexplained.push(e);
  }

  /** Forgets the unexplained changes no verdict can explain any more (older than the window) at `t`. */
  forgetBefore(t: number): void {
    while (this.unexplained.length && (t - this.unexplained[0].time > 30 || this.unexplained.length >= 256)) this.unexplained.shift();
  }

  /** A verdict that came after the pool change it explains: the same window as poolChange(). */
  private verdict(v: HcState): void {
    for (let i = 0; i < this.unexplained.length; i++) {
      const p = this.unexplained[i];
      if (!sameServer(v.target, p.realServer) || v.state !== (p.state === 'out' ? 'down' : 'up') || v.time > p.time + 0.5 || p.time - v.time > 15) continue;
      p.cause = 'hc';
      p.checker = v.checker;
      p.reason = v.reason;
      p.related = v.id;
      p.frames = [...v.frames.slice(0, 2), ...p.frames];
      this.unexplained.splice(i, 1);
      return;
    }
  }

  /** The event nearest an outage's start that explains it (director events of that VIP preferred). */
  outage(start: number, end: number, vip: string | null, port: number | null): Explaining | null {
    let best: Explaining | null = null, bestScore = Infinity;
    for (const e of this.recent) {
      if (e.time < start - 10 || e.time > end + 1) continue;
      if (e.kind === 'vrrp.master' && e.reason === 'initial') continue;
      if (vip && e.kind !== 'hc.state' && !this.network.vipsOfVrid.get(`${e.family}:${e.vrid}`)?.has(vip)) continue;
      // A failing check explains an outage of a service on the same port only (a DNS outage is no web server's doing).
      if (e.kind === 'hc.state' && port !== null && !e.target.endsWith(`:${port}`)) continue;
      const score = Math.abs(e.time - start) + (e.kind === 'hc.state' ? 3 : 0);
      if (score < bestScore) { best = e; bestScore = score; }
    }
    return best;
  }
}

/** A check's target (ip:port, or the address alone for PING_CHECK) names the real server ip:port. */
function sameServer(target: string, server: string): boolean {
  return target === server || (!target.includes(':') && server.startsWith(target + ':'));
}
