import { describe, it, expect } from 'vitest';
import { decodeIpvsSync, type IpvsSyncConnection } from '../../src/dissect/ipvs-sync.js';
import { robust } from '../support/mutate.js';

/** The bytes that matter to this decoder, written at random places by the mutations. */
const MUTATION = { special: [0x00, 0xff, 0x01, 0x06, 0x0f, 0x24, 0x40, 0x80], maxEdits: 8 };

// UDP payloads to 224.0.0.81:8848 (TTL 1) from the lab's kernel sync daemon (Debian 6.1 kernel, keepalived
// 2.2.7 `lvs_sync_daemon`, syncid 51). Expected values from tshark 4.0.17's ipvs.syncid, ipvs.size,
// ipvs.conncount, ipvs.caddr, ipvs.cport, ipvs.vaddr, ipvs.vport, ipvs.daddr, ipvs.dport, ipvs.flags.v1,
// ipvs.state and ipvs.timeout.
//   NAT_253       lab/lvs-nat-basic/lvs-nat-basic-back.pcap frame 253, from d1 10.1.0.11, 12 connections
//   FAILOVER_887  lab/director-failover/director-failover-back.pcap frame 887, from d2 10.1.0.12 after the
//                 takeover, 19 connections, one of them learnt from d1 by sync (flags 0x20)
// Hand-built from the kernel structs in net/netfilter/ipvs/ip_vs_sync.c (the labs only produce v1, IPv4,
// no options):
//   SYN_V0  v0 message, 2 connections, the second with IP_VS_CONN_F_SEQ_MASK and 24 bytes of seq
//           options; tshark decodes it identically (checked via text2pcap).
//   SYN_V1  v1 message: an IPv6 entry with PE name "sip" and PE data options (size 84), then an IPv4
//           entry with a sequence option (size 62, padded to 64). tshark 4.0.17 decodes only the first
//           entry right: it steps 36/72 bytes per entry and ignores the size field and options.

const NAT_253 =
  '003301b80c010000000600240000000000019cac0050005000000000000003840a0000320a0000640a01001500060024' +
  '0000010000079cac00500050000000000000003c0a0000320a0000640a010015000600240000010000059cac00500050' +
  '00000000000000780a0000320a0000640a010015000600240000000000019cb60050005000000000000003840a000032' +
  '0a0000640a010016000600240000010000079cb600500050000000000000003c0a0000320a0000640a01001600060024' +
  '0000010000059cb60050005000000000000000780a0000320a0000640a010016000600240000000000019cb800500050' +
  '00000000000003840a0000320a0000640a010015000600240000010000079cb800500050000000000000003c0a000032' +
  '0a0000640a010015000600240000010000059cb80050005000000000000000780a0000320a0000640a01001500060024' +
  '0000000000019cc00050005000000000000003840a0000320a0000640a010016000600240000010000079cc000500050' +
  '000000000000003c0a0000320a0000640a010016000600240000010000059cc00050005000000000000000780a000032' +
  '0a0000640a010016';
const FAILOVER_887 =
  '003302b41301000000060024000000000001d82e0050005000000000000003840a0000320a0000640a01001500060024' +
  '000001000007d82e00500050000000000000003c0a0000320a0000640a01001500060024000001000005d82e00500050' +
  '00000000000000780a0000320a0000640a01001500060024000000000001d8360050005000000000000003840a000032' +
  '0a0000640a01001600060024000001000007d83600500050000000000000003c0a0000320a0000640a01001600060024' +
  '000001000005d8360050005000000000000000780a0000320a0000640a01001600060024000000000001d84400500050' +
  '00000000000003840a0000320a0000640a01001500060024000001000007d84400500050000000000000003c0a000032' +
  '0a0000640a01001500060024000001000005d8440050005000000000000000780a0000320a0000640a01001500060024' +
  '000000000001d84a0050005000000000000003840a0000320a0000640a01001600060024000001000007d84a00500050' +
  '000000000000003c0a0000320a0000640a01001600060024000001000005d84a0050005000000000000000780a000032' +
  '0a0000640a01001600060024000000000001d8520050005000000000000003840a0000320a0000640a01001500060024' +
  '000001000007d85200500050000000000000003c0a0000320a0000640a01001500060024000001000005d85200500050' +
  '00000000000000780a0000320a0000640a01001500060024000000200001e5f00050005000000000000003840a000032' +
  '0a0000640a01001500060024000000000001d8620050005000000000000003840a0000320a0000640a01001600060024' +
  '000001000007d86200500050000000000000003c0a0000320a0000640a01001600060024000001000005d86200500050' +
  '00000000000000780a0000320a0000640a010016';
