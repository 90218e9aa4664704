import { describe, it, expect } from 'vitest';
import { decodeDns, readDnsName, dnsTypeName } from '../../src/dissect/dns.js';
import { robust } from '../support/mutate.js';

/** The bytes that matter to this decoder, written at random places by the mutations. */
const MUTATION = { special: [0x00, 0xff, 0xc0, 0xc0, 0x0c, 0x3f, 0x40, 0x80], maxEdits: 8 };

// UDP payloads; expected values from tshark 4.0.17 (dns.id, dns.flags, dns.flags.response,
// dns.flags.opcode, dns.flags.rcode, dns.count.*, dns.qry.name, dns.qry.type, dns.qry.class).
// zeek/smtp.pcap frame 1: A query for mail.patriots.in
const ZEEK_QUERY = '795601000001000000000000046d61696c0870617472696f747302696e0000010001';
// zeek/smtp.pcap frame 2: its response, CNAME + A + 2 NS, names compressed
const ZEEK_RESPONSE =
  '795681800001000200020000046d61696c0870617472696f747302696e0000010001c00c0005000100002a4b0002c011' +
  'c0110001000100002a4c00044a358c99c011000200010001438c0006036e7332c011c011000200010001438c0006036e' +
  '7331c011';
// lab/healthcheck-mix/healthcheck-mix.pcapng frame 2016: PTR query from rs1 for 21.0.1.10.in-addr.arpa
const LAB_PTR = 'daa4010000010000000000000232310130013102313007696e2d61646472046172706100000c0001';
// keepalived DNS_CHECK with its defaults (check_dns.c dns_make_query: random id, RD, one question,
// name "" = root, type SOA, class IN), built byte by byte; tshark reads it as
// "Standard query 0x2a5c SOA <Root>" (checked by wrapping it in a pcap with text2pcap).
const KEEPALIVED_SOA_ROOT = '2a5c01000001000000000000' + '00' + '00060001'; // header, root name, SOA, IN
// Question name that is a pointer to itself; tshark: "<Name contains a pointer that loops>", type A, class IN.
const SELF_POINTER = '000181800001000000000000c00c00010001';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const decode = (b: Uint8Array) => decodeDns(b, 0, b.length);

describe('decodeDns on real messages (values from tshark)', () => {
  it('zeek/smtp.pcap frame 1: query', () => {
    expect(decode(hex(ZEEK_QUERY))).toEqual({
      id: 0x7956, flags: 0x0100, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false,
      rcode: 0, rcodeName: 'NoError', qdcount: 1, ancount: 0, nscount: 0, arcount: 0,
      question: { name: 'mail.patriots.in', type: 1, typeName: 'A', class: 1 },
    });
  });

  it('zeek/smtp.pcap frame 2: response with compressed answer names', () => {
    const b = hex(ZEEK_RESPONSE);
    const m = decode(b)!;
    expect(m).toMatchObject({ id: 0x7956, flags: 0x8180, qr: true, rd: true, ra: true, rcode: 0, qdcount: 1, ancount: 2, nscount: 2, arcount: 0 });
    expect(m.question).toEqual({ name: 'mail.patriots.in', type: 1, typeName: 'A', class: 1 });
    // First answer's owner name is the pointer c00c; the CNAME data is c011 (tshark dns.resp.name, dns.cname).
    expect(readDnsName(b, 0, b.length, 34)).toEqual({ name: 'mail.patriots.in', next: 36 });
    expect(readDnsName(b, 0, b.length, 46).name).toBe('patriots.in');
  });

  it('healthcheck-mix frame 2016: PTR query', () => {
    expect(decode(hex(LAB_PTR))).toMatchObject({
      id: 0xdaa4, qr: false, rd: true, question: { name: '21.0.1.10.in-addr.arpa', type: 12, typeName: 'PTR', class: 1 },
    });
  });

  it("keepalived DNS_CHECK default: SOA for the root", () => {
    const b = hex(KEEPALIVED_SOA_ROOT);
    expect(b.length).toBe(17);
    expect(decode(b)).toMatchObject({
      id: 0x2a5c, qr: false, rd: true, qdcount: 1, question: { name: '<Root>', type: 6, typeName: 'SOA', class: 1 },
    });
    expect(decode(b)!.problem).toBeUndefined();
  });
});

