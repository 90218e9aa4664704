// The story of every VRRP instance, keyed by (link, address family, VRID): who is master when and
// why, resignations, silences, split brains, mismatches between routers, adverts receivers drop, and
// late adverts. Only a master sends adverts (RFC 3768 §6.4.3), so "a router advertises" reads as "a
// router acts as master". Facts live in vrrp-rules.ts; this file applies them to the advert stream.

import type { Packet } from '../../dissect/packet.js';
import type { Vrrp } from '../../dissect/vrrp.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { VrrpMaster, VrrpResign, VrrpSilent, VrrpSplitBrain, VrrpInvalid, VrrpUnreachable } from './events.js';
import {
  type AdvertProfile, type Difference, type TakeoverReason, differences, keepalivedLog,
  masterDownMs, outranks, skewMs, takeoverReason,
} from './rules.js';
import {
  type SilenceState, closeUnresolved, countLoss, judgeCadence, lifeSign, lostAdverts, missingOnCadence, newSilenceState, noteArp, onAdvertSent,
  sampleCadence, slowCadence, tellUnresolved,
} from './silences.js';
import { AlreadyMasterWatch, alreadyMaster } from './capture-edge.js';
import { type Cluster, Clusters, rearmedBy } from './clusters.js';
import { PriorityChanges } from './priority.js';

const MAX_INSTANCES = 4096;
const MAX_EVENT_FRAMES = 50;
const MAX_INDEXED_ROUTERS = 4096;
/** IGMP/MLD reports of one join (the unsolicited report and its repeats) are less than this apart. */
const JOIN_RUN_S = 5;
/** The priority-0 adverts of one router's VRIDs within this many ms are one step (its sync group leaving MASTER). */
const SYNC_GROUP_MS = 100;
/** Gratuitous ARPs of one burst are less than this apart (keepalived sends a burst at once). */
const GARP_BURST_S = 0.5;
/** Unexplained GARP bursts kept per instance until their sender is known. */
const MAX_GARP_TAKEOVERS = 8;

interface Tenure {
  start: number;
  startFrame: number;
  adverts: number;
  lateCount: number;
  lateMaxMs: number;
  lateFrames: number[];
  masterEvent: VrrpMaster;
}

interface Router {
  ip: string;
  /** The election it takes part in (two clusters may share a VRID): priorities compare within it only. */
  cluster: Cluster<Router>;
  mac: string | null;
  priority: number;
  profile: AdvertProfile;
  lastTime: number;
  lastFrame: number;
  /** Currently sending adverts with a non-zero priority (acting as master). */
  advertising: boolean;
  /** Its last advert had priority 0. */
  resigned: boolean;
  /** Set when another router preempted it: its coming silence is a step down, not a failure. */
  supersededBy: string | null;
  tenure: Tenure | null;
  /** vrrp.silent event of its current silence, if one was emitted, and the vrrp.master of the tenure it ended. */
  silentEvent: VrrpSilent | null;
  silencedTenure?: VrrpMaster;
  /**
   * A router that advertised beside an outranking live master, then fell quiet while that master
   * went on: it may have stepped back, or (keepalived) stay master without advertising, its advert
   * timer re-armed by every advert it receives and discards. The master it stood beside, and the
   * vrrp.master event count when it fell quiet.
   */
  quietContender: { master: string; masterEvents: number; event: VrrpMaster } | null;
  /** Since its adverts stopped: its first frame, and the start of its last run of reports joining the VRRP group. */
  firstFrame: { time: number; frame: number } | null;
  join: { time: number; frame: number; last: number; signal: 'igmp-join' | 'mld-report' } | null;
  /** It stepped down for a router that outranked it (its coming frames say nothing of a return). */
  steppedDown: boolean;
  /** Its last vrrp.resign (a FAULT sends two priority-0 adverts ms apart: one resignation). */
  resignEvent: VrrpResign | null;
  /** The last priority change in its adverts: the last advert before it (time, frame), and the priorities. */
  priorityChange: { from: number; to: number; beforeTime: number; beforeFrame: number } | null;
  /** Lost adverts, unresolved unicast peer, cadence (silences.ts). */
  silence: SilenceState;
  /** The tenure it had when found silent, taken back if it shows it was master all along. */
  lastTenure: Tenure | null;
}

interface Overlap {
  routers: [string, string];
  startDiffs?: Difference[];
  start: number;
  startFrame: number;
  frames: number[];
  event: VrrpSplitBrain | null;
  /** The outranking router's first advert after the other's latest one (what makes a lower keepalived master yield). */
  answer?: { time: number; frame: number; by: string };
}

/**
 * A takeover shown by a burst of gratuitous ARPs for a master's VIP from another router's MAC while that
 * master is master (keepalived sends them only on entering MASTER): its vrrp.master, until the master's
 * next advert (a dual master of lost adverts) and the taker's priority are known.
 */
interface GarpTakeover {
  mac: string;
  vip: string;
  /** The router that took over (its address). */
  taker: string;
  time: number;
  last: number;
  master: Router;
  event: VrrpMaster;
  split: VrrpSplitBrain | null;
}

interface Instance {
  key: string;
  fileIndex: number;
  vrid: number;
  family: 4 | 6;
  routers: Map<string, Router>;
  clusters: Clusters<Router>;
  overlaps: Overlap[];
  reported: Set<string>;
  invalid: Map<string, VrrpInvalid>;
  /** Takeovers told from a GARP burst, until their end and the taker's priority are known (bounded). */
  garpTakeovers: GarpTakeover[];
  /** Adverts answered by ICMP unreachable, by sender, destination and code (bounded). */
  unreachable: Map<string, VrrpUnreachable>;
  /** Earliest time at which an advertising router may be found silent (cheap tick). */
  nextCheck: number;
}

function profileOf(v: Vrrp, p: Packet): AdvertProfile {
  const ttl = p.ip ? p.ip.ttl : p.ipv6 ? p.ipv6.hopLimit : 255;
  const multicast = p.ip ? p.ip.isMulticast : p.ipv6 ? p.ipv6.isMulticast : true;
  return {
    version: v.version, intervalMs: v.intervalMs, authType: v.authType, authString: v.authString,
    addresses: v.addresses, checksumVariant: v.checksumVariant, ttl, unicast: !multicast,
  };
}

export class VrrpAnalyzer implements Analyzer {
  readonly name = 'vrrp';
  private readonly instances = new Map<string, Instance>();
  private nextCheck = Infinity;
  /** Routers by address, to notice their other frames (a router coming back joins the VRRP group, ARPs). */
  private readonly byIp = new Map<string, Router[]>();
  /** Routers by MAC, to see their gratuitous ARPs for the VIP (only a master sends them). */
  private readonly byMac = new Map<string, { inst: Instance; r: Router }[]>();
  /** First masters told `already-master`, until their GARPs could still show an election. */
  private readonly alreadyMasters = new AlreadyMasterWatch();
  private readonly priorities = new PriorityChanges<Router>();
  /** The last run of VRRP group joins (IGMP/MLD) of hosts not yet seen advertising, at most MAX_INDEXED_ROUTERS. */
  private readonly joins = new Map<string, NonNullable<Router['join']>>();
  /** Each router's resignations of the last SYNC_GROUP_MS (to tell a FAULT across its sync group), at most MAX_INDEXED_ROUTERS routers. */
  private readonly resignsAt = new Map<string, VrrpResign[]>();
  /** Hosts that joined the VRRP group (keepalived starting), by MAC: who sent a takeover's GARPs when no advert shows it. */
  private readonly members = new Map<string, string>();
  readonly wants = PacketKind.VRRP | PacketKind.ARP | PacketKind.IGMP | PacketKind.ICMPV6 | PacketKind.ICMP;

