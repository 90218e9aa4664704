// Cisco HSRP (UDP 1985; HSRPv2 for IPv6 on UDP 2029), decoded so that an HSRP router on a keepalived
// lab's LAN is named as such and not mistaken for a VRRP problem.
//
// Version 0 (RFC 2281, what Cisco calls "HSRPv1"): a fixed 20-byte packet to 224.0.0.2; opcode 3 is the
// 16-byte interface-state advertisement. HSRPv2 (to 224.0.0.102 / ff02::66): a list of TLVs, the
// Group State TLV (type 1) carrying what v0 carries in its fixed header. Wireshark tells them apart
// by the destination address; this decoder sees only the UDP payload and port, so it looks at the
// first TLV instead (a v0 packet starts with version 0, which is no valid TLV type).
// Field names follow Wireshark's hsrp.* and hsrp2.* fields.

import { ipv4String, ipv6String, macString, u16, u32 } from './bytes.js';
import type { Problem } from './types.js';
import type { Field } from './fields.js';
import { registerUdpPort, type PacketBase } from './registry.js';

export const HSRP_PORT = 1985;
export const HSRP2_IPV6_PORT = 2029;

export interface Hsrp {
  /** hsrp.version (0 for RFC 2281 packets) or hsrp2.version (2) */
  version: number;
  /**
   * hsrp.opcode / hsrp2.opcode: 0 hello, 1 coup, 2 resign, 3 advertise. An HSRPv2 packet with only an
   * Interface State TLV (v2's form of the v0 opcode-3 advertisement) is reported as 3 / 'advertise'.
   */
  opcode: number;
  opcodeName: 'hello' | 'coup' | 'resign' | 'advertise' | 'unknown';
  /**
   * hsrp.state / hsrp2.state (their numbering differs: v0 uses 0,1,2,4,8,16, v2 uses 0..6), or for an
   * interface-state advertisement the hsrp.adv.state. Absent when the packet has no state.
   */
  state?: number;
  /** "initial", "learn", "listen", "speak", "standby", "active" (v2 also "disabled", "init"); adverts: "dormant", "passive", "active" */
  stateName?: string;
  /** hsrp.group / hsrp2.group */
  group?: number;
  /** hsrp.priority / hsrp2.priority */
  priority?: number;
  /** hsrp.hellotime (seconds) or hsrp2.hellotime (ms), in milliseconds */
  helloTimeMs?: number;
  /** hsrp.holdtime / hsrp2.holdtime, in milliseconds */
  holdTimeMs?: number;
  /** hsrp.virt_ip / hsrp2.virt_ip / hsrp2.virt_ip_v6 */
  virtualIp?: string;
  /** hsrp.auth_data / hsrp2.auth_data: cleartext password up to the first NUL ("cisco" by default) */
  authData?: string;
  /** HSRPv2 MD5 Authentication TLV present (the digest itself is not decoded) */
  md5Auth?: boolean;
  /** hsrp2.identifier: the sender's MAC */
  identifier?: string;
  /** hsrp2.ipversion: 4 or 6 */
  ipVersion?: number;
  /** Interface state: hsrp.adv.activegrp / hsrp2.active_groups */
  activeGroups?: number;
  /** hsrp.adv.passivegrp / hsrp2.passive_groups */
  passiveGroups?: number;
  problem?: Problem;
}

const OPCODES = ['hello', 'coup', 'resign', 'advertise'] as const;

function opcodeName(op: number): Hsrp['opcodeName'] {
  return OPCODES[op] ?? 'unknown';
}

function v0StateName(s: number): string {
  switch (s) {
    case 0: return 'initial';
    case 1: return 'learn';
    case 2: return 'listen';
    case 4: return 'speak';
    case 8: return 'standby';
    case 16: return 'active';
  }
  return `unknown (${s})`;
}

const V2_STATES = ['disabled', 'init', 'learn', 'listen', 'speak', 'standby', 'active'];
const ADV_STATES = ['', 'dormant', 'passive', 'active'];

const TLV_GROUP_STATE = 1;
const TLV_INTERFACE_STATE = 2;
const TLV_TEXT_AUTH = 3;
const TLV_MD5_AUTH = 4;

function problem(message: string): Problem {
  return { layer: 'hsrp', message };
}

/** Text of an 8-byte auth field up to the first NUL; non-printables as '.'. */
function authText(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let i = o; i < end; i++) {
    const c = b[i];
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}

/** True when the payload starts like an HSRPv2 TLV list: a known TLV type with its fixed length. */
function looksLikeV2(b: Uint8Array, o: number, end: number): boolean {
  if (end - o < 2) return false;
  const t = b[o];
  const l = b[o + 1];
  return (
    (t === TLV_GROUP_STATE && l === 40) ||
    (t === TLV_INTERFACE_STATE && l === 4) ||
    (t === TLV_TEXT_AUTH && l === 8) ||
    (t === TLV_MD5_AUTH && l >= 12)
  );
}

