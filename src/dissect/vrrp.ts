// VRRP v2 (RFC 3768) and v3 (RFC 5798 / RFC 9568) adverts, over IPv4 and IPv6, with the checks a
// receiver applies (RFC 3768 §7.1, RFC 5798 §7.1, keepalived vrrp_check_packet).

import { foldChecksum, ipv4String, ipv6String, latin1, onesSum, u16 } from './bytes.js';
import { hex16, type Field, type Note } from './fields.js';
import { IPv4 } from './ipv4.js';
import type { IPv6 } from './ipv6.js';
import { registerIpProtocol, type PacketBase } from './registry.js';

export const VRRP_PROTO = 112;

/**
 * Which checksum computation matched (protocol-notes §3.1):
 * - `v2`: RFC 3768, over the whole message including auth data, no pseudo-header;
 * - `v3-ipv6`: RFC 5798 with the IPv6 pseudo-header;
 * - `v3-pseudo-header`: v3/IPv4 with the IPv4 pseudo-header (keepalived default, Wireshark, tcpdump);
 * - `v3-as-v2`: v3/IPv4 without pseudo-header (RFC 9568, Cisco, Juniper; keepalived `v3_checksum_as_v2`);
 * - `v3-old-unicast`: v3/IPv4 pseudo-header with 224.0.0.18 as destination on a unicast packet
 *   (keepalived <= 1.3.6 unicast; keepalived `old_unicast_checksum`).
 */
export type VrrpChecksumVariant = 'v2' | 'v3-ipv6' | 'v3-pseudo-header' | 'v3-as-v2' | 'v3-old-unicast';

/** What the IP layer tells the VRRP decoder: addresses (for the pseudo-header) and TTL. */
export interface VrrpIpContext {
  family: 4 | 6;
  /** Offsets of the source and destination addresses in the same byte array. */
  srcAt: number;
  dstAt: number;
  /** TTL or hop limit. */
  ttl: number;
  /** Destination is a multicast group (the TTL check applies only then; keepalived skips it for unicast). */
  multicast: boolean;
  /** The IP payload was captured whole (a snapshot length may have cut it). */
  complete: boolean;
}

export class Vrrp {
  /** Receiver-side problems; each makes a receiver drop the advert. */
  problems: string[] = [];
  checksumOk: boolean | null = null;
  checksumVariant: VrrpChecksumVariant | null = null;
  /** Bytes after the addresses (and v2 auth data): keepalived's experimental HMAC trailer, or junk. */
  trailerLength = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly at: number,
    readonly end: number,
    readonly family: 4 | 6,
    readonly version: number,
    readonly type: number,
    readonly vrid: number,
    readonly priority: number,
    readonly count: number,
    /** v2 auth type (0 none, 1 simple text password, 2 IP AH); null for v3. */
    readonly authType: number | null,
    /** Advert interval in milliseconds (v2: seconds field × 1000; v3: centiseconds × 10). */
    readonly intervalMs: number,
    readonly checksum: number,
    /** Offset of the first address and how many are fully present. */
    readonly addrAt: number,
    readonly addrPresent: number,
  ) {}

  get addresses(): string[] {
    const out: string[] = [];
    const size = this.family === 4 ? 4 : 16;
    for (let i = 0; i < this.addrPresent; i++) {
      const o = this.addrAt + i * size;
      out.push(this.family === 4 ? ipv4String(this.bytes, o) : ipv6String(this.bytes, o));
    }
    return out;
  }

  /** v2 simple-text password, trailing NULs removed (cleartext on the wire). */
  get authString(): string | null {
    if (this.version !== 2 || this.authType !== 1) return null;
    const o = this.addrAt + this.count * 4;
    if (o + 8 > this.end) return null;
    let e = o + 8;
    while (e > o && this.bytes[e - 1] === 0) e--;
    return latin1(this.bytes, o, e);
  }

  /** RFC 3768 §5.3.9 / §5.1: 255 = address owner, 0 = the master stopped. */
  get isResignation(): boolean { return this.priority === 0; }
}

