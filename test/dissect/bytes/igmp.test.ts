// IGMP from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeIgmp } from '../../../src/dissect/igmp.js';
import { decodeAt } from './hex.js';

// IGMPv2 membership report for 224.0.0.18 (keepalived joining the VRRP group), after a 24-byte IPv4 header.
// tshark -T fields -e igmp.version -e igmp.type -e igmp.maddr:  2|0x16|224.0.0.18
// tshark: "Membership Report group 224.0.0.18"; tcpdump -nnvv: 10.0.0.11 > 224.0.0.18: igmp v2 report 224.0.0.18
const REPORT = '01005e00001202000a00000b080046000020000040000102faba0a00000be000001294040000160009ede0000012';

describe('IGMP from bytes', () => {
  it('a v2 membership report: type and group', () => {
    const g = decodeAt(decodeIgmp, REPORT, 38);
    expect([g.type, g.group]).toEqual([0x16, '224.0.0.18']);
    expect(g.typeName).toMatch(/report/i);
  });
});