/**
 * Decodes the HSRP message in the UDP payload bytes[offset..end) sent to `udpDstPort`.
 * Returns null when the port is not an HSRP port or the payload is empty.
 */
export function decodeHsrp(bytes: Uint8Array, offset: number, end: number, udpDstPort: number): Hsrp | null {
  if (offset < 0 || end > bytes.length || end - offset < 2) return null;
  if (udpDstPort !== HSRP_PORT && udpDstPort !== HSRP2_IPV6_PORT) return null;
  if (udpDstPort === HSRP2_IPV6_PORT || looksLikeV2(bytes, offset, end)) return decodeV2(bytes, offset, end);
  return decodeV0(bytes, offset, end);
}

function decodeV0(b: Uint8Array, o: number, end: number): Hsrp {
  const len = end - o;
  const op = b[o + 1];
  const h: Hsrp = { version: b[o], opcode: op, opcodeName: opcodeName(op) };
  const problems: string[] = [];
  if (h.version !== 0) problems.push(`HSRP version ${h.version} (only version 0 is defined by RFC 2281)`);

  if (op === 3) {
    // Interface-state advertisement: TLV type (2), length (2), state, reserved, active, passive, reserved (4).
    if (len < 16) problems.push(`HSRP advertisement truncated: ${len} of 16 bytes`);
    if (len >= 7) {
      h.state = b[o + 6];
      h.stateName = ADV_STATES[h.state] || `unknown (${h.state})`;
    }
    if (len >= 12) {
      h.activeGroups = u16(b, o + 8);
      h.passiveGroups = u16(b, o + 10);
    }
  } else {
    if (len < 20) problems.push(`HSRP packet truncated: ${len} of 20 bytes`);
    if (len >= 3) {
      h.state = b[o + 2];
      h.stateName = v0StateName(h.state);
    }
    if (len >= 4) h.helloTimeMs = b[o + 3] * 1000;
    if (len >= 5) h.holdTimeMs = b[o + 4] * 1000;
    if (len >= 6) h.priority = b[o + 5];
    if (len >= 7) h.group = b[o + 6];
    if (len >= 8 && b[o + 7] !== 0) problems.push(`reserved byte is ${b[o + 7]}`);
    if (len >= 16) h.authData = authText(b, o + 8, o + 16);
    if (len >= 20) h.virtualIp = ipv4String(b, o + 16);
    if (op > 3) problems.push(`unknown opcode ${op}`);
  }
  if (problems.length > 0) h.problem = problem(problems.join('; '));
  return h;
}

function decodeV2(b: Uint8Array, o: number, end: number): Hsrp {
  const h: Hsrp = { version: 2, opcode: 3, opcodeName: 'advertise' };
  const problems: string[] = [];
  let sawGroup = false;
  let sawInterface = false;
  let p = o;
  // TLV types and lengths are one byte each, so a payload holds at most ~700 TLVs: the loop is bounded.
  while (p < end) {
    if (end - p < 2) {
      problems.push('TLV header cut short');
      break;
    }
    const type = b[p];
    const len = b[p + 1];
    const d = p + 2;
    if (d + len > end) {
      problems.push(`TLV type ${type} truncated: ${end - d} of ${len} bytes`);
    }
    const avail = Math.min(len, end - d);
    switch (type) {
      case TLV_GROUP_STATE:
        if (sawGroup) break; // several groups: the first one is reported
        sawGroup = true;
        readGroupState(b, d, avail, len, h, problems);
        break;
      case TLV_INTERFACE_STATE:
        sawInterface = true;
        if (avail >= 4) {
          h.activeGroups = u16(b, d);
          h.passiveGroups = u16(b, d + 2);
        }
        break;
      case TLV_TEXT_AUTH:
        if (avail >= 1) h.authData = authText(b, d, d + Math.min(avail, 8));
        break;
      case TLV_MD5_AUTH:
        h.md5Auth = true;
        break;
      default:
        problems.push(`unknown TLV type ${type}`);
    }
    if (d + len > end) break;
    p = d + len;
  }
  if (!sawGroup && !sawInterface) problems.push('no Group State or Interface State TLV');
  if (problems.length > 0) h.problem = problem(problems.join('; '));
  return h;
}

function readGroupState(b: Uint8Array, d: number, avail: number, len: number, h: Hsrp, problems: string[]): void {
  // version, opcode, state, ip version, group (2), identifier (6), priority (4), hello (4), hold (4), vip (16)
  if (avail >= 1) h.version = b[d];
  if (avail >= 2) {
    h.opcode = b[d + 1];
    h.opcodeName = opcodeName(h.opcode);
    if (h.opcode === 3) h.opcodeName = 'unknown'; // v2 defines only hello, coup, resign
  }
  if (avail >= 3) {
    h.state = b[d + 2];
    h.stateName = V2_STATES[h.state] ?? `unknown (${h.state})`;
  }
  if (avail >= 4) h.ipVersion = b[d + 3];
  if (avail >= 6) h.group = u16(b, d + 4);
  if (avail >= 12) h.identifier = macString(b, d + 6);
  if (avail >= 16) h.priority = u32(b, d + 12);
  if (avail >= 20) h.helloTimeMs = u32(b, d + 16);
  if (avail >= 24) h.holdTimeMs = u32(b, d + 20);
  if (h.ipVersion === 6) {
    if (avail >= 40) h.virtualIp = ipv6String(b, d + 24);
  } else if (avail >= 28) {
    h.virtualIp = ipv4String(b, d + 24);
    if (h.ipVersion !== 4) problems.push(`unknown IP version ${h.ipVersion}`);
  }
  if (len < 40) problems.push(`Group State TLV length ${len}, expected 40`);
}

