// Silences that are not failures (issue #14; keepalived-semantics.md §3, §5): adverts lost on the way
// while the master stays master (gaps on its own cadence, or the master showing it still holds the VIP),
// a unicast master whose peer's MAC is unresolved (its adverts wait in the kernel's neighbour queue while
// it broadcasts "who-has PEER" about once a second), and adverts whose cadence is not the interval they
// carry. The state kept per router and the facts read from it; analyser.ts applies them.

import type { Packet } from '../../dissect/packet.js';
import type { EngineContext } from '../engine.js';
import type { Family, VrrpCadence, VrrpLoss, VrrpPeerUnresolved } from './events.js';

const MAX_PEERS = 8;
const MAX_FRAMES = 50;
/** Gaps kept to judge a router's cadence (the median of the first ones of its tenures). */
const CADENCE_SAMPLES = 16;
const CADENCE_MIN_SAMPLES = 6;
/** A median gap off the carried interval by more than this share is "much faster or slower". */
const CADENCE_TOLERANCE = 0.25;

export interface SilenceState {
  /** Unicast destinations of its adverts (its unicast_peer list). */
  peers: string[];
  /** ARP requests from it for one of its peers since its last advert. */
  peerArp: { peer: string; last: number; count: number; broadcast: number; frames: number[] } | null;
  /** Its gratuitous ARP for one of its VIPs since its last advert: only a master sends them. */
  heldVip: { time: number; frame: number } | null;
  /** It was found silent, then showed it was master all along (during the current gap). */
  revived: boolean;
  /** Gaps of about one interval: a cadence to count missing adverts against. */
  onTime: number;
  loss: VrrpLoss | null;
  unresolved: VrrpPeerUnresolved | null;
  cadence: { start: number; gaps: number[]; frames: number[]; done: boolean; told: VrrpCadence | null };
}

export function newSilenceState(): SilenceState {
  return { peers: [], peerArp: null, heldVip: null, revived: false, onTime: 0, loss: null, unresolved: null, cadence: { start: 0, gaps: [], frames: [], done: false, told: null } };
}

/**
 * Adverts missing in a gap that falls on the sender's cadence: k intervals (k ≥ 2) give k − 1 missing;
 * null when the gap is off the cadence (a late advert, a restart). A tenth of an interval of slack:
 * keepalived's timer drifts by about a millisecond per advert (vrrp-lossy: 3.404, 4.405 … 15.408 s).
 */
export function missingOnCadence(gapMs: number, intervalMs: number): number | null {
  if (!(intervalMs > 0)) return null;
  const k = Math.round(gapMs / intervalMs);
  return k >= 2 && Math.abs(gapMs - k * intervalMs) <= 0.1 * intervalMs ? k - 1 : null;
}

/**
 * Adverts missing in a gap of a master that stayed master, or null (a late advert): a gap on its own
 * cadence with nobody else advertising (where its adverts come at their interval, or it showed it was
 * alive), or any gap in which it showed it was master (its GARPs for the VIP, after being found silent).
 */
export function lostAdverts(s: SilenceState, lastAdvert: number, intervalMs: number, gapMs: number, othersQuiet: boolean): number | null {
  const alive = s.revived || lifeSign(s, lastAdvert) !== null;
  if (!othersQuiet && !s.revived) return null;
  const k = missingOnCadence(gapMs, intervalMs);
  if (k !== null && (alive || s.onTime >= 2)) return k;
  return alive ? Math.max(1, Math.round(gapMs / intervalMs) - 1) : null;
}

/** The last sign since its last advert (s) that the router is still master, or null. */
export function lifeSign(s: SilenceState, lastAdvert: number): number | null {
  const t = Math.max(s.heldVip?.time ?? -Infinity, s.peerArp?.last ?? -Infinity);
  return t > lastAdvert ? t : null;
}

/** An advert from the router: what was noted since its previous one is spent. */
export function onAdvertSent(s: SilenceState, pkt: Packet, unicast: boolean): void {
  s.peerArp = null;
  s.heldVip = null;
  s.revived = false;
  const dst = pkt.ip?.dst ?? pkt.ipv6?.dst;
  if (unicast && dst && !s.peers.includes(dst) && s.peers.length < MAX_PEERS) s.peers.push(dst);
}

/**
 * An ARP frame from the router's IP or MAC: a request for one of its unicast peers (its adverts are
 * queued until the peer's MAC resolves), or a gratuitous ARP for one of its VIPs (it holds them: master).
 */
export function noteArp(s: SilenceState, pkt: Packet, t: number, router: string, mac: string | null, vips: string[]): void {
  const a = pkt.arp;
  if (!a || a.op !== 1) return;
  const sender = a.senderIp, target = a.targetIp;
  if (!sender || !target) return;
  if (sender === router && s.peers.includes(target)) {
    const broadcast = pkt.eth?.dst === 'ff:ff:ff:ff:ff:ff';
    const p = s.peerArp ??= { peer: target, last: t, count: 0, broadcast: 0, frames: [] };
    p.last = t;
    p.count++;
    if (broadcast) p.broadcast++;
    if (p.frames.length < MAX_FRAMES) p.frames.push(pkt.frame.n);
  } else if (sender === target && vips.includes(sender) && mac && pkt.eth?.src === mac) {
    s.heldVip = { time: t, frame: pkt.frame.n };
  }
}