function pseudoHeaderSum(b: Uint8Array, ctx: VrrpIpContext, length: number, dstOverride: number[] | null): number {
  if (ctx.family === 6) {
    let s = onesSum(b, ctx.srcAt, ctx.srcAt + 16);
    s = onesSum(b, ctx.dstAt, ctx.dstAt + 16, s);
    return s + (length >>> 16) + (length & 0xffff) + VRRP_PROTO;
  }
  let s = onesSum(b, ctx.srcAt, ctx.srcAt + 4);
  if (dstOverride) s += (dstOverride[0] << 8 | dstOverride[1]) + (dstOverride[2] << 8 | dstOverride[3]);
  else s = onesSum(b, ctx.dstAt, ctx.dstAt + 4, s);
  return s + VRRP_PROTO + length;
}

/** Decodes a VRRP message at b[o..end) (end = end of the IP payload as captured). */
export function decodeVrrp(b: Uint8Array, o: number, end: number, ctx: VrrpIpContext): Vrrp | null {
  if (end - o < 8) return null;
  const version = b[o] >> 4, type = b[o] & 0x0f;
  const count = b[o + 3];
  const v3 = version === 3;
  const intervalMs = v3 ? (u16(b, o + 4) & 0x0fff) * 10 : b[o + 5] * 1000;
  const addrSize = ctx.family === 4 ? 4 : 16;
  const addrEnd = o + 8 + count * addrSize;
  const present = Math.max(0, Math.min(count, Math.floor((end - o - 8) / addrSize)));
  const v = new Vrrp(b, o, end, ctx.family, version, type, b[o + 1], b[o + 2], count, v3 ? null : b[o + 4], intervalMs, u16(b, o + 6), o + 8, present);
  const length = end - o;

  if (version !== 2 && version !== 3) v.problems.push(`wrong VRRP version ${version}`);
  else if (version === 2 && ctx.family === 6) v.problems.push('VRRP version 2 over IPv6 (only version 3 runs over IPv6)');
  if (type !== 1) v.problems.push(`unknown VRRP packet type ${type} (only 1, advertisement, exists)`);
  if (ctx.multicast && ctx.ttl !== 255) v.problems.push(`invalid TTL/HL: ${ctx.ttl}, expected 255 (the advert was routed or forwarded)`);
  if (count === 0) v.problems.push('advert carries no virtual IP address');
  const expected = v3 ? addrEnd - o : addrEnd - o + 8; // v2 carries 8 bytes of auth data
  if (length < expected && ctx.complete) v.problems.push(`VRRP packet too short: ${length} bytes, ${count} addresses need ${expected}`);
  else if (length < expected) v.problems.push(`VRRP packet truncated in the capture: ${length} of ${expected} bytes`);
  else if (length > expected) v.trailerLength = length - expected;
  if (v3 && intervalMs === 0) v.problems.push('advert interval of 0');

  // Checksums: only when the whole message was captured.
  if (ctx.complete && length >= (v3 ? 8 : 16) && (version === 2 || version === 3)) {
    const body = onesSum(b, o, end) - v.checksum; // the checksum field counts as zero
    if (!v3) {
      v.checksumOk = foldChecksum(body) === v.checksum;
      if (v.checksumOk) v.checksumVariant = 'v2';
    } else if (ctx.family === 6) {
      v.checksumOk = foldChecksum(body + pseudoHeaderSum(b, ctx, length, null)) === v.checksum;
      if (v.checksumOk) v.checksumVariant = 'v3-ipv6';
    } else {
      if (foldChecksum(body + pseudoHeaderSum(b, ctx, length, null)) === v.checksum) v.checksumVariant = 'v3-pseudo-header';
      else if (foldChecksum(body) === v.checksum) v.checksumVariant = 'v3-as-v2';
      else if (!ctx.multicast && foldChecksum(body + pseudoHeaderSum(b, ctx, length, [224, 0, 0, 18])) === v.checksum) v.checksumVariant = 'v3-old-unicast';
      v.checksumOk = v.checksumVariant !== null;
    }
    if (!v.checksumOk) v.problems.push(`bad checksum 0x${v.checksum.toString(16).padStart(4, '0')}`);
  }
  return v;
}

