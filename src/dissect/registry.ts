// The dispatch tables of the decoders, as gopacket's LayerType registries and Wireshark's dissector
// tables ("wtap_encap", "ethertype", "ip.proto", "udp.port", "tcp.port", heuristic lists): each
// protocol module registers its dissector for the numbers that carry it, at module level, and
// dissect/packet.ts (which imports every protocol module) starts the walk at the link type. A dissector
// decodes its layer into the packet and hands its payload to the next table; a number nobody
// registered ends the walk cleanly, with the layers decoded so far and no problem.
//
// A table is an array indexed by the number (one byte per possible key, pointing into the short list
// of dissectors), not a Map: a lookup is two array loads on the hot path (docs/architecture.md).
//
// The tables know the packet only as PacketBase: the packet view (dissect/packet.ts Packet) names every
// protocol's layer and every protocol module imports this one, so naming it here would be a cycle.
// Each dissector takes the slots it fills (arp.ts ArpSlot …); Packet implements them all, which the
// compiler checks. Dissectors are methods, so they may take such a narrower packet type.

import type { Frame } from '../io/frame.js';
import type { Problem } from './types.js';

/** What every dissector may do with the packet it fills in. */
export interface PacketBase {
  readonly frame: Frame;
  problems: Problem[] | null;
  addProblem(p: Problem | null | undefined): void;
  /** A new, empty packet view of the same frame (for the packet an ICMP error quotes). */
  sibling(): PacketBase;
}

/** What the walk needs of an IP header (IPv4 and IPv6 have it); a transport dissector takes the whole one. */
export interface IpHeader {
  readonly payloadAt: number;
  readonly payloadEnd: number;
  readonly problem: Problem | null;
  /** A fragment other than the first: no transport header in it. */
  readonly isLaterFragment: boolean;
}

/** The packet view as an IP-in-IP dissector fills it (ipv4.ts, ipv6.ts). */
export interface TunnelSlot extends PacketBase { inner: IpHeader | null }

/**
 * `streams`: the stateful step a TCP segment is handed to (HTTP heads over several segments,
 * tcp.ts TcpStreams), or undefined for a frame decoded alone. Opaque to the tables.
 * `depth`: 0 for the frame's own headers, 1 inside a tunnel or an ICMP error's quote.
 */
export interface LinkDissector {
  dissect(pkt: PacketBase, b: Uint8Array, at: number, end: number, linkType: number, streams: unknown): void;
}
export interface NetworkDissector {
  dissect(pkt: PacketBase, b: Uint8Array, at: number, end: number, depth: number, streams: unknown): void;
}
export interface TransportDissector {
  dissect(pkt: PacketBase, b: Uint8Array, at: number, end: number, ip: IpHeader, depth: number, streams: unknown): void;
}
/** Tried before the dissector registered for its IP protocol number; true when it took the payload. */
export interface TransportHeuristic {
  dissect(pkt: PacketBase, b: Uint8Array, at: number, end: number): boolean;
}
/** A UDP or TCP payload (never empty) on a registered port. */
export interface PortDissector {
  dissect(pkt: PacketBase, b: Uint8Array, at: number, end: number, srcPort: number, dstPort: number): void;
}
/** Tried in turn on a TCP payload (never empty) no port dissector took; true when it took it. */
export interface TcpHeuristic {
  dissect(pkt: PacketBase, b: Uint8Array, at: number, end: number, ip: IpHeader, tcp: unknown, streams: unknown): boolean;
}

/** Numbers 0 ‥ size-1 to dissectors: `index[key]` is the dissector's place in `entries` (0: none). */
export class DissectorTable<D> {
  private readonly index: Uint8Array;
  private readonly entries: (D | undefined)[] = [undefined];
  private readonly names: string[] = [''];
  /** Per entry, its rank among those of the same table when both ports of a datagram are registered. */
  private readonly ranks: number[] = [Infinity];

  constructor(readonly name: string, size: number) {
    this.index = new Uint8Array(size);
  }

