import { describe, it, expect } from 'vitest';
import { decodeCarp, looksLikeCarp, CARP_LENGTH } from '../../src/dissect/carp.js';
import { robust } from '../support/mutate.js';

/** The bytes that matter to this decoder, written at random places by the mutations. */
const MUTATION = { special: [0x00, 0xff, 0x21, 0x07, 0x31, 0x80], maxEdits: 4 };

// No public CARP capture was found, so the CARP advertisement is hand-built from OpenBSD's
// struct carp_header (netinet/ip_carp.h) with a correct checksum. Wrapped in a pcap (text2pcap -i 112,
// 10.0.0.1 > 224.0.0.18), tcpdump 4.99.3 `-v -T carp` prints:
//   CARPv2-advertise 36: vhid=7 advbase=1 advskew=100 authlen=7 counter=6857465035287953411
// while tshark 4.0.17 (which has no CARP dissector for protocol 112) shows it as VRRPv2 VRID 7,
// priority 100, "Addr Count: 7", checksum correct — the confusion the heuristic prevents.
const CARP = '210764070001def95f2a9c1e00000003a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3';
// Real VRRPv2 payloads from tcpdump/vrrp.pcap: frame 1 (VRID 42, 3 addresses, simple auth "abcdefgh",
// 28 bytes) and frame 2 (VRID 43, 1 address, no auth, 20 bytes).
const VRRP2_FRAME1 = '212abf03010af11f0a042a010a042a020a042a036162636465666768';
const VRRP2_FRAME2 = '212bbf01000aea2e0a042b960000000000000000';
// A VRRPv2 advert with 5 addresses is also 36 bytes long (16 + 4×5); hand-built.
const VRRP2_FIVE = '2133640500010000' + '0a000001' + '0a000002' + '0a000003' + '0a000004' + '0a000005' + '0000000000000000';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const decode = (b: Uint8Array) => decodeCarp(b, 0, b.length);

describe('looksLikeCarp', () => {
  it('accepts a 36-byte 0x21 packet with authlen 7 at byte 3', () => {
    const b = hex(CARP);
    expect(b.length).toBe(CARP_LENGTH);
    expect(looksLikeCarp(b, 0, b.length)).toBe(true);
  });

  it('rejects real VRRPv2 adverts, including a 36-byte one', () => {
    for (const h of [VRRP2_FRAME1, VRRP2_FRAME2, VRRP2_FIVE]) {
      const b = hex(h);
      expect(looksLikeCarp(b, 0, b.length)).toBe(false);
    }
    expect(hex(VRRP2_FIVE).length).toBe(36);
  });

  it('rejects other lengths and versions, and respects offset/end', () => {
    const b = hex(CARP);
    expect(looksLikeCarp(b, 0, 35)).toBe(false);
    const v3 = Uint8Array.from(b);
    v3[0] = 0x31;
    expect(looksLikeCarp(v3, 0, 36)).toBe(false);
    const big = new Uint8Array(50);
    big.set(b, 6);
    expect(looksLikeCarp(big, 6, 42)).toBe(true);
    expect(looksLikeCarp(big, 6, 99)).toBe(false);
  });
});

describe('decodeCarp', () => {
  it('decodes the fields tcpdump -T carp prints', () => {
    const c = decode(hex(CARP))!;
    expect(c).toEqual({
      version: 2, type: 1, vhid: 7, advskew: 100, authlen: 7, demote: 0, advbase: 1,
      checksum: 0xdef9, checksumOk: true, counter: '5f2a9c1e00000003',
      hmac: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3',
    });
    expect(BigInt('0x' + c.counter)).toBe(6857465035287953411n); // tcpdump's counter=
  });

  it('reports a bad checksum, a truncated packet and odd fields', () => {
    const bad = Uint8Array.from(hex(CARP));
    bad[20] ^= 1;
    expect(decode(bad)).toMatchObject({ checksumOk: false, problem: { layer: 'carp', message: 'bad CARP checksum 0xdef9' } });
    const short = decodeCarp(hex(CARP), 0, 12)!;
    expect(short).toMatchObject({ vhid: 7, advbase: 1 });
    expect(short.counter).toBeUndefined();
    expect(short.checksumOk).toBeUndefined();
    expect(short.problem?.message).toBe('CARP packet truncated: 12 of 36 bytes');
    const odd = Uint8Array.from(hex(CARP));
    odd[0] = 0x22;
    odd[1] = 0;
    expect(decode(odd)!.problem?.message).toMatch(/unknown CARP type 2.*vhid 0/);
  });

  it('null below 8 bytes or for another version', () => {
    expect(decodeCarp(hex(CARP), 0, 7)).toBeNull();
    expect(decode(hex('3107640700010000'))).toBeNull();
  });
});



describe('decodeCarp and looksLikeCarp never throw', () => {
  [CARP, VRRP2_FRAME1, VRRP2_FIVE].forEach((h, i) => {
    it(`sample ${i}: every prefix and 2000 mutations`, () => {
      expect(() => robust(hex(h), (b, o, e) => { looksLikeCarp(b, o, e); decodeCarp(b, o, e); }, 7000 + i, MUTATION)).not.toThrow();
    });
  });
  it('bad arguments', () => {
    expect(decodeCarp(hex(CARP), -1, 10)).toBeNull();
    expect(decodeCarp(hex(CARP), 0, 37)).toBeNull();
    expect(looksLikeCarp(hex(CARP), -1, 35)).toBe(false);
  });
});
