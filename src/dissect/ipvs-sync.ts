// Linux IPVS connection-synchronisation messages (UDP 8848 to 224.0.0.81), as sent by the kernel's
// master sync daemon that keepalived starts with `lvs_sync_daemon` on the MASTER director.
// Layout and receive-side checks from net/netfilter/ipvs/ip_vs_sync.c (ip_vs_process_message,
// ip_vs_proc_sync_conn, ip_vs_process_message_v0). Field names follow Wireshark's ipvs.* fields.

import { ipv4String, ipv6String, u16, u32 } from './bytes.js';
import type { Problem } from './types.js';
import { hex8, hex16, type Field, type Note } from './fields.js';
import { registerUdpPort, type PacketBase } from './registry.js';

export interface IpvsSeq {
  inInitial: number;
  inDelta: number;
  inPreviousDelta: number;
  outInitial: number;
  outDelta: number;
  outPreviousDelta: number;
}

export interface IpvsSyncConnection {
  /** 4 or 6 (v1 type bit 0) */
  af: 4 | 6;
  /** ipvs.proto: IP protocol number (6 TCP, 17 UDP, 132 SCTP) */
  protocol: number;
  /** ipvs.caddr / caddr6 */
  client: string;
  /** ipvs.cport */
  clientPort: number;
  /** ipvs.vaddr / vaddr6 */
  vip: string;
  /** ipvs.vport */
  vport: number;
  /** ipvs.daddr / daddr6: the real server the connection is bound to */
  realServer: string;
  /** ipvs.dport */
  rport: number;
  /** ipvs.flags.v1 (32 bits) or ipvs.flags (v0, 16 bits): IP_VS_CONN_F_* */
  flags: number;
  /** Forwarding method from flags & IP_VS_CONN_F_FWD_MASK */
  forwarding: 'masq' | 'local' | 'tunnel' | 'droute' | 'bypass' | 'fullnat' | 'snat' | 'unknown';
  /** IP_VS_CONN_F_TEMPLATE: a persistence template, not a connection */
  template: boolean;
  /** IP_VS_CONN_F_INACTIVE: not (or no longer) established */
  inactive: boolean;
  /** ipvs.state: the IPVS protocol state number */
  state: number;
  /** Kernel name of the state for TCP ("ESTABLISHED", "TIME_WAIT", ...) and UDP ("NORMAL") */
  stateName?: string;
  /** ipvs.timeout in seconds (v1 only; v0 receivers use their own per-state timeouts) */
  timeout?: number;
  /** ipvs.fwmark (v1 only) */
  fwmark?: number;
  /** Sequence adjustment data (v0 when flags carry IP_VS_CONN_F_SEQ_MASK, v1 option 1) */
  seq?: IpvsSeq;
  /** Persistence engine name (v1 option 3, e.g. "sip") */
  peName?: string;
}

export interface IpvsSyncMessage {
  /** 1 when the first byte is 0 (ipvs.version), else 0 */
  version: 0 | 1;
  /** ipvs.syncid */
  syncid: number;
  /** ipvs.size: message size claimed by the header */
  size: number;
  /** ipvs.conncount */
  count: number;
  connections: IpvsSyncConnection[];
  problem?: Problem;
}

const IP_VS_CONN_F_FWD_MASK = 0x0007;
const IP_VS_CONN_F_INACTIVE = 0x0100;
const IP_VS_CONN_F_SEQ_MASK = 0x0600;
const IP_VS_CONN_F_TEMPLATE = 0x1000;

const STYPE_F_INET6 = 1;
const SVER_SHIFT = 12;
const SVER_MASK = 0x0fff;

const IPVS_OPT_SEQ_DATA = 1;
const IPVS_OPT_PE_NAME = 3;
const IPVS_OPT_F_PARAM = 1 << (7 - 1);

