// The story of every HSRP group, keyed by (VLAN, HSRP version, IP version, group): its Active and Standby
// routers and why they changed, from the state each router announces in its hellos (RFC 2281 §5: a
// router in Speak, Standby or Active state sends hellos; Listen and Learn are silent).
//
// The reasons read from the wire (RFC 2281 §6; Cisco behaves so in the public captures):
//  - a Coup (opcode 1) from a router that then says Active: it preempted the Active (higher priority,
//    `standby preempt`); the old Active goes back to Speak, with or without a Resign;
//  - a Resign (opcode 2) from the Active, then another router Active: the Standby took over at once;
//  - the Active's hellos stop, and the Standby says Active a hold time later: its hold timer expired;
//  - no Active yet and a router says Speak, then Standby, then Active: the election at start.

import type { Packet } from '../../dissect/packet.js';
import type { Hsrp } from '../../dissect/hsrp.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { HsrpActive, HsrpReason, HsrpStandby, HsrpVersion } from './events.js';

const MAX_GROUPS = 1024;
const MAX_ROUTERS_PER_GROUP = 32;
const MAX_EVENT_FRAMES = 50;
/** RFC 2281 §5.1 defaults, for a group whose hellos do not carry timers (an Interface State advert only). */
const DEFAULT_HOLD_MS = 10_000;

const OP_HELLO = 0, OP_COUP = 1, OP_RESIGN = 2, OP_ADVERTISE = 3;

interface Router {
  ip: string;
  /** The state of its last hello (speak, standby, active …), null before any hello. */
  state: string | null;
  firstState: string | null;
  priority: number | null;
  /** Its first Speak (and Standby) hello of its current run of hellos, for the election's frames. */
  speakFrame: number | null;
  speakTime: number;
  standbyFrame: number | null;
  /** Its last hello: a router silent for a hold time had gone back to Listen (or away). */
  lastHelloTime: number;
  /** Last hello as Active. */
  lastActiveTime: number;
  lastActiveFrame: number;
  /** Its last Coup message. */
  coup: { time: number; frame: number } | null;
  /** Active groups its last Interface State advertisement counted (-1 before any). */
  activeGroups: number;
}

interface Group {
  key: string;
  group: number;
  version: HsrpVersion;
  vlan: number | null;
  ipVersion: number;
  virtualIp: string | null;
  helloMs: number | null;
  holdMs: number | null;
  routers: Map<string, Router>;
  active: Router | null;
  activeEvent: HsrpActive | null;
  /** The last router that was Active (kept when it steps down, resigns or falls silent), for `previous`. */
  lastActive: Router | null;
  /** How the last Active left: its Resign, or its hello in a lower state. */
  left: { how: 'resign' | 'step-down'; router: string; time: number; frame: number } | null;
  standby: Router | null;
  /** Some router of the group was seen Active (an election is over). */
  hadActive: boolean;
}

/**
 * The group's virtual MAC (Cisco): 0000.0c07.acXX for version 0 (groups 0-255), 0000.0c9f.fXXX for
 * version 2 (0-4095), 0005.73a0.0XXX for an HSRPv2 IPv6 group.
 */
export function hsrpVirtualMac(version: HsrpVersion, group: number, ipVersion = 4): string {
  const h = (n: number) => n.toString(16).padStart(2, '0');
  if (version === 2 && ipVersion === 6) return `00:05:73:a0:0${((group >> 8) & 0xf).toString(16)}:${h(group & 0xff)}`;
  if (version === 2) return `00:00:0c:9f:f${((group >> 8) & 0xf).toString(16)}:${h(group & 0xff)}`;
  return `00:00:0c:07:ac:${h(group & 0xff)}`;
}

/** The HSRP version and group a virtual MAC belongs to, or null for any other MAC. */
export function parseVirtualMac(mac: string): { version: HsrpVersion; group: number } | null {
  let m = /^00:00:0c:07:ac:([0-9a-f]{2})$/.exec(mac);
  if (m) return { version: 0, group: parseInt(m[1], 16) };
  m = /^00:00:0c:9f:f([0-9a-f]):([0-9a-f]{2})$/.exec(mac) ?? /^00:05:73:a0:0([0-9a-f]):([0-9a-f]{2})$/.exec(mac);
  return m ? { version: 2, group: parseInt(m[1] + m[2], 16) } : null;
}

