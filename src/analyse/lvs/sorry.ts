// The sorry server: where keepalived sends a virtual service's new connections once too few real
// servers pass their checks (the quorum is lost), until enough pass again.

import type { EngineContext } from '../engine.js';
import type { HealthChecks } from '../checks/analyser.js';
import type { RealServer, Service } from './services.js';

/**
 * keepalived never checks the sorry server: a destination nobody checks, beside checked ones. And it
 * sends connections there only when the quorum is lost, which takes a failing check: a server nobody
 * checks yet while the pool's checks pass is a server a configuration reload added (its first check
 * comes after its first connections: ivs3/reload-pool).
 */
export function isSorryServer(svc: Service, server: string, checks: HealthChecks): boolean {
  const checked = checks.seriesOf(server).length > 0;
  const anyChecked = checked || svc.serverList.some((x) => !x.sorry && checks.seriesOf(x.id).length > 0);
  return !checked && anyChecked && svc.servers.size > 0 && svc.serverList.some((x) => !x.sorry && checks.isFailing(x.id));
}

/** The sorry server takes a connection: its window opens, unless open already. */
export function sorryConnection(svc: Service, rs: RealServer, t: number, n: number, ctx: EngineContext): void {
  if (svc.sorry && svc.sorry.end === null) return;
  svc.sorry = { server: rs.id, start: t, startFrame: n, end: null, event: null };
  svc.sorry.event = ctx.emit({
    kind: 'lvs.sorry', time: t, frames: [n], severity: 'warning',
    vip: svc.id, sorryServer: rs.id, start: t, end: null,
  });
}

/** A real server takes a connection: an open sorry window closes. */
export function regularConnection(svc: Service, t: number, n: number): void {
  const s = svc.sorry;
  if (!s || s.end !== null) return;
  s.end = t;
  const e = s.event!;
  e.end = t;
  e.frames.push(n);
}

/** The sorry window open now, or closed less than 2 s before `t` (the pool's servers rejoining as it ends). */
export function quorumLost(svc: Service, state: 'in' | 'out', t: number): boolean {
  const s = svc.sorry;
  if (!s) return false;
  return state === 'out' ? s.end === null : s.end !== null && t - s.end < 2;
}