const V0_HEADER = 4;
const V1_HEADER = 8;
const V0_SIMPLE_CONN = 24;
const V0_FULL_CONN = 48;
const V1_CONN_V4 = 36;
const V1_CONN_V6 = 72;
const SEQ_OPTIONS = 24;

const FORWARDING = ['masq', 'local', 'tunnel', 'droute', 'bypass', 'fullnat', 'snat'] as const;

// include/net/ip_vs.h enum order (IP_VS_TCP_S_*), names as in ip_vs_proto_tcp.c tcp_state_name_table
const TCP_STATES = [
  'NONE', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT',
  'LAST_ACK', 'LISTEN', 'SYNACK',
];

function stateName(protocol: number, state: number, template: boolean): string | undefined {
  if (template) return undefined;
  if (protocol === 6) return TCP_STATES[state];
  if (protocol === 17 && state === 0) return 'NORMAL';
  return undefined;
}

function forwarding(flags: number): IpvsSyncConnection['forwarding'] {
  return FORWARDING[flags & IP_VS_CONN_F_FWD_MASK] ?? 'unknown';
}

function readSeq(b: Uint8Array, o: number): IpvsSeq {
  return {
    inInitial: u32(b, o),
    inDelta: u32(b, o + 4),
    inPreviousDelta: u32(b, o + 8),
    outInitial: u32(b, o + 12),
    outDelta: u32(b, o + 16),
    outPreviousDelta: u32(b, o + 20),
  };
}

/**
 * Decodes an IPVS sync message (the UDP payload) at bytes[offset..end).
 * Returns null when even the 4-byte v0 header is missing.
 */
export function decodeIpvsSync(bytes: Uint8Array, offset: number, end: number): IpvsSyncMessage | null {
  if (offset < 0 || end > bytes.length || end - offset < V0_HEADER) return null;
  const b = bytes;
  const o = offset;
  const len = end - offset;
  const problems: string[] = [];
  const v1 = b[o] === 0;
  const msg: IpvsSyncMessage = {
    version: v1 ? 1 : 0,
    syncid: b[o + 1],
    size: u16(b, o + 2),
    count: v1 ? 0 : b[o],
    connections: [],
  };
  // The kernel drops a message whose size field is not the datagram length.
  if (msg.size !== len) problems.push(`size field ${msg.size} but message is ${len} bytes (receivers drop it)`);

  if (v1) {
    if (len < V1_HEADER) {
      problems.push(`v1 header truncated: ${len} of ${V1_HEADER} bytes`);
    } else {
      msg.count = b[o + 4];
      const version = b[o + 5];
      const spare = u16(b, o + 6);
      // ip_vs_process_message: version 1, reserved 0 and spare 0, else it is parsed as v0 (and dropped).
      if (version !== 1 || spare !== 0) {
        problems.push(`first byte 0 but version ${version}, spare ${spare}: not a valid v1 header`);
      } else {
        decodeV1Connections(b, o + V1_HEADER, end, msg, problems);
      }
    }
  } else {
    decodeV0Connections(b, o + V0_HEADER, end, msg, problems);
  }
  if (problems.length > 0) msg.problem = { layer: 'ipvs', message: problems.join('; ') };
  return msg;
}

