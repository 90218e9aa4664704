// LVS as the wire shows it: client connections to a virtual service (VIP:port) forwarded by the
// director to real servers (NAT: the same client port and sequence numbers reappear towards a real
// server; DR: the same packet re-sent to the real server's MAC; TUN: IP-in-IP), the scheduling
// observed, real servers leaving and rejoining the pool, the sorry server under the quorum, IPVS
// connection sync between directors, and the outages clients saw. Facts: protocol-notes §3.6-3.7.

import type { IpvsSyncMessage, Packet } from '../../dissect/packet.js';
import type { IPv4 } from '../../dissect/ipv4.js';
import type { IPv6 } from '../../dissect/ipv6.js';
import type { Udp } from '../../dissect/udp.js';
import type { Echo } from '../../dissect/types.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { AnalysisEvent } from '../events.js';
import type { HcState } from '../checks/events.js';
import type { VrrpMaster } from '../vrrp/events.js';
import type { LvsRealServer, LvsSorry, Method } from './events.js';
import type { HealthChecks } from '../checks/analyser.js';
import type { Flow, FlowListener, TcpFlows } from '../tcp/flows.js';
import { isOpeningSyn } from '../../dissect/tcp.js';
import type { SegmentView } from '../../dissect/tcp-segment.js';
import { NumberTable } from '../number-table.js';
import { scheduling } from './scheduling.js';

export type { Method } from './events.js';

const MAX_PENDING = 20_000;
const MAX_SERVICES = 256;
const MAX_FRAMES = 40;
const NAT_MATCH_WINDOW_S = 3;
/** A virtual service as clients address it: TCP or UDP to VIP:port, or ICMP echo to the VIP (port 0). */
interface ServiceKey { proto: 'tcp' | 'udp' | 'ping'; vip: string | null; port: number }

/** A connection the director sent on to a server. */
interface Forwarding {
  method: Method;
  client: string;
  clientPort: number;
  service: ServiceKey;
  /** The server it reached, ip:port. */
  server: string;
  director: string | null;
  time: number;
  frame: number;
}

interface RealServer {
  id: string;
  /** The virtual service's id. */
  service: string;
  connections: number;
  lastIndex: number;
  state: 'in' | 'out';
  frames: number[];
  method: Method;
  director: string | null;
  sorry: boolean;
  forwardEvent: AnalysisEvent | null;
  firstTime: number;
}

interface Service extends ServiceKey {
  id: string;
  connections: number;
  servers: Map<string, RealServer>;
  /** The same servers as a list (walked on every forwarded connection). */
  serverList: RealServer[];
  /** Sequence of real servers chosen, bounded, for the scheduling read-out. */
  choices: string[];
  sorry: { server: string; start: number; startFrame: number; end: number | null; event: LvsSorry | null } | null;
  /** Client connections to the VIP, for outages: outcomes not read yet, and the open run of failures. */
  outcomes: { time: number; frame: number; ok: boolean; end: number }[];
  lastRead: number;
  failures: { start: number; frames: number[]; count: number; last: number } | null;
  clientFlows: number;
}

interface PendingFront {
  flow: Flow;
  time: number;
  frame: number;
  service: Service;
}

/**
 * Client connection (address, port) → the real server it was forwarded to. Bounded: two generations of
 * 50 000; looked up by address first (a handful of clients in a lab), then by port (a number).
 */
