// Who claims which IP address: gratuitous ARP (and IPv6 unsolicited neighbour advertisement) bursts,
// tied to the VRRP takeover they announce, with the keepalived GARP settings read from their pattern;
// takeovers that were not announced; and MAC changes of an address that no takeover explains.
//
// keepalived announces a VIP with GARPs sent as ARP *requests* (target MAC ff:ff:ff:ff:ff:ff) from the
// interface MAC (vrrp_arp.c); others (Cisco) send replies from the virtual MAC. Defaults:
// vrrp_garp_master_repeat 5, vrrp_garp_master_delay 5 s, no refresh (keepalived.conf(5)).

import type { Packet } from '../../dissect/packet.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { AnalysisEvent, EventOf } from '../events.js';
import type { ArpConflict, ArpGarp } from './events.js';

/** GARPs further apart than this belong to different bursts (keepalived sends a burst back to back,
 *  or vrrp_garp_interval apart; a master answering lower-priority adverts bursts every second). */
const BURST_GAP_S = 0.5;
/** Unsolicited neighbour advertisements of one host for one address that no takeover explains, less than
 *  this apart, are one burst: hosts repeat them a second or so apart (Linux ndisc_notify, an address
 *  added or a link coming up). Shorter than keepalived's smallest usual vrrp_garp_master_delay (3 to 5 s),
 *  whose bursts belong to a takeover anyway. */
const NA_REPEAT_GAP_S = 3;
/** A burst this long after a takeover (or less before it) can belong to it. */
const LINK_BEFORE_S = 2;
/** An address's MAC change this close to a takeover of that address is the takeover. */
const EXPLAIN_WINDOW_S = 10;
const MAX_BINDINGS = 65_536;
const MAX_FRAMES = 50;

interface Burst {
  ip: string;
  mac: string;
  kind: 'arp' | 'na';
  op: number;
  start: number;
  last: number;
  frames: number[];
  count: number;
}

type VrrpMasterEvent = EventOf<'vrrp.master'>;

interface Takeover {
  event: VrrpMasterEvent;
  time: number;
  mac: string | null;
  vips: Set<string>;
  family: number;
  bursts: { ip: string; start: number; count: number; event: ArpGarp }[];
}

interface Change {
  ip: string;
  from: string;
  to: string;
  time: number;
  frames: number[];
}

export class ArpAnalyzer implements Analyzer {
  readonly name = 'arp';
  private readonly bursts = new Map<string, Burst>();
  private readonly bindings = new Map<string, { mac: string; frame: number }>();
  private readonly takeovers: Takeover[] = [];
  private readonly changes: Change[] = [];
  private readonly conflicts = new Map<string, ArpConflict>();
  private splitBrains: EventOf<'vrrp.split-brain'>[] = [];
  private losses: EventOf<'vrrp.loss'>[] = [];
  /** Virtual addresses (from VRRP adverts) and who answered ARP/ND for each, over time. */
  private readonly vipHolders = new Map<string, { mac: string; from: number; frame: number }[]>();
  private sawArp = false;
  private sawNa = false;
  private nextCheck = Infinity;

  onEvent(e: AnalysisEvent): void {
    if (e.kind === 'vrrp.master') {
      for (const v of e.addresses as string[]) if (!this.vipHolders.has(v) && this.vipHolders.size < 1024) this.vipHolders.set(v, []);
      this.takeovers.push({ event: e, time: e.time, mac: e.mac ?? null, vips: new Set(e.addresses), family: e.family, bursts: [] });
      if (this.takeovers.length > 256) this.takeovers.shift();
    } else if (e.kind === 'vrrp.split-brain') {
      this.splitBrains.push(e);
      if (this.splitBrains.length > 64) this.splitBrains.shift();
    } else if (e.kind === 'vrrp.loss') {
      this.losses.push(e);
      if (this.losses.length > 64) this.losses.shift();
    }
  }

