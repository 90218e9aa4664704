// VRRP adverts from literal bytes, one per checksum variant (see README.md). Decoded through
// decodePacket, which gives the VRRP decoder the IP addresses its pseudo-header checksums need.

import { describe, expect, it } from 'vitest';
import { packet } from './hex.js';

// v2 with a simple-text password, two addresses.
// tshark -T fields -e ip.src -e ip.dst -e ip.ttl -e vrrp.version -e vrrp.type -e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.addr_count
//                  -e vrrp.auth_type -e vrrp.adver_int -e vrrp.checksum.status -e vrrp.ip_addr -e vrrp.auth_string (occurrence=a):
//   10.0.0.11|224.0.0.18|255|2|1|51|150|2|1|1|1|10.0.0.100,10.0.0.101|vs-one
// tcpdump -nnvv: 10.0.0.11 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 150, authtype simple, intvl 1s, length 24, addrs(2): 10.0.0.100,10.0.0.101 auth "vs-one"
const V2 = '01005e00001200005e00013308004500002c00000000ff70d1440a00000be000001221339602010120b80a0000640a00006576732d6f6e650000';

// v3 over IPv4, checksum over the IPv4 pseudo-header (keepalived's default).
// tshark -T fields -e ip.src -e ip.dst -e vrrp.version -e vrrp.type -e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.addr_count
//                  -e vrrp.short_adver_int -e vrrp.checksum -e vrrp.checksum.status -e vrrp.ip_addr:
//   10.0.0.12|224.0.0.18|3|1|51|100|1|100|0x7568|1|10.0.0.100
// tcpdump -nnvv: VRRPv3, Advertisement, vrid 51, prio 100, intvl 100cs, length 12, addrs: 10.0.0.100
const V3_PSEUDO = '01005e00001200005e00013308004500002000000000ff70d14f0a00000ce000001231336401006475680a000064';

// v3 over IPv4, checksum computed as in v2, without pseudo-header (RFC 9568, keepalived v3_checksum_as_v2).
// tshark -T fields -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.addr_count -e vrrp.short_adver_int -e vrrp.checksum -e vrrp.checksum.status -e vrrp.ip_addr:
//   3|51|100|1|50|0x6035|0|10.0.0.100                      (default preferences: a bad checksum)
// tshark -o vrrp.v3_checksum_as_in_v2:TRUE -T fields -e vrrp.checksum -e vrrp.checksum.status:  0x6035|1
// tcpdump -nnvv: VRRPv3, Advertisement, vrid 51, prio 100, intvl 50cs, length 12, (bad vrrp cksum 6035), addrs: 10.0.0.100
const V3_AS_V2 = '01005e00001200005e00013308004500002000000000ff70d14f0a00000ce000001231336401003260350a000064';

// v3 unicast 10.0.0.11 → 10.0.0.12, checksum over a pseudo-header naming 224.0.0.18 (keepalived <= 1.3.6).
// tshark -T fields -e ip.src -e ip.dst -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.addr_count -e vrrp.short_adver_int -e vrrp.checksum -e vrrp.checksum.status -e vrrp.ip_addr:
//   10.0.0.11|10.0.0.12|3|51|200|1|100|0x1169|0|10.0.0.100
// The same frame with ip.dst rewritten to 224.0.0.18 (IP checksum fixed): tshark -e ip.dst -e vrrp.checksum -e vrrp.checksum.status:
//   224.0.0.18|0x1169|1
// tcpdump -nnvv: 10.0.0.11 > 10.0.0.12: VRRPv3, Advertisement, vrid 51, prio 200, intvl 100cs, length 12, (bad vrrp cksum 1169), addrs: 10.0.0.100
const V3_OLD_UNICAST = '02000a00000c02000a00000b08004500002000000000ff70a7570a00000b0a00000c3133c801006411690a000064';