class ForwardedConnections {
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

/** A client's datagram, to the VIP (front side) or to a real server (back side), waiting for the other side. */
interface UdpDatagram { client: string; mac: string | null; cport: number; to: string; port: number; length: number; time: number; frame: number }

/** A UDP datagram's client port and first four payload bytes (a DNS query's id and flags) as one exact number. */
function udpKey(u: Udp, b: Uint8Array): number {
  const at = u.payloadAt, len = u.payloadEnd - at;
  let head = 0;
  for (let i = 0; i < 4; i++) head = head * 256 + (i < len ? b[at + i] : 0);
  return head * 65536 + u.srcPort;
}

/**
 * A SYN's (client port, initial sequence number) as one exact number: what ties a client's connection to
 * the director's forwarded copy of it (the client address is compared on a match).
 */
function synKey(port: number, seq: number): number {
  return seq * 65536 + port;
}

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

/** ARP packets from one MAC claiming a VIP that a director holds, and clients' SYNs sent to that MAC. */
interface VipArpClaim { vip: string; mac: string; holder: string; claims: number; first: number; frames: number[]; bypassed: number; bypassFrames: number[] }

interface Takeover {
  event: VrrpMaster;
  open: Flow[];
}

export class LvsAnalyzer implements Analyzer, FlowListener {
  readonly name = 'lvs';
  private readonly vips = new Set<string>();
  private readonly masters = new Map<string, string>(); // VIP → current master router
  private readonly directors = new Set<string>();
  private readonly services = new Map<string, Service>();
  private lastService: Service | null = null;
  /** Clients already registered as hosts (ctx.host once per address). */
  private readonly clients = new Set<string>();
  private readonly pendingFront = new NumberTable<PendingFront>();
  private readonly pendingBack = new NumberTable<{ flow: Flow; time: number; frame: number }>();
  /** Tunnelled SYNs already counted (client, port, sequence), bounded. */
  private readonly tunnelled = new Set<string>();
  private readonly pendingPings = new Map<string, { time: number; frame: number; service: ServiceKey }>();
  /** UDP-NAT: clients' datagrams to a virtual service, and datagrams from clients to other hosts, by (client port, first payload bytes). */
  private readonly udpFront = new Map<number, UdpDatagram>();
  private readonly udpBack = new Map<number, UdpDatagram>();
  private lastExpiry = 0;
  /** Which real server each client connection (ip, port) was forwarded to (for sync checks). */
  private readonly forwarded = new ForwardedConnections();
  private readonly syncs = new Map<string, SyncSender>();
  private readonly takeovers: Takeover[] = [];
  private readonly macToIp = new Map<string, string>();
  private readonly vipMacs = new Map<string, string>();
  private readonly recentEvents: AnalysisEvent[] = [];
  /**
   * Pool changes no verdict explained yet: a health-check verdict is emitted once keepalived's retries
   * are known to have failed (the checks analyser waits for delay_before_retry), which may be after the
   * pool change it explains is seen on the wire; it is tied to them when it comes (onEvent).
   */
  private readonly unexplained: LvsRealServer[] = [];
  /** The VIPs each VRRP instance ("family:vrid") announces, to tie outages to their instance. */
  private readonly vipsOfVrid = new Map<string, Set<string>>();
  /** Clients asking who has a VIP and getting no answer: nobody holds it (first request time, frame). */
  private readonly vipArpWait = new Map<string, { from: number; frame: number }>();
  private readonly vipArpWindows: { vip: string; from: number; to: number; frame: number; used: boolean }[] = [];
  /** MACs the VRRP masters advertised from (directors). */
  private readonly directorMacs = new Set<string>();
  /** Other MACs claiming a VIP in ARP, by "vip|mac" (bounded). */
  private readonly vipArpClaims = new Map<string, VipArpClaim>();

  constructor(private readonly flows: TcpFlows, private readonly checks: HealthChecks) {
    flows.subscribe(this);
  }

  onEvent(e: AnalysisEvent, ctx: EngineContext): void {
    if (e.kind === 'vrrp.master') {
      this.directors.add(String(e.router));
      const key = `${e.family}:${e.vrid}`;
      const set = this.vipsOfVrid.get(key) ?? new Set<string>();
      for (const v of e.addresses as string[]) set.add(v);
      if (this.vipsOfVrid.size < 1024) this.vipsOfVrid.set(key, set);
      for (const v of e.addresses as string[]) { this.vips.add(v); this.masters.set(v, String(e.router)); if (e.mac) this.vipMacs.set(v, String(e.mac)); }
      if (e.mac && this.directorMacs.size < 256) this.directorMacs.add(e.mac);
      // (A master advertising again after its own silence, nobody in between, took nothing over.)
      if (e.reason !== 'initial' && e.previous) {
        // Connections open across a director takeover: did they survive (IPVS sync) or were they reset?
        const open: Flow[] = [];
        this.flows.forEachOpen((f) => { if (open.length < 2000 && f.established && this.vips.has(f.serverIp)) open.push(f); });
        if (open.length) this.takeovers.push({ event: e, open });
      }
    }
    if (e.kind === 'hc.state') this.explainLater(e);
    if (e.kind === 'vrrp.master' || e.kind === 'vrrp.silent' || e.kind === 'hc.state' || e.kind === 'vrrp.resign') {
      this.recentEvents.push(e);
      if (this.recentEvents.length > 512) this.recentEvents.shift();
    }
    void ctx;
  }

  readonly wants = PacketKind.ARP | PacketKind.UDP | PacketKind.ICMP | PacketKind.ICMPV6 | PacketKind.TUNNEL;

  /** Between the packets it looks at (the TCP segments come through the flow table): the time, to expire pending SYNs. */
  tick(t: number, ctx: EngineContext): void {
    this.expireDue(t, ctx);
  }

  /** Once a second of capture time while SYNs wait for their other side. */
  private expireDue(now: number, ctx: EngineContext): void {
    if (!this.pendingBack.size && !this.pendingFront.size) return;
    if (now - this.lastExpiry > 1) { this.lastExpiry = now; this.expirePending(now, ctx); }
    if (this.pendingBack.size || this.pendingFront.size) ctx.wakeAt(this, this.lastExpiry + 1);
  }

