// LVS as the wire shows it: client connections to a virtual service (VIP:port) forwarded by the
// director to real servers, the scheduling observed, real servers leaving and rejoining the pool, the
// sorry server under the quorum, IPVS connection sync between directors, and the outages clients saw.
// Facts: protocol-notes §3.6-3.7. This analyser routes what it sees to one module per concern:
//
//   network.ts   who is who: VIPs, their directors and MACs, clients
//   nat.ts, udp-nat.ts, dr.ts, tun.ts   a forwarded connection per method → pool.ts
//   pool.ts      connections per real server, pool changes (sorry.ts: the sorry server; scheduling.ts)
//   causes.ts    the health-check or VRRP event behind a pool change or an outage
//   outage.ts    clients' failed attempts (requests.ts: pings, UDP requests; TCP flows' outcomes)
//   sync.ts, failover-connections.ts, vip-arp.ts

import type { Packet } from '../../dissect/packet.js';
import type { IPv4 } from '../../dissect/ipv4.js';
import type { IPv6 } from '../../dissect/ipv6.js';
import type { Udp } from '../../dissect/udp.js';
import { isOpeningSyn } from '../../dissect/tcp.js';
import type { SegmentView } from '../../dissect/tcp-segment.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { AnalysisEvent } from '../events.js';
import type { HealthChecks } from '../checks/analyser.js';
import type { Flow, FlowListener, TcpFlows } from '../tcp/flows.js';
import { Causes } from './causes.js';
import { DirectRouting } from './dr.js';
import { FailoverConnections } from './failover-connections.js';
import { Nat } from './nat.js';
import { Network } from './network.js';
import { Outages } from './outage.js';
import { Pool } from './pool.js';
import { Requests } from './requests.js';
import { Services } from './services.js';
import { ConnectionSync } from './sync.js';
import { Tunnelling } from './tun.js';
import { UdpNat } from './udp-nat.js';
import { VipArpClaims } from './vip-arp.js';

export type { Method } from './events.js';

export class LvsAnalyzer implements Analyzer, FlowListener {
  readonly name = 'lvs';
  readonly wants = PacketKind.ARP | PacketKind.UDP | PacketKind.ICMP | PacketKind.ICMPV6 | PacketKind.TUNNEL;
  private readonly network: Network;
  private readonly services = new Services();
  private readonly causes: Causes;
  private readonly pool: Pool;
  private readonly outages: Outages;
  private readonly requests: Requests;
  private readonly nat: Nat;
  private readonly udpNat: UdpNat;
  private readonly dr: DirectRouting;
  private readonly tun: Tunnelling;
  private readonly sync: ConnectionSync;
  private readonly failover: FailoverConnections;
  private readonly vipArp: VipArpClaims;

  constructor(flows: TcpFlows, private readonly checks: HealthChecks) {
    this.network = new Network(checks);
    this.causes = new Causes(this.network);
    this.pool = new Pool(this.services, this.causes, checks);
    this.outages = new Outages(flows, this.network, this.causes);
    this.requests = new Requests(this.network, this.services, this.outages);
    this.nat = new Nat(this, this.network, this.services, this.pool, checks);
    this.udpNat = new UdpNat(this.network, this.pool);
    this.dr = new DirectRouting(this.network, this.pool);
    this.tun = new Tunnelling(this.network, this.pool);
    this.sync = new ConnectionSync(this.network, this.pool.forwarded);
    this.failover = new FailoverConnections(flows);
    this.vipArp = new VipArpClaims(this.network);
    flows.subscribe(this);
  }

  onEvent(e: AnalysisEvent): void {
    if (e.kind === 'vrrp.master') {
      this.network.master(e);
      this.failover.master(e);
    } else if (e.kind === 'vrrp.resign') this.network.stopped(e);
    this.causes.event(e);
  }

  /** Between the packets it looks at (the TCP segments come through the flow table): the time, to expire pending SYNs. */
  tick(t: number, ctx: EngineContext): void {
    this.nat.expireDue(t, ctx);
  }

