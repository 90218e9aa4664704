// Linux cooked headers (tcpdump -i any), v1 (link type 113) and v2 (276), from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeSll, decodeSll2 } from '../../../src/dissect/sll.js';
import { decodeAt } from './hex.js';

// SLL v1, outgoing (packet type 4), carrying IPv4/UDP.
// tshark -T fields -e sll.pkttype -e sll.hatype -e sll.halen -e sll.src.eth -e sll.etype -e ip.src -e ip.dst -e udp.srcport -e udp.dstport:
//   4|1|6|02:00:0a:01:00:15|0x0800|10.1.0.21|10.1.0.11|53|41234
// tcpdump -nnvv -e: Out 02:00:0a:01:00:15 ethertype IPv4 (0x0800), length 50: ...
const SLL1 = '00040001000602000a0100150000080045000022555540004011d1540a0100150a01000b0035a112000e1011616e73776572';

// SLL v2, incoming (packet type 0) on interface index 3, same IPv4/UDP datagram.
// tshark -T fields -e sll.pkttype -e sll.hatype -e sll.halen -e sll.src.eth -e sll.etype -e sll.ifindex -e ip.src -e udp.srcport:
//   0|1|6|02:00:0a:01:00:15|0x0800|3|10.1.0.21|53
// tcpdump -nnvv -e: ifb1  In  ifindex 3 02:00:0a:01:00:15 ethertype IPv4 (0x0800), length 54: ...
const SLL2 = '08000000000000030001000602000a010015000045000022555540004011d1540a0100150a01000b0035a112000e1011616e73776572';

describe('Linux cooked headers from bytes', () => {
  it('v1: packet type, hardware type, source address, protocol; IPv4 at byte 16', () => {
    const c = decodeAt(decodeSll, SLL1, 0);
    expect([c.version, c.packetType, c.hatype, c.addrLen, c.src, c.protocol, c.payloadAt]).toEqual([1, 4, 1, 6, '02:00:0a:01:00:15', 0x0800, 16]);
    expect(c.ifindex).toBe(null);
  });

  it('v2: the same, and the interface index; IPv4 at byte 20', () => {
    const c = decodeAt(decodeSll2, SLL2, 0);
    expect([c.version, c.packetType, c.hatype, c.addrLen, c.src, c.protocol, c.ifindex, c.payloadAt]).toEqual([2, 0, 1, 6, '02:00:0a:01:00:15', 0x0800, 3, 20]);
  });
});