  onPacket(pkt: Packet, ctx: EngineContext): void {
    if (!pkt.frame.noTimestamp) this.expireDue(frameTime(pkt.frame), ctx);
    const arp = pkt.arp, addr = arp?.ethIpv4;
    if (arp && addr && addr.senderIp !== '0.0.0.0' && !pkt.frame.noTimestamp) {
      const sender = addr.senderIp, target = addr.targetIp;
      if (!this.vips.has(sender)) this.macToIp.set(addr.senderMac, sender);
      const t = frameTime(pkt.frame);
      if (this.vips.has(sender)) this.vipArpClaim(sender, addr.senderMac, t, pkt.frame.n);
      // Any address may turn out to be a VIP once its first master shows: requests are kept (bounded).
      if (arp.op === 1 && target !== sender && !this.isDirector(sender)) {
        if (!this.vipArpWait.has(target) && this.vipArpWait.size < 1024) this.vipArpWait.set(target, { from: t, frame: pkt.frame.n });
      } else {
        const w = this.vipArpWait.get(sender);
        if (w) {
          this.vipArpWait.delete(sender);
          if (this.vips.has(sender) && t - w.from > 0.5 && this.vipArpWindows.length < 256) this.vipArpWindows.push({ vip: sender, from: w.from, to: t, frame: w.frame, used: false });
        }
      }
    }
    const net = pkt.net;
    if (!net || pkt.frame.noTimestamp) return;
    const t = frameTime(pkt.frame);
    if (pkt.ipvsSync) this.onSync(pkt.ipvsSync, net.src, pkt, t, ctx);
    // Only an echo whose identifier was captured can be matched with its reply.
    const echo = pkt.icmp?.echo ?? pkt.icmpv6?.echo;
    if (echo) this.onEcho(echo, net, pkt, t, ctx);
    if (pkt.udp && this.vips.size && !pkt.ipvsSync) this.onUdp(pkt.udp, net, pkt, t, ctx);
    // LVS-TUN: the client's SYN to the VIP inside IP-in-IP from the director to the real server.
    if (pkt.inner && pkt.tcp && isOpeningSyn(pkt.tcp.flags) && pkt.ip) {
      const inner = pkt.inner;
      // One tunnelled SYN crosses two links (director → router → real server): count it once.
      const key = `${inner.src}|${pkt.tcp.srcPort}|${pkt.tcp.seq}`;
      if (this.tunnelled.has(key)) return;
      if (this.tunnelled.size >= 4096) this.tunnelled.clear();
      this.tunnelled.add(key);
      this.vips.add(inner.dst);
      this.directors.add(pkt.ip.src);
      this.forward({
        method: 'tun', client: inner.src, clientPort: pkt.tcp.srcPort, service: { proto: 'tcp', vip: inner.dst, port: pkt.tcp.dstPort },
        server: `${pkt.ip.dst}:${pkt.tcp.dstPort}`, director: pkt.ip.src, time: t, frame: pkt.frame.n,
      }, ctx);
    }
  }

  onSegment(flow: Flow, seg: SegmentView, fromClient: boolean, ctx: EngineContext): void {
    if (seg.tunnelled) return;
    // The server answered the client: the connection worked, whatever happens to it later.
    if (flow.lvsClient && !fromClient && !flow.lvsOutcome && seg.payloadEnd > seg.payloadAt) this.outcome(flow, 'ok', ctx);
    const syn = isOpeningSyn(seg.flags);
    if (!syn || !fromClient) return;
    const t = frameTime(seg.frame);
    const key = synKey(flow.clientPort, seg.seq);
    if (this.vips.has(flow.serverIp)) {
      if (flow.syns > 1) {
        // The same SYN again to a different MAC on one link: LVS-DR re-sends it to a real server's MAC.
        const dstMac = seg.dstMac;
        const holder = this.vipMacs.get(flow.serverIp);
        if (dstMac && holder && dstMac !== holder && this.macToIp.has(dstMac) && t - flow.synTime < 0.5) {
          const rip = this.macToIp.get(dstMac)!;
          this.forward({
            method: 'dr', client: flow.clientIp, clientPort: flow.clientPort, service: { proto: 'tcp', vip: flow.serverIp, port: flow.serverPort },
            server: `${rip}:${flow.serverPort}`, director: this.macToIp.get(holder) ?? null, time: t, frame: seg.frame.n,
          }, ctx);
        }
        return;
      }
      if (this.isDirector(flow.clientIp)) return;
      const service = this.service({ proto: 'tcp', vip: flow.serverIp, port: flow.serverPort });
      if (!service) return;
      service.clientFlows++;
      if (this.vipArpClaims.size && seg.dstMac) {
        const claim = this.vipArpClaims.get(`${flow.serverIp}|${seg.dstMac}`);
        if (claim) { claim.bypassed++; if (claim.bypassFrames.length < 5) claim.bypassFrames.push(seg.frame.n); }
      }
      flow.lvsClient = true;
      flow.lvsService = service;
      const pending: PendingFront = { flow, time: t, frame: seg.frame.n, service };
      const back = this.pendingBack.get(key);
      if (back && back.flow.clientIp === flow.clientIp && Math.abs(back.time - t) < NAT_MATCH_WINDOW_S) {
        this.pendingBack.delete(key);
        this.natMatched(pending, back.flow, back.time, back.frame, ctx);
      } else if (this.pendingFront.size < MAX_PENDING) { this.pendingFront.set(key, pending); ctx.wakeAt(this, this.lastExpiry + 1); }
      if (!this.clients.has(flow.clientIp) && this.clients.size < 10_000) { this.clients.add(flow.clientIp); ctx.host(flow.clientIp, flow.clientMac, 'client'); }
      return;
    }
    if (flow.syns > 1 || this.isDirector(flow.clientIp) || this.vips.has(flow.clientIp)) return;
    // LVS-NAT: the director sends the client's SYN on to a real server: same client port and ISN.
    // Captures of two links need not be in time order (dumpcap writes each interface's blocks as they
    // come), so either side may be seen first.
    const front = this.pendingFront.get(key);
    if (front && front.flow.clientIp === flow.clientIp && Math.abs(t - front.time) < NAT_MATCH_WINDOW_S && front.flow !== flow) {
      this.pendingFront.delete(key);
      this.natMatched(front, flow, t, seg.frame.n, ctx);
    } else if (this.pendingBack.size < MAX_PENDING) {
      this.pendingBack.set(key, { flow, time: t, frame: seg.frame.n });
      ctx.wakeAt(this, this.lastExpiry + 1);
    }
  }