  /**
   * Registers `dissector`, called `name` (its Wireshark protocol name), for `keys`. `rank` orders two
   * port dissectors when both ports of a datagram are registered: the lower rank wins.
   */
  add(keys: readonly number[], name: string, dissector: D, rank = 0): void {
    for (const k of keys) {
      if (!(k >= 0 && k < this.index.length)) throw new RangeError(`${this.name}: ${k} is not a valid key`);
      if (this.index[k] !== 0) throw new Error(`${this.name} ${k}: ${name} registered over ${this.names[this.index[k]]}`);
    }
    // Kept sorted by rank (entry 0 apart), so that the better of two entries is the one with the lower place.
    let at = 1;
    while (at < this.entries.length && this.ranks[at] <= rank) at++;
    this.entries.splice(at, 0, dissector);
    this.names.splice(at, 0, name);
    this.ranks.splice(at, 0, rank);
    if (this.entries.length > 255) throw new Error(`${this.name}: too many dissectors`);
    for (let k = 0; k < this.index.length; k++) if (this.index[k] >= at) this.index[k]++;
    for (const k of keys) this.index[k] = at;
  }

  get(key: number): D | undefined {
    return key >= 0 && key < this.index.length ? this.entries[this.index[key]] : undefined;
  }

  /** The dissector registered for either key (two ports); the better ranked when both are. */
  either(a: number, b: number): D | undefined {
    const i = this.index[a], j = this.index[b];
    return this.entries[i === 0 ? j : j === 0 || i < j ? i : j];
  }

  /** Every registered key and the name of its dissector, by key (for tests and documentation). */
  list(): { key: number; name: string }[] {
    const out: { key: number; name: string }[] = [];
    for (let k = 0; k < this.index.length; k++) if (this.index[k] !== 0) out.push({ key: k, name: this.names[this.index[k]] });
    return out;
  }
}

/** pcap/pcapng link types (LINKTYPE_*) to the dissector of the link header. */
export const linkTypes = new DissectorTable<LinkDissector>('link type', 512);
/** EtherTypes (and what a link header maps to them: a loopback's address family, raw IP's version). */
export const etherTypes = new DissectorTable<NetworkDissector>('EtherType', 0x10000);
/** IP protocol numbers (IPv4 ip.proto, IPv6's last next header). */
export const ipProtocols = new DissectorTable<TransportDissector>('IP protocol', 256);
export const udpPorts = new DissectorTable<PortDissector>('UDP port', 0x10000);
export const tcpPorts = new DissectorTable<PortDissector>('TCP port', 0x10000);
const transportHeuristics: (TransportHeuristic[] | undefined)[] = new Array(256).fill(undefined);
const transportHeuristicNames: string[][] = Array.from({ length: 256 }, () => []);
const tcpHeuristics: TcpHeuristic[] = [];
const tcpHeuristicNames: string[] = [];

export function registerLinkType(types: readonly number[], name: string, d: LinkDissector): void { linkTypes.add(types, name, d); }
export function registerEtherType(types: readonly number[], name: string, d: NetworkDissector): void { etherTypes.add(types, name, d); }
export function registerIpProtocol(protocols: readonly number[], name: string, d: TransportDissector): void { ipProtocols.add(protocols, name, d); }
/** `rank`: which wins when both ports of a datagram are registered (the lower). */
export function registerUdpPort(ports: readonly number[], name: string, d: PortDissector, rank: number): void { udpPorts.add(ports, name, d, rank); }
export function registerTcpPort(ports: readonly number[], name: string, d: PortDissector): void { tcpPorts.add(ports, name, d); }
/** A dissector told by its bytes that shares `protocol` with the one registered for it (CARP on VRRP's 112). */
export function registerTransportHeuristic(protocol: number, name: string, d: TransportHeuristic): void {
  (transportHeuristics[protocol] ??= []).push(d);
  transportHeuristicNames[protocol].push(name);
}
/** A dissector of TCP payloads told by their first bytes, whatever the ports (TLS, HTTP). */
export function registerTcpHeuristic(name: string, d: TcpHeuristic): void {
  tcpHeuristics.push(d);
  tcpHeuristicNames.push(name);
}

/** The heuristic dissectors, by where they are tried (for tests and documentation). */
export function heuristics(): { tcp: string[]; transport: { key: number; names: string[] }[] } {
  return {
    tcp: [...tcpHeuristicNames],
    transport: transportHeuristicNames.flatMap((names, key) => (names.length ? [{ key, names: [...names] }] : [])),
  };
}

