// ICMP from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeIcmp } from '../../../src/dissect/icmp.js';
import { decodeAt, packet } from './hex.js';

// Echo request (keepalived's PING_CHECK sends these); ICMP at byte 34.
// tshark -T fields -e ip.proto -e icmp.type -e icmp.code -e icmp.ident -e icmp.seq:  1|8|0|1234|7
// tcpdump -nnvv: 10.1.0.11 > 10.1.0.21: ICMP echo request, id 1234, seq 7, length 24
const ECHO = '02000a01001502000a01000b08004500002c222200004001448e0a01000b0a0100150800c25004d200077672727073636f70652d70696e672121';

// Port unreachable quoting the UDP datagram 10.1.0.11:40000 → 10.1.0.21:1812 (the inner header at byte 42).
// tshark -T fields -e ip.dst -e icmp.type -e icmp.code -e ip.src -e udp.srcport -e udp.dstport (occurrence=a):
//   10.1.0.11,10.1.0.21|3|3|10.1.0.21,10.1.0.11|40000|1812
// tcpdump -nnvv: 10.1.0.21 > 10.1.0.11: ICMP 10.1.0.21 udp port 1812 unreachable, length 41
//   (... proto UDP (17), length 33) 10.1.0.11.40000 > 10.1.0.21.1812
const UNREACH = '02000a01000b02000a01001508004500003d444400004001225b0a0100150a01000b0303113d000000004500002133330000401133780a01000b0a0100159c400714000d038970726f6265';

describe('ICMP from bytes', () => {
  it('an echo request: type, code, identifier, sequence number', () => {
    const i = decodeAt(decodeIcmp, ECHO, 34);
    expect([i.type, i.code, i.echo, i.quotedAt]).toEqual([8, 0, { request: true, id: 1234, seq: 7 }, null]);
  });

  it('a port unreachable: the quoted datagram\'s addresses and ports', () => {
    const i = decodeAt(decodeIcmp, UNREACH, 34);
    expect([i.type, i.code, i.echo, i.quotedAt]).toEqual([3, 3, null, 42]);
    const q = packet(UNREACH).quoted!;
    expect([q.ip!.src, q.ip!.dst, q.udp!.srcPort, q.udp!.dstPort]).toEqual(['10.1.0.11', '10.1.0.21', 40000, 1812]);
  });
});