  private natMatched(front: PendingFront, back: Flow, t: number, n: number, ctx: EngineContext): void {
    const vip = front.service.vip;
    this.forward({
      method: 'nat', client: back.clientIp, clientPort: back.clientPort, service: front.service,
      server: `${back.serverIp}:${back.serverPort}`, director: (vip && this.masters.get(vip)) ?? null, time: t, frame: n,
    }, ctx);
  }

  /** Back-side connections no front-side SYN matched: only the real-server side is in the capture. */
  private expirePending(now: number, ctx: EngineContext): void {
    for (const k of this.pendingFront.keysWhere((f) => now - f.time > NAT_MATCH_WINDOW_S)) this.pendingFront.delete(k);
    // In the order the SYNs came.
    const expired = this.pendingBack.keysWhere((b) => now - b.time > NAT_MATCH_WINDOW_S).map((k) => ({ k, b: this.pendingBack.get(k)! }));
    expired.sort((x, y) => x.b.frame - y.b.frame);
    for (const { k, b } of expired) {
      this.pendingBack.delete(k);
      const flow = b.flow;
      const server = `${flow.serverIp}:${flow.serverPort}`;
      // Known as a director by now (its first probes came before anything showed it was one)?
      if (this.isDirector(flow.clientIp) || flow.probe) continue;
      if (this.checks.seriesOf(server).length || this.isSorryCandidate(flow)) {
        this.forward({
          method: 'nat', client: flow.clientIp, clientPort: flow.clientPort, service: { proto: 'tcp', vip: null, port: flow.serverPort },
          server, director: null, time: b.time, frame: b.frame,
        }, ctx);
      }
    }
  }

  /**
   * An ARP packet giving a VIP as its sender address from a MAC that is no director's: a host answering
   * (or announcing) the VIP beside the director that holds it.
   */
  private vipArpClaim(vip: string, mac: string, t: number, n: number): void {
    const holder = this.vipMacs.get(vip);
    if (!holder || mac === holder || this.directorMacs.has(mac)) return;
    const key = `${vip}|${mac}`;
    let c = this.vipArpClaims.get(key);
    if (!c) {
      if (this.vipArpClaims.size >= 64) return;
      c = { vip, mac, holder, claims: 0, first: t, frames: [], bypassed: 0, bypassFrames: [] };
      this.vipArpClaims.set(key, c);
    }
    c.claims++;
    if (c.frames.length < MAX_FRAMES) c.frames.push(n);
  }

  private isDirector(ip: string): boolean {
    return this.directors.has(ip) || this.checks.isDirector(ip);
  }

  /** A back-side connection from a client to a host nobody checks, while checked servers exist for that port. */
  private isSorryCandidate(flow: Flow): boolean {
    const svc = this.services.get(`?:${flow.serverPort}`);
    return !!svc && svc.servers.size > 0 && !this.isDirector(flow.serverIp);
  }

  /** The service clients address (a vip of null: only the real-server side of its connections was seen). */
  private service({ proto, vip, port }: ServiceKey): Service | null {
    const last = this.lastService;
    if (last && last.proto === proto && last.vip === vip && last.port === port) return last;
    const id = proto === 'ping' ? `${vip} (ping)` : proto === 'udp' ? `${vip ?? '?'}:${port}/udp` : `${vip ?? '?'}:${port}`;
    let s = this.services.get(id);
    if (!s) {
      if (this.services.size >= MAX_SERVICES) return null;
      s = { id, proto, vip, port, connections: 0, servers: new Map(), serverList: [], choices: [], sorry: null, outcomes: [], lastRead: 0, failures: null, clientFlows: 0 };
      this.services.set(id, s);
    }
    this.lastService = s;
    return s;
  }