  readonly wants = PacketKind.ARP | PacketKind.ICMPV6;

  onPacket(pkt: Packet, ctx: EngineContext): void {
    this.onAnnouncement(pkt, ctx);
    ctx.wakeAt(this, this.nextCheck);
  }

  /** Between ARP and ND packets: the time, to close bursts and judge MAC changes when due. */
  tick(t: number, ctx: EngineContext): void {
    if (t >= this.nextCheck) this.judgeDue(t, ctx);
    ctx.wakeAt(this, this.nextCheck);
  }

  private onAnnouncement(pkt: Packet, ctx: EngineContext): void {
    if (pkt.frame.noTimestamp) return;
    const t = frameTime(pkt.frame);
    if (t >= this.nextCheck) this.judgeDue(t, ctx);
    const a = pkt.arp;
    const addr = a?.ethIpv4;
    if (a && addr) {
      this.sawArp = true;
      const ip = addr.senderIp, mac = addr.senderMac, tha = addr.targetMac;
      if (ip !== '0.0.0.0') this.bind(ip, mac, t, pkt.frame.n);
      // A reply also tells where its target is (what Wireshark's duplicate-address check uses).
      if (a.op === 2 && addr.targetIp !== '0.0.0.0' && !isBroadcastOrZero(tha) && addr.targetIp !== ip) this.bind(addr.targetIp, tha, t, pkt.frame.n);
      if (a.isGratuitous && (a.op === 1 || announcesToAll(pkt, tha))) this.addToBurst('arp', ip, mac, a.op, t, pkt.frame.n, ctx);
      return;
    }
    const na = pkt.icmpv6;
    if (na && na.type === 136) {
      this.sawNa = true;
      const ip = na.target, mac = na.linkAddr ?? pkt.eth?.src ?? null;
      if (!ip || !mac) return;
      this.bind(ip, mac, t, pkt.frame.n);
      // Unsolicited NA with Override set, to all nodes: the IPv6 counterpart of a GARP (RFC 4861 §7.2.6).
      if (!na.solicited && na.override) this.addToBurst('na', ip, mac, 0, t, pkt.frame.n, ctx);
    }
  }

  private bind(ip: string, mac: string, t: number, n: number): void {
    const holders = this.vipHolders.get(ip);
    if (holders && holders[holders.length - 1]?.mac !== mac && holders.length < 1000) holders.push({ mac, from: t, frame: n });
    const b = this.bindings.get(ip);
    if (!b) {
      if (this.bindings.size >= MAX_BINDINGS) this.bindings.delete(this.bindings.keys().next().value as string);
      this.bindings.set(ip, { mac, frame: n });
      return;
    }
    if (b.mac !== mac) {
      this.changes.push({ ip, from: b.mac, to: mac, time: t, frames: [b.frame, n] });
      this.schedule(t + EXPLAIN_WINDOW_S);
      b.mac = mac;
    }
    b.frame = n;
  }

  private addToBurst(kind: 'arp' | 'na', ip: string, mac: string, op: number, t: number, n: number, ctx: EngineContext): void {
    const key = ip + '|' + mac + '|' + op;
    let b = this.bursts.get(key);
    if (b && t - b.last > this.gapOf(b)) { this.closeBurst(b, ctx); b = undefined; }
    if (!b) {
      b = { ip, mac, kind, op, start: t, last: t, frames: [], count: 0 };
      this.bursts.set(key, b);
    }
    b.last = t;
    b.count++;
    if (b.frames.length < MAX_FRAMES) b.frames.push(n);
    this.schedule(t + this.gapOf(b) + 0.001);
  }

  /** How long a burst waits for its next announcement (see NA_REPEAT_GAP_S). */
  private gapOf(b: Burst): number {
    return b.kind === 'na' && !this.takeoverFor(b) ? NA_REPEAT_GAP_S : BURST_GAP_S;
  }

  private schedule(at: number): void {
    if (at < this.nextCheck) this.nextCheck = at;
  }