/** The packet view as the VRRP dissector fills it. */
export interface VrrpSlot extends PacketBase { vrrp: Vrrp | null }

// CARP shares the protocol number; carp.ts tells it apart first (registry.ts heuristics).
registerIpProtocol([VRRP_PROTO], 'vrrp', {
  dissect(pkt: VrrpSlot, b, at, end, ip: IPv4 | IPv6) {
    const v4 = ip instanceof IPv4;
    const vrrp = decodeVrrp(b, at, end, {
      family: v4 ? 4 : 6,
      srcAt: v4 ? ip.at + 12 : ip.srcAt,
      dstAt: v4 ? ip.at + 16 : ip.dstAt,
      ttl: v4 ? ip.ttl : ip.hopLimit,
      multicast: ip.isMulticast,
      complete: ip.problem === null,
    });
    if (!vrrp) { pkt.addProblem({ layer: 'vrrp', message: `VRRP header truncated (${end - at} bytes)` }); return; }
    pkt.vrrp = vrrp;
  },
});

/** Wireshark computes a v3/IPv4 checksum with the pseudo-header only: any other variant is Bad there. */
function wiresharkChecksumStatus(v: Vrrp): number {
  if (v.checksumOk === null) return 2; // unverified
  return v.checksumVariant === 'v2' || v.checksumVariant === 'v3-ipv6' || v.checksumVariant === 'v3-pseudo-header' ? 1 : 0;
}

/** Wireshark's fields of a VRRP advert. vrrp.checksum.status: 1 Good, 0 Bad, 2 Unverified, as Wireshark judges it. */
export const vrrpFields: readonly Field<Vrrp>[] = [
  { name: 'vrrp.version', value: (v) => v.version },
  { name: 'vrrp.type', value: (v) => v.type },
  { name: 'vrrp.virt_rtr_id', value: (v) => v.vrid },
  { name: 'vrrp.prio', value: (v) => v.priority },
  { name: 'vrrp.addr_count', value: (v) => v.count },
  { name: 'vrrp.auth_type', value: (v) => (v.version === 3 ? null : v.authType) },
  { name: 'vrrp.adver_int', value: (v) => (v.version === 3 ? null : v.intervalMs / 1000) },
  { name: 'vrrp.short_adver_int', value: (v) => (v.version === 3 ? v.intervalMs / 10 : null) },
  { name: 'vrrp.checksum', value: (v) => hex16(v.checksum) },
  { name: 'vrrp.checksum.status', value: wiresharkChecksumStatus },
  { name: 'vrrp.ip_addr', value: (v) => (v.family === 4 ? v.addresses : null) },
  { name: 'vrrp.ipv6_addr', value: (v) => (v.family === 6 ? v.addresses : null) },
  { name: 'vrrp.auth_string', value: (v) => v.authString },
];

/** What vrrpscope adds that Wireshark has no field for. */
export const vrrpNotes: readonly Note<Vrrp>[] = [
  /** Which checksum computation matched (keepalived and RFC 9568 variants that Wireshark calls Bad). */
  { key: 'checksumVariant', value: (v) => v.checksumVariant },
  /** What makes a receiver (keepalived) drop the advert. */
  { key: 'problems', value: (v) => v.problems },
  /** Bytes after the addresses and auth data (keepalived's HMAC trailer, or junk). */
  { key: 'trailerLength', value: (v) => v.trailerLength },
];