  private forward(fw: Forwarding, ctx: EngineContext): void {
    const { method, client: cip, clientPort: cport, server, director, time: t, frame: n } = fw;
    const svc = this.service(fw.service);
    if (!svc) return;
    const index = ++svc.connections;
    let rs = svc.servers.get(server);
    if (!rs) {
      const checked = this.checks.seriesOf(server).length > 0;
      const anyChecked = checked || svc.serverList.some((x) => !x.sorry && this.checks.seriesOf(x.id).length > 0);
      // keepalived never checks the sorry server: a destination nobody checks, beside checked ones. And
      // it sends connections there only when the quorum is lost, which takes a failing check: a server
      // nobody checks yet while the pool's checks pass is a server a configuration reload added (its
      // first check comes after its first connections: ivs3/reload-pool).
      const sorry = !checked && anyChecked && svc.servers.size > 0 && svc.serverList.some((x) => !x.sorry && this.checks.isFailing(x.id));
      rs = { id: server, service: svc.id, connections: 0, lastIndex: index, state: 'in', frames: [], method, director, sorry, forwardEvent: null, firstTime: t };
      svc.servers.set(server, rs);
      svc.serverList.push(rs);
      ctx.host(server.slice(0, server.lastIndexOf(':')), null, sorry ? 'sorry-server' : 'real-server');
    }
    this.forwarded.set(cip, cport, rs);
    if (svc.choices.length < 4096) svc.choices.push(server);
    rs.connections++;
    if (rs.frames.length < MAX_FRAMES) rs.frames.push(n);
    rs.director ??= director;
    ctx.comment(n, ctx.routineComments ? { note: 'lvs.forward', method: svc.proto === 'udp' ? 'nat-udp' : method, client: `${cip}:${cport}`, service: svc.id, server, sorry: rs.sorry } : null, true);

    if (rs.sorry) {
      if (!svc.sorry || svc.sorry.end !== null) this.openSorry(svc, rs, t, n, ctx);
    } else if (svc.sorry && svc.sorry.end === null) {
      this.closeSorry(svc, t, n, ctx);
    }
    // A connection reaching a server whose check still fails is keepalived not having removed it yet
    // (retries), not a return to the pool.
    if (rs.state === 'out' && !this.checks.isFailing(rs.id)) this.poolChange(svc, rs, 'in', t, n, ctx);
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
      if (failing ? index - other.lastIndex >= round : index - other.lastIndex > 2 * round) this.poolChange(svc, other, 'out', t, n, ctx);
    }
    if (rs.sorry) for (const other of list) if (!other.sorry && other.state === 'in') this.poolChange(svc, other, 'out', t, n, ctx);
  }

  /** What explains a pool change: the health-check transition, a quorum loss (sorry server), a takeover. */
  private explain(server: string, state: 'in' | 'out', t: number): HcState | null {
    for (let i = this.recentEvents.length - 1; i >= 0; i--) {
      const e = this.recentEvents[i];
      if (e.kind !== 'hc.state' || e.time > t + 0.5 || t - e.time > 15) continue;
      const target = String(e.target);
      const sameServer = target === server || (!target.includes(':') && server.startsWith(target + ':'));
      if (sameServer && e.state === (state === 'out' ? 'down' : 'up')) return e;
    }
    return null;
  }

  /** A verdict that came after the pool change it explains (see `unexplained`): the same window as explain(). */
  private explainLater(v: HcState): void {
    const target = v.target;
    for (let i = 0; i < this.unexplained.length; i++) {
      const p = this.unexplained[i];
      const sameServer = target === p.realServer || (!target.includes(':') && p.realServer.startsWith(target + ':'));
      if (!sameServer || v.state !== (p.state === 'out' ? 'down' : 'up') || v.time > p.time + 0.5 || p.time - v.time > 15) continue;
      p.cause = 'hc';
      p.checker = v.checker;
      p.reason = v.reason;
      p.related = v.id;
      p.frames = [...v.frames.slice(0, 2), ...p.frames];
      this.unexplained.splice(i, 1);
      return;
    }
  }

  private poolChange(svc: Service, rs: RealServer, state: 'in' | 'out', t: number, n: number, ctx: EngineContext): void {
    rs.state = state;
    const cause = this.explain(rs.id, state, t);
    const quorum = state === 'out' && svc.sorry && svc.sorry.end === null;
    const quorumBack = state === 'in' && svc.sorry && svc.sorry.end !== null && t - svc.sorry.end < 2;
    // Drop the unexplained changes no verdict can explain any more (older than the window).
    while (this.unexplained.length && (t - this.unexplained[0].time > 30 || this.unexplained.length >= 256)) this.unexplained.shift();
    const event = ctx.emit({
      kind: 'lvs.realserver', time: t, frames: cause ? [...cause.frames.slice(0, 2), n] : [n], severity: state === 'out' ? 'warning' : 'notice',
      realServer: rs.id, state, service: svc.id, cause: cause ? 'hc' : quorum || quorumBack ? 'quorum' : 'none',
      checker: cause ? cause.checker : null, reason: cause ? cause.reason : null, related: cause?.id ?? svc.sorry?.event?.id ?? null,
    });
    if (!cause) this.unexplained.push(event); // (a quorum change too: the failing server's own verdict, if it comes, is its cause)
  }

