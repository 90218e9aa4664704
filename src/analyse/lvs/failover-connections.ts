// Connections open across a director takeover: did they survive (IPVS sync gave the new master their
// state) or were they reset?

import type { EngineContext } from '../engine.js';
import type { VrrpMaster } from '../vrrp/events.js';
import type { Flow, TcpFlows } from '../tcp/flows.js';

interface Takeover { event: VrrpMaster; open: Flow[] }

export class FailoverConnections {
  private readonly takeovers: Takeover[] = [];

  constructor(private readonly flows: TcpFlows) {}

  /**
   * A new master: the established connections open now to the VIPs it announces (at most 2000). Those to
   * another VRID's VIP are that VRID's takeover: a sync group moving together is told once per VIP,
   * not once per VRID.
   */
  master(e: VrrpMaster): void {
    // (A master advertising again after its own silence, nobody in between, took nothing over.)
    if (e.reason === 'initial' || !e.previous) return;
    const open: Flow[] = [];
    const vips = e.addresses;
    this.flows.forEachOpen((f) => { if (open.length < 2000 && f.established && vips.includes(f.serverIp)) open.push(f); });
    if (open.length) this.takeovers.push({ event: e, open });
  }

  /**
   * `synced`: a director sent IPVS sync in the capture; `syncedAt`: when a sync message last carried a
   * client connection. A reset connection no sync message carried before the takeover is one the new
   * master could not know (the master sends sync at most 2 s late, when a buffer fills or on a timer).
   */
  finish(ctx: EngineContext, synced: boolean, syncedAt: (ip: string, port: number) => number | undefined): void {
    for (const tk of this.takeovers) {
      const after = tk.event.time;
      const survived = tk.open.filter((f) => f.lastTime > after + 0.2 && f.ended !== 'rst' && f.ended !== 'refused');
      const reset = tk.open.filter((f) => f.ended === 'rst' && f.lastTime >= after);
      if (!survived.length && !reset.length) continue;
      const unsynced = reset.filter((f) => !((syncedAt(f.clientIp, f.clientPort) ?? Infinity) <= after)).length;
      ctx.emit({
        kind: 'lvs.failover-connections', time: after, frames: [...tk.event.frames.slice(-1), ...survived.slice(0, 5).map((f) => f.lastFrame), ...reset.slice(0, 5).map((f) => f.rstFrame)],
        severity: reset.length ? 'warning' : 'info',
        related: tk.event.id, router: tk.event.router, previous: tk.event.previous, survived: survived.length, reset: reset.length, unsynced, synced,
      });
    }
  }
}