/** The unicast master is found quiet while it asks for its peer: the fact, emitted once per silence. */
export function tellUnresolved(s: SilenceState, ctx: EngineContext, o: { vrid: number; family: Family; router: string; lastTime: number; lastFrame: number }): void {
  const p = s.peerArp;
  if (!p) return;
  if (s.unresolved && s.unresolved.end === null) { update(s.unresolved, p); return; }
  s.unresolved = ctx.emit({
    kind: 'vrrp.peer-unresolved', time: o.lastTime, frames: [o.lastFrame, ...p.frames], severity: 'warning',
    vrid: o.vrid, family: o.family, router: o.router, peer: p.peer, lastAdvertFrame: o.lastFrame,
    arpRequests: p.count, broadcast: p.broadcast, end: null, resumeFrame: null,
  });
  for (const n of p.frames) ctx.comment(n, { note: 'vrrp.peer-arp', router: o.router, peer: p.peer });
}

function update(e: VrrpPeerUnresolved, p: NonNullable<SilenceState['peerArp']>): void {
  const seen = new Set(e.frames);
  for (const n of p.frames) if (!seen.has(n) && e.frames.length < MAX_FRAMES) e.frames.push(n);
  e.arpRequests = Math.max(e.arpRequests, p.count);
  e.broadcast = Math.max(e.broadcast, p.broadcast);
}

/** Its adverts are on the wire again after the peer resolved: the same master, not a new election. */
export function closeUnresolved(s: SilenceState, ctx: EngineContext, t: number, n: number, gapMs: number): boolean {
  const e = s.unresolved;
  if (!e || e.end !== null) return false;
  if (s.peerArp) update(e, s.peerArp);
  e.end = t;
  e.resumeFrame = n;
  if (e.frames.length < MAX_FRAMES) e.frames.push(n);
  ctx.comment(n, { note: 'vrrp.peer-resolved', router: e.router, peer: e.peer, gapMs: Math.round(gapMs * 1000) / 1000 });
  return true;
}

/** k − 1 adverts missing in one gap: counted on the router's one vrrp.loss. */
export function countLoss(s: SilenceState, ctx: EngineContext, o: { vrid: number; family: Family; router: string; intervalMs: number; gapStart: number }, missing: number, gapMs: number, t: number, n: number): void {
  const gap = Math.round(gapMs * 1000) / 1000;
  ctx.comment(n, { note: 'vrrp.lost', router: o.router, vrid: o.vrid, missing, gapMs: gap });
  const e = s.loss;
  // A backup takes over once Master_Down_Interval passes without an advert it accepts.
  const severe = gapMs > 3 * o.intervalMs;
  if (!e) {
    s.loss = ctx.emit({
      kind: 'vrrp.loss', time: o.gapStart, frames: [n], severity: severe ? 'warning' : 'notice',
      vrid: o.vrid, family: o.family, router: o.router, intervalMs: o.intervalMs,
      missing, gaps: 1, longestGapMs: gap, start: o.gapStart, end: t,
    });
    return;
  }
  e.missing += missing;
  e.gaps++;
  e.longestGapMs = Math.max(e.longestGapMs, gap);
  e.end = t;
  if (severe) e.severity = 'warning';
  if (e.frames.length < MAX_FRAMES) e.frames.push(n);
}

/** One gap between two adverts of a tenure, for the cadence (behaviour 9: one notice per router). */
export function sampleCadence(s: SilenceState, ctx: EngineContext, o: { vrid: number; router: string; intervalMs: number }, gapMs: number, t: number, n: number): void {
  const c = s.cadence;
  if (Math.abs(gapMs - o.intervalMs) <= 0.1 * o.intervalMs) s.onTime++;
  if (c.done || c.gaps.length >= CADENCE_SAMPLES) return;
  if (!c.gaps.length) c.start = t - gapMs / 1000;
  c.gaps.push(gapMs);
  c.frames.push(n);
  if (c.gaps.length === CADENCE_SAMPLES) judgeCadence(s, ctx, o);
}

/** At the end of a tenure (or once enough gaps are in): the median gap against the carried interval. */
export function judgeCadence(s: SilenceState, ctx: EngineContext, o: { vrid: number; router: string; intervalMs: number }): void {
  const c = s.cadence;
  if (c.done || c.gaps.length < CADENCE_MIN_SAMPLES || !(o.intervalMs > 0)) return;
  const sorted = [...c.gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  // Judged once per router: its cadence is the interval, or one notice.
  c.done = true;
  if (Math.abs(median - o.intervalMs) <= CADENCE_TOLERANCE * o.intervalMs) return;
  c.told = ctx.emit({
    kind: 'vrrp.cadence', time: c.start, frames: c.frames.slice(0, 10), severity: 'notice',
    vrid: o.vrid, router: o.router, intervalMs: o.intervalMs, observedMs: Math.round(median * 1000) / 1000, samples: c.gaps.length,
  });
  // Slower than it says: its gaps of about two intervals were its own pace, not adverts lost on the way
  // (vrrp-loaded-master: keepalived frozen 1.6 s out of 2.4 s sent every advert it could).
  if (median > o.intervalMs && s.loss) {
    for (const n of s.loss.frames) ctx.retract(s.loss, { frame: n, note: 'vrrp.lost' });
    s.loss = null;
  }
}

/** Its adverts come slower than they say: their lateness is the cadence, not a loaded host. */
export function slowCadence(s: SilenceState, intervalMs: number): boolean {
  return !!s.cadence.told && s.cadence.told.observedMs > intervalMs;
}