  private openSorry(svc: Service, rs: RealServer, t: number, n: number, ctx: EngineContext): void {
    svc.sorry = { server: rs.id, start: t, startFrame: n, end: null, event: null };
    svc.sorry.event = ctx.emit({
      kind: 'lvs.sorry', time: t, frames: [n], severity: 'warning',
      vip: svc.id, sorryServer: rs.id, start: t, end: null,
    });
  }

  private closeSorry(svc: Service, t: number, n: number, ctx: EngineContext): void {
    const s = svc.sorry!;
    s.end = t;
    const e = s.event!;
    e.end = t;
    e.frames.push(n);
  }

  // --- outages seen by clients ---
  // A client connection's outcome is known within seconds of its SYN (an answer, or a refusal, reset
  // or SYNs left unanswered); outcomes are buffered and read in SYN order, so concurrent connections
  // cannot split or hide an outage.

  onFlowEnd(flow: Flow, ctx: EngineContext): void {
    if (!flow.lvsClient || !flow.sawSyn || flow.lvsOutcome) return;
    const failed = flow.ended === 'refused' || flow.ended === 'unanswered' || flow.ended === 'rst';
    this.outcome(flow, failed ? 'failed' : flow.established ? 'ok' : null, ctx);
  }

  private outcome(flow: Flow, result: 'ok' | 'failed' | null, ctx: EngineContext): void {
    if (!result) return;
    flow.lvsOutcome = result;
    const svc = flow.lvsService as Service | null;
    if (!svc) return;
    if (svc.outcomes.length < 100_000) svc.outcomes.push({ time: flow.synTime, frame: flow.synFrame, ok: result === 'ok', end: flow.lastTime });
    // Read in batches, every 5 s of capture time, what is older than 15 s (all outcomes are known by then).
    if (flow.lastTime - svc.lastRead > 5) { svc.lastRead = flow.lastTime; this.readOutcomes(svc, flow.lastTime - 15, ctx); }
  }

  private readOutcomes(svc: Service, upTo: number, ctx: EngineContext): void {
    svc.outcomes.sort((a, b) => a.time - b.time);
    let i = 0;
    for (; i < svc.outcomes.length && svc.outcomes[i].time <= upTo; i++) {
      const o = svc.outcomes[i];
      if (!o.ok) {
        if (!svc.failures) svc.failures = { start: o.time, frames: [], count: 0, last: o.end };
        svc.failures.count++;
        svc.failures.last = Math.max(svc.failures.last, o.time);
        if (svc.failures.frames.length < MAX_FRAMES) svc.failures.frames.push(o.frame);
      } else if (svc.failures) {
        this.closeOutage(svc, o.time, o.frame, ctx);
      }
    }
    svc.outcomes.splice(0, i);
  }

  private closeOutage(svc: Service, end: number | null, frame: number | null, ctx: EngineContext): void {
    const f = svc.failures!;
    svc.failures = null;
    // The clients' SYNs may have waited behind unanswered ARP requests for the VIP: the outage began then.
    for (const w of this.vipArpWindows) {
      if (w.vip === svc.vip && w.from < f.start && w.to >= f.start - 1) { f.start = w.from; f.frames.unshift(w.frame); w.used = true; }
    }
    const stop = end ?? f.last;
    const cause = this.outageCause(f.start, stop, svc.vip, svc.proto === 'ping' ? null : svc.port);
    ctx.emit({
      kind: 'svc.outage', time: f.start, frames: frame ? [...f.frames, frame] : f.frames, severity: 'warning',
      vip: svc.id, probe: svc.proto, start: f.start, end: stop, ongoing: end === null,
      durationMs: Math.round((stop - f.start) * 1000), failedConnections: f.count, related: cause?.id ?? null,
    });
  }

  /** The event nearest the outage's start that explains it (director events of that VIP preferred). */
  private outageCause(start: number, end: number, vip: string | null, port: number | null): AnalysisEvent | null {
    let best: AnalysisEvent | null = null, bestScore = Infinity;
    for (const e of this.recentEvents) {
      if (e.time < start - 10 || e.time > end + 1) continue;
      if (e.kind === 'vrrp.master' && e.reason === 'initial') continue;
      if (vip && e.kind.startsWith('vrrp')) {
        const v = e as { family?: number; vrid?: number };
        if (!this.vipsOfVrid.get(`${v.family}:${v.vrid}`)?.has(vip)) continue;
      }
      // A failing check explains an outage of a service on the same port only (a DNS outage is no web server's doing).
      if (e.kind === 'hc.state' && port !== null && !e.target.endsWith(`:${port}`)) continue;
      const score = Math.abs(e.time - start) + (e.kind.startsWith('vrrp') ? 0 : 3);
      if (score < bestScore) { best = e; bestScore = score; }
    }
    return best;
  }