  onPacket(pkt: Packet, ctx: EngineContext): void {
    // A join of the VRRP group (keepalived starting there), read once for both uses (noteJoin, onOther).
    const join = pkt.igmp ? (joinsVrrpGroup(pkt) ? 'igmp-join' as const : null)
      : pkt.icmpv6 && (pkt.icmpv6.type === 143 || pkt.icmpv6.type === 131) ? 'mld-report' as const : null;
    if (join) this.noteJoin(pkt, join);
    if (pkt.icmp) {
      // ICMP (IPv4) is looked at only for errors quoting an advert: pings are no sign of a router's return.
      if (pkt.icmp.type === 3 && pkt.quoted?.vrrp) this.onUnreachable(pkt, ctx);
    } else if (pkt.vrrp) this.onAdvert(pkt, ctx);
    else if (this.byIp.size) {
      if (this.alreadyMasters.size && !pkt.frame.noTimestamp) this.alreadyMasters.onAnnouncement(pkt, frameTime(pkt.frame));
      this.onOther(pkt, join, ctx);
    }
    ctx.wakeAt(this, this.nextCheck);
  }

  /**
   * A host joins the VRRP group: who it is by MAC (to name the sender of a takeover's GARPs when no advert
   * shows it), and, for a host not yet seen advertising, when it joined: if it later advertises and
   * preempts, its wait is measured from there (vrrp-active-active: d2 started 0.3 s after d1 and preempted
   * it 3.40 s after its join, its Master_Down_Interval 3.41 s). Known routers: onOther.
   */
  private noteJoin(pkt: Packet, signal: 'igmp-join' | 'mld-report'): void {
    const src = pkt.ip?.src ?? pkt.ipv6?.src ?? null;
    if (!src) return;
    const mac = pkt.eth?.src ?? pkt.cooked?.src;
    if (signal === 'igmp-join' && mac && (this.members.has(mac) || this.members.size < MAX_INDEXED_ROUTERS)) this.members.set(mac, src);
    if (this.byIp.has(src) || pkt.frame.noTimestamp) return;
    const t = frameTime(pkt.frame);
    const j = this.joins.get(src);
    if (j && t - j.last <= JOIN_RUN_S) { j.last = t; return; }
    this.joins.delete(src);
    if (this.joins.size >= MAX_INDEXED_ROUTERS) this.joins.delete(this.joins.keys().next().value!);
    this.joins.set(src, { time: t, frame: pkt.frame.n, last: t, signal });
  }

  /** An advert answered by ICMP destination unreachable (a unicast peer up without keepalived: protocol unreachable). */
  private onUnreachable(pkt: Packet, ctx: EngineContext): void {
    const q = pkt.quoted!, v = q.vrrp!, f = pkt.frame;
    if (f.noTimestamp || !q.ip || !pkt.ip) return;
    const inst = this.instances.get(`${f.fileIndex}:${f.iface}:${v.family}:${v.vrid}`);
    if (!inst) return;
    const t = frameTime(f);
    const k = `${q.ip.src}|${q.ip.dst}|${pkt.icmp!.code}`;
    const e = inst.unreachable.get(k);
    ctx.comment(f.n, { note: 'vrrp.unreachable', router: q.ip.src, peer: q.ip.dst, code: pkt.icmp!.code });
    if (e) {
      e.count++;
      e.end = t;
      if (e.frames.length < MAX_EVENT_FRAMES) e.frames.push(f.n);
      return;
    }
    if (inst.unreachable.size >= 16) return;
    inst.unreachable.set(k, ctx.emit({
      kind: 'vrrp.unreachable', time: t, frames: [f.n], severity: pkt.icmp!.code === 2 ? 'notice' : 'warning',
      vrid: inst.vrid, family: inst.family, router: q.ip.src, peer: q.ip.dst, answeredBy: pkt.ip.src, code: pkt.icmp!.code, count: 1, end: t,
    }));
  }

  /** A frame from a known router that is not an advert: when a silent router comes back. */
  private onOther(pkt: Packet, signal: 'igmp-join' | 'mld-report' | null, ctx: EngineContext): void {
    if (pkt.frame.noTimestamp) return;
    if (pkt.arp) this.onArp(pkt, ctx);
    const src = pkt.arp ? pkt.arp.senderIp : pkt.ip?.src ?? pkt.ipv6?.src ?? null;
    const routers = src ? this.byIp.get(src) : undefined;
    if (!routers) return;
    const t = frameTime(pkt.frame);
    const n = pkt.frame.n;
    for (const r of routers) {
      if (r.advertising) continue;
      if (!r.firstFrame) r.firstFrame = { time: t, frame: n };
      if (signal) {
        if (!r.join || t - r.join.last > JOIN_RUN_S) r.join = { time: t, frame: n, last: t, signal };
        else r.join.last = t;
      }
    }
  }

  /** ARP from a router: a unicast master asking for its peer, or a master's gratuitous ARP for its VIP. */
  private onArp(pkt: Packet, ctx: EngineContext): void {
    const t = frameTime(pkt.frame);
    const sender = pkt.arp!.senderIp;
    const byIp = sender ? this.byIp.get(sender) : undefined;
    if (byIp) for (const r of byIp) if (r.profile.unicast) noteArp(r.silence, pkt, t, r.ip, r.mac, r.profile.addresses);
    const mac = pkt.eth?.src;
    // (the virtual MAC of use_vmac, 00:00:5e:00:01:VRID, is every master's: it names none of them)
    const byMac = mac && sender && pkt.arp!.isGratuitous && !mac.startsWith('00:00:5e:00:0') ? this.byMac.get(mac) : undefined;
    if (byMac) for (const { inst, r } of byMac) {
      noteArp(r.silence, pkt, t, r.ip, r.mac, r.profile.addresses);
      // Found silent a moment ago, yet it holds the VIP: it is master, its adverts were lost (a keepalived
      // master answers a lower-priority advert with an advert and GARPs, vrrp.c vrrp_state_master_rx).
      if (r.silence.heldVip?.frame === pkt.frame.n && !r.advertising && r.silentEvent && !r.resigned && r.lastTenure && !r.join
        && (t - r.lastTime) * 1000 <= 10 * r.profile.intervalMs) this.revive(inst, r, pkt.frame.n, ctx);
    }
    if (mac && sender && pkt.arp!.isGratuitous && pkt.arp!.op === 1 && !mac.startsWith('00:00:5e:00:0')) this.noteGarpTakeover(sender, mac, t, pkt.frame.n, ctx);
  }

