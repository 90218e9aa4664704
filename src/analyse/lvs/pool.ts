// A virtual service's pool as its forwarded connections show it: each connection the director sent on
// (whatever the method) counts for its real server; a server the scheduler skips leaves the pool, one
// that gets connections again rejoins it, each change tied to the verdict or quorum loss behind it.

import type { EngineContext } from '../engine.js';
import type { HealthChecks } from '../checks/analyser.js';
import type { Method } from './events.js';
import type { VrrpMaster } from '../vrrp/events.js';
import type { Causes } from './causes.js';
import { MAX_FRAMES, MAX_PERIODS, type ForwardPeriod, type RealServer, type Service, type ServiceKey, type Services } from './services.js';
import { isSorryServer, quorumLost, regularConnection, sorryConnection } from './sorry.js';
import { scheduling } from './scheduling.js';

/** A connection the director sent on to a server. */
export interface Forwarding {
  method: Method;
  client: string;
  clientPort: number;
  service: ServiceKey;
  /** The server it reached, ip:port. */
  server: string;
  /** The director that forwarded it, and the vrrp.master that began its tenure then (null: not master, or no VRRP seen). */
  director: string | null;
  tenure: VrrpMaster | null;
  time: number;
  frame: number;
}

/**
 * Client connection (address, port) → the real server it was forwarded to. Bounded: two generations of
 * 50 000; looked up by address first (a handful of clients in a lab), then by port (a number).
 */
export class ForwardedConnections {
  private current = new Map<string, Map<number, RealServer>>();
  private previous = new Map<string, Map<number, RealServer>>();
  private count = 0;

  set(ip: string, port: number, rs: RealServer): void {
    if (this.count >= 50_000) { this.previous = this.current; this.current = new Map(); this.count = 0; }
    let ports = this.current.get(ip);
    if (!ports) { ports = new Map(); this.current.set(ip, ports); }
    if (!ports.has(port)) this.count++;
    ports.set(port, rs);
  }

  get(ip: string, port: number): RealServer | undefined {
    return this.current.get(ip)?.get(port) ?? this.previous.get(ip)?.get(port);
  }
}

/** Counts a connection in its director's period for the server (the last one, usually). */
function period(rs: RealServer, fw: Forwarding): void {
  const director = fw.director, tenure = fw.tenure?.id ?? null;
  const list = rs.periods;
  let p: ForwardPeriod | undefined = list[list.length - 1];
  if (!p || p.director !== director || p.tenure !== tenure) {
    p = list.find((x) => x.director === director && x.tenure === tenure);
    if (!p) {
      // Beyond the bound, the connections go to one period of no known director.
      if (list.length >= MAX_PERIODS) p = list.find((x) => x.director === null && x.tenure === null);
      if (!p) { p = { director: list.length >= MAX_PERIODS ? null : director, tenure: list.length >= MAX_PERIODS ? null : tenure, connections: 0, first: fw.time, last: fw.time, frames: [] }; list.push(p); }
    }
  }
  p.connections++;
  p.last = Math.max(p.last, fw.time);
  if (p.frames.length < MAX_FRAMES) p.frames.push(fw.frame);
}

export class Pool {
  /** Which real server each client connection (ip, port) was forwarded to (UDP connections, sync checks). */
  readonly forwarded = new ForwardedConnections();

  constructor(private readonly services: Services, private readonly causes: Causes, private readonly checks: HealthChecks) {}