// v3 over IPv6, two addresses.
// tshark -T fields -e ipv6.src -e ipv6.dst -e ipv6.hlim -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.addr_count
//                  -e vrrp.short_adver_int -e vrrp.checksum.status -e vrrp.ipv6_addr (occurrence=a):
//   fe80::ff:fe00:b|ff02::12|255|3|61|150|2|100|1|fe80::1,2001:db8::100
// tcpdump -nnvv: VRRPv3, Advertisement, vrid 61, prio 150, intvl 100cs, length 40, addrs(2): fe80::1,2001:db8::100
const V3_IPV6 = '33330000001200005e00023d86dd60000000002870fffe80000000000000000000fffe00000bff020000000000000000000000000012313d960200640de8fe80000000000000000000000000000120010db8000000000000000000000100';

describe('VRRP from bytes, each checksum variant', () => {
  it('v2: fields, auth string, checksum good as v2', () => {
    const v = packet(V2).vrrp!;
    expect([v.version, v.type, v.vrid, v.priority, v.count, v.authType, v.intervalMs]).toEqual([2, 1, 51, 150, 2, 1, 1000]);
    expect(v.addresses).toEqual(['10.0.0.100', '10.0.0.101']);
    expect(v.authString).toBe('vs-one');
    expect([v.checksumOk, v.checksumVariant]).toEqual([true, 'v2']);
    expect(v.problems).toEqual([]);
  });

  it('v3-pseudo-header: good with the IPv4 pseudo-header, as tshark computes it', () => {
    const v = packet(V3_PSEUDO).vrrp!;
    expect([v.version, v.type, v.vrid, v.priority, v.count, v.authType, v.intervalMs, v.checksum]).toEqual([3, 1, 51, 100, 1, null, 1000, 0x7568]);
    expect(v.addresses).toEqual(['10.0.0.100']);
    expect([v.checksumOk, v.checksumVariant]).toEqual([true, 'v3-pseudo-header']);
    expect(v.problems).toEqual([]);
  });

  it('v3-as-v2: bad for tshark\'s default, good as in v2: recognised as such, not as broken', () => {
    const v = packet(V3_AS_V2).vrrp!;
    expect([v.version, v.vrid, v.priority, v.count, v.intervalMs, v.checksum]).toEqual([3, 51, 100, 1, 500, 0x6035]);
    expect([v.checksumOk, v.checksumVariant]).toEqual([true, 'v3-as-v2']);
    expect(v.problems).toEqual([]);
  });

  it('v3-old-unicast: good only with 224.0.0.18 in the pseudo-header', () => {
    const p = packet(V3_OLD_UNICAST);
    expect([p.ip!.src, p.ip!.dst]).toEqual(['10.0.0.11', '10.0.0.12']);
    const v = p.vrrp!;
    expect([v.version, v.vrid, v.priority, v.count, v.intervalMs, v.checksum]).toEqual([3, 51, 200, 1, 1000, 0x1169]);
    expect([v.checksumOk, v.checksumVariant]).toEqual([true, 'v3-old-unicast']);
  });

  it('v3-ipv6: good with the IPv6 pseudo-header; IPv6 addresses', () => {
    const v = packet(V3_IPV6).vrrp!;
    expect([v.version, v.vrid, v.priority, v.count, v.intervalMs]).toEqual([3, 61, 150, 2, 1000]);
    expect(v.addresses).toEqual(['fe80::1', '2001:db8::100']);
    expect([v.checksumOk, v.checksumVariant]).toEqual([true, 'v3-ipv6']);
    expect(v.problems).toEqual([]);
  });

  it('one bit flipped in the advert: no variant matches, the checksum is bad (tshark: checksum.status 0)', () => {
    const v = packet(V3_PSEUDO.slice(0, -2) + '65').vrrp!; // 10.0.0.101 instead of 10.0.0.100
    expect([v.checksumOk, v.checksumVariant]).toEqual([false, null]);
    expect(v.problems).toEqual(['bad checksum 0x7568']);
  });
});