  /**
   * A gratuitous ARP for a VIP from a MAC that is not its master's, while that master is master: keepalived
   * sends them only on entering MASTER, so a router of the VRID took over and none of its adverts is on the
   * wire. Told at once (before the ARP analyser closes the burst) when the sender is known: a router of the
   * instance with that MAC, or a host that joined the VRRP group (keepalived starting) with it.
   */
  private noteGarpTakeover(vip: string, mac: string, t: number, n: number, ctx: EngineContext): void {
    for (const inst of this.instances.values()) {
      const going = inst.garpTakeovers.find((g) => g.mac === mac && g.vip === vip && t - g.last <= GARP_BURST_S);
      if (going) {
        going.last = t;
        if (going.event.frames.length < 12) going.event.frames.push(n);
        continue;
      }
      let master: Router | null = null, advertisingFromMac = false;
      for (const r of inst.routers.values()) {
        if (!r.advertising) continue;
        if (r.mac === mac) advertisingFromMac = true;
        else if (r.profile.addresses.includes(vip) && (!master || outranks(r, master))) master = r;
      }
      // (A router advertising from that MAC: its own takeover's GARPs, told with its adverts.)
      if (!master || advertisingFromMac) continue;
      let taker: Router | null = null;
      for (const r of inst.routers.values()) if (r.mac === mac && r !== master) taker = r;
      const ip = taker?.ip ?? this.members.get(mac);
      if (!ip || ip === master.ip) continue;
      taker ??= inst.routers.get(ip) ?? null;
      if (taker && (taker.cluster !== master.cluster || outranks(taker, master))) continue;
      const interval = master.profile.intervalMs, version = taker?.profile.version ?? master.profile.version;
      const priority = taker ? taker.priority : null;
      // (Its Master_Down_Interval needs its priority: until its first advert, judged with the master's.)
      const downMs = masterDownMs(interval, priority ?? master.priority, version);
      const reason = takeoverReason({ ip, priority: priority ?? 0 }, { ip: master.ip, priority: master.priority, lastTime: master.lastTime, resigned: false }, t, downMs);
      const gapMs = (t - master.lastTime) * 1000;
      const event = ctx.emit({
        kind: 'vrrp.master', time: t, frames: [master.lastFrame, n], severity: 'notice',
        vrid: inst.vrid, family: inst.family, version: version === 3 ? 3 : 2, router: ip, mac, priority,
        reason, previous: master.ip, prevPriority: master.priority, resumed: null,
        gapMs: round(gapMs), expectedMs: priority !== null ? round(downMs) : null,
        intervalMs: interval, skewMs: round(skewMs(priority ?? master.priority, interval, version)), late: reason === 'master-down' && gapMs > downMs + interval,
        addresses: taker ? taker.profile.addresses : [vip], shownBy: 'garp',
      });
      if (inst.garpTakeovers.length >= MAX_GARP_TAKEOVERS) inst.garpTakeovers.shift();
      inst.garpTakeovers.push({ mac, vip, taker: ip, time: t, last: t, master, event, split: null });
    }
  }

  /**
   * An advert of `r` after such a takeover: the master's next advert ends the dual master (the taker yields
   * to it: reason unknown, told as a split brain of lost adverts); the taker's first advert gives its
   * priority when it was unknown.
   */
  private settleGarpTakeovers(inst: Instance, r: Router, t: number, n: number, ctx: EngineContext): void {
    for (const g of [...inst.garpTakeovers]) {
      if (g.time >= t) continue;
      const e = g.event;
      if (r === g.master && !g.split) {
        Object.assign(e, { reason: 'unknown', late: false, previousAliveFrame: n, end: t });
        g.split = ctx.emit({
          kind: 'vrrp.split-brain', time: g.time, frames: [...e.frames.slice(1), n], severity: 'notice',
          vrid: inst.vrid, family: inst.family, routers: [r.ip, g.taker].sort() as [string, string], start: g.time, end: t,
          causes: [], causeLogs: [], adverts: 'lost', yielded: g.taker,
        });
      } else if (r.ip === g.taker && e.priority === null) {
        Object.assign(e, {
          priority: r.priority, version: r.profile.version === 3 ? 3 : 2, addresses: r.profile.addresses, skewMs: round(skewMs(r.priority, e.intervalMs, r.profile.version)),
          expectedMs: round(masterDownMs(e.intervalMs, r.priority, r.profile.version)),
        });
      }
      if (g.split && e.priority !== null) inst.garpTakeovers.splice(inst.garpTakeovers.indexOf(g), 1);
    }
  }

  /** The vrrp.master told from a GARP burst of `r` whose master has not advertised since (its adverts start its tenure). */
  private garpTakeoverOf(inst: Instance, r: Router): VrrpMaster | null {
    for (const g of inst.garpTakeovers) if (g.taker === r.ip && !g.split) { inst.garpTakeovers.splice(inst.garpTakeovers.indexOf(g), 1); return g.event; }
    return null;
  }

  /**
   * The master found silent advertises again on its own cadence (k whole intervals after its last advert),
   * nobody in between and no sign of a restart (a rejoin of the VRRP group): its adverts were lost, it
   * never stopped being master. A restarted keepalived waits Master_Down_Interval as a backup first, so its
   * return falls anywhere in the interval.
   */
  private resumesAfterLoss(inst: Instance, r: Router, t: number, n: number, ctx: EngineContext): boolean {
    const silent = r.silentEvent;
    if (!silent || silent.takenOverBy !== null || silent.beside || r.resigned || !r.lastTenure || r.join || r.cluster.lastMaster !== r) return false;
    if (r.silence.onTime < 2) return false;
    for (const o of inst.routers.values()) if (o !== r && o.cluster === r.cluster && (o.advertising || o.lastTime > r.lastTime)) return false;
    const gapMs = (t - r.lastTime) * 1000;
    const missing = missingOnCadence(gapMs, r.profile.intervalMs);
    if (missing === null) return false;
    this.revive(inst, r, n, ctx);
    countLoss(r.silence, ctx, { vrid: inst.vrid, family: inst.family, router: r.ip, intervalMs: r.profile.intervalMs, gapStart: r.lastTime }, missing, gapMs, t, n);
    return true;
  }

  /**
   * A master found silent because a lower router took over advertises within half an interval of that
   * router's first advert: keepalived's answer to a lower-priority advert ("forcing new election", an
   * immediate advert, vrrp_state_master_rx). Its adverts were lost, it never stopped being master: the
   * taker is a dual master of milliseconds, not a failover, and this is no preemption (vrrp-lossy2 29.06 s).
   * The adverts its timer sent in the gap (one per interval) were lost.
   */
  private answersTaker(inst: Instance, r: Router, t: number, n: number, ctx: EngineContext): boolean {
    const silent = r.silentEvent;
    const taker = silent?.takenOverBy ? inst.routers.get(silent.takenOverBy) : undefined;
    if (!silent || !taker?.tenure || !taker.advertising || r.resigned || !r.lastTenure || r.join || !outranks(r, taker)) return false;
    if ((t - taker.tenure.start) * 1000 > r.profile.intervalMs / 2 || taker.tenure.start < r.lastTime) return false;
    // (Another cluster advertising in its gap re-armed its advert timer: stillMaster tells that, rearmedBy.)
    for (const o of inst.routers.values()) if (o.cluster !== r.cluster && o.lastTime > r.lastTime) return false;
    const gapMs = (t - r.lastTime) * 1000;
    const missing = Math.floor(gapMs / r.profile.intervalMs);
    this.revive(inst, r, n, ctx);
    if (missing >= 1) countLoss(r.silence, ctx, { vrid: inst.vrid, family: inst.family, router: r.ip, intervalMs: r.profile.intervalMs, gapStart: r.lastTime }, missing, gapMs, t, n);
    return true;
  }