// The walk: each dissector calls the next of these with its payload.

export function dissectLink(pkt: PacketBase, linkType: number, b: Uint8Array, at: number, end: number, streams: unknown): void {
  // Unknown link types (and pcapng's custom blocks) are reported once per file by the caller.
  linkTypes.get(linkType)?.dissect(pkt, b, at, end, linkType, streams);
}

export function dissectNetwork(pkt: PacketBase, type: number, b: Uint8Array, at: number, end: number, depth: number, streams: unknown): void {
  etherTypes.get(type)?.dissect(pkt, b, at, end, depth, streams);
}

export function dissectTransport(pkt: PacketBase, protocol: number, b: Uint8Array, at: number, end: number, ip: IpHeader, depth: number, streams: unknown): void {
  const h = transportHeuristics[protocol];
  if (h !== undefined) for (let i = 0; i < h.length; i++) if (h[i].dissect(pkt, b, at, end)) return;
  ipProtocols.get(protocol)?.dissect(pkt, b, at, end, ip, depth, streams);
}

/**
 * Where an IP header's dissector goes on, the header decoded: its problem is the frame's; a later
 * fragment ends the walk; else the transport, with the care a first fragment needs (`moreFragments`).
 */
export function dissectIpHeader(pkt: PacketBase, ip: IpHeader, protocol: number, b: Uint8Array, moreFragments: boolean, depth: number, streams: unknown): void {
  pkt.addProblem(ip.problem);
  if (ip.isLaterFragment) return;
  dissectIpPayload(pkt, protocol, b, ip, moreFragments, depth, streams);
}

/** The inner header of IP in IP (LVS-TUN): the transport below is decoded from it. */
export function dissectTunnelled(pkt: TunnelSlot, inner: IpHeader, protocol: number, b: Uint8Array, depth: number, streams: unknown): void {
  pkt.inner = inner;
  dissectIpHeader(pkt, inner, protocol, b, false, depth + 1, streams);
}

/**
 * The transport of a whole datagram or of its first fragment. A first fragment (more fragments follow)
 * holds the transport header and the start of the payload: what its decoders find missing (a UDP
 * length longer than the fragment, a cut message) is in the next fragments, not damage, so it is not a
 * problem. Fragments are normal on a network; we do not reassemble them (later fragments are skipped).
 */
function dissectIpPayload(pkt: PacketBase, protocol: number, b: Uint8Array, ip: IpHeader, moreFragments: boolean, depth: number, streams: unknown): void {
  if (!moreFragments) { dissectTransport(pkt, protocol, b, ip.payloadAt, ip.payloadEnd, ip, depth, streams); return; }
  const before = pkt.problems?.length ?? 0;
  dissectTransport(pkt, protocol, b, ip.payloadAt, ip.payloadEnd, ip, depth, streams);
  if (pkt.problems && pkt.problems.length > before) pkt.problems.length = before;
}

/** The packet an ICMP error quotes: decoded like any other, but its problems (it is cut short by design)
 *  are not the frame's problems. */
export function dissectQuoted(pkt: PacketBase, type: number, b: Uint8Array, at: number, end: number): PacketBase {
  const q = pkt.sibling();
  dissectNetwork(q, type, b, at, end, 1, undefined);
  q.problems = null;
  return q;
}

export function dissectUdpPayload(pkt: PacketBase, b: Uint8Array, at: number, end: number, srcPort: number, dstPort: number): void {
  udpPorts.either(srcPort, dstPort)?.dissect(pkt, b, at, end, srcPort, dstPort);
}

/** A TCP payload: the protocol registered for either port, else the first heuristic that knows its bytes. */
export function dissectTcpPayload(pkt: PacketBase, b: Uint8Array, at: number, end: number, ip: IpHeader, tcp: { readonly srcPort: number; readonly dstPort: number }, streams: unknown): void {
  const byPort = tcpPorts.either(tcp.srcPort, tcp.dstPort);
  if (byPort !== undefined) { byPort.dissect(pkt, b, at, end, tcp.srcPort, tcp.dstPort); return; }
  for (let i = 0; i < tcpHeuristics.length; i++) if (tcpHeuristics[i].dissect(pkt, b, at, end, ip, tcp, streams)) return;
}