function decodeV1Connections(b: Uint8Array, start: number, end: number, msg: IpvsSyncMessage, problems: string[]): void {
  let p = start;
  for (let i = 0; i < msg.count; i++) {
    if (end - p < 4) {
      problems.push(`connection ${i + 1} of ${msg.count} missing (message truncated)`);
      return;
    }
    const type = b[p];
    const verSize = u16(b, p + 2);
    const size = verSize & SVER_MASK;
    const ver = verSize >> SVER_SHIFT;
    const v6 = (type & STYPE_F_INET6) !== 0;
    const fixed = v6 ? V1_CONN_V6 : V1_CONN_V4;
    if (!v6 && type !== 0) {
      problems.push(`connection ${i + 1}: unknown type ${type}`);
      return;
    }
    if (ver !== 0) {
      problems.push(`connection ${i + 1}: unknown entry version ${ver}`);
      return;
    }
    if (size < fixed) {
      problems.push(`connection ${i + 1}: size ${size} smaller than the ${fixed}-byte entry`);
      return;
    }
    if (end - p < fixed) {
      problems.push(`connection ${i + 1} of ${msg.count} truncated: ${end - p} of ${size} bytes`);
      return;
    }
    // struct ip_vs_sync_v4/v6: type, protocol, ver_size, flags, state, ports, fwmark, timeout, addresses.
    const conn = connection(b, v6 ? 6 : 4, b[p + 1], u32(b, p + 4), u16(b, p + 8), p + 10, p + 24, p + 16);
    msg.connections.push(conn);

    const entryEnd = p + size;
    if (entryEnd > end) {
      problems.push(`connection ${i + 1}: options truncated (${end - p} of ${size} bytes)`);
      return;
    }
    if (!readV1Options(b, p + fixed, entryEnd, conn, i + 1, problems)) return;
    // Entries are padded to 32 bits.
    p += (size + 3) & ~3;
  }
}

/** Parameters after the fixed part: type (1), len (1), data. Returns false on a fatal error. */
function readV1Options(
  b: Uint8Array, start: number, end: number, conn: IpvsSyncConnection, n: number, problems: string[],
): boolean {
  let q = start;
  while (q < end) {
    if (end - q < 2) {
      problems.push(`connection ${n}: option header cut short`);
      return false;
    }
    const ptype = b[q];
    const plen = b[q + 1];
    q += 2;
    if (plen === 0 || q + plen > end) {
      problems.push(`connection ${n}: bad option length ${plen}`);
      return false;
    }
    const kind = ptype & ~IPVS_OPT_F_PARAM;
    if (kind === IPVS_OPT_SEQ_DATA) {
      if (plen === SEQ_OPTIONS) conn.seq = readSeq(b, q);
      else problems.push(`connection ${n}: sequence option of ${plen} bytes, expected ${SEQ_OPTIONS}`);
    } else if (kind === IPVS_OPT_PE_NAME) {
      let s = '';
      for (let i = q; i < q + plen && i - q < 16; i++) {
        const c = b[i];
        s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      }
      conn.peName = s;
    }
    q += plen;
  }
  return true;
}

/**
 * A connection entry as v0 and v1 share it: the client's, virtual and real server's ports in a row at
 * `ports`, their addresses in a row at `addrs`; v1 adds the firewall mark and timeout at `markAt`.
 */
function connection(b: Uint8Array, af: 4 | 6, protocol: number, flags: number, state: number, ports: number, addrs: number, markAt: number | null): IpvsSyncConnection {
  const addr = af === 6 ? ipv6String : ipv4String, alen = af === 6 ? 16 : 4;
  const template = (flags & IP_VS_CONN_F_TEMPLATE) !== 0;
  const conn: IpvsSyncConnection = {
    af,
    protocol,
    client: addr(b, addrs),
    clientPort: u16(b, ports),
    vip: addr(b, addrs + alen),
    vport: u16(b, ports + 2),
    realServer: addr(b, addrs + 2 * alen),
    rport: u16(b, ports + 4),
    flags,
    forwarding: forwarding(flags),
    template,
    inactive: (flags & IP_VS_CONN_F_INACTIVE) !== 0,
    state,
  };
  if (markAt !== null) { conn.fwmark = u32(b, markAt); conn.timeout = u32(b, markAt + 4); }
  const sn = stateName(protocol, state, template);
  if (sn !== undefined) conn.stateName = sn;
  return conn;
}