  /** A router found silent shows it was master all along: its silence is withdrawn, a taker is a dual master. */
  private revive(inst: Instance, r: Router, n: number, ctx: EngineContext): void {
    const silent = r.silentEvent!;
    ctx.retract(silent, { frame: r.lastFrame, note: 'vrrp.last' });
    r.silentEvent = null;
    r.advertising = true;
    r.steppedDown = false;
    r.quietContender = null;
    r.tenure = { ...r.lastTenure!, lateCount: 0, lateMaxMs: 0, lateFrames: [] };
    r.silence.revived = true;
    const taker = silent.takenOverBy ? inst.routers.get(silent.takenOverBy) : undefined;
    if (taker?.tenure && taker.advertising && outranks(r, taker)) {
      // The taker missed its adverts (Master_Down ran out on lost adverts): a dual master the higher priority ends.
      const e = taker.tenure.masterEvent;
      if (e.previous === r.ip && e.reason === 'master-down') {
        Object.assign(e, { reason: 'unknown', late: false, previousAliveFrame: n });
        // (A unicast master asking for its peer since its last advert: its adverts wait in its neighbour queue.)
        if (r.profile.unicast && r.silence.peerArp) e.previousHeld = true;
      }
      taker.supersededBy = r.ip;
    }
    this.schedule(inst, r);
  }

  /**
   * The join of a host first seen advertising now, if recent enough to be keepalived starting there: its
   * Master_Down_Interval (at most 3 adverts + 1 s of skew) plus a preempt_delay of up to a minute.
   */
  private pendingJoin(ip: string, t: number, intervalMs: number): Router['join'] {
    const j = this.joins.get(ip);
    if (!j) return null;
    this.joins.delete(ip);
    return t - j.time <= (3 * intervalMs + 1000) / 1000 + 60 ? j : null;
  }

  /** The router's adverts stopped: what it does next may tell when it comes back. */
  private quiet(r: Router, steppedDown: boolean): void {
    r.firstFrame = null;
    r.join = null;
    r.steppedDown = steppedDown;
    r.priorityChange = null;
  }

  /** Between adverts: the time, when a router may have gone silent. */
  tick(t: number, ctx: EngineContext): void {
    if (t >= this.nextCheck) this.checkSilences(t, ctx);
    ctx.wakeAt(this, this.nextCheck);
  }

  private onAdvert(pkt: Packet, ctx: EngineContext): void {
    const t = pkt.frame.noTimestamp ? null : frameTime(pkt.frame);
    if (t !== null && t >= this.nextCheck) this.checkSilences(t, ctx);
    const v = pkt.vrrp;
    if (!v || t === null || (v.version !== 2 && v.version !== 3)) return;
    const net = pkt.ip ?? pkt.ipv6;
    if (!net) return;
    const f = pkt.frame;
    const key = `${f.fileIndex}:${f.iface}:${v.family}:${v.vrid}`;
    let inst = this.instances.get(key);
    if (!inst) {
      if (this.instances.size >= MAX_INSTANCES) return;
      inst = { key, fileIndex: f.fileIndex, vrid: v.vrid, family: v.family, routers: new Map(), clusters: new Clusters(), overlaps: [], reported: new Set(), invalid: new Map(), garpTakeovers: [], unreachable: new Map(), nextCheck: Infinity };
      this.instances.set(key, inst);
    }
    const ip = net.src;
    const mac = pkt.eth?.src ?? pkt.cooked?.src ?? null;
    ctx.host(ip, mac, 'director');
    for (const a of v.addresses) ctx.host(a, null, 'vip');
    this.checkInvalid(inst, ip, v, pkt, t, ctx);
    let r = inst.routers.get(ip);
    const profile = profileOf(v, pkt);
    if (!r) {
      r = { ip, cluster: inst.clusters.join(v.addresses), mac, priority: v.priority, profile, lastTime: t, lastFrame: f.n, advertising: false, resigned: false, supersededBy: null, tenure: null, silentEvent: null, quietContender: null, firstFrame: null, join: this.pendingJoin(ip, t, profile.intervalMs), steppedDown: false, priorityChange: null, resignEvent: null, silence: newSilenceState(), lastTenure: null };
      inst.routers.set(ip, r);
      const byMac = mac ? this.byMac.get(mac) : undefined;
      if (byMac) byMac.push({ inst, r });
      else if (mac && this.byMac.size < MAX_INDEXED_ROUTERS) this.byMac.set(mac, [{ inst, r }]);
      const list = this.byIp.get(ip);
      if (list) list.push(r);
      else if (this.byIp.size < MAX_INDEXED_ROUTERS) this.byIp.set(ip, [r]);
    }
    const gapMs = (t - r.lastTime) * 1000;
    const prevPriority = r.priority;
    r.mac = mac ?? r.mac;
    r.profile = profile;
    r.priority = v.priority;
    inst.clusters.note(r.cluster, v.addresses);
    if (inst.garpTakeovers.length) this.settleGarpTakeovers(inst, r, t, f.n, ctx);

    // A preempted keepalived master goes BACKUP at the first higher-priority advert it hears: adverts from
    // it after a gap are a new tenure (it took over again), not a late advert of the old one. (Only once
    // that advert is on the wire: a master that showed it outranks it by its GARPs alone, its adverts lost
    // on the link as this router's own, may not have been heard yet: vrrp-lossy 49-51 s, d2 stayed MASTER.)
    const by = r.supersededBy ? inst.routers.get(r.supersededBy) : undefined;
    if (r.advertising && by && by.lastTime > r.lastTime && gapMs > 1.5 * r.profile.intervalMs) this.stopAdvertising(inst, r, ctx, null);
    const wasAdvertising = r.advertising, tenure = r.tenure;
    if (v.priority === 0) this.resign(inst, r, t, f.n, ctx);
    else if (!r.advertising) this.startTenure(inst, r, t, f.n, ctx);
    else this.continueTenure(inst, r, t, f.n, gapMs, prevPriority, ctx);
    if (prevPriority !== v.priority && prevPriority > 0 && v.priority > 0) {
      this.priorities.changed(r, inst.vrid, inst.family, prevPriority, v.priority, t, f.n, wasAdvertising, r.tenure !== tenure && r.tenure?.start === t ? r.tenure.masterEvent : null, ctx);
    }

    onAdvertSent(r.silence, pkt, profile.unicast);
    r.lastTime = t;
    r.lastFrame = f.n;
    r.resigned = v.priority === 0;
    this.checkMismatch(inst, r, f.n, t, ctx);
    this.trackOverlap(inst, t, f.n, ctx);
    // The outranking side of a dual master answers the other's latest advert: what makes a keepalived master yield.
    for (const o of inst.overlaps) {
      if (o.event?.end != null || !o.routers.includes(ip)) continue;
      const other = inst.routers.get(o.routers[0] === ip ? o.routers[1] : o.routers[0]);
      if (other && outranks(r, other) && (!o.answer || o.answer.time < other.lastTime)) o.answer = { time: t, frame: f.n, by: ip };
    }
    this.schedule(inst, r);
  }