// Version 0 (RFC 2281) fields are hsrp.*, version 2's hsrp2.*; both are Wireshark's `hsrp` layer.
const v2 = (h: Hsrp): boolean => h.version === 2 && (h.identifier !== undefined || h.activeGroups !== undefined || h.ipVersion !== undefined);
const v0 = (h: Hsrp): boolean => !v2(h);
const v0Hello = (h: Hsrp): boolean => v0(h) && h.opcode !== 3;
const v0Adv = (h: Hsrp): boolean => v0(h) && h.opcode === 3;
const v2Group = (h: Hsrp): boolean => v2(h) && h.identifier !== undefined;

/** The packet view as the HSRP dissector fills it. */
export interface HsrpSlot extends PacketBase { hsrp: Hsrp | null }

// Rank 1: below IPVS sync (8848, ipvs-sync.ts), above DNS (dns.ts), when a datagram's two ports are registered.
registerUdpPort([HSRP_PORT, HSRP2_IPV6_PORT], 'hsrp', {
  dissect(pkt: HsrpSlot, b, at, end, _srcPort, dstPort) {
    pkt.hsrp = decodeHsrp(b, at, end, dstPort);
  },
}, 1);

/** Wireshark's fields of an HSRP message (hello times: seconds in v0, milliseconds in v2, as on the wire). */
export const hsrpFields: readonly Field<Hsrp>[] = [
  { name: 'hsrp.version', value: (h) => (v0(h) ? h.version : null) },
  { name: 'hsrp.opcode', value: (h) => (v0(h) ? h.opcode : null) },
  { name: 'hsrp.state', value: (h) => (v0Hello(h) ? h.state : null) },
  { name: 'hsrp.hellotime', value: (h) => (v0Hello(h) && h.helloTimeMs !== undefined ? h.helloTimeMs / 1000 : null) },
  { name: 'hsrp.holdtime', value: (h) => (v0Hello(h) && h.holdTimeMs !== undefined ? h.holdTimeMs / 1000 : null) },
  { name: 'hsrp.priority', value: (h) => (v0Hello(h) ? h.priority : null) },
  { name: 'hsrp.group', value: (h) => (v0Hello(h) ? h.group : null) },
  { name: 'hsrp.auth_data', value: (h) => (v0Hello(h) ? h.authData : null) },
  { name: 'hsrp.virt_ip', value: (h) => (v0Hello(h) ? h.virtualIp : null) },
  { name: 'hsrp.adv.state', value: (h) => (v0Adv(h) ? h.state : null) },
  { name: 'hsrp.adv.activegrp', value: (h) => (v0Adv(h) ? h.activeGroups : null) },
  { name: 'hsrp.adv.passivegrp', value: (h) => (v0Adv(h) ? h.passiveGroups : null) },
  { name: 'hsrp2.version', value: (h) => (v2Group(h) ? h.version : null) },
  { name: 'hsrp2.opcode', value: (h) => (v2Group(h) ? h.opcode : null) },
  { name: 'hsrp2.state', value: (h) => (v2Group(h) ? h.state : null) },
  { name: 'hsrp2.ipversion', value: (h) => (v2Group(h) ? h.ipVersion : null) },
  { name: 'hsrp2.group', value: (h) => (v2Group(h) ? h.group : null) },
  { name: 'hsrp2.identifier', value: (h) => (v2Group(h) ? h.identifier : null) },
  { name: 'hsrp2.priority', value: (h) => (v2Group(h) ? h.priority : null) },
  { name: 'hsrp2.hellotime', value: (h) => (v2Group(h) ? h.helloTimeMs : null) },
  { name: 'hsrp2.holdtime', value: (h) => (v2Group(h) ? h.holdTimeMs : null) },
  { name: 'hsrp2.virt_ip', value: (h) => (v2Group(h) && h.ipVersion === 4 ? h.virtualIp : null) },
  { name: 'hsrp2.virt_ip_v6', value: (h) => (v2Group(h) && h.ipVersion === 6 ? h.virtualIp : null) },
  { name: 'hsrp2.auth_data', value: (h) => (v2(h) ? h.authData : null) },
  { name: 'hsrp2.active_groups', value: (h) => (v2(h) ? h.activeGroups : null) },
  { name: 'hsrp2.passive_groups', value: (h) => (v2(h) ? h.passiveGroups : null) },
];
