// Who claims which IP address: gratuitous ARP (and IPv6 unsolicited neighbour advertisement) bursts,
// tied to the VRRP takeover they announce, with the keepalived GARP settings read from their pattern;
// takeovers that were not announced; and MAC changes of an address that no takeover explains.
//
// keepalived announces a VIP with GARPs sent as ARP *requests* (target MAC ff:ff:ff:ff:ff:ff) from the
// interface MAC (vrrp_arp.c); others (Cisco) send replies from the virtual MAC. Defaults:
// vrrp_garp_master_repeat 5, vrrp_garp_master_delay 5 s, no refresh (keepalived.conf(5)).
//
// After the takeover burst come, per address, one delayed burst (vrrp_garp_master_delay, a timer thread,
// vrrp_gratuitous_arp_thread, with vrrp_garp_master_repeat GARPs) and, with vrrp_garp_master_refresh, refresh
// bursts of vrrp_garp_master_refresh_repeat GARPs. keepalived 2.2.7 arms the refresh at the takeover (now +
// refresh, vrrp_state_become_master) and sends it with the first advert after it expires (vrrp_state_master_tx),
// so a refresh shorter than the delay comes *before* the delayed burst; from 2.3.2 the first refresh is a timer
// at delay + refresh (vrrp.c, commit b1d9e375). The bursts are told apart online (live mode prints them as they
// close): the delayed burst has the takeover burst's count and comes once; a burst of another count, or one on
// the refresh cadence, is a refresh.
//
// A master that receives another router's advert of lower priority (or equal priority from a lower address:
// two masters) answers it with an advert and a GARP burst, and the same burst again vrrp_garp_lower_prio_delay
// later (vrrp_state_master_rx, "forcing new election"; by default vrrp_garp_master_repeat GARPs and
// vrrp_garp_master_delay): recognised by the lower advert just before the burst.
//
// A unicast instance leaving FAULT sends one GARP for its own unicast_src_ip (vrrp_scheduler.c
// try_up_instance, PR #1288) so that the master can reach it again at once: recognised by the address, a
// router of a unicast VRRP stream (adverts to a unicast address), not by the MAC.

import type { Packet } from '../../dissect/packet.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { AnalysisEvent, EventOf } from '../events.js';
import type { ArpConflict, ArpGarp, ArpVmacRealMac, GarpCause } from './events.js';

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
/** Addresses of unicast VRRP routers remembered (sources and peers of unicast adverts). */
const MAX_UNICAST_ROUTERS = 1024;
/** Advertisers remembered (VRID and source): their last adverts' times and priority. */
const MAX_ADVERTISERS = 4096;
/** A master answers a lower-priority advert at once: its burst starts within this of the advert. */
const LOWER_ANSWER_S = 0.2;
/** The delayed repeat of a lower-priority answer comes vrrp_garp_lower_prio_delay after it, within this. */
const DELAY_SLACK_S = 0.3;
/** keepalived's default vrrp_garp_master_delay (and so vrrp_garp_lower_prio_delay). */
const DEFAULT_GARP_DELAY_S = 5;
/** A refresh keepalived < 2.3.2 sends rides on the first advert after its timer: up to one advert interval
 *  late, plus scheduling. */
