// IPVS connection sync: the master director multicasts the connections it schedules so a backup can
// take them over; per sender, checked against the connections this capture saw forwarded.

import type { IpvsSyncMessage, Packet } from '../../dissect/packet.js';
import type { EngineContext } from '../engine.js';
import type { Network } from './network.js';
import type { ForwardedConnections } from './pool.js';
import { MAX_FRAMES } from './services.js';

interface SyncSender {
  sender: string;
  syncid: number;
  version: number;
  messages: number;
  connections: number;
  first: number;
  last: number;
  frames: number[];
  matched: number;
  mismatched: number;
  unknown: number;
  whileMaster: number;
  whileBackup: number;
}

/** Client connections (address, port) → when a sync message last carried them; two generations of 50 000. */
class SyncedConnections {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  set(ip: string, port: number, t: number): void {
    if (this.current.size >= 50_000) { this.previous = this.current; this.current = new Map(); }
    this.current.set(`${ip}|${port}`, t);
  }

  get(ip: string, port: number): number | undefined {
    const k = `${ip}|${port}`;
    return this.current.get(k) ?? this.previous.get(k);
  }
}

export class ConnectionSync {
  private readonly senders = new Map<string, SyncSender>();
  private readonly synced = new SyncedConnections();

  /** When an IPVS sync message last carried the client connection (address, port), if one did. */
  syncedAt(ip: string, port: number): number | undefined {
    return this.synced.get(ip, port);
  }

  constructor(private readonly network: Network, private readonly forwarded: ForwardedConnections) {}

  /** True once any director sent sync (connections can survive a takeover). */
  get seen(): boolean { return this.senders.size > 0; }

  message(m: IpvsSyncMessage, sender: string, pkt: Packet, t: number, ctx: EngineContext): void {
    const key = `${sender}|${m.syncid}|${m.version}`;
    let s = this.senders.get(key);
    if (!s) {
      s = { sender, syncid: m.syncid, version: m.version, messages: 0, connections: 0, first: t, last: t, frames: [], matched: 0, mismatched: 0, unknown: 0, whileMaster: 0, whileBackup: 0 };
      this.senders.set(key, s);
      ctx.host(sender, pkt.eth?.src ?? null, 'director');
    }
    s.messages++;
    s.connections += m.connections.length;
    s.last = t;
    if (s.frames.length < MAX_FRAMES) s.frames.push(pkt.frame.n);
    // The master director sends sync; a backup sending means two think they are master.
    const isMaster = [...this.network.masters.values()].includes(sender);
    if (isMaster) s.whileMaster++; else s.whileBackup++;
    for (const c of m.connections) {
      this.synced.set(c.client, c.clientPort, t);
      const seen = this.forwarded.get(c.client, c.clientPort);
      if (!seen) { s.unknown++; continue; }
      const same = seen.id === `${c.realServer}:${c.rport}` && (seen.service.startsWith('?:') || seen.service === `${c.vip}:${c.vport}`);
      if (same) s.matched++; else s.mismatched++;
    }
    ctx.comment(pkt.frame.n, ctx.routineComments ? {
      note: 'lvs.sync', sender, syncid: m.syncid, count: m.connections.length,
      examples: m.connections.slice(0, 3).map((c) => `${c.client}:${c.clientPort} → ${c.vip}:${c.vport} → ${c.realServer}:${c.rport}`),
    } : null, true);
  }

  finish(ctx: EngineContext): void {
    for (const s of this.senders.values()) {
      ctx.emit({
        kind: 'lvs.sync', time: s.first, frames: s.frames, severity: s.whileBackup > 0 && this.network.masters.size > 0 && s.whileMaster === 0 ? 'notice' : 'info',
        sender: s.sender, syncid: s.syncid, version: s.version === 1 ? 1 : 0, messages: s.messages, connections: s.connections,
        durationMs: Math.round((s.last - s.first) * 1000), matched: s.matched, mismatched: s.mismatched, unseen: s.unknown,
      });
    }
  }
}