export class HsrpAnalyzer implements Analyzer {
  readonly name = 'hsrp';
  readonly wants = PacketKind.UDP | PacketKind.ARP;
  private readonly groups = new Map<string, Group>();
  private full = false;

  onPacket(pkt: Packet, ctx: EngineContext): void {
    if (pkt.arp) { this.onArp(pkt, ctx); return; }
    const h = pkt.hsrp;
    if (!h || pkt.frame.noTimestamp) return;
    const src = pkt.ip?.src ?? pkt.ipv6?.src;
    if (!src) return;
    const t = frameTime(pkt.frame);
    const n = pkt.frame.n;
    const vlans = pkt.eth?.vlans;
    const vlan = vlans && vlans.length ? vlans[vlans.length - 1] : null;
    const version: HsrpVersion = h.version === 2 ? 2 : 0;
    if (h.opcode === OP_ADVERTISE || h.group === undefined) {
      if (h.activeGroups !== undefined) this.onInterfaceState(h, src, vlan, version, t, n, pkt, ctx);
      return;
    }
    const g = this.groupOf(vlan, version, h, ctx, n);
    if (!g) return;
    const r = this.routerOf(g, src);
    if (!r) return;
    if (h.virtualIp && h.virtualIp !== '0.0.0.0' && h.virtualIp !== '::') g.virtualIp = h.virtualIp;
    if (h.helloTimeMs !== undefined && h.helloTimeMs > 0) g.helloMs = h.helloTimeMs;
    if (h.holdTimeMs !== undefined && h.holdTimeMs > 0) g.holdMs = h.holdTimeMs;
    if (h.priority !== undefined) r.priority = h.priority;

    if (h.opcode === OP_COUP) {
      r.coup = { time: t, frame: n };
      ctx.comment(n, { note: 'hsrp.coup', router: src, group: g.group, priority: r.priority, active: g.active?.ip ?? null });
      this.setState(g, r, h.stateName ?? null, t, n, pkt, ctx, false);
      return;
    }
    if (h.opcode === OP_RESIGN) {
      // A Resign carries the state its sender leaves: Active, even when the capture starts with it.
      const wasActive = g.active === r || (g.active === null && h.stateName === 'active');
      if (wasActive) {
        this.leave(g, r, 'resign', t, n);
        g.hadActive = true;
        r.lastActiveTime = t; // (its last message as Active)
        r.lastActiveFrame = n;
      }
      ctx.comment(n, { note: 'hsrp.resign', router: src, group: g.group, active: wasActive });
      return;
    }
    if (h.opcode === OP_HELLO) this.setState(g, r, h.stateName ?? null, t, n, pkt, ctx, true);
  }

