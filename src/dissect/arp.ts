// ARP (RFC 826) for Ethernet/IPv4, with the gratuitous-ARP shapes keepalived and routers send.

import { ipv4String, macString, u16 } from './bytes.js';
import type { Problem } from './types.js';
import { hex16, type Field } from './fields.js';
import { registerEtherType, type PacketBase } from './registry.js';

export interface EthIpv4Addresses { senderMac: string; senderIp: string; targetMac: string; targetIp: string }

export class Arp {
  problem: Problem | null = null;
  /** All four addresses are within the captured bytes. */
  complete = true;
  constructor(
    readonly bytes: Uint8Array,
    readonly at: number,
    readonly hwType: number,
    readonly protoType: number,
    readonly hwLen: number,
    readonly protoLen: number,
    /** 1 request, 2 reply (arp.opcode). */
    readonly op: number,
  ) {}
  private get ok(): boolean { return this.complete && this.protoLen === 4 && this.protoType === 0x0800; }
  /** Sender hardware address as a MAC (6-byte addresses only; see senderHw for others). */
  get senderMac(): string | null { return this.complete && this.hwLen === 6 ? macString(this.bytes, this.at + 8, 6) : null; }
  get senderHw(): string | null { return this.complete && this.hwLen > 0 ? macString(this.bytes, this.at + 8, Math.min(this.hwLen, 32)) : null; }
  get senderIp(): string | null { return this.ok ? ipv4String(this.bytes, this.at + 8 + this.hwLen) : null; }
  get targetMac(): string | null { return this.complete && this.hwLen === 6 ? macString(this.bytes, this.at + 8 + this.hwLen + this.protoLen, 6) : null; }
  get targetIp(): string | null { return this.ok ? ipv4String(this.bytes, this.at + 8 + 2 * this.hwLen + this.protoLen) : null; }
  /** The four addresses of an Ethernet/IPv4 ARP, all captured; null for any other (a cut or foreign ARP). */
  get ethIpv4(): EthIpv4Addresses | null {
    if (!this.ok || this.hwLen !== 6) return null;
    const b = this.bytes, at = this.at;
    return { senderMac: macString(b, at + 8, 6), senderIp: ipv4String(b, at + 14), targetMac: macString(b, at + 18, 6), targetIp: ipv4String(b, at + 24) };
  }
  /** Sender and target protocol addresses are equal: a gratuitous ARP (request or reply). */
  get isGratuitous(): boolean {
    if (!this.ok) return false;
    const b = this.bytes, s = this.at + 8 + this.hwLen, t = this.at + 8 + 2 * this.hwLen + 4;
    return b[s] === b[t] && b[s + 1] === b[t + 1] && b[s + 2] === b[t + 2] && b[s + 3] === b[t + 3];
  }
  /** ARP probe (RFC 5227): a request with sender IP 0.0.0.0. */
  get isProbe(): boolean {
    if (!this.ok || this.op !== 1) return false;
    const b = this.bytes, s = this.at + 8 + this.hwLen;
    return (b[s] | b[s + 1] | b[s + 2] | b[s + 3]) === 0;
  }
}

export function decodeArp(b: Uint8Array, o: number, end: number): Arp | null {
  if (end - o < 8) return null;
  const arp = new Arp(b, o, u16(b, o), u16(b, o + 2), b[o + 4], b[o + 5], u16(b, o + 6));
  const need = 8 + 2 * (arp.hwLen + arp.protoLen);
  if (end - o < need) {
    arp.complete = false;
    arp.problem = { layer: 'arp', message: `ARP truncated: ${end - o} of ${need} bytes` };
  } else if (arp.hwLen !== 6 || arp.protoLen !== 4) {
    arp.problem = { layer: 'arp', message: `ARP with hardware address length ${arp.hwLen} and protocol address length ${arp.protoLen} (Ethernet/IPv4 uses 6 and 4)` };
  }
  return arp;
}

/** The packet view as the ARP dissector fills it. */
export interface ArpSlot extends PacketBase { arp: Arp | null }

registerEtherType([0x0806], 'arp', {
  dissect(pkt: ArpSlot, b, at, end) {
    const arp = decodeArp(b, at, end);
    if (!arp) { pkt.addProblem({ layer: 'arp', message: `ARP truncated (${end - at} bytes)` }); return; }
    pkt.arp = arp;
    pkt.addProblem(arp.problem);
  },
});

/** Wireshark's fields of an ARP packet. */
export const arpFields: readonly Field<Arp>[] = [
  { name: 'arp.hw.type', value: (a) => a.hwType },
  { name: 'arp.proto.type', value: (a) => hex16(a.protoType) },
  { name: 'arp.hw.size', value: (a) => a.hwLen },
  { name: 'arp.proto.size', value: (a) => a.protoLen },
  { name: 'arp.opcode', value: (a) => a.op },
  { name: 'arp.src.hw_mac', value: (a) => a.senderMac },
  { name: 'arp.src.proto_ipv4', value: (a) => a.senderIp },
  { name: 'arp.dst.hw_mac', value: (a) => a.targetMac },
  { name: 'arp.dst.proto_ipv4', value: (a) => a.targetIp },
  { name: 'arp.isgratuitous', value: (a) => (a.isGratuitous ? true : null) },
];