function decodeV0Connections(b: Uint8Array, start: number, end: number, msg: IpvsSyncMessage, problems: string[]): void {
  let p = start;
  for (let i = 0; i < msg.count; i++) {
    if (end - p < V0_SIMPLE_CONN) {
      problems.push(`connection ${i + 1} of ${msg.count} missing or truncated (v0 entries are ${V0_SIMPLE_CONN} bytes)`);
      return;
    }
    // struct ip_vs_sync_conn_v0: type, protocol, ports, addresses, flags, state.
    const flags = u16(b, p + 20);
    const conn = connection(b, 4, b[p + 1], flags, u16(b, p + 22), p + 2, p + 8, null);
    msg.connections.push(conn);
    if (flags & IP_VS_CONN_F_SEQ_MASK) {
      if (end - p < V0_FULL_CONN) {
        problems.push(`connection ${i + 1}: sequence options truncated`);
        return;
      }
      conn.seq = readSeq(b, p + V0_SIMPLE_CONN);
      p += V0_FULL_CONN;
    } else {
      p += V0_SIMPLE_CONN;
    }
  }
}

const each = <T>(m: IpvsSyncMessage, f: (c: IpvsSyncConnection) => T | undefined): T[] =>
  m.connections.map(f).filter((x): x is T => x !== undefined);

/** The packet view as the IPVS sync dissector fills it. */
export interface IpvsSyncSlot extends PacketBase { ipvsSync: IpvsSyncMessage | null }

// The kernel's sync port (IP_VS_SYNC_PORT); rank 0: it wins over HSRP and DNS on the other port.
registerUdpPort([8848], 'ipvs', {
  dissect(pkt: IpvsSyncSlot, b, at, end) {
    pkt.ipvsSync = decodeIpvsSync(b, at, end);
  },
}, 0);

/** Wireshark's fields of an IPVS sync message: one occurrence per connection entry. */
export const ipvsSyncFields: readonly Field<IpvsSyncMessage>[] = [
  { name: 'ipvs.conncount', value: (m) => m.count },
  { name: 'ipvs.syncid', value: (m) => m.syncid },
  { name: 'ipvs.size', value: (m) => m.size },
  { name: 'ipvs.proto', value: (m) => each(m, (c) => hex8(c.protocol)) },
  { name: 'ipvs.cport', value: (m) => each(m, (c) => c.clientPort) },
  { name: 'ipvs.vport', value: (m) => each(m, (c) => c.vport) },
  { name: 'ipvs.dport', value: (m) => each(m, (c) => c.rport) },
  { name: 'ipvs.caddr', value: (m) => each(m, (c) => (c.af === 4 ? c.client : undefined)) },
  { name: 'ipvs.vaddr', value: (m) => each(m, (c) => (c.af === 4 ? c.vip : undefined)) },
  { name: 'ipvs.daddr', value: (m) => each(m, (c) => (c.af === 4 ? c.realServer : undefined)) },
  { name: 'ipvs.caddr6', value: (m) => each(m, (c) => (c.af === 6 ? c.client : undefined)) },
  { name: 'ipvs.vaddr6', value: (m) => each(m, (c) => (c.af === 6 ? c.vip : undefined)) },
  { name: 'ipvs.daddr6', value: (m) => each(m, (c) => (c.af === 6 ? c.realServer : undefined)) },
  { name: 'ipvs.flags', value: (m) => (m.version === 0 ? each(m, (c) => hex16(c.flags)) : null) },
  { name: 'ipvs.state', value: (m) => each(m, (c) => hex16(c.state)) },
  { name: 'ipvs.timeout', value: (m) => each(m, (c) => c.timeout) },
];

/** What vrrpscope reads from the entries beyond Wireshark's fields: the sync version and each connection's forwarding method and state name. */
export const ipvsSyncNotes: readonly Note<IpvsSyncMessage>[] = [
  { key: 'syncVersion', value: (m) => m.version },
  { key: 'forwarding', value: (m) => m.connections.map((c) => c.forwarding) },
  { key: 'states', value: (m) => m.connections.map((c) => c.stateName ?? null) },
];
