// OpenBSD/FreeBSD CARP (Common Address Redundancy Protocol), IP protocol 112 to 224.0.0.18 — the same
// protocol number, group and first byte (version 2, type 1 = 0x21) as VRRPv2, so it must be told
// apart before the VRRP decoder reports a "bad VRRP" packet.
//
// struct carp_header (OpenBSD netinet/ip_carp.h), 36 bytes:
//   version:4 type:4 | vhid | advskew | authlen | demote (pad1 in older trees) | advbase | cksum (2)
//   | counter (8) | SHA1-HMAC (20)
// tcpdump's print-carp.c reads the same offsets (decoding needs `-T carp` there).

import { foldChecksum, onesSum, u16 } from './bytes.js';
import type { Problem } from './types.js';
import { hex16, type Field } from './fields.js';
import { registerTransportHeuristic, type PacketBase } from './registry.js';

export const CARP_LENGTH = 36;
/** carp_authlen: (counter + HMAC) in 32-bit words = (8 + 20) / 4. */
export const CARP_AUTHLEN = 7;

export interface Carp {
  /** High nibble of byte 0 (2) */
  version: number;
  /** Low nibble of byte 0 (1 = advertisement) */
  type: number;
  /** Virtual host id (1-255); the virtual MAC is 00:00:5e:00:01:<vhid> */
  vhid: number;
  /** Added to advbase (in 1/256 s): the lower, the more preferred master */
  advskew: number;
  /** Size of counter + HMAC in 32-bit words (7) */
  authlen: number;
  /** Demotion counter (carp_demote, "pad1" in older headers) */
  demote: number;
  /** Advertisement base interval, seconds */
  advbase: number;
  /** Header checksum as sent */
  checksum: number;
  /** Internet checksum over the 36 bytes verifies (absent when the packet is truncated) */
  checksumOk?: boolean;
  /** 64-bit replay counter as 16 hex digits */
  counter?: string;
  /** SHA1-HMAC as 40 hex digits */
  hmac?: string;
  problem?: Problem;
}

/**
 * Heuristic from protocol-notes §3.8: a VRRPv2 packet is exactly 16 + 4×count bytes with count in
 * byte 3, so a 36-byte packet with 0x21 at byte 0 and 7 (CARP authlen) at byte 3 — which as VRRPv2
 * would have to be 44 bytes — is CARP. Byte 4 (demote vs. VRRP auth type) cannot decide it.
 */
export function looksLikeCarp(bytes: Uint8Array, offset: number, end: number): boolean {
  if (offset < 0 || end > bytes.length) return false;
  return end - offset === CARP_LENGTH && bytes[offset] === 0x21 && bytes[offset + 3] === CARP_AUTHLEN;
}

function hex(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return out;
}

/**
 * Decodes a CARP header from the IP payload bytes[offset..end).
 * Returns null when fewer than 8 bytes are there or the version is not 2.
 */
export function decodeCarp(bytes: Uint8Array, offset: number, end: number): Carp | null {
  if (offset < 0 || end > bytes.length || end - offset < 8) return null;
  const b = bytes;
  const o = offset;
  const version = b[o] >> 4;
  if (version !== 2) return null;
  const len = end - o;
  const carp: Carp = {
    version,
    type: b[o] & 0x0f,
    vhid: b[o + 1],
    advskew: b[o + 2],
    authlen: b[o + 3],
    demote: b[o + 4],
    advbase: b[o + 5],
    checksum: u16(b, o + 6),
  };
  const problems: string[] = [];
  if (carp.type !== 1) problems.push(`unknown CARP type ${carp.type}`);
  if (len >= 16) carp.counter = hex(b, o + 8, o + 16);
  if (len >= CARP_LENGTH) {
    carp.hmac = hex(b, o + 16, o + 36);
    // The checksum covers the CARP header only (carp_cksum over sizeof(struct carp_header)).
    carp.checksumOk = foldChecksum(onesSum(b, o, o + CARP_LENGTH)) === 0;
    if (!carp.checksumOk) problems.push(`bad CARP checksum 0x${carp.checksum.toString(16).padStart(4, '0')}`);
  } else {
    problems.push(`CARP packet truncated: ${len} of ${CARP_LENGTH} bytes`);
  }
  if (carp.authlen !== CARP_AUTHLEN) problems.push(`authlen ${carp.authlen}, expected ${CARP_AUTHLEN}`);
  if (carp.vhid === 0) problems.push('vhid 0 is not valid');
  if (problems.length > 0) carp.problem = { layer: 'carp', message: problems.join('; ') };
  return carp;
}

/** The packet view as the CARP dissector fills it. */
export interface CarpSlot extends PacketBase { carp: Carp | null }

// IP protocol 112, VRRP's: tried before VRRP's dissector (vrrp.ts), told by its length and authlen.
registerTransportHeuristic(112, 'carp', {
  dissect(pkt: CarpSlot, b, at, end) {
    if (!looksLikeCarp(b, at, end)) return false;
    pkt.carp = decodeCarp(b, at, end);
    return true;
  },
});

/** Wireshark's fields of a CARP advert (carp.counter in decimal, carp.hmac as hex bytes). */
export const carpFields: readonly Field<Carp>[] = [
  { name: 'carp.version', value: (c) => c.version },
  { name: 'carp.type', value: (c) => c.type },
  { name: 'carp.vhid', value: (c) => c.vhid },
  { name: 'carp.advskew', value: (c) => c.advskew },
  { name: 'carp.authlen', value: (c) => c.authlen },
  { name: 'carp.demotion', value: (c) => c.demote },
  { name: 'carp.adver_int', value: (c) => c.advbase },
  { name: 'carp.checksum', value: (c) => hex16(c.checksum) },
  { name: 'carp.checksum.status', value: (c) => (c.checksumOk === undefined ? 2 : c.checksumOk ? 1 : 0) },
  { name: 'carp.counter', value: (c) => (c.counter === undefined ? null : BigInt('0x' + c.counter).toString()) },
  { name: 'carp.hmac', value: (c) => c.hmac },
];
