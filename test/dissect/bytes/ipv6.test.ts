// IPv6 from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeIPv6 } from '../../../src/dissect/ipv6.js';
import { decodeAt } from './hex.js';

// Unsolicited neighbour advertisement to all nodes; IPv6 at byte 14.
// tshark -T fields -e ipv6.src -e ipv6.dst -e ipv6.nxt -e ipv6.hlim -e ipv6.plen:  fe80::ff:fe00:b|ff02::1|58|255|32
// tcpdump -nnvv: (hlim 255, next-header ICMPv6 (58) payload length: 32) fe80::ff:fe00:b > ff02::1: ...
const NA = '33330000000102000a00000b86dd6000000000203afffe80000000000000000000fffe00000bff02000000000000000000000000000188001e502000000020010db8000000000000000000000100020102000a00000b';

// VRRPv3 over IPv6. tshark -T fields -e ipv6.src -e ipv6.dst -e ipv6.hlim:  fe80::ff:fe00:b|ff02::12|255
// tcpdump -nnvv: (hlim 255, next-header VRRP (112) payload length: 40)
const VRRP6 = '33330000001200005e00023d86dd60000000002870fffe80000000000000000000fffe00000bff020000000000000000000000000012313d960200640de8fe80000000000000000000000000000120010db8000000000000000000000100';

describe('IPv6 from bytes', () => {
  it('addresses (compressed as tshark writes them), next header, hop limit, payload length', () => {
    const ip = decodeAt(decodeIPv6, NA, 14);
    expect([ip.src, ip.dst, ip.next, ip.hopLimit, ip.payloadLength]).toEqual(['fe80::ff:fe00:b', 'ff02::1', 58, 255, 32]);
    expect([ip.isMulticast, ip.srcIsLinkLocal]).toEqual([true, true]);
    expect(ip.payloadEnd).toBe(14 + 40 + 32);
  });

  it('next header 112 (VRRP)', () => {
    const ip = decodeAt(decodeIPv6, VRRP6, 14);
    expect([ip.src, ip.dst, ip.next, ip.hopLimit, ip.payloadLength]).toEqual(['fe80::ff:fe00:b', 'ff02::12', 112, 255, 40]);
  });
});