const SYN_V0 =
  '0207004c00069c4000501f900a0000320a0000640a01001500000001001114e9003500350a0000330a0000640a010016' +
  '0603000011111111000000050000000022222222fffffffb00000000';
const SYN_V1 =
  '0009009c02010000010600540000000300019c4013c413c4000000000000038420010db8000000000000000000000050' +
  '20010db800000000000000000000010020010db80001000000000000000000210303736970020561626364650006003e' +
  '0000060000059c410050005000000010000000780a0000340a0000640a0100170118000003e80000000a000000000000' +
  '07d0fffffff6000000000000';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const decode = (b: Uint8Array) => decodeIpvsSync(b, 0, b.length);
type Row = [string, number, string, number, string, number, number, number, number];
const row = (c: IpvsSyncConnection): Row =>
  [c.client, c.clientPort, c.vip, c.vport, c.realServer, c.rport, c.flags, c.state, c.timeout ?? -1];

describe('decodeIpvsSync on lab sync traffic (values from tshark)', () => {
  it('lvs-nat-basic-back.pcap frame 253: v1, syncid 51, 12 IPv4 TCP connections', () => {
    const m = decode(hex(NAT_253))!;
    expect(m).toMatchObject({ version: 1, syncid: 51, size: 440, count: 12 });
    expect(m.problem).toBeUndefined();
    expect(m.connections.map(row)).toEqual([
      ['10.0.0.50', 40108, '10.0.0.100', 80, '10.1.0.21', 80, 0x0, 1, 900],
      ['10.0.0.50', 40108, '10.0.0.100', 80, '10.1.0.21', 80, 0x100, 7, 60],
      ['10.0.0.50', 40108, '10.0.0.100', 80, '10.1.0.21', 80, 0x100, 5, 120],
      ['10.0.0.50', 40118, '10.0.0.100', 80, '10.1.0.22', 80, 0x0, 1, 900],
      ['10.0.0.50', 40118, '10.0.0.100', 80, '10.1.0.22', 80, 0x100, 7, 60],
      ['10.0.0.50', 40118, '10.0.0.100', 80, '10.1.0.22', 80, 0x100, 5, 120],
      ['10.0.0.50', 40120, '10.0.0.100', 80, '10.1.0.21', 80, 0x0, 1, 900],
      ['10.0.0.50', 40120, '10.0.0.100', 80, '10.1.0.21', 80, 0x100, 7, 60],
      ['10.0.0.50', 40120, '10.0.0.100', 80, '10.1.0.21', 80, 0x100, 5, 120],
      ['10.0.0.50', 40128, '10.0.0.100', 80, '10.1.0.22', 80, 0x0, 1, 900],
      ['10.0.0.50', 40128, '10.0.0.100', 80, '10.1.0.22', 80, 0x100, 7, 60],
      ['10.0.0.50', 40128, '10.0.0.100', 80, '10.1.0.22', 80, 0x100, 5, 120],
    ]);
    // Each client connection is synced on state changes: ESTABLISHED, then CLOSE_WAIT and TIME_WAIT (inactive).
    expect(m.connections.slice(0, 3).map((c) => [c.stateName, c.inactive])).toEqual([
      ['ESTABLISHED', false], ['CLOSE_WAIT', true], ['TIME_WAIT', true],
    ]);
    expect(m.connections[0]).toMatchObject({ af: 4, protocol: 6, forwarding: 'masq', template: false, fwmark: 0 });
  });

  it('director-failover-back.pcap frame 887: d2 re-syncs the connection it learnt from d1', () => {
    const m = decode(hex(FAILOVER_887))!;
    expect(m).toMatchObject({ version: 1, syncid: 51, size: 692, count: 19 });
    expect(m.connections).toHaveLength(19);
    const synced = m.connections.filter((c) => c.flags & 0x20);
    expect(synced.map(row)).toEqual([['10.0.0.50', 58864, '10.0.0.100', 80, '10.1.0.21', 80, 0x20, 1, 900]]);
    expect(m.problem).toBeUndefined();
  });
});