  /** A connection forwarded to a real server (or the sorry server). */
  forward(fw: Forwarding, ctx: EngineContext): void {
    const { method, client: cip, clientPort: cport, server, time: t, frame: n } = fw;
    const svc = this.services.get(fw.service);
    if (!svc) return;
    const index = ++svc.connections;
    let rs = svc.servers.get(server);
    if (!rs) {
      const sorry = isSorryServer(svc, server, this.checks);
      rs = { id: server, service: svc.id, connections: 0, lastIndex: index, state: 'in', frames: [], method, sorry, firstTime: t, periods: [] };
      svc.servers.set(server, rs);
      svc.serverList.push(rs);
      ctx.host(server.slice(0, server.lastIndexOf(':')), null, sorry ? 'sorry-server' : 'real-server');
    }
    this.forwarded.set(cip, cport, rs);
    if (svc.choices.length < 4096) svc.choices.push(server);
    rs.connections++;
    if (rs.frames.length < MAX_FRAMES) rs.frames.push(n);
    period(rs, fw);
    ctx.comment(n, ctx.routineComments ? { note: 'lvs.forward', method: svc.proto === 'udp' ? 'nat-udp' : method, client: `${cip}:${cport}`, service: svc.id, server, sorry: rs.sorry } : null, true);

    if (rs.sorry) sorryConnection(svc, rs, t, n, ctx);
    else regularConnection(svc, t, n);
    // A connection reaching a server whose check still fails is keepalived not having removed it yet
    // (retries), not a return to the pool.
    if (rs.state === 'out' && !this.checks.isFailing(rs.id)) this.change(svc, rs, 'in', t, n, ctx);
    rs.lastIndex = index;
    // A server the scheduler skipped for a full round while its check fails, or for two rounds
    // without any check telling why, has left the pool.
    let activeCount = 0;
    const list = svc.serverList;
    for (let i = 0; i < list.length; i++) if (list[i].state === 'in' && !list[i].sorry) activeCount++;
    const round = Math.max(2, activeCount);
    for (let i = 0; i < list.length; i++) {
      const other = list[i];
      if (other === rs || other.sorry || other.state !== 'in') continue;
      const failing = this.checks.isFailing(other.id);
      if (failing ? index - other.lastIndex >= round : index - other.lastIndex > 2 * round) this.change(svc, other, 'out', t, n, ctx);
    }
    if (rs.sorry) for (const other of list) if (!other.sorry && other.state === 'in') this.change(svc, other, 'out', t, n, ctx);
  }

  private change(svc: Service, rs: RealServer, state: 'in' | 'out', t: number, n: number, ctx: EngineContext): void {
    rs.state = state;
    const cause = this.causes.poolChange(rs.id, state, t);
    const quorum = quorumLost(svc, state, t);
    this.causes.forgetBefore(t);
    const event = ctx.emit({
      kind: 'lvs.realserver', time: t, frames: cause ? [...cause.frames.slice(0, 2), n] : [n], severity: state === 'out' ? 'warning' : 'notice',
      realServer: rs.id, state, service: svc.id, cause: cause ? 'hc' : quorum ? 'quorum' : 'none',
      checker: cause ? cause.checker : null, reason: cause ? cause.reason : null, related: cause?.id ?? svc.sorry?.event?.id ?? null,
    });
    if (!cause) this.causes.unexplainedChange(event); // (a quorum change too: the failing server's own verdict, if it comes, is its cause)
  }

  /** The service's real servers (lvs.forward) and how it spread its connections (lvs.service). */
  finish(svc: Service, ctx: EngineContext): void {
    const regular = [...svc.servers.values()].filter((x) => !x.sorry);
    const directors: Record<string, number> = {};
    for (const rs of svc.servers.values()) for (const p of rs.periods) {
      ctx.emit({
        kind: 'lvs.forward', time: p.first, frames: p.frames, severity: 'info',
        method: rs.method, vip: svc.id, realServer: rs.id, director: p.director, connections: p.connections, sorry: rs.sorry,
        tenure: p.tenure, end: p.last,
      });
      if (p.director !== null && !rs.sorry) directors[p.director] = (directors[p.director] ?? 0) + p.connections;
    }
    if (regular.length) {
      const { scheduler: sched, cycle } = scheduling(svc.choices.filter((c) => !svc.servers.get(c)!.sorry));
      ctx.emit({
        kind: 'lvs.service', time: Math.min(...[...svc.servers.values()].map((x) => x.firstTime)), frames: [], severity: 'info',
        vip: svc.id, connections: svc.connections, scheduling: sched, cycle, realServers: Object.fromEntries(regular.map((r) => [r.id, r.connections])), directors,
      });
    }
  }
}