  /** A master sends priority 0 when it stops (RFC 3768 §6.4.3; keepalived on SIGTERM or FAULT). */
  private resign(inst: Instance, r: Router, t: number, n: number, ctx: EngineContext): void {
    const skew = skewMs(this.bestBackupPriority(inst, r), r.profile.intervalMs, r.profile.version);
    // keepalived entering FAULT from MASTER sends two priority-0 adverts (vrrp_state_leave_master, then
    // vrrp_restore_interface), ms apart: one resignation (keepalived-semantics.md §5, §8.19).
    const again = r.resignEvent && r.resigned && !r.advertising && (t - r.lastTime) * 1000 < r.profile.intervalMs / 2;
    ctx.comment(n, { note: 'vrrp.resign', router: r.ip, vrid: inst.vrid, skewMs: round(skew) });
    // The resignations of this router at this moment, on every VRID (a sync group leaves MASTER at once).
    const together = (this.resignsAt.get(r.ip) ?? []).filter((e) => Math.abs(t - e.time) <= SYNC_GROUP_MS / 1000);
    if (again) {
      if (r.resignEvent!.frames.length < MAX_EVENT_FRAMES) r.resignEvent!.frames.push(n);
      for (const e of [r.resignEvent!, ...together]) e.fault = true;
      return;
    }
    r.resignEvent = ctx.emit({
      kind: 'vrrp.resign', time: t, frames: [n], severity: 'notice',
      vrid: inst.vrid, family: inst.family, version: r.profile.version === 3 ? 3 : 2, router: r.ip, skewMs: round(skew),
      fault: together.some((e) => e.fault),
    });
    // Bounded: one list per router, of the resignations of the last SYNC_GROUP_MS.
    this.resignsAt.delete(r.ip);
    if (this.resignsAt.size >= MAX_INDEXED_ROUTERS) this.resignsAt.delete(this.resignsAt.keys().next().value!);
    this.resignsAt.set(r.ip, [...together, r.resignEvent]);
    if (r.advertising) this.endTenure(inst, r, t, ctx);
    r.advertising = false;
    r.supersededBy = null;
    this.quiet(r, false);
    r.cluster.lastMaster = r;
  }

  private bestBackupPriority(inst: Instance, except: Router): number {
    let best = 100; // keepalived's default priority when the backups have never been heard
    let seen = false;
    for (const o of inst.routers.values()) if (o !== except && o.cluster === except.cluster && o.priority > 0) { best = seen ? Math.max(best, o.priority) : o.priority; seen = true; }
    return best;
  }

  private startTenure(inst: Instance, r: Router, t: number, n: number, ctx: EngineContext): void {
    if (this.resumesAfterLoss(inst, r, t, n, ctx)) return;
    if (this.answersTaker(inst, r, t, n, ctx)) return;
    // The master this router takes over from: a live advertiser if any, else the last one that stopped.
    let live: Router | null = null;
    for (const o of inst.routers.values()) if (o !== r && o.cluster === r.cluster && o.advertising && (!live || outranks(o, live))) live = o;
    const prev = live ?? (r.cluster.everMaster ? r.cluster.lastMaster : null);
    const interval = r.profile.intervalMs;
    const quiet = r.quietContender;
    r.quietContender = null;
    if (this.stillMaster(inst, r, t, n, ctx)) return;
    // (Unless that master had been silent for this router's Master_Down_Interval: then its timer ran out again.)
    if (quiet && live && live.ip === quiet.master && r.cluster.masterEvents === quiet.masterEvents
      && (t - live.lastTime) * 1000 < 0.9 * masterDownMs(live.profile.intervalMs, r.priority, r.profile.version)) {
      // The same standoff goes on: no new master, the contender speaks again.
      ctx.comment(n, { note: 'vrrp.contender-again', router: r.ip, vrid: inst.vrid, master: live.ip });
      r.advertising = true;
      r.silentEvent = null;
      r.tenure = { start: t, startFrame: n, adverts: 1, lateCount: 0, lateMaxMs: 0, lateFrames: [], masterEvent: quiet.event };
      return;
    }
    // Its GARPs came first, its adverts of then lost: the takeover told from them (noteGarpTakeover) goes on.
    const garp = inst.garpTakeovers.length ? this.garpTakeoverOf(inst, r) : null;
    const t0 = garp ? garp.time : t;
    const downMs = masterDownMs(prev?.profile.intervalMs ?? interval, r.priority, r.profile.version);
    let reason: TakeoverReason = takeoverReason(r, prev && prev !== r ? { ip: prev.ip, priority: prev.priority, lastTime: prev.lastTime, resigned: prev.resigned && !prev.advertising } : prev === r ? { ip: r.ip, priority: r.priority, lastTime: r.lastTime, resigned: r.resigned } : null, t0, downMs);
    if (reason === 'initial' && alreadyMaster(t, ctx.startOf(inst.fileIndex), interval)) reason = 'already-master';
    const gapMs = prev ? (t0 - prev.lastTime) * 1000 : null;
    // The same router again after its own silence, nobody in between: no takeover to time.
    const resumed = prev === r;
    // A preempting router waits its own Master_Down_Interval (plus preempt_delay) from its return, or
    // from the master's last advert at a priority it accepts (keepalived vrrp_state_backup).
    const preemption = reason === 'preemption' && !resumed && prev !== null;
    const expectedMs = resumed ? null : reason === 'master-down' || preemption ? downMs : reason === 'resignation' ? skewMs(r.priority, prev?.profile.intervalMs ?? interval, r.profile.version) : null;
    const late = !preemption && gapMs !== null && expectedMs !== null && gapMs > expectedMs + (prev?.profile.intervalMs ?? interval);
    let wait: Pick<VrrpMaster, 'waitFrom' | 'waitFromFrame' | 'waitMs'> = {};
    if (preemption) {
      const drop = prev.priorityChange;
      // Its timer runs from the later of its return and the master's drop below it (until the drop, the
      // master's adverts re-armed it: vrrp-track-weight, d2 listening since the capture's start).
      const joined = r.join ? { time: r.join.time, frame: r.join.frame, signal: r.join.signal } : null;
      const dropped = drop && drop.from >= r.priority && drop.to < r.priority ? { time: drop.beforeTime, frame: drop.beforeFrame, signal: 'priority-drop' as const } : null;
      const from = joined && dropped ? (dropped.time > joined.time ? dropped : joined)
        : joined ?? dropped ?? (r.firstFrame && !r.steppedDown ? { ...r.firstFrame, signal: 'first-frame' as const } : null);
      wait = from ? { waitFrom: from.signal, waitFromFrame: from.frame, waitMs: round((t - from.time) * 1000) } : { waitFrom: null, waitFromFrame: null, waitMs: null };
    }
    const frames = garp ? [...garp.frames, n] : [n];
    if (prev && prev !== r && !garp) frames.unshift(prev.lastFrame);
    const fields = {
      severity: late ? 'warning' as const : reason === 'initial' || reason === 'already-master' || reason === 'preemption' ? 'info' as const : 'notice' as const,
      vrid: inst.vrid, family: inst.family, version: r.profile.version === 3 ? 3 as const : 2 as const, router: r.ip, mac: r.mac, priority: r.priority,
      reason, previous: prev && prev !== r ? prev.ip : null, prevPriority: prev && prev !== r ? prev.priority : null,
      resumed: resumed ? (reason === 'resignation' ? 'restart' as const : 'silence' as const) : null,
      gapMs: gapMs === null ? null : round(gapMs), expectedMs: expectedMs === null ? null : round(expectedMs),
      intervalMs: prev?.profile.intervalMs ?? interval, skewMs: round(skewMs(r.priority, prev?.profile.intervalMs ?? interval, r.profile.version)),
      late, addresses: r.profile.addresses, ...wait,
    };
    const e = garp ? Object.assign(garp, fields, { frames: frames.slice(0, MAX_EVENT_FRAMES) }) : ctx.emit({ kind: 'vrrp.master', time: t, frames, ...fields });
    if (reason === 'already-master') this.alreadyMasters.add(e);
    if (prev && prev !== r) this.priorities.takeover(prev, r, e);
    ctx.comment(n, { note: 'vrrp.first', router: r.ip, vrid: inst.vrid, priority: r.priority });
    r.cluster.everMaster = true;
    r.cluster.masterEvents++;
    r.advertising = true;
    r.resigned = false;
    r.supersededBy = null;
    r.silentEvent = null;
    r.tenure = { start: t0, startFrame: n, adverts: 1, lateCount: 0, lateMaxMs: 0, lateFrames: [], masterEvent: e };
    r.priorityChange = null;
    if (prev && prev !== r) {
      if (reason === 'master-down') {
        if (prev.advertising) this.stopAdvertising(inst, prev, ctx, r);
        else if (prev.silentEvent) this.tellTakeover(prev.silentEvent, r, gapMs!);
      } else if ((reason === 'preemption' || outranks(r, prev)) && prev.advertising) {
        // Preempted, or of two masters with the same priority the lower address: it steps down.
        prev.supersededBy = r.ip;
      }
    }
  }