  /** Clients pinging a VIP: an echo request without reply within 2 s is a failed attempt. */
  private onEcho({ request, id, seq }: Echo, ip: IPv4 | IPv6, pkt: Packet, t: number, ctx: EngineContext): void {
    if (request && this.vips.has(ip.dst) && !this.isDirector(ip.src)) {
      if (this.pendingPings.size < MAX_PENDING) this.pendingPings.set(`${ip.src}|${ip.dst}|${id}|${seq}`, { time: t, frame: pkt.frame.n, service: { proto: 'ping', vip: ip.dst, port: 0 } });
    } else if (!request && this.vips.has(ip.src)) {
      const k = `${ip.dst}|${ip.src}|${id}|${seq}`;
      const p = this.pendingPings.get(k);
      if (p) { this.pendingPings.delete(k); this.pingOutcome(p, true, ctx); }
    }
    for (const [k, p] of this.pendingPings) {
      if (t - p.time <= 2) break; // insertion order is time order
      this.pendingPings.delete(k);
      this.pingOutcome(p, false, ctx);
    }
  }

  private pingOutcome(p: { time: number; frame: number; service: ServiceKey }, ok: boolean, ctx: EngineContext): void {
    const svc = this.service(p.service);
    if (!svc) return;
    if (svc.outcomes.length < 100_000) svc.outcomes.push({ time: p.time, frame: p.frame, ok, end: p.time });
    if (p.time - svc.lastRead > 5) { svc.lastRead = p.time; this.readOutcomes(svc, p.time - 15, ctx); }
  }

  /** Clients' UDP requests to a VIP (DNS through LVS…): a request with no answer within 2 s failed. */
  private onUdp(u: Udp, ip: IPv4 | IPv6, pkt: Packet, t: number, ctx: EngineContext): void {
    if (this.vips.has(ip.dst) && !ip.isMulticast && !this.isDirector(ip.src)) {
      if (this.pendingPings.size < MAX_PENDING) this.pendingPings.set(`udp|${ip.src}|${u.srcPort}|${ip.dst}|${u.dstPort}`, { time: t, frame: pkt.frame.n, service: { proto: 'udp', vip: ip.dst, port: u.dstPort } });
      this.udpNat(u, ip, pkt, true, t, ctx);
    } else if (!this.vips.has(ip.src) && !ip.isMulticast && !this.isDirector(ip.src) && !this.isDirector(ip.dst)) {
      this.udpNat(u, ip, pkt, false, t, ctx);
    } else if (this.vips.has(ip.src)) {
      const k = `udp|${ip.dst}|${u.dstPort}|${ip.src}|${u.srcPort}`;
      const p = this.pendingPings.get(k);
      if (p) { this.pendingPings.delete(k); this.pingOutcome(p, true, ctx); }
    }
  }

  // UDP-NAT: the director sends the client's datagram on to a real server with the destination
  // rewritten: same client address and port, same payload. Each (client, port) is one IPVS connection;
  // its first datagram is what the scheduler placed. Either side may be captured first.

  /** A datagram from a client: to the VIP (`toVip`, the front side) or to another host (maybe the back side). */
  private udpNat(u: Udp, ip: IPv4 | IPv6, pkt: Packet, toVip: boolean, t: number, ctx: EngineContext): void {
    const key = udpKey(u, pkt.frame.buf);
    const me: UdpDatagram = { client: ip.src, mac: pkt.eth?.src ?? null, cport: u.srcPort, to: ip.dst, port: u.dstPort, length: u.payloadEnd - u.payloadAt, time: t, frame: pkt.frame.n };
    const [mine, others] = toVip ? [this.udpFront, this.udpBack] : [this.udpBack, this.udpFront];
    const other = others.get(key);
    if (other && other.client === me.client && other.port === me.port && other.length === me.length && Math.abs(other.time - t) < NAT_MATCH_WINDOW_S) {
      others.delete(key);
      const [front, back] = toVip ? [me, other] : [other, me];
      this.udpForward(front, back, ctx);
      return;
    }
    this.expireUdp(t);
    if (mine.size < MAX_PENDING) mine.set(key, me);
  }

  /** A matched pair: a new IPVS connection when the client's (address, port) was not forwarded before. */
  private udpForward(front: UdpDatagram, back: UdpDatagram, ctx: EngineContext): void {
    const { client, cport, to: vip, port } = front;
    const seen = this.forwarded.get(client, cport);
    const svcId = `${vip}:${port}/udp`;
    if (seen && seen.service === svcId) return; // a later datagram of the same connection
    if (!this.clients.has(client) && this.clients.size < 10_000) { this.clients.add(client); ctx.host(client, front.mac, 'client'); }
    this.forward({
      method: 'nat', client, clientPort: cport, service: { proto: 'udp', vip, port },
      server: `${back.to}:${port}`, director: this.masters.get(vip) ?? null, time: back.time, frame: back.frame,
    }, ctx);
  }

  private expireUdp(t: number): void {
    // Insertion order is time order: the old ones are at the front.
    for (const [k, f] of this.udpFront) { if (t - f.time <= NAT_MATCH_WINDOW_S) break; this.udpFront.delete(k); }
    for (const [k, b] of this.udpBack) { if (t - b.time <= NAT_MATCH_WINDOW_S) break; this.udpBack.delete(k); }
  }

