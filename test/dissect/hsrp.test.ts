import { describe, it, expect } from 'vitest';
import { decodeHsrp } from '../../src/dissect/hsrp.js';
import { summarize } from '../../src/dissect/summary.js';
import type { Packet } from '../../src/dissect/packet.js';
import { robust } from '../support/mutate.js';

/** The bytes that matter to this decoder, written at random places by the mutations. */
const MUTATION = { special: [0x00, 0xff, 0x01, 0x02, 0x03, 0x04, 0x28, 0x06], maxEdits: 6 };

// UDP payloads. Expected values from tshark 4.0.17 (hsrp.* / hsrp2.* fields) and, for version 0, from
// tcpdump's own test oracle tcpdump/hsrp_1-v.out (which this decoder reproduces for all 118 hello/coup
// packets of the three HSRP_*.pcap files).
//   V0_HELLO_ACTIVE  tcpdump/HSRP_coup.pcap frame 1: "HSRPv0-hello 20: state=active group=1 addr=192.168.0.1
//                    hellotime=3s holdtime=10s priority=100 auth="cisco""
//   V0_ADVERT        HSRP_coup.pcap frame 8: opcode 3 interface-state advertisement (16 bytes); tshark
//                    "Advertise (state Passive)", active groups 0, passive groups 1 (tcpdump: "unknown (3)")
//   V0_COUP          HSRP_coup.pcap frame 22: "HSRPv0-coup 20: state=listen ... priority=200"
//   V0_SPEAK         HSRP_coup.pcap frame 26: "HSRPv0-hello 20: state=speak ..."
//   V2_INTERFACE     networklessons/hsrpv2-election.pcapng frame 1: Interface State TLV (Act=0 Pass=1)
//   V2_HELLO_SPEAK   hsrpv2-election.pcapng frame 3: Group State TLV hello, speak, group 1, priority 150,
//                    hello 3000 ms, hold 10000 ms, VIP 192.168.12.254, identifier aa:bb:cc:00:02:10, auth "cisco"
//   V2_RESIGN        networklessons/hsrpv2-resign-active.pcapng frame 1: resign, state active
// Hand-built, checked against tshark via text2pcap:
//   SYN_V2_IPV6      HSRPv2 for IPv6 (UDP 2029 to ff02::66): group 10, active, VIP fe80::5:73ff:fea0:a
//   SYN_V2_MD5       HSRPv2 IPv4 with an MD5 Authentication TLV instead of text auth

const V0_HELLO_ACTIVE =
  '000010030a640100636973636f000000c0a80001';
const V0_ADVERT =
  '00030001000e0200000000016f000000';
const V0_COUP =
  '000102030ac80100636973636f000000c0a80001';
const V0_SPEAK =
  '000004030a640100636973636f000000c0a80001';
const V2_INTERFACE =
  '020400000001';
const V2_HELLO_SPEAK =
  '0128020004040001aabbcc0002100000009600000bb800002710c0a80cfe000000000000000000000000030863697363' +
  '6f000000';
const V2_RESIGN =
  '0128020206040001aabbcc0002100000009600000bb800002710c0a80cfe000000000000000000000000030863697363' +
  '6f000000';
const SYN_V2_IPV6 =
  '012802000606000aaabbcc0003100000006e000003e800000bb8fe80000000000000000573fffea0000a';
const SYN_V2_MD5 =
  '012802010504012caabbcc0002100000005a00000bb800002710c0a80cfe000000000000000000000000041c01000000' +
  'c0a80c0200000001000102030405060708090a0b0c0d0e0f';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const decode = (h: string, port = 1985) => { const b = hex(h); return decodeHsrp(b, 0, b.length, port); };

describe('HSRP version 0 (RFC 2281)', () => {
  it('HSRP_coup.pcap frame 1: hello from the active router', () => {
    expect(decode(V0_HELLO_ACTIVE)).toEqual({
      version: 0, opcode: 0, opcodeName: 'hello', state: 16, stateName: 'active', group: 1, priority: 100,
      helloTimeMs: 3000, holdTimeMs: 10000, authData: 'cisco', virtualIp: '192.168.0.1',
    });
  });

  it('HSRP_coup.pcap frames 22 and 26: coup from listen with priority 200, hello from speak', () => {
    expect(decode(V0_COUP)).toMatchObject({ opcode: 1, opcodeName: 'coup', stateName: 'listen', priority: 200, group: 1 });
    expect(decode(V0_SPEAK)).toMatchObject({ opcodeName: 'hello', state: 4, stateName: 'speak' });
  });

  it('HSRP_coup.pcap frame 8: interface-state advertisement', () => {
    expect(decode(V0_ADVERT)).toEqual({
      version: 0, opcode: 3, opcodeName: 'advertise', state: 2, stateName: 'passive', activeGroups: 0, passiveGroups: 1,
    });
  });

  it('truncated packets keep the fields read', () => {
    const b = hex(V0_HELLO_ACTIVE);
    const r = decodeHsrp(b, 0, 12, 1985)!;
    expect(r).toMatchObject({ stateName: 'active', priority: 100, group: 1 });
    expect(r.virtualIp).toBeUndefined();
    expect(r.problem?.message).toBe('HSRP packet truncated: 12 of 20 bytes');
  });
});