  private continueTenure(inst: Instance, r: Router, t: number, n: number, gapMs: number, prevPriority: number, ctx: EngineContext): void {
    const tenure = r.tenure!;
    tenure.adverts++;
    const interval = r.profile.intervalMs;
    if (prevPriority !== r.priority) r.priorityChange = { from: prevPriority, to: r.priority, beforeTime: r.lastTime, beforeFrame: r.lastFrame };
    // The peer's MAC resolved: the adverts queued in its kernel leave, the same master goes on.
    if (closeUnresolved(r.silence, ctx, t, n, gapMs)) return;
    // Another router's adverts in the gap re-arm a master's advert timer (vrrp_scheduler.c): its gaps are not its own.
    let othersQuiet = true;
    for (const o of inst.routers.values()) if (o !== r && o.lastTime > r.lastTime) othersQuiet = false;
    const missing = gapMs > 1.5 * interval && !slowCadence(r.silence, interval) ? lostAdverts(r.silence, r.lastTime, interval, gapMs, othersQuiet) : null;
    if (missing !== null) {
      countLoss(r.silence, ctx, { vrid: inst.vrid, family: inst.family, router: r.ip, intervalMs: interval, gapStart: r.lastTime }, missing, gapMs, t, n);
      return;
    }
    if (othersQuiet) sampleCadence(r.silence, ctx, { vrid: inst.vrid, router: r.ip, intervalMs: interval }, gapMs, t, n);
    if (gapMs > 1.5 * interval) {
      // Past the silence threshold it is no late advert but a master that went quiet and showed it still was (GARPs).
      if (gapMs <= 3 * interval + 1000) {
        tenure.lateCount++;
        tenure.lateMaxMs = Math.max(tenure.lateMaxMs, gapMs);
        if (tenure.lateFrames.length < MAX_EVENT_FRAMES) tenure.lateFrames.push(n);
      }
      ctx.comment(n, { note: 'vrrp.late', router: r.ip, vrid: inst.vrid, gapMs: round(gapMs), intervalMs: interval });
    } else if (prevPriority !== r.priority) {
      ctx.comment(n, { note: 'vrrp.priority', router: r.ip, vrid: inst.vrid, from: prevPriority, to: r.priority });
    } else if (r.supersededBy) {
      ctx.comment(n, { note: 'vrrp.superseded', router: r.ip, priority: r.priority, by: r.supersededBy });
    } else {
      ctx.comment(n, ctx.routineComments ? { note: 'vrrp.advert', router: r.ip, vrid: inst.vrid, priority: r.priority, nth: tenure.adverts, gapMs: round(gapMs) } : null, true);
    }
  }

  /** A router's adverts stopped (seen at a tick, at a takeover, or at the end of the capture). */
  private stopAdvertising(inst: Instance, r: Router, ctx: EngineContext, takenOverBy: Router | null): void {
    r.advertising = false;
    this.quiet(r, r.supersededBy !== null);
    const interval = r.profile.intervalMs;
    let outranking: Router | null = null;
    for (const o of inst.routers.values()) if (o !== r && o.cluster === r.cluster && o.advertising && outranks(o, r) && (r.lastTime - o.lastTime) * 1000 < 2.5 * o.profile.intervalMs) outranking = o;
    if (r.supersededBy) {
      ctx.comment(r.lastFrame, { note: 'vrrp.stepped-down', router: r.ip, by: r.supersededBy });
    } else if (outranking && r.tenure && !takenOverBy) {
      r.silentEvent = ctx.emit({
        kind: 'vrrp.silent', time: r.lastTime + (3 * interval) / 1000, frames: [r.lastFrame], severity: 'notice',
        vrid: inst.vrid, family: inst.family, router: r.ip, lastAdvertFrame: r.lastFrame, takenOverBy: null, takeoverGapMs: null, beside: outranking.ip,
      });
      r.quietContender = { master: outranking.ip, masterEvents: r.cluster.masterEvents, event: r.tenure.masterEvent };
    } else {
      r.silentEvent = ctx.emit({
        kind: 'vrrp.silent', time: r.lastTime + (3 * interval) / 1000, frames: [r.lastFrame], severity: 'warning',
        vrid: inst.vrid, family: inst.family, router: r.ip, lastAdvertFrame: r.lastFrame, takenOverBy: takenOverBy?.ip ?? null,
        takeoverGapMs: takenOverBy ? round((takenOverBy.tenure!.start - r.lastTime) * 1000) : null,
      });
      if (takenOverBy) r.silentEvent.frames.push(takenOverBy.tenure!.startFrame);
      ctx.comment(r.lastFrame, { note: 'vrrp.last', router: r.ip, vrid: inst.vrid });
      r.cluster.lastMaster = r;
      r.silencedTenure = r.tenure?.masterEvent;
    }
    r.lastTenure = r.tenure;
    this.endTenure(inst, r, r.lastTime, ctx);
  }

  /** Silenced by another cluster's adverts, it answers its backup's takeover at once: it never stopped being master. */
  private stillMaster(inst: Instance, r: Router, t: number, n: number, ctx: EngineContext): boolean {
    const silent = r.silentEvent, tenure = r.silencedTenure;
    const taker = silent?.takenOverBy ? inst.routers.get(silent.takenOverBy) ?? null : null;
    const other = silent && tenure && taker?.tenure ? rearmedBy(r, taker, taker.tenure.start, inst.routers.values(), t) : null;
    if (!other || !silent || !tenure || !taker?.tenure) return false;
    silent.rearmedBy = other.ip;
    silent.severity = 'notice';
    // keepalived: the backup timed out while the master was still MASTER (a dual master for milliseconds).
    const takeover = taker.tenure.masterEvent;
    takeover.reason = 'unknown';
    takeover.severity = 'notice';
    ctx.comment(n, { note: 'vrrp.still-master', router: r.ip, vrid: inst.vrid, other: taker.ip });
    r.advertising = true;
    r.silentEvent = null;
    r.tenure = { start: t, startFrame: n, adverts: 1, lateCount: 0, lateMaxMs: 0, lateFrames: [], masterEvent: tenure };
    return true;
  }

  private tellTakeover(silent: VrrpSilent, by: Router, gapMs: number): void {
    silent.takenOverBy = by.ip;
    silent.takeoverGapMs = round(gapMs);
    silent.frames.push(by.tenure!.startFrame);
  }