  // --- IPVS connection sync ---

  private onSync(m: IpvsSyncMessage, sender: string, pkt: Packet, t: number, ctx: EngineContext): void {
    const key = `${sender}|${m.syncid}|${m.version}`;
    let s = this.syncs.get(key);
    if (!s) {
      s = { sender, syncid: m.syncid, version: m.version, messages: 0, connections: 0, first: t, last: t, frames: [], matched: 0, mismatched: 0, unknown: 0, whileMaster: 0, whileBackup: 0 };
      this.syncs.set(key, s);
      ctx.host(sender, pkt.eth?.src ?? null, 'director');
    }
    s.messages++;
    s.connections += m.connections.length;
    s.last = t;
    if (s.frames.length < MAX_FRAMES) s.frames.push(pkt.frame.n);
    // The master director sends sync; a backup sending means two think they are master.
    const isMaster = [...this.masters.values()].includes(sender);
    if (isMaster) s.whileMaster++; else s.whileBackup++;
    for (const c of m.connections) {
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
    this.expirePending(Infinity, ctx);
    for (const p of this.pendingPings.values()) this.pingOutcome(p, false, ctx);
    this.pendingPings.clear();
    for (const svc of this.services.values()) {
      this.readOutcomes(svc, Infinity, ctx);
      if (svc.failures) this.closeOutage(svc, null, null, ctx);
      const regular = [...svc.servers.values()].filter((x) => !x.sorry);
      for (const rs of svc.servers.values()) {
        ctx.emit({
          kind: 'lvs.forward', time: rs.firstTime, frames: rs.frames, severity: 'info',
          method: rs.method, vip: svc.id, realServer: rs.id, director: rs.director, connections: rs.connections, sorry: rs.sorry,
        });
      }
      if (regular.length) {
        const { scheduler: sched, cycle } = scheduling(svc.choices.filter((c) => !svc.servers.get(c)!.sorry));
        ctx.emit({
          kind: 'lvs.service', time: Math.min(...[...svc.servers.values()].map((x) => x.firstTime)), frames: [], severity: 'info',
          vip: svc.id, connections: svc.connections, scheduling: sched, cycle, realServers: Object.fromEntries(regular.map((r) => [r.id, r.connections])),
        });
      }
    }
    for (const w of this.vipArpWindows) {
      if (w.used || w.to - w.from < 1) continue;
      ctx.emit({
        kind: 'svc.outage', time: w.from, frames: [w.frame], severity: 'warning',
        vip: w.vip, probe: 'arp', start: w.from, end: w.to, ongoing: false, durationMs: Math.round((w.to - w.from) * 1000), failedConnections: 0, related: null,
      });
    }
    for (const c of this.vipArpClaims.values()) {
      // Told only for a real server the directors check (any other host claiming the VIP is the ARP analyser's conflict).
      const ip = this.macToIp.get(c.mac);
      const services = [...this.services.values()].filter((x) => x.vip === c.vip && x.proto === 'tcp');
      if (!ip || !services.some((x) => this.checks.seriesOf(`${ip}:${x.port}`).length > 0)) continue;
      ctx.emit({
        kind: 'lvs.vip-arp', time: c.first, frames: [...c.frames, ...c.bypassFrames].sort((x, y) => x - y), severity: 'warning',
        vip: c.vip, realServer: ip, mac: c.mac, holderMac: c.holder, claims: c.claims, bypassed: c.bypassed,
        forwarded: services.reduce((sum, x) => sum + x.connections, 0),
      });
    }
    for (const s of this.syncs.values()) {
      ctx.emit({
        kind: 'lvs.sync', time: s.first, frames: s.frames, severity: s.whileBackup > 0 && this.masters.size > 0 && s.whileMaster === 0 ? 'notice' : 'info',
        sender: s.sender, syncid: s.syncid, version: s.version === 1 ? 1 : 0, messages: s.messages, connections: s.connections,
        durationMs: Math.round((s.last - s.first) * 1000), matched: s.matched, mismatched: s.mismatched, unseen: s.unknown,
      });
    }
    for (const tk of this.takeovers) {
      const after = tk.event.time;
      const survived = tk.open.filter((f) => f.lastTime > after + 0.2 && f.ended !== 'rst' && f.ended !== 'refused');
      const reset = tk.open.filter((f) => f.ended === 'rst' && f.lastTime >= after);
      if (!survived.length && !reset.length) continue;
      ctx.emit({
        kind: 'lvs.failover-connections', time: after, frames: [...tk.event.frames.slice(-1), ...survived.slice(0, 5).map((f) => f.lastFrame), ...reset.slice(0, 5).map((f) => f.rstFrame)],
        severity: reset.length ? 'warning' : 'info',
        related: tk.event.id, router: tk.event.router, survived: survived.length, reset: reset.length, synced: this.syncs.size > 0,
      });
    }
  }
}
