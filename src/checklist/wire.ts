// What the configuration cross-check needs from the wire beyond the events: for every VRRP router of
// every VRID, each distinct value it advertised (priority, advert interval, authentication, version,
// addresses, unicast or multicast destination) with the first frames showing it; when each router is
// heard again after a silence (a director coming back, for nopreempt); and when the capture starts.
// Bounded: a router's values and frames are capped, so a week-long capture stays small.

import type { Packet } from '../dissect/packet.js';
import { isOpeningSyn } from '../dissect/tcp.js';
import type { TcpSegment } from '../dissect/tcp-segment.js';
import { ipv4FromU32 } from '../dissect/bytes.js';
import { frameTime } from '../io/frame.js';

export type AdvertField = 'priority' | 'interval' | 'auth' | 'version' | 'addresses' | 'destination';

export interface AdvertValue {
  /** Comparable text: "150", "1000" (ms), "PASS vs-one" / "none" / "AH", "2", "10.0.0.100 10.0.0.101", "multicast" / "10.0.0.12". */
  value: string;
  count: number;
  frames: number[];
  first: number;
}

export interface RouterOnWire {
  key: string;
  vrid: number;
  family: 4 | 6;
  ip: string;
  mac: string | null;
  adverts: number;
  first: number;
  firstFrame: number;
  values: Record<AdvertField, AdvertValue[]>;
}

const MAX_ROUTERS = 4096;
const MAX_VALUES = 16;
const MAX_FRAMES = 8;
const MAX_RETURNS = 32;
const MAX_SYN_SECONDS = 200_000;
/** A host silent this long and then heard again has come back (a director restarted, a link up again). */
export const RETURN_SILENCE_S = 2.5;

export class WireLedger {
  readonly routers = new Map<string, RouterOnWire>();
  /** Time and frame of the first frame with a timestamp. */
  firstTime: number | null = null;
  /** Time of the last frame with a timestamp (NaN: none yet). A number field, not number | null: V8
   *  keeps a double field in place, where a field that was null gets a new heap number per frame. */
  private last = NaN;
  get lastTime(): number | null { return Number.isNaN(this.last) ? null : this.last; }
  /** Frames with an Ethernet header, and Linux cooked frames (a capture on one host, `tcpdump -i any`). */
  ethernetFrames = 0;
  cookedFrames = 0;
  private readonly lastSeen = new Map<string, number>();
  private readonly returnsOf = new Map<string, { time: number; frame: number }[]>();
  private readonly routerMacs = new Map<string, string>();
  /** The IPv4 routers' addresses as numbers (the per-frame presence check). */
  private readonly routerNums = new Set<number>();
  /** Addresses the adverts announce (VIPs), and clients' connection attempts to them per second. */
  private readonly vips = new Set<string>();
  private readonly synsPerSecond = new Map<number, number>();

  onPacket(pkt: Packet): void {
    if (pkt.frame.noTimestamp) return;
    const t = frameTime(pkt.frame);
    if (this.firstTime === null) this.firstTime = t;
    this.last = t;
    if (pkt.eth) this.ethernetFrames++;
    else if (pkt.cooked) this.cookedFrames++;
    const net = pkt.ip ?? pkt.ipv6;
    // Any frame from a known router (its address, or its MAC for ARP and IGMP) tells it is there.
    // Checked by number for IPv4: this runs for every frame of the capture.
    let who: string | null = null;
    if (pkt.ip) { if (this.routerNums.has(pkt.ip.srcNum)) who = pkt.ip.src; }
    else if (pkt.ipv6 && this.lastSeen.has(pkt.ipv6.src)) who = pkt.ipv6.src;
    if (!who && (pkt.arp || pkt.igmp)) {
      const mac = pkt.eth?.src ?? pkt.cooked?.src ?? null;
      who = (mac ? this.routerMacs.get(mac) ?? null : null) ?? (pkt.arp?.senderIp && this.lastSeen.has(pkt.arp.senderIp) ? pkt.arp.senderIp : null);
    }
    if (who) this.seen(who, t, pkt.frame.n);
    const tcp = pkt.tcp;
    if (tcp && net && isOpeningSyn(tcp.flags) && this.vips.size && this.vips.has(net.dst)) this.countSyn(t);
    const v = pkt.vrrp;
    if (!v || !net || (v.version !== 2 && v.version !== 3)) return;
    const mac = pkt.eth?.src ?? pkt.cooked?.src ?? null;
    const key = `${v.vrid}|${v.family}|${net.src}`;
    let r = this.routers.get(key);
    if (!r) {
      if (this.routers.size >= MAX_ROUTERS) return;
      r = {
        key, vrid: v.vrid, family: v.family, ip: net.src, mac, adverts: 0, first: t, firstFrame: pkt.frame.n,
        values: { priority: [], interval: [], auth: [], version: [], addresses: [], destination: [] },
      };
      this.routers.set(key, r);
      if (!this.lastSeen.has(net.src)) this.lastSeen.set(net.src, t);
      if (pkt.ip) this.routerNums.add(pkt.ip.srcNum);
      if (mac && !this.routerMacs.has(mac)) this.routerMacs.set(mac, net.src);
    }
    r.adverts++;
    r.mac ??= mac;
    const n = pkt.frame.n;
    const multicast = (pkt.ip ?? pkt.ipv6 ?? net).isMulticast;
    add(r.values.priority, String(v.priority), t, n);
    add(r.values.interval, String(v.intervalMs), t, n);
    add(r.values.version, String(v.version), t, n);
    add(r.values.addresses, [...v.addresses].sort().join(' '), t, n);
    for (const a of v.addresses) if (this.vips.size < 1024) this.vips.add(a);
    add(r.values.destination, multicast ? 'multicast' : net.dst, t, n);
    if (v.version === 2) add(r.values.auth, authText(v.authType, v.authString), t, n);
  }