  private judgeDue(t: number, ctx: EngineContext): void {
    this.nextCheck = Infinity;
    for (const b of [...this.bursts.values()]) {
      const gap = this.gapOf(b);
      if (t - b.last > gap) this.closeBurst(b, ctx);
      else this.schedule(b.last + gap + 0.001);
    }
    this.judgeChanges(t, ctx, false);
  }

  /** The takeover a burst announces: the latest one of that address, from that MAC, not after the burst. */
  private takeoverFor(b: Burst): Takeover | null {
    for (let i = this.takeovers.length - 1; i >= 0; i--) {
      const tk = this.takeovers[i];
      if (tk.time > b.start + LINK_BEFORE_S) continue;
      if (!tk.vips.has(b.ip)) continue;
      if (tk.mac && tk.mac !== b.mac && !isVirtualMac(b.mac, tk.event.vrid)) continue;
      return tk;
    }
    return null;
  }

  private closeBurst(b: Burst, ctx: EngineContext): void {
    this.bursts.delete(b.ip + '|' + b.mac + '|' + b.op);
    const tk = this.takeoverFor(b);
    // Bursts are counted per address: a takeover announces each of its VIPs.
    const previous = tk ? tk.bursts.filter((x) => x.ip === b.ip) : [];
    const index = tk ? previous.length + 1 : 0;
    const sincePrev = previous.length ? (b.start - previous[previous.length - 1].start) * 1000 : null;
    // Refresh bursts (the third on) come every vrrp_garp_master_refresh from the takeover: the first
    // one a period after the takeover, the next ones a period after the previous refresh.
    const refreshPeriod = tk && index >= 3 ? (index === 3 ? b.start - tk.time : b.start - previous[previous.length - 1].start) * 1000 : null;
    const e = ctx.emit<Omit<ArpGarp, 'id'>>({
      kind: 'arp.garp', time: b.start, frames: b.frames, severity: 'info',
      ip: b.ip, mac: b.mac, count: b.count, related: tk ? tk.event.id : null,
      router: tk ? tk.event.router : null, vrid: tk ? tk.event.vrid : null,
      ...(b.kind === 'na' ? { protocol: 'ndp' as const } : { opcode: b.op === 1 ? 1 as const : 2 as const }),
      burst: index || null, sincePreviousBurstMs: sincePrev === null ? null : Math.round(sincePrev),
      ...(refreshPeriod !== null ? { refreshPeriodMs: Math.round(refreshPeriod) } : {}),
    });
    if (tk) tk.bursts.push({ ip: b.ip, start: b.start, count: b.count, event: e });
    b.frames.forEach((n, i) => ctx.comment(n, { note: 'arp.garp', protocol: b.kind === 'na' ? 'ndp' : 'arp', nth: i + 1, ip: b.ip, after: tk ? tk.event.router : null }));
  }

  /** MAC changes of an address are takeovers when a VRRP master change of that address explains them. */
  private judgeChanges(t: number, ctx: EngineContext, final: boolean): void {
    while (this.changes.length && (final || t - this.changes[0].time > EXPLAIN_WINDOW_S)) {
      const c = this.changes.shift()!;
      if (this.explained(c)) continue;
      const key = c.ip + '|' + [c.from, c.to].sort().join('|');
      const seen = this.conflicts.get(key);
      if (seen) {
        seen.count++;
        if (seen.frames.length < MAX_FRAMES) seen.frames.push(...c.frames.filter((n) => !seen.frames.includes(n)));
        continue;
      }
      const vrrpMacs = this.routerMacs(c.ip);
      const both = vrrpMacs.has(c.from) && vrrpMacs.has(c.to);
      this.conflicts.set(key, ctx.emit<Omit<ArpConflict, 'id'>>({
        kind: 'arp.conflict', time: c.time, frames: c.frames, severity: 'warning',
        ip: c.ip, macs: [c.from, c.to], count: 1, betweenRouters: both,
      }));
      ctx.comment(c.frames[1], { note: 'arp.conflict', ip: c.ip, from: c.from });
    }
  }

