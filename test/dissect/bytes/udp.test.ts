// UDP from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeUdp } from '../../../src/dissect/udp.js';
import { hex } from './hex.js';

// Ethernet / IPv4 / UDP 41234 → 53 with a 10-byte payload; UDP at byte 34.
// tshark -T fields -e udp.srcport -e udp.dstport -e udp.length:  41234|53|18
// tcpdump -nnvv: 10.1.0.11.41234 > 10.1.0.21.53: [udp sum ok] ...
const UDP = '02000a01001502000a01000b080045000026beef4000401167b60a01000b0a010015a11200350012778b68656c6c6f2c20646e73';

describe('UDP from bytes', () => {
  it('ports, length, payload', () => {
    const b = hex(UDP);
    const u = decodeUdp(b, 34, b.length)!;
    expect([u.srcPort, u.dstPort, u.length]).toEqual([41234, 53, 18]);
    expect(Buffer.from(b.subarray(u.payloadAt, u.payloadEnd)).toString('latin1')).toBe('hello, dns');
    expect(u.problem).toBe(null);
  });
});