const REFRESH_SLACK_S = 0.3;

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
  bursts: { ip: string; start: number; count: number; cause: GarpCause; lowerFrom?: string; lowerPriority?: number; event: ArpGarp }[];
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
  /** Unicast VRRP routers (source or destination of a unicast advert) → the VRID. */
  private readonly unicastRouters = new Map<string, number>();
  private readonly vmacFlips = new Map<string, ArpVmacRealMac>();
  /** `vrid|source` → the priority and the times of its last three adverts. */
  private readonly advertisers = new Map<string, { src: string; vrid: number; priority: number; times: number[] }>();
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

  // VRRP: which addresses are unicast VRRP routers, and each advertiser's priority and last three advert
  // times (to tell a master's answer to a lower-priority advert): a Map update per advert. (The VRRP
  // analyser knows the same priorities per router: one owner of that fact would do, not done yet.)
  readonly wants = PacketKind.ARP | PacketKind.ICMPV6 | PacketKind.VRRP;

  onPacket(pkt: Packet, ctx: EngineContext): void {
    if (pkt.vrrp) this.onAdvert(pkt);
    else this.onAnnouncement(pkt, ctx);
    ctx.wakeAt(this, this.nextCheck);
  }

  private onAdvert(pkt: Packet): void {
    const ip = pkt.ip ?? pkt.ipv6;
    if (!ip || !pkt.vrrp || pkt.quoted) return;
    const vrid = pkt.vrrp.vrid;
    if (!pkt.frame.noTimestamp) {
      const key = vrid + '|' + ip.src;
      let a = this.advertisers.get(key);
      if (!a && this.advertisers.size < MAX_ADVERTISERS) this.advertisers.set(key, a = { src: ip.src, vrid, priority: 0, times: [] });
      if (a) {
        a.priority = pkt.vrrp.priority;
        a.times.push(frameTime(pkt.frame));
        if (a.times.length > 3) a.times.shift();
      }
    }
    if (ip.isMulticast) return;
    for (const a of [ip.src, ip.dst]) {
      if (this.unicastRouters.get(a) === vrid || this.unicastRouters.size >= MAX_UNICAST_ROUTERS) continue;
      this.unicastRouters.set(a, vrid);
    }
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
    const timing = tk ? this.lowerPrioAnswer(b, tk, previous) ?? garpTiming(b, previous.filter((x) => CORE.has(x.cause)), tk.event.intervalMs / 1000) : null;
    const cause: GarpCause | null = timing ? timing.cause
      : this.unicastRouters.has(b.ip) && !this.vipHolders.has(b.ip) ? 'fault-exit' : null;
    const vrid = tk ? tk.event.vrid : cause === 'fault-exit' ? this.unicastRouters.get(b.ip)! : null;
    const e = ctx.emit<Omit<ArpGarp, 'id'>>({
      kind: 'arp.garp', time: b.start, frames: b.frames, severity: 'info',
      ip: b.ip, mac: b.mac, count: b.count, related: tk ? tk.event.id : null,
      router: tk ? tk.event.router : cause === 'fault-exit' ? b.ip : null, vrid,
      ...(b.kind === 'na' ? { protocol: 'ndp' as const } : { opcode: b.op === 1 ? 1 as const : 2 as const }),
      burst: index || null, sincePreviousBurstMs: sincePrev === null ? null : Math.round(sincePrev),
      cause,
      ...(timing?.fields ?? {}),
      ...(vrid !== null && isVirtualMac(b.mac, vrid) ? { virtualMac: true as const } : {}),
    });
    if (tk && timing) tk.bursts.push({ ip: b.ip, start: b.start, count: b.count, cause: timing.cause, lowerFrom: timing.fields.lowerAdvertFrom, lowerPriority: timing.fields.lowerAdvertPriority, event: e });
    b.frames.forEach((n, i) => ctx.comment(n, { note: 'arp.garp', protocol: b.kind === 'na' ? 'ndp' : 'arp', nth: i + 1, ip: b.ip, after: tk ? tk.event.router : null }));
  }

  /**
   * A master's answer to a lower-priority advert (see the header): another router's advert for the VRID, lower
   * than the master's own last one (or equal from a lower address), just before the burst; or the delayed
   * repeat of such an answer, the takeover's delayed-burst delay after it (keepalived's default:
   * vrrp_garp_lower_prio_delay = vrrp_garp_master_delay; 5 s when that burst was not seen alone). Never the
   * takeover's first burst.
   */
  private lowerPrioAnswer(b: Burst, tk: Takeover, previous: Takeover['bursts']): { cause: GarpCause; fields: TimingFields } | null {
    if (!previous.length) return null;
    const vrid = tk.event.vrid, master = tk.event.router;
    const own = this.advertisers.get(vrid + '|' + master)?.priority ?? tk.event.priority;
    // (a takeover seen only by its GARPs, no advert of the taker heard: no priority to compare with)
    if (own === null) return null;
    for (const a of this.advertisers.values()) {
      if (a.vrid !== vrid || a.src === master) continue;
      if (!(a.priority < own || (a.priority === own && addressBelow(a.src, master)))) continue;
      // (the answer can share a burst with a delayed one that began just before the lower advert)
      if (a.times.some((t) => t >= b.start - LOWER_ANSWER_S && t <= b.last)) {
        return { cause: 'lower-prio', fields: { lowerAdvertFrom: a.src, lowerAdvertPriority: a.priority } };
      }
    }
    // The delay: the takeover's delayed burst's, else keepalived's default vrrp_garp_master_delay (that burst may
    // have merged with an answer).
    const delayed = previous.find((x) => x.cause === 'garp-delay');
    const d = delayed ? delayed.start - previous[0].start : DEFAULT_GARP_DELAY_S;
    for (let i = previous.length - 1; i >= 0; i--) {
      const x = previous[i];
      if (x.cause !== 'lower-prio' || Math.abs(b.start - x.start - d) > DELAY_SLACK_S) continue;
      return { cause: 'lower-prio-delay', fields: { lowerAdvertFrom: x.lowerFrom, lowerAdvertPriority: x.lowerPriority, sinceLowerPrioBurstMs: Math.round((b.start - x.start) * 1000) } };
    }
    return null;
  }

  /** MAC changes of an address are takeovers when a VRRP master change of that address explains them. */
  private judgeChanges(t: number, ctx: EngineContext, final: boolean): void {
    while (this.changes.length && (final || t - this.changes[0].time > EXPLAIN_WINDOW_S)) {
      const c = this.changes.shift()!;
      if (this.vmacFlip(c, ctx) || this.explained(c)) continue;
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

  /**
   * use_vmac: the VIP is announced from the virtual MAC, but the master's own packets from the VIP (its ARP
   * requests, its replies) leave from the base interface with its real MAC (the macvlan only holds the VIP),
   * so the address moves between the two MACs. One event per VIP and real MAC, counting the moves.
   */
  private vmacFlip(c: Change, ctx: EngineContext): boolean {
    let tk: Takeover | undefined;
    for (let i = this.takeovers.length - 1; i >= 0 && !tk; i--) {
      const x = this.takeovers[i];
      if (x.vips.has(c.ip) && isVirtualMac(c.from, x.event.vrid) !== isVirtualMac(c.to, x.event.vrid)) tk = x;
    }
    if (!tk) return false;
    const vrid = tk.event.vrid;
    const [virtualMac, realMac] = isVirtualMac(c.from, vrid) ? [c.from, c.to] : [c.to, c.from];
    const key = c.ip + '|' + realMac;
    const seen = this.vmacFlips.get(key);
    if (seen) {
      seen.count++;
      for (const n of c.frames) if (seen.frames.length < MAX_FRAMES && !seen.frames.includes(n)) seen.frames.push(n);
      return true;
    }
    // The router is named by its address: the one whose adverts (vmac_xmit_base) or own ARP carry that MAC.
    let router: string | null = null;
    for (const x of this.takeovers) {
      if (x.event.vrid === vrid && x.vips.has(c.ip) && (x.mac === realMac || this.bindings.get(x.event.router)?.mac === realMac)) router = x.event.router;
    }
    let master: string | null = null;
    for (const x of this.takeovers) if (x.event.vrid === vrid && x.vips.has(c.ip) && x.time <= c.time) master = x.event.router;
    if (this.vmacFlips.size >= 1024) return true;
    this.vmacFlips.set(key, ctx.emit<Omit<ArpVmacRealMac, 'id'>>({
      kind: 'arp.vmac-real-mac', time: c.time, frames: [...c.frames], severity: 'info',
      ip: c.ip, vrid, virtualMac, realMac, router, master, count: 1,
    }));
    return true;
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

type TimingFields = Pick<ArpGarp, 'sinceFirstBurstMs' | 'refreshIndex' | 'refreshPeriodMs' | 'sinceDelayedBurstMs' | 'firstRefresh' | 'lowerAdvertFrom' | 'lowerAdvertPriority' | 'sinceLowerPrioBurstMs'>;
/** The bursts of the takeover's own schedule (not answers to lower-priority adverts). */
const CORE = new Set<GarpCause>(['takeover', 'garp-delay', 'garp-refresh']);
type Previous = { start: number; count: number; cause: GarpCause };

/**
 * What a burst of a takeover is, from the bursts of that takeover for the same address before it (see the
 * header): the first is the takeover's; then the delayed burst comes once, with the takeover burst's count,
 * unless refreshes of that same count were seen and the burst falls on their cadence; every other burst is a
 * refresh. (Limitation: with vrrp_garp_master_refresh_repeat equal to vrrp_garp_master_repeat, a refresh that
 * comes before the delayed burst is taken for it.)
 */
export function garpTiming(b: { start: number; count: number }, previous: readonly Previous[], advertS: number): { cause: GarpCause; fields: TimingFields } {
  if (!previous.length) return { cause: 'takeover', fields: {} };
  const first = previous[0];
  const delayed = previous.find((x) => x.cause === 'garp-delay') ?? null;
  const refreshes = previous.filter((x) => x.cause === 'garp-refresh');
  const tol = advertS + REFRESH_SLACK_S;
  const near = (a: number, x: number) => Math.abs(a - x) <= tol;
  const ms = (x: number) => Math.round(x * 1000);
  const sinceFirst = b.start - first.start;
  const last = refreshes[refreshes.length - 1];
  // The periods the refreshes seen so far allow: between the last two; or, for one refresh, its offset from the
  // takeover (keepalived < 2.3.2, or no delayed burst at all) and, when it followed the delayed burst, from
  // that burst (>= 2.3.2).
  const periods: number[] = refreshes.length >= 2 ? [last.start - refreshes[refreshes.length - 2].start]
    : refreshes.length === 1 ? [last.start - first.start, ...(delayed && delayed.start < last.start ? [last.start - delayed.start] : [])] : [];
  // (a refresh burst of another size than the takeover's tells the delayed burst by its size alone)
  const onCadence = last !== undefined && last.count === first.count && periods.some((p) => near(b.start - last.start, p));
  if (!delayed && b.count === first.count && !onCadence) return { cause: 'garp-delay', fields: { sinceFirstBurstMs: ms(sinceFirst) } };
  const fields: TimingFields = { sinceFirstBurstMs: ms(sinceFirst), refreshIndex: refreshes.length + 1 };
  if (!last) {
    // The first refresh: before any delayed burst, its period is its offset from the takeover (whatever the
    // version); after it, keepalived < 2.3.2 counts from the takeover, >= 2.3.2 from the delayed burst.
    if (delayed) fields.sinceDelayedBurstMs = ms(b.start - delayed.start);
    else fields.refreshPeriodMs = ms(sinceFirst);
    return { cause: 'garp-refresh', fields };
  }
  const period = b.start - last.start;
  fields.refreshPeriodMs = ms(period);
  const r1 = refreshes[0].start;
  if (delayed && r1 < delayed.start) fields.firstRefresh = 'after-takeover'; // only < 2.3.2 refreshes before the delayed burst
  else if (delayed) {
    const fromTakeover = near(r1 - first.start, period), fromDelayed = near(r1 - delayed.start, period);
    if (fromTakeover !== fromDelayed) fields.firstRefresh = fromTakeover ? 'after-takeover' : 'after-delayed-burst';
  }
  return { cause: 'garp-refresh', fields };
}

/** keepalived's tie-break (vrrp_state_master_rx, inet_inaddrcmp): `a` below `b`, numerically for IPv4. */
function addressBelow(a: string, b: string): boolean {
  const n = (x: string) => x.split('.').reduce((v, o) => v * 256 + Number(o), 0);
  return a.includes(':') || b.includes(':') ? a < b : n(a) < n(b);
}