  private endTenure(inst: Instance, r: Router, end: number, ctx: EngineContext): void {
    const tenure = r.tenure;
    r.tenure = null;
    for (const o of [...inst.overlaps]) if (!o.event?.end && o.routers.includes(r.ip)) this.closeOverlap(inst, o, end, ctx);
    const interval = r.profile.intervalMs;
    judgeCadence(r.silence, ctx, { vrid: inst.vrid, router: r.ip, intervalMs: interval });
    // Adverts slower than the interval they carry: the lateness is the cadence, told once (vrrp.cadence).
    if (!tenure || tenure.lateCount === 0 || slowCadence(r.silence, interval)) return;
    const downMs = masterDownMs(interval, this.bestBackupPriority(inst, r), r.profile.version);
    const nearMiss = tenure.lateMaxMs >= 2 * interval;
    ctx.emit({
      kind: 'vrrp.jitter', time: tenure.start, frames: tenure.lateFrames, severity: nearMiss ? 'warning' : 'notice',
      vrid: inst.vrid, router: r.ip, lateAdverts: tenure.lateCount, maxGapMs: round(tenure.lateMaxMs), intervalMs: interval, masterDownMs: round(downMs),
    });
  }

  /** Adverts a receiver must drop (RFC 3768 §7.1; keepalived vrrp_check_packet), once per router and problem. */
  private checkInvalid(inst: Instance, ip: string, v: Vrrp, pkt: Packet, t: number, ctx: EngineContext): void {
    for (const problem of v.problems) {
      const kind = problem.split(/[:\d]/)[0].trim();
      const k = ip + '|' + kind;
      const seen = inst.invalid.get(k);
      if (seen) {
        seen.count = Number(seen.count) + 1;
        if (seen.frames.length < MAX_EVENT_FRAMES) seen.frames.push(pkt.frame.n);
        continue;
      }
      const field = /TTL/.test(problem) ? 'ttl' : /checksum/.test(problem) ? 'checksum' : /version/.test(problem) ? 'version' : /type/.test(problem) ? 'type' : 'length';
      const profile = profileOf(v, pkt);
      const log = keepalivedLog(field as 'ttl', { ...profile, ttl: 255, version: v.version === 3 ? 3 : 2 }, profile);
      inst.invalid.set(k, ctx.emit({
        kind: 'vrrp.invalid', time: t, frames: [pkt.frame.n], severity: 'warning',
        vrid: inst.vrid, router: ip, problem, keepalivedLog: log, count: 1,
      }));
      ctx.comment(pkt.frame.n, { note: 'vrrp.invalid', problem });
    }
  }

  /** Routers of one VRID that disagree (keepalived drops the other's adverts on most of these). */
  private checkMismatch(inst: Instance, r: Router, n: number, t: number, ctx: EngineContext): void {
    for (const o of inst.routers.values()) {
      if (o === r) continue;
      // Two clusters on the VRID: told once per pair of clusters; their adverts are not compared.
      if (o.cluster !== r.cluster) {
        const k = 'collision|' + Math.min(o.cluster.n, r.cluster.n) + '|' + Math.max(o.cluster.n, r.cluster.n);
        if (inst.reported.has(k)) continue;
        inst.reported.add(k);
        ctx.emit({
          kind: 'vrrp.collision', time: t, frames: [o.lastFrame, n], severity: 'warning',
          vrid: inst.vrid, routers: [o.ip, r.ip], addresses: [o.profile.addresses, r.profile.addresses],
        });
        continue;
      }
      for (const d of differences(o.profile, r.profile)) this.reportMismatch(inst, o, r, d, n, t, ctx);
    }
  }

  private reportMismatch(inst: Instance, o: Router, r: Router, d: Difference, n: number, t: number, ctx: EngineContext): void {
    const k = d.field + '|' + [...d.values].sort().join('|');
    if (inst.reported.has(k)) return;
    inst.reported.add(k);
    const drops = !(d.field === 'advertInterval' && o.profile.version === 3) && d.field !== 'checksumVariant';
    const log = keepalivedLog(d.field, o.profile, r.profile);
    const field = d.field;
    ctx.emit({
      kind: 'vrrp.mismatch', time: t, frames: [o.lastFrame, n], severity: drops ? 'warning' : 'notice',
      vrid: inst.vrid, field, values: { [o.ip]: d.values[0], [r.ip]: d.values[1] }, keepalivedLog: drops ? log : null, version: o.profile.version === 3 ? 3 : 2,
    });
  }

  /** Two routers advertising at once for more than 3 intervals: split brain (RFC 3768 allows one master). */
  private trackOverlap(inst: Instance, t: number, n: number, ctx: EngineContext): void {
    // Both must really be master now: a master that was preempted may not have been found silent yet. (One
    // whose adverts are lost or held shows it by its GARPs for the VIP or its ARP requests for its peer.)
    const active = [...inst.routers.values()].filter((r) => r.advertising && (t - seenAt(r)) * 1000 <= 2.5 * r.profile.intervalMs);
    if (active.length < 2) return;
    for (let i = 0; i < active.length; i++) for (let j = i + 1; j < active.length; j++) {
      // Masters of two clusters sharing the VRID: each is its own cluster's only master.
      if (active[i].cluster !== active[j].cluster) continue;
      const pair = [active[i].ip, active[j].ip].sort() as [string, string];
      let o = inst.overlaps.find((x) => !x.event?.end && x.routers[0] === pair[0] && x.routers[1] === pair[1]);
      if (!o) {
        // From the later of the two tenures (the first advert of the one that took over beside the other).
        const start = Math.min(t, Math.max(active[i].tenure?.start ?? t, active[j].tenure?.start ?? t));
        o = { routers: pair, start, startFrame: n, frames: [active[i].lastFrame, active[j].lastFrame], event: null };
        // What differs when the two streams meet (a fix may come before the split brain is confirmed).
        o.startDiffs = differences(active[i].ip === pair[0] ? active[i].profile : active[j].profile, active[i].ip === pair[0] ? active[j].profile : active[i].profile);
        inst.overlaps.push(o);
        if (inst.overlaps.length > 64) inst.overlaps.shift();
      }
      const interval = Math.max(active[i].profile.intervalMs, active[j].profile.intervalMs);
      const bothSince = Math.min(seenAt(active[i]), seenAt(active[j])) - o.start;
      if (!o.event && bothSince * 1000 > 3 * interval) {
        o.event = ctx.emit({
          kind: 'vrrp.split-brain', time: o.start, frames: o.frames.slice(), severity: 'warning',
          vrid: inst.vrid, family: inst.family, routers: pair, start: o.start, end: null, causes: [], causeLogs: [],
        });
        this.describeSplitBrain(inst, o);
      }
      if (o.event && o.event.frames.length < MAX_EVENT_FRAMES) o.event.frames.push(n);
    }
  }

  private closeOverlap(inst: Instance, o: Overlap, end: number, ctx: EngineContext): void {
    const [a, b] = o.routers.map((ip) => inst.routers.get(ip));
    const high = a && b ? (outranks(a, b) ? a : b) : null;
    const low = high ? (high === a ? b! : a!) : null;
    const missed = high && low ? missedAdverts(high, low, o.start) : null;
    // The lower one yields to the master's first advert after its own last one (keepalived vrrp_state_master_rx).
    const yielded = missed && low && o.answer && o.answer.by === high!.ip && o.answer.time >= low.lastTime ? o.answer : null;
    // The lower one's tenure ends there, however short the dual master.
    const lowEvent = low?.tenure?.masterEvent ?? low?.lastTenure?.masterEvent;
    if (yielded && lowEvent && lowEvent.reason === 'unknown' && lowEvent.time <= yielded.time) lowEvent.end = yielded.time;
    if (!o.event) {
      inst.overlaps.splice(inst.overlaps.indexOf(o), 1);
      // Shorter than a split brain: a dual master of lost adverts, told when it lasted over an interval.
      const interval = Math.max(a?.profile.intervalMs ?? 0, b?.profile.intervalMs ?? 0);
      if (!missed || !yielded || !low || (yielded.time - o.start) * 1000 <= interval) return;
      ctx.emit({
        kind: 'vrrp.split-brain', time: o.start, frames: [...o.frames, yielded.frame], severity: 'notice',
        vrid: inst.vrid, family: inst.family, routers: o.routers, start: o.start, end: yielded.time, causes: [], causeLogs: [],
        adverts: missed, yielded: low.ip,
      });
      return;
    }
    if (missed && o.event.causes.length === 0) {
      o.event.adverts = missed;
      o.event.yielded = yielded ? low!.ip : null;
      if (yielded) {
        o.event.end = yielded.time;
        // (Its frames end with the advert the lower one yielded to, not with the adverts after it.)
        o.event.frames = [...o.event.frames.filter((n) => n < yielded.frame), yielded.frame];
        return;
      }
    }
    o.event.end = end;
  }

