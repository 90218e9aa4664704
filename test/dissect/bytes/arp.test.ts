// ARP from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeArp } from '../../../src/dissect/arp.js';
import { decodeAt } from './hex.js';

// keepalived's gratuitous ARP (request, sender = target = the VIP), in VLAN 10; ARP starts at byte 18.
// tshark -T fields -e arp.opcode -e arp.src.hw_mac -e arp.src.proto_ipv4 -e arp.dst.hw_mac -e arp.dst.proto_ipv4 -e arp.isgratuitous:
//   1|02:00:0a:00:00:0b|10.0.0.100|ff:ff:ff:ff:ff:ff|10.0.0.100|1
// tshark: "Gratuitous ARP for 10.0.0.100 (Request)"
const GARP = 'ffffffffffff02000a00000b8100000a0806000108000604000102000a00000b0a000064ffffffffffff0a000064';

// A reply; ARP starts at byte 14, then 18 bytes of Ethernet padding.
// tshark -T fields -e arp.opcode -e arp.src.hw_mac -e arp.src.proto_ipv4 -e arp.dst.hw_mac -e arp.dst.proto_ipv4:
//   2|02:00:0a:00:00:0c|10.0.0.100|02:00:0a:00:00:32|10.0.0.50
// tcpdump -nnvv -e: ... Reply 10.0.0.100 is-at 02:00:0a:00:00:0c, length 46
const REPLY = '02000a00003202000a00000c0806000108000604000202000a00000c0a00006402000a0000320a000032000000000000000000000000000000000000';

describe('ARP from bytes', () => {
  it('a gratuitous request', () => {
    const a = decodeAt(decodeArp, GARP, 18);
    expect([a.op, a.senderMac, a.senderIp, a.targetMac, a.targetIp]).toEqual([1, '02:00:0a:00:00:0b', '10.0.0.100', 'ff:ff:ff:ff:ff:ff', '10.0.0.100']);
    expect(a.isGratuitous).toBe(true);
    expect([a.hwType, a.protoType, a.hwLen, a.protoLen]).toEqual([1, 0x0800, 6, 4]);
  });

  it('a reply, padding ignored', () => {
    const a = decodeAt(decodeArp, REPLY, 14);
    expect([a.op, a.senderMac, a.senderIp, a.targetMac, a.targetIp]).toEqual([2, '02:00:0a:00:00:0c', '10.0.0.100', '02:00:0a:00:00:32', '10.0.0.50']);
    expect(a.isGratuitous).toBe(false);
  });
});