describe('decodeDns on hostile names', () => {
  it('a pointer to itself is reported, type and class are still read', () => {
    const m = decode(hex(SELF_POINTER))!;
    expect(m.problem?.message).toMatch(/does not point backwards/);
    expect(m.question).toEqual({ name: '', type: 1, typeName: 'A', class: 1 });
  });

  it('a long chain of backward pointers stops after 32', () => {
    // offset 12: root label; then 40 pointers, each to the previous one; the question starts at the last.
    const b = new Uint8Array(12 + 2 + 80 + 4);
    b[5] = 1; // qdcount
    let at = 14;
    let prev = 12;
    for (let i = 0; i < 40; i++, at += 2) { b[at] = 0xc0; b[at + 1] = prev; prev = at; }
    const r = readDnsName(b, 0, b.length, prev);
    expect(r.error).toBe('too many compression pointers');
    const short = readDnsName(b, 0, b.length, 14 + 2 * 9); // 10 pointers then the root
    expect(short).toEqual({ name: '<Root>', next: 14 + 2 * 9 + 2 });
  });

  it('forward pointers, reserved label types, overlong names and truncation', () => {
    expect(decode(hex('000101000001000000000000c0200001'))!.problem?.message).toMatch(/does not point backwards/);
    expect(decode(hex('00010100000100000000000080'))!.problem?.message).toMatch(/unsupported label type 0x80/);
    let long = '';
    for (let i = 0; i < 5; i++) long += '3f' + '61'.repeat(63);
    expect(decode(hex('000101000001000000000000' + long + '00' + '00010001'))!.problem?.message).toMatch(/longer than 255/);
    expect(decode(hex('000101000001000000000000036162'))!.problem?.message).toMatch(/runs past the end/);
    expect(decode(hex('00010100000100000000000003616263000001'))!.problem?.message).toMatch(/type and class missing/);
  });

  it('escapes dots and non-printables inside labels', () => {
    expect(decode(hex('000101000001000000000000' + '03612e62' + '02' + '0a41' + '00' + '00100001'))!.question).toEqual({
      name: 'a\\.b.\\010A', type: 16, typeName: 'TXT', class: 1,
    });
  });

  it('null under 12 bytes; no question when qdcount is 0; respects offset', () => {
    expect(decode(hex('7956010000010000000000'))).toBeNull();
    expect(decode(hex('795601000000000000000000'))!.question).toBeUndefined();
    const inner = hex(ZEEK_RESPONSE);
    const big = new Uint8Array(inner.length + 30).fill(0xc0);
    big.set(inner, 20);
    expect(decodeDns(big, 20, 20 + inner.length)).toEqual(decode(inner));
  });

  it('type and rcode names', () => {
    const types: Array<[number, string]> = [[1, 'A'], [28, 'AAAA'], [6, 'SOA'], [2, 'NS'], [12, 'PTR'], [5, 'CNAME'], [15, 'MX'], [16, 'TXT']];
    for (const [t, name] of types) expect(dnsTypeName(t)).toBe(name);
    expect(dnsTypeName(4242)).toBe('TYPE4242');
    expect(decode(hex('000181830000000000000000'))!.rcodeName).toBe('NXDomain');
  });
});



describe('decodeDns never throws', () => {
  [ZEEK_QUERY, ZEEK_RESPONSE, LAB_PTR, KEEPALIVED_SOA_ROOT, SELF_POINTER].forEach((h, i) => {
    it(`sample ${i}: every prefix and 2000 mutations`, () => {
      expect(() => robust(hex(h), (b, o, e) => {
        decodeDns(b, o, e);
        for (let p = o; p < e; p += 7) readDnsName(b, o, e, p); // names anywhere, as an answer walker would
      }, 4000 + i, MUTATION)).not.toThrow();
    });
  });
  it('bad arguments', () => {
    expect(decodeDns(hex(ZEEK_QUERY), -1, 20)).toBeNull();
    expect(decodeDns(hex(ZEEK_QUERY), 0, 999)).toBeNull();
  });
});