  private routerMacs(ip: string): Set<string> {
    const s = new Set<string>();
    for (const tk of this.takeovers) if (tk.vips.has(ip) && tk.mac) s.add(tk.mac);
    return s;
  }

  private explained(c: Change): boolean {
    const macs = this.routerMacs(c.ip);
    if (!macs.has(c.to) && !macs.has(c.from)) return false;
    for (const tk of this.takeovers) if (tk.vips.has(c.ip) && Math.abs(tk.time - c.time) <= EXPLAIN_WINDOW_S) return true;
    // Both masters of a split brain answer for the VIP: the split-brain event tells it.
    for (const sb of this.splitBrains) if (c.time >= sb.start - 1 && c.time <= (sb.end === null ? Infinity : sb.end) + EXPLAIN_WINDOW_S) return true;
    // A master whose adverts were lost for longer than 3 intervals: a backup that missed them took the VIP
    // for a while (its own adverts may be lost too), and the master took it back (vrrp.loss tells it).
    for (const l of this.losses) {
      if (l.longestGapMs <= 3 * l.intervalMs || c.time < l.start - 1 || c.time > l.end + EXPLAIN_WINDOW_S) continue;
      if (this.takeovers.some((tk) => tk.event.router === l.router && tk.vips.has(c.ip) && (tk.mac === c.to || tk.mac === c.from))) return true;
    }
    return false;
  }

  facts(): Record<string, unknown> {
    return { vips: [...this.vipHolders].map(([ip, holders]) => ({ ip, holders })) };
  }

  finish(ctx: EngineContext, lastTime: number): void {
    for (const b of [...this.bursts.values()]) this.closeBurst(b, ctx);
    this.judgeChanges(lastTime, ctx, true);
    // Takeovers not announced: only where the capture shows ARP (or ND) at all, and lasts long enough.
    for (const tk of this.takeovers) {
      const sees = tk.family === 6 ? this.sawNa : this.sawArp;
      // A master already in place when the capture started announced its VIPs before it.
      if (!sees || tk.bursts.length > 0 || lastTime - tk.time < 3 || tk.event.reason === 'already-master') continue;
      // The same takeover seen on another capture of the link (merged files): announced there.
      if (this.takeovers.some((o) => o !== tk && o.bursts.length > 0 && o.event.router === tk.event.router && o.event.vrid === tk.event.vrid && Math.abs(o.time - tk.time) < 1)) continue;
      ctx.emit({
        kind: 'arp.missing-garp', time: tk.time, frames: tk.event.frames.slice(-1), severity: 'warning',
        vrid: tk.event.vrid, router: tk.event.router, family: tk.family === 6 ? 6 : 4, addresses: [...tk.vips], related: tk.event.id,
      });
    }
  }
}

function isBroadcastOrZero(mac: string): boolean {
  return mac === 'ff:ff:ff:ff:ff:ff' || mac === '00:00:00:00:00:00';
}

/** A gratuitous reply announces only when sent to everyone (broadcast or multicast Ethernet destination);
 *  a reply to one host (the old master answering the new one's GARP) is an ordinary answer. */
function announcesToAll(pkt: Packet, targetMac: string): boolean {
  if (pkt.eth) return (pkt.eth.bytes[pkt.eth.at] & 1) === 1;
  return isBroadcastOrZero(targetMac);
}

/** 00:00:5e:00:01:VRID (IPv4) or 00:00:5e:00:02:VRID (IPv6), RFC 3768 §7.3 / RFC 5798 §7.3. */
function isVirtualMac(mac: string, vrid: number): boolean {
  const v = vrid.toString(16).padStart(2, '0');
  return mac === `00:00:5e:00:01:${v}` || mac === `00:00:5e:00:02:${v}`;
}
