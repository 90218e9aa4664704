// A real server answering (or announcing) a VIP in ARP beside the director that holds it: LVS-DR's
// arp_ignore/arp_announce left unset, so clients may reach that server directly, bypassing the director.

import type { EngineContext } from '../engine.js';
import type { HealthChecks } from '../checks/analyser.js';
import type { Network } from './network.js';
import { MAX_FRAMES, type Services } from './services.js';

/** ARP packets from one MAC claiming a VIP that a director holds, and clients' SYNs sent to that MAC. */
interface VipArpClaim { vip: string; mac: string; holder: string; claims: number; first: number; frames: number[]; bypassed: number; bypassFrames: number[] }

export class VipArpClaims {
  /** By "vip|mac" (bounded). */
  private readonly claims = new Map<string, VipArpClaim>();

  constructor(private readonly network: Network) {}

  /** An ARP packet giving `vip` as its sender address from `mac`: counted when no director's MAC. */
  arp(vip: string, mac: string, t: number, n: number): void {
    const holder = this.network.vipMacs.get(vip);
    if (!holder || mac === holder || this.network.directorMacs.has(mac)) return;
    const key = `${vip}|${mac}`;
    let c = this.claims.get(key);
    if (!c) {
      if (this.claims.size >= 64) return;
      c = { vip, mac, holder, claims: 0, first: t, frames: [], bypassed: 0, bypassFrames: [] };
      this.claims.set(key, c);
    }
    c.claims++;
    if (c.frames.length < MAX_FRAMES) c.frames.push(n);
  }

  /** A client's SYN to `vip` sent to `dstMac`: past the director when that MAC claimed the VIP. */
  syn(vip: string, dstMac: string | null, n: number): void {
    if (!this.claims.size || !dstMac) return;
    const claim = this.claims.get(`${vip}|${dstMac}`);
    if (claim) { claim.bypassed++; if (claim.bypassFrames.length < 5) claim.bypassFrames.push(n); }
  }

  finish(ctx: EngineContext, services: Services, checks: HealthChecks): void {
    for (const c of this.claims.values()) {
      // Told only for a real server the directors check (any other host claiming the VIP is the ARP analyser's conflict).
      const ip = this.network.macToIp.get(c.mac);
      const tcp = [...services.values()].filter((x) => x.vip === c.vip && x.proto === 'tcp');
      if (!ip || !tcp.some((x) => checks.seriesOf(`${ip}:${x.port}`).length > 0)) continue;
      ctx.emit({
        kind: 'lvs.vip-arp', time: c.first, frames: [...c.frames, ...c.bypassFrames].sort((x, y) => x - y), severity: 'warning',
        vip: c.vip, realServer: ip, mac: c.mac, holderMac: c.holder, claims: c.claims, bypassed: c.bypassed,
        forwarded: tcp.reduce((sum, x) => sum + x.connections, 0),
      });
    }
  }
}