  /** A TCP segment read from the bytes (dissect/tcp-segment.ts): what onPacket does with it, without a Packet. */
  onTcpSegment(seg: TcpSegment, t: number): void {
    if (this.firstTime === null) this.firstTime = t;
    this.last = t;
    this.ethernetFrames++;
    if (this.routerNums.has(seg.srcNum)) this.seen(ipv4FromU32(seg.srcNum), t, seg.frame.n);
    if (isOpeningSyn(seg.flags) && this.vips.size && this.vips.has(ipv4FromU32(seg.dstNum))) this.countSyn(t);
  }

  /** A client's connection attempt to a VIP. */
  private countSyn(t: number): void {
    const sec = Math.floor(t);
    if (this.synsPerSecond.has(sec) || this.synsPerSecond.size < MAX_SYN_SECONDS) this.synsPerSecond.set(sec, (this.synsPerSecond.get(sec) ?? 0) + 1);
  }

  private seen(ip: string, t: number, n: number): void {
    const last = this.lastSeen.get(ip);
    if (last !== undefined && t - last >= RETURN_SILENCE_S) {
      let l = this.returnsOf.get(ip);
      if (!l) { l = []; this.returnsOf.set(ip, l); }
      if (l.length < MAX_RETURNS) l.push({ time: t, frame: n });
    }
    this.lastSeen.set(ip, t);
  }

  /** Captured on one host only (cooked frames, no Ethernet): other hosts' unicast traffic is not in it. */
  get hostCapture(): boolean {
    return this.cookedFrames > 0 && this.ethernetFrames === 0;
  }

  /** When a router was heard again after a silence (first frame of each return). */
  returns(ip: string): readonly { time: number; frame: number }[] {
    return this.returnsOf.get(ip) ?? [];
  }

  /** Clients' connection attempts (TCP SYN) to an advertised address between two times. */
  clientSyns(from: number, to: number): number {
    let n = 0;
    for (let sec = Math.floor(from); sec <= Math.floor(to) && sec - from < 86400 * 7; sec++) n += this.synsPerSecond.get(sec) ?? 0;
    return n;
  }

  routersOf(vrid: number, family?: 4 | 6): RouterOnWire[] {
    return [...this.routers.values()].filter((r) => r.vrid === vrid && (family === undefined || r.family === family));
  }
}

function add(list: AdvertValue[], value: string, t: number, n: number): void {
  let v = list.find((x) => x.value === value);
  if (!v) {
    if (list.length >= MAX_VALUES) return;
    v = { value, count: 0, frames: [], first: t };
    list.push(v);
  }
  v.count++;
  if (v.frames.length < MAX_FRAMES) v.frames.push(n);
}

/** VRRPv2 authentication as keepalived's configuration says it: none, PASS <password>, AH. */
export function authText(type: number | null, password: string | null): string {
  if (type === 1) return `PASS ${password ?? ''}`;
  if (type === 2) return 'AH';
  if (type === 0 || type === null) return 'none';
  return `type ${type}`;
}