  onPacket(pkt: Packet, ctx: EngineContext): void {
    if (pkt.frame.noTimestamp) return;
    const t = frameTime(pkt.frame);
    this.nat.expireDue(t, ctx);
    const arp = pkt.arp, addr = arp?.ethIpv4;
    if (arp && addr && addr.senderIp !== '0.0.0.0') {
      const sender = addr.senderIp;
      this.network.arpSender(sender, addr.senderMac);
      if (this.network.vips.has(sender)) this.vipArp.arp(sender, addr.senderMac, t, pkt.frame.n);
      this.outages.arp(arp.op, sender, addr.targetIp, t, pkt.frame.n);
    }
    const net = pkt.net;
    if (!net) return;
    if (pkt.ipvsSync) this.sync.message(pkt.ipvsSync, net.src, pkt, t, ctx);
    const echo = pkt.icmp?.echo ?? pkt.icmpv6?.echo;
    if (echo) this.requests.echo(echo, net, pkt.frame.n, t, ctx);
    if (pkt.udp && this.network.vips.size && !pkt.ipvsSync) this.udp(pkt.udp, net, pkt, t, ctx);
    if (pkt.inner) this.tun.packet(pkt, t, ctx);
  }

  /** Clients' datagrams to a VIP (requests, NAT's front side), to other hosts (NAT's back side), and the VIP's answers. */
  private udp(u: Udp, ip: IPv4 | IPv6, pkt: Packet, t: number, ctx: EngineContext): void {
    const { vips } = this.network;
    if (vips.has(ip.dst) && !ip.isMulticast && !this.network.isDirector(ip.src)) {
      this.requests.udpRequest(u, ip, pkt.frame.n, t);
      this.udpNat.datagram(u, ip, pkt, true, t, ctx);
    } else if (!vips.has(ip.src) && !ip.isMulticast && !this.network.isDirector(ip.src) && !this.network.isDirector(ip.dst)) {
      this.udpNat.datagram(u, ip, pkt, false, t, ctx);
    } else if (vips.has(ip.src)) {
      this.requests.udpAnswer(u, ip, ctx);
    }
  }

  onSegment(flow: Flow, seg: SegmentView, fromClient: boolean, ctx: EngineContext): void {
    if (seg.tunnelled) return;
    if (!fromClient) {
      if (seg.payloadEnd > seg.payloadAt) this.outages.answered(flow, ctx);
      return;
    }
    if (!isOpeningSyn(seg.flags)) return;
    const t = frameTime(seg.frame), n = seg.frame.n;
    const { network } = this;
    if (network.vips.has(flow.serverIp)) {
      if (flow.syns > 1) {
        this.nat.resent(flow, seg.seq, seg.dstMac);
        this.dr.resentSyn(flow, seg.srcMac, seg.dstMac, t, n, ctx);
        return;
      }
      if (network.isDirector(flow.clientIp)) return;
      // A client's connection to a virtual service.
      const service = this.services.get({ proto: 'tcp', vip: flow.serverIp, port: flow.serverPort });
      if (!service) return;
      this.vipArp.syn(flow.serverIp, seg.dstMac, n);
      this.outages.watch(flow, service);
      this.nat.front(flow, seg.seq, service, seg.dstMac, t, n, ctx);
      network.client(flow.clientIp, flow.clientMac, ctx);
      return;
    }
    if (flow.syns > 1 || network.isDirector(flow.clientIp) || network.vips.has(flow.clientIp)) return;
    this.nat.back(flow, seg.seq, t, n, ctx);
  }

  onFlowEnd(flow: Flow, ctx: EngineContext): void {
    this.outages.flowEnd(flow, ctx);
  }

  finish(ctx: EngineContext): void {
    this.nat.finish(ctx);
    this.requests.finish(ctx);
    for (const svc of this.services.values()) {
      this.outages.finish(svc, ctx);
      this.pool.finish(svc, ctx);
    }
    this.outages.finishArp(ctx);
    this.vipArp.finish(ctx, this.services, this.checks);
    this.sync.finish(ctx);
    this.failover.finish(ctx, this.sync.seen, (ip, port) => this.sync.syncedAt(ip, port));
  }
}
