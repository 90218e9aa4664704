// Changes of the priority a router advertises. keepalived changes its effective priority when a tracked
// script, file, interface or process changes state with a weight, or when a reload changes `priority`
// (vrrp_set_effective_priority, clamped to 1..254; keepalived-semantics.md §5, "Weights"). It sends no
// advert for the change: the next regular advert carries it. A master whose priority falls below a
// backup's is preempted by that backup when its Master_Down_Interval runs out (the backup discards the
// lower adverts); a backup's own change is not on the wire until it advertises again, e.g. when it
// preempts. Each change is one vrrp.priority, told with what followed.

import type { EngineContext } from '../engine.js';
import type { VrrpMaster, VrrpPriority } from './events.js';

interface Speaker { ip: string; lastTime: number; lastFrame: number }

export class PriorityChanges<R extends Speaker> {
  /** The last change of each router not yet followed by a takeover (objects die with their routers). */
  private readonly pending = new WeakMap<R, VrrpPriority>();

  /**
   * Router r advertised `to` after `from` (both non-zero: priority 0 is a resignation, not a weight). Called
   * before r's lastTime/lastFrame move to this advert; `started` is the vrrp.master this advert began, if any.
   */
  changed(r: R, vrid: number, family: 4 | 6, from: number, to: number, t: number, n: number, wasAdvertising: boolean, started: VrrpMaster | null, ctx: EngineContext): void {
    const e = ctx.emit({
      kind: 'vrrp.priority', time: t, frames: [r.lastFrame, n], severity: 'notice',
      vrid, family, router: r.ip, from, to, whileBackup: !wasAdvertising,
      then: started && started.reason === 'preemption' ? 'preempted' : null, thenBy: started ? r.ip : null,
      thenMs: started ? 0 : null, thenEvent: started && started.reason === 'preemption' ? started.id : null,
    } satisfies Omit<VrrpPriority, 'id'>);
    if (started) return;
    this.pending.set(r, e);
  }

  /** A router took over from `previous`: the fall of previous's priority below its own, if that made it. */
  takeover(previous: R | null, next: { ip: string; priority: number }, master: VrrpMaster): void {
    // (The backup's Master_Down_Interval runs from the master's last advert at the old priority: the
    // vrrp.master's waitFrom 'priority-drop' measures that; thenMs is from the first advert at the new one.)
    const e = previous ? this.pending.get(previous) : undefined;
    if (!previous || !e || e.then) return;
    if (!(e.from >= next.priority && e.to < next.priority)) return;
    e.then = 'taken-over';
    e.thenBy = next.ip;
    e.thenMs = Math.round((master.time - e.time) * 1e6) / 1000;
    e.thenEvent = master.id;
    e.severity = 'warning';
    this.pending.delete(previous);
  }
}