describe('decodeIpvsSync on hand-built v0 and v1 messages', () => {
  it('v0: 24-byte entries, sequence options when flags & 0x0600', () => {
    const m = decode(hex(SYN_V0))!;
    expect(m).toMatchObject({ version: 0, syncid: 7, size: 76, count: 2 });
    expect(m.problem).toBeUndefined();
    expect(m.connections[0]).toEqual({
      af: 4, protocol: 6, client: '10.0.0.50', clientPort: 40000, vip: '10.0.0.100', vport: 80,
      realServer: '10.1.0.21', rport: 8080, flags: 0, forwarding: 'masq', template: false, inactive: false,
      state: 1, stateName: 'ESTABLISHED',
    });
    expect(m.connections[1]).toMatchObject({
      protocol: 17, client: '10.0.0.51', clientPort: 5353, realServer: '10.1.0.22', flags: 0x0603,
      forwarding: 'droute', state: 0, stateName: 'NORMAL',
      seq: { inInitial: 0x11111111, inDelta: 5, inPreviousDelta: 0, outInitial: 0x22222222, outDelta: 0xfffffffb, outPreviousDelta: 0 },
    });
    expect(m.connections[1].timeout).toBeUndefined();
  });

  it('v1: IPv6 entry with options, then a padded IPv4 entry with a sequence option', () => {
    const m = decode(hex(SYN_V1))!;
    expect(m).toMatchObject({ version: 1, syncid: 9, size: 156, count: 2 });
    expect(m.problem).toBeUndefined();
    expect(m.connections[0]).toMatchObject({
      af: 6, protocol: 6, client: '2001:db8::50', clientPort: 40000, vip: '2001:db8::100', vport: 5060,
      realServer: '2001:db8:1::21', rport: 5060, forwarding: 'droute', timeout: 900, peName: 'sip',
    });
    expect(m.connections[1]).toMatchObject({
      af: 4, client: '10.0.0.52', clientPort: 40001, realServer: '10.1.0.23', flags: 0x600, state: 5,
      stateName: 'TIME_WAIT', fwmark: 0x10, timeout: 120,
      seq: { inInitial: 1000, inDelta: 10, outInitial: 2000, outDelta: 0xfffffff6 },
    });
  });
});

describe('decodeIpvsSync on damaged messages', () => {
  it('truncation keeps the connections read so far', () => {
    const b = hex(NAT_253);
    const m = decodeIpvsSync(b, 0, 8 + 36 * 5 + 10)!;
    expect(m.connections).toHaveLength(5);
    expect(m.problem?.message).toMatch(/size field 440 but message is 198 bytes/);
    expect(m.problem?.message).toMatch(/connection 6 of 12 truncated/);
  });

  it('header checks the kernel makes', () => {
    expect(decode(hex('00330008'))!.problem?.message).toMatch(/v1 header truncated/);
    expect(decode(hex('0033000800020000'))!.problem?.message).toMatch(/not a valid v1 header/);
    expect(decode(hex('003300'))).toBeNull();
    const badType = Uint8Array.from(hex(NAT_253));
    badType[8] = 2;
    expect(decode(badType)!.problem?.message).toMatch(/connection 1: unknown type 2/);
    const badVer = Uint8Array.from(hex(NAT_253));
    badVer[10] = 0x10;
    expect(decode(badVer)!.problem?.message).toMatch(/unknown entry version 1/);
    const small = Uint8Array.from(hex(NAT_253));
    small[11] = 20;
    expect(decode(small)!.problem?.message).toMatch(/size 20 smaller than the 36-byte entry/);
  });

  it('respects offset and end', () => {
    const inner = hex(SYN_V1);
    const big = new Uint8Array(inner.length + 16).fill(0xee);
    big.set(inner, 8);
    expect(decodeIpvsSync(big, 8, 8 + inner.length)).toEqual(decode(inner));
  });
});



describe('decodeIpvsSync never throws', () => {
  [NAT_253, FAILOVER_887, SYN_V0, SYN_V1].forEach((h, i) => {
    it(`sample ${i}: every prefix and 2000 mutations`, () => {
      expect(() => robust(hex(h), (b, o, e) => decodeIpvsSync(b, o, e), 5000 + i, MUTATION)).not.toThrow();
    });
  });
  it('bad arguments', () => {
    expect(decodeIpvsSync(hex(SYN_V0), -1, 10)).toBeNull();
    expect(decodeIpvsSync(hex(SYN_V0), 0, 1000)).toBeNull();
  });
});
