// IPv4 from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeIPv4 } from '../../../src/dissect/ipv4.js';
import { decodeAt } from './hex.js';

// Ethernet / IPv4 (DF, id 0xbeef) / UDP 41234 → 53; IPv4 at byte 14.
// tshark -T fields -e ip.hdr_len -e ip.len -e ip.id -e ip.flags.df -e ip.flags.mf -e ip.frag_offset -e ip.ttl -e ip.proto -e ip.src -e ip.dst:
//   20|38|0xbeef|1|0|0|64|17|10.1.0.11|10.1.0.21
// tcpdump -nnvv: (tos 0x0, ttl 64, id 48879, offset 0, flags [DF], proto UDP (17), length 38)
const UDP = '02000a01001502000a01000b080045000026beef4000401167b60a01000b0a010015a11200350012778b68656c6c6f2c20646e73';

// IGMPv2 report with the Router Alert option: a 24-byte header.
// tshark -T fields -e ip.hdr_len -e ip.ttl -e ip.proto -e ip.dst:  24|1|2|224.0.0.18
// tcpdump -nnvv: (tos 0x0, ttl 1, id 0, offset 0, flags [DF], proto IGMP (2), length 32, options (RA))
const IGMP_RA = '01005e00001202000a00000b080046000020000040000102faba0a00000be000001294040000160009ede0000012';

describe('IPv4 from bytes', () => {
  it('addresses, protocol, TTL, id, flags and lengths', () => {
    const ip = decodeAt(decodeIPv4, UDP, 14);
    expect([ip.src, ip.dst, ip.proto, ip.ttl, ip.id]).toEqual(['10.1.0.11', '10.1.0.21', 17, 64, 0xbeef]);
    expect([ip.headerLength, ip.totalLength, ip.dontFragment, ip.moreFragments, ip.fragmentOffset]).toEqual([20, 38, true, false, 0]);
    expect([ip.payloadAt, ip.payloadEnd]).toEqual([14 + 20, 14 + 38]);
    expect(ip.isMulticast).toBe(false);
    expect(ip.problem).toBe(null);
  });

  it('a header with options: the payload starts after them', () => {
    const ip = decodeAt(decodeIPv4, IGMP_RA, 14);
    expect([ip.headerLength, ip.ttl, ip.proto, ip.dst, ip.payloadAt]).toEqual([24, 1, 2, '224.0.0.18', 14 + 24]);
    expect(ip.isMulticast).toBe(true);
  });
});