  /** The cause, read while both advertise (at confirmation): by the end, the fix may be in. */
  private describeSplitBrain(inst: Instance, o: Overlap): void {
    const [a, b] = o.routers.map((ip) => inst.routers.get(ip)!);
    const now = differences(a.profile, b.profile);
    const diffs = [...(o.startDiffs ?? []), ...now.filter((d) => !(o.startDiffs ?? []).some((x) => x.field === d.field))]
      .filter((d) => !(d.field === 'advertInterval' && a.profile.version === 3));
    const ttlOf = (d: Difference) => ({ ...a.profile, ttl: Number(d.values.find((x) => x !== '255') ?? d.values[0]) });
    o.event!.causes = diffs.map((d) => ({ field: d.field, values: { [a.ip]: d.values[0], [b.ip]: d.values[1] } }));
    o.event!.causeLogs = diffs.map((d) => d.field === 'ttl' ? keepalivedLog('ttl', undefined, ttlOf(d)) : keepalivedLog(d.field, a.profile, b.profile));
  }

  private schedule(inst: Instance, r: Router): void {
    if (!r.advertising) return;
    const due = r.lastTime + (3 * r.profile.intervalMs + 1000) / 1000;
    if (due < inst.nextCheck) inst.nextCheck = due;
    if (due < this.nextCheck) this.nextCheck = due;
  }

  /** Time passed: routers whose adverts stopped for more than Master_Down_Interval are silent. */
  private checkSilences(t: number, ctx: EngineContext): void {
    let next = Infinity;
    for (const inst of this.instances.values()) {
      if (t >= inst.nextCheck) {
        inst.nextCheck = Infinity;
        for (const r of inst.routers.values()) {
          if (!r.advertising) continue;
          const down = (3 * r.profile.intervalMs + 1000) / 1000;
          const due = r.lastTime + down;
          // Still master by what it sends (GARPs for the VIP, ARP for its unicast peer): not silent yet.
          // (Not once a router that outranks it advertised after its last advert: it went back to backup;
          // its kernel may still ask for the peer it last sent to, vrrp-unicast-arp-blocked 30.8 s.)
          const life = yieldedTo(inst, r) ? null : lifeSign(r.silence, r.lastTime);
          if (t >= due && life !== null && t < life + down) {
            if (r.profile.unicast) tellUnresolved(r.silence, ctx, { vrid: inst.vrid, family: inst.family, router: r.ip, lastTime: r.lastTime, lastFrame: r.lastFrame });
            inst.nextCheck = Math.min(inst.nextCheck, life + down);
          } else if (t >= due) this.stopAdvertising(inst, r, ctx, null);
          else inst.nextCheck = Math.min(inst.nextCheck, due);
        }
      }
      next = Math.min(next, inst.nextCheck);
    }
    this.nextCheck = next;
  }

  finish(ctx: EngineContext, lastTime: number): void {
    for (const inst of this.instances.values()) {
      for (const r of inst.routers.values()) {
        if (!r.advertising) continue;
        const seen = yieldedTo(inst, r) ? r.lastTime : seenAt(r);
        if ((lastTime - seen) * 1000 > 3 * r.profile.intervalMs + 1000) this.stopAdvertising(inst, r, ctx, null);
        else {
          if (r.profile.unicast && (lastTime - r.lastTime) * 1000 > 3 * r.profile.intervalMs + 1000) tellUnresolved(r.silence, ctx, { vrid: inst.vrid, family: inst.family, router: r.ip, lastTime: r.lastTime, lastFrame: r.lastFrame });
          this.endTenure(inst, r, lastTime, ctx);
        }
      }
      for (const o of [...inst.overlaps]) if (o.event && o.event.end === null) this.closeOverlap(inst, o, lastTime, ctx);
    }
  }
}

/**
 * An IGMP report that joins 224.0.0.18 (keepalived starting a VRRP instance): a v1/v2 report for it, or a
 * v3 report with a record for it in EXCLUDE mode (a join; a leave is a change to INCLUDE with no source).
 */
function joinsVrrpGroup(pkt: Packet): boolean {
  const igmp = pkt.igmp, ip = pkt.ip;
  if (!igmp || !ip) return false;
  if (igmp.type === 0x12 || igmp.type === 0x16) return igmp.group === '224.0.0.18';
  if (igmp.type !== 0x22) return false;
  const b = pkt.frame.buf, end = ip.payloadEnd;
  let at = ip.payloadAt + 8;
  for (let n = (b[ip.payloadAt + 6] << 8) | b[ip.payloadAt + 7]; n > 0 && at + 8 <= end; n--) {
    const type = b[at], sources = (b[at + 2] << 8) | b[at + 3];
    if (b[at + 4] === 224 && b[at + 5] === 0 && b[at + 6] === 0 && b[at + 7] === 18) return type === 2 || type === 4 || ((type === 1 || type === 5) && sources > 0);
    at += 8 + 4 * sources + 4 * b[at + 1];
  }
  return false;
}

/**
 * A router of its cluster that outranks it advertised after its last advert, with adverts it accepts (a
 * keepalived master yields to it; one that drops them, e.g. another advert_int, stays master).
 */
function yieldedTo(inst: Instance, r: Router): boolean {
  for (const o of inst.routers.values()) {
    if (o === r || o.cluster !== r.cluster || o.lastTime <= r.lastTime || !outranks(o, r)) continue;
    if (!differences(o.profile, r.profile).some((d) => d.field !== 'checksumVariant' && !(d.field === 'advertInterval' && o.profile.version === 3))) return true;
  }
  return false;
}

/** The time a router last showed it is master: its last advert, or a GARP for its VIP / ARP for its peer since. */
function seenAt(r: Router): number {
  return Math.max(r.lastTime, lifeSign(r.silence, r.lastTime) ?? -Infinity);
}

/**
 * Why `low` did not hear `high` during a dual master from `start`, when the wire shows it: `held` (a unicast
 * master whose peer's MAC did not resolve then, its adverts in the neighbour queue), `lost` (low took over
 * while high was still master, as high showed by its GARPs or adverts after: vrrp.master previousAliveFrame).
 */
function missedAdverts(high: Router, low: Router, start: number): 'lost' | 'held' | null {
  const u = high.silence.unresolved;
  if (high.profile.unicast && u && u.time <= start && (u.end === null || u.end >= start)) return 'held';
  const e = low.tenure?.masterEvent ?? low.lastTenure?.masterEvent;
  return e && e.reason === 'unknown' && e.previous === high.ip && e.previousAliveFrame !== undefined ? 'lost' : null;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