  private groupOf(vlan: number | null, version: HsrpVersion, h: Hsrp, ctx: EngineContext, n: number): Group | null {
    const key = `${vlan ?? ''}|${version}|${h.ipVersion ?? 4}|${h.group}`;
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS) {
        if (!this.full) { this.full = true; ctx.warn({ note: 'hsrp.groups-full', max: MAX_GROUPS }, n); }
        return null;
      }
      g = {
        key, group: h.group!, version, vlan, ipVersion: h.ipVersion ?? 4, virtualIp: null, helloMs: null, holdMs: null, routers: new Map(),
        active: null, activeEvent: null, lastActive: null, left: null, standby: null, hadActive: false,
      };
      this.groups.set(key, g);
    }
    return g;
  }

  private routerOf(g: Group, ip: string): Router | null {
    let r = g.routers.get(ip);
    if (!r) {
      if (g.routers.size >= MAX_ROUTERS_PER_GROUP) return null;
      r = { ip, state: null, firstState: null, priority: null, speakFrame: null, speakTime: NaN, standbyFrame: null, lastHelloTime: -Infinity, lastActiveTime: -Infinity, lastActiveFrame: -1, coup: null, activeGroups: -1 };
      g.routers.set(ip, r);
    }
    return r;
  }

  /** The Active left the role (its Resign, or a hello in a lower state): the group has no Active until another says so. */
  private leave(g: Group, r: Router, how: 'resign' | 'step-down', t: number, n: number): void {
    g.active = null;
    g.activeEvent = null;
    g.lastActive = r;
    g.left = { how, router: r.ip, time: t, frame: n };
  }

  private setState(g: Group, r: Router, state: string | null, t: number, n: number, pkt: Packet, ctx: EngineContext, hello: boolean): void {
    // A router silent for a hold time went back to Listen (RFC 2281 §5.4: Listen sends no hello).
    const silent = t - r.lastHelloTime > (g.holdMs ?? DEFAULT_HOLD_MS) / 1000;
    const before = r.state;
    if (r.firstState === null && hello) r.firstState = state;
    if (hello) {
      r.state = state;
      r.lastHelloTime = t;
      const changed = before !== null && before !== state;
      const note = { note: 'hsrp.hello' as const, router: r.ip, group: g.group, state: state ?? '?', priority: r.priority, from: changed ? before : null };
      ctx.comment(n, ctx.routineComments || changed ? note : null, !changed);
    }
    if (!hello || state === null) return;
    if (state === 'speak' && (before !== 'speak' || silent)) { r.speakFrame = n; r.speakTime = t; r.standbyFrame = null; }
    if (state === 'standby' && (before !== 'standby' || silent)) r.standbyFrame = n;
    if (state === 'active') {
      r.lastActiveTime = t;
      r.lastActiveFrame = n;
      const other = g.active;
      if (other && other !== r && !r.coup && t - other.lastActiveTime < (g.holdMs ?? DEFAULT_HOLD_MS) / 1000) {
        // Two routers say Active at once (they do not hear each other: a partition, an ACL, different
        // authentication): the first stays the group's Active; each such hello is told on its frame, and
        // the group's story does not flip at every hello.
        ctx.comment(n, { note: 'hsrp.dual-active', router: r.ip, group: g.group, other: other.ip });
        return;
      }
      if (g.active === r) {
        const e = g.activeEvent;
        // (The hello and hold times an election's first hellos carried may differ from the Active's.)
        if (e && e.helloMs === null && g.helloMs !== null) { e.helloMs = g.helloMs; e.holdMs = g.holdMs; }
        return;
      }
      this.becomeActive(g, r, t, n, pkt.eth?.src ?? null, 'hello', ctx);
      return;
    }
    if (g.active === r) this.leave(g, r, 'step-down', t, n);
    if (state === 'standby' && g.standby !== r) {
      const previous = g.standby;
      g.standby = r;
      ctx.emit<Omit<HsrpStandby, 'id'>>({
        kind: 'hsrp.standby', time: t, frames: r.speakFrame !== null && before === 'speak' ? [r.speakFrame, n] : [n], severity: 'info',
        group: g.group, version: g.version, vlan: g.vlan, router: r.ip, priority: r.priority ?? 0,
        reason: before === null ? 'already-standby' : 'election', previous: previous?.ip ?? null,
        speakFrame: before === 'speak' ? r.speakFrame : null,
      });
    } else if (state !== 'standby' && g.standby === r) g.standby = null;
  }

  private becomeActive(g: Group, r: Router, t: number, n: number, mac: string | null, evidence: HsrpActive['evidence'], ctx: EngineContext): void {
    const old = g.active ?? g.lastActive;
    const previous = old && old !== r ? old : null;
    const holdMs = g.holdMs ?? DEFAULT_HOLD_MS;
    let reason: HsrpReason;
    let causeFrame: number | null = null;
    let causeTime = NaN;
    const frames: number[] = [];
    const gap = previous && previous.lastActiveFrame >= 0 ? (t - previous.lastActiveTime) * 1000 : null;
    if (!previous) {
      if (g.hadActive) reason = 'unexplained'; // the same router Active again after stepping down
      else if (r.firstState === 'active' && evidence === 'hello') reason = 'already-active';
      else {
        reason = 'election';
        causeFrame = r.speakFrame;
        causeTime = r.speakTime;
      }
    } else if (r.coup && t - r.coup.time <= holdMs / 1000) {
      reason = 'coup';
      causeFrame = r.coup.frame;
      causeTime = r.coup.time;
      frames.push(r.coup.frame);
      if (g.left && g.left.router === previous.ip && g.left.time >= r.coup.time) frames.push(g.left.frame);
    } else if (g.left && g.left.how === 'resign' && g.left.router === previous.ip && t - g.left.time <= holdMs / 1000) {
      reason = 'resign';
      causeFrame = g.left.frame;
      causeTime = g.left.time;
      frames.push(g.left.frame);
    } else if (gap !== null && gap >= holdMs - (g.helloMs ?? 0) && !(g.left && g.left.router === previous.ip)) {
      // The Active fell silent: the Standby's hold timer (hold time, counted from the last hello) expired.
      reason = 'failover';
      causeFrame = previous.lastActiveFrame;
      causeTime = previous.lastActiveTime;
      frames.push(previous.lastActiveFrame);
    } else {
      reason = 'unexplained';
      if (g.left && g.left.router === previous.ip) frames.push(g.left.frame);
    }
    if (reason === 'election') for (const f of [r.speakFrame, r.standbyFrame]) if (f !== null && f < n) frames.push(f);
    frames.push(n);
    if (g.standby === r) g.standby = null;
    g.active = r;
    g.lastActive = r;
    g.left = null;
    g.hadActive = true;
    r.coup = null;
    g.activeEvent = ctx.emit<Omit<HsrpActive, 'id'>>({
      kind: 'hsrp.active', time: t, frames: [...new Set(frames)].slice(0, MAX_EVENT_FRAMES), severity: previous ? 'notice' : 'info',
      group: g.group, version: g.version, vlan: g.vlan, router: r.ip, priority: evidence === 'hello' ? r.priority : null,
      reason, previous: previous?.ip ?? null, previousPriority: previous?.priority ?? null,
      gapMs: gap === null ? null : Math.round(gap), helloMs: g.helloMs, holdMs: g.holdMs,
      virtualIp: g.virtualIp, virtualMac: hsrpVirtualMac(g.version, g.group, g.ipVersion), mac, causeFrame,
      sinceCauseMs: causeFrame === null || Number.isNaN(causeTime) ? null : Math.round((t - causeTime) * 1000), evidence,
    });
  }

  /**
   * An Interface State advertisement (v0 opcode 3, v2 Interface State TLV) counts the groups its sender
   * holds Active. When the Active of a group has just resigned or stepped down and no hello has shown
   * its successor yet, a router whose count goes up by one took that group over (Cisco advertises it
   * at once; its hellos follow a hello time later).
   */
  private onInterfaceState(h: Hsrp, src: string, vlan: number | null, version: HsrpVersion, t: number, n: number, pkt: Packet, ctx: EngineContext): void {
    const active = h.activeGroups ?? 0;
    ctx.comment(n, { note: 'hsrp.interface', router: src, active, passive: h.passiveGroups ?? 0 }, true);
    const candidates: Group[] = [];
    let before = -1;
    for (const g of this.groups.values()) {
      if (g.vlan !== vlan || g.version !== version) continue;
      const r = g.routers.get(src);
      if (r && r.activeGroups >= 0) before = r.activeGroups;
      if (r) r.activeGroups = active;
      if (g.active === null && g.left && g.left.router !== src && t - g.left.time <= (g.holdMs ?? DEFAULT_HOLD_MS) / 1000) candidates.push(g);
    }
    if (candidates.length !== 1 || active < 1 || (before >= 0 && active <= before)) return;
    const g = candidates[0];
    const r = this.routerOf(g, src);
    if (!r) return;
    r.activeGroups = active;
    r.lastActiveTime = t;
    r.lastActiveFrame = n;
    this.becomeActive(g, r, t, n, pkt.eth?.src ?? null, 'interface-state', ctx);
  }

  /**
   * A gratuitous ARP from an HSRP virtual MAC: the group's Active router announcing the virtual IP (Cisco
   * sends them on becoming Active, so that switches learn where the virtual MAC is). Told on its frame,
   * with the Active router when the capture shows the group; the burst itself is the ARP analyser's.
   */
  private onArp(pkt: Packet, ctx: EngineContext): void {
    const a = pkt.arp!;
    const addr = a.ethIpv4;
    if (!addr || !a.isGratuitous) return;
    const vmac = parseVirtualMac(addr.senderMac);
    if (!vmac) return;
    let active: string | null = null;
    for (const g of this.groups.values()) {
      if (g.version === vmac.version && g.group === vmac.group && g.active && (g.virtualIp === null || g.virtualIp === addr.senderIp)) active = g.active.ip;
    }
    ctx.comment(pkt.frame.n, { note: 'hsrp.garp', ip: addr.senderIp, group: vmac.group, version: vmac.version, active });
  }

  finish(): void {
    // Nothing pending: every fact is emitted on the frame that shows it.
  }
}