describe('HSRPv2', () => {
  it('hsrpv2-election.pcapng frame 1: Interface State TLV only', () => {
    expect(decode(V2_INTERFACE)).toEqual({ version: 2, opcode: 3, opcodeName: 'advertise', activeGroups: 0, passiveGroups: 1 });
  });

  it('hsrpv2-election.pcapng frame 3: Group State TLV hello and Text Authentication TLV', () => {
    expect(decode(V2_HELLO_SPEAK)).toEqual({
      version: 2, opcode: 0, opcodeName: 'hello', state: 4, stateName: 'speak', ipVersion: 4, group: 1,
      identifier: 'aa:bb:cc:00:02:10', priority: 150, helloTimeMs: 3000, holdTimeMs: 10000,
      virtualIp: '192.168.12.254', authData: 'cisco',
    });
  });

  it('hsrpv2-resign-active.pcapng frame 1: resign from active', () => {
    expect(decode(V2_RESIGN)).toMatchObject({ opcode: 2, opcodeName: 'resign', state: 6, stateName: 'active', priority: 150 });
  });

  it('IPv6 group on UDP 2029 and an MD5 Authentication TLV', () => {
    expect(decode(SYN_V2_IPV6, 2029)).toEqual({
      version: 2, opcode: 0, opcodeName: 'hello', state: 6, stateName: 'active', ipVersion: 6, group: 10,
      identifier: 'aa:bb:cc:00:03:10', priority: 110, helloTimeMs: 1000, holdTimeMs: 3000, virtualIp: 'fe80::5:73ff:fea0:a',
    });
    expect(decode(SYN_V2_MD5)).toMatchObject({
      opcodeName: 'coup', stateName: 'standby', group: 300, priority: 90, virtualIp: '192.168.12.254', md5Auth: true,
    });
    expect(decode(SYN_V2_MD5)!.authData).toBeUndefined();
  });

  it('a truncated Group State TLV', () => {
    const b = hex(V2_HELLO_SPEAK);
    const r = decodeHsrp(b, 0, 14, 1985)!;
    expect(r).toMatchObject({ version: 2, stateName: 'speak', group: 1, identifier: 'aa:bb:cc:00:02:10' });
    expect(r.priority).toBeUndefined();
    expect(r.problem?.message).toMatch(/TLV type 1 truncated: 12 of 40 bytes/);
  });
});

describe('decodeHsrp dispatch', () => {
  it('null on other ports and on a too-short payload', () => {
    expect(decode(V0_HELLO_ACTIVE, 1986)).toBeNull();
    expect(decodeHsrp(hex('00'), 0, 1, 1985)).toBeNull();
  });

  it('respects offset and end', () => {
    const inner = hex(V2_HELLO_SPEAK);
    const big = new Uint8Array(inner.length + 10).fill(1);
    big.set(inner, 3);
    expect(decodeHsrp(big, 3, 3 + inner.length, 1985)).toEqual(decode(V2_HELLO_SPEAK));
  });
});



describe('decodeHsrp never throws', () => {
  [V0_HELLO_ACTIVE, V0_ADVERT, V2_HELLO_SPEAK, SYN_V2_IPV6, SYN_V2_MD5].forEach((h, i) => {
    it(`sample ${i}: every prefix and 2000 mutations, on both ports`, () => {
      expect(() => robust(hex(h), (b, o, e) => { decodeHsrp(b, o, e, 1985); decodeHsrp(b, o, e, 2029); }, 6000 + i, MUTATION)).not.toThrow();
    });
  });
  it('bad arguments', () => {
    expect(decodeHsrp(hex(V0_COUP), -1, 5, 1985)).toBeNull();
    expect(decodeHsrp(hex(V0_COUP), 0, 99, 1985)).toBeNull();
  });
});

describe('HSRP Info column', () => {
  // What the packet does not carry is not printed ("group undefined, priority undefined" was).
  const info = (h: string) => summarize({ frame: { linkType: 1 }, hsrp: decode(h) } as unknown as Packet).info;
  it('an interface-state advertisement has no group or priority: its groups instead', () => {
    expect(info(V0_ADVERT)).toBe('advertise (state passive), active groups 0, passive groups 1');
    expect(info(V2_INTERFACE)).not.toMatch(/undefined|group \d|priority/);
  });
  it('a hello names its group, priority and virtual IP', () => {
    expect(info(V0_HELLO_ACTIVE)).toBe('hello (state active), group 1, priority 100, virtual IP 192.168.0.1');
  });
});
