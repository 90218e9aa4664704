// Ethernet II, with and without an 802.1Q tag, from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeEthernet } from '../../../src/dissect/ethernet.js';
import { decodeAt } from './hex.js';

// Gratuitous ARP request in VLAN 10.
// tshark -T fields -e eth.dst -e eth.src -e eth.type -e vlan.id -e vlan.etype:
//   ff:ff:ff:ff:ff:ff|02:00:0a:00:00:0b|0x8100|10|0x0806
// tcpdump -nnvv -e: 02:00:0a:00:00:0b > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), ...
const VLAN_ARP = 'ffffffffffff02000a00000b8100000a0806000108000604000102000a00000b0a000064ffffffffffff0a000064';

// ARP reply, padded to 60 bytes.
// tshark -T fields -e eth.dst -e eth.src -e eth.type:  02:00:0a:00:00:32|02:00:0a:00:00:0c|0x0806
const ARP_REPLY = '02000a00003202000a00000c0806000108000604000202000a00000c0a00006402000a0000320a000032000000000000000000000000000000000000';

// The same ARP in VLAN 20 with priority 5 (TCI 0xa014): the VLAN is the id alone.
// tshark -T fields -e vlan.priority -e vlan.id -e vlan.etype:  5|20|0x0806
// tcpdump -nnvv -e: ... ethertype 802.1Q (0x8100), length 46: vlan 20, p 5, ethertype ARP (0x0806), ...
const VLAN_PCP = 'ffffffffffff02000a00000b8100a0140806000108000604000102000a00000b0a000064ffffffffffff0a000064';

describe('Ethernet from bytes', () => {
  it('an 802.1Q-tagged frame: addresses, the outer EtherType, the VLAN and the inner EtherType', () => {
    const e = decodeAt(decodeEthernet, VLAN_ARP, 0);
    expect([e.dst, e.src, e.type]).toEqual(['ff:ff:ff:ff:ff:ff', '02:00:0a:00:00:0b', 0x8100]);
    expect(e.vlans).toEqual([10]);
    expect(e.innerType).toBe(0x0806);
    expect(e.payloadAt).toBe(18);
    expect(e.isBroadcast).toBe(true);
  });

  it('a tag with a priority: the VLAN id without the priority bits', () => {
    const e = decodeAt(decodeEthernet, VLAN_PCP, 0);
    expect([e.vlans, e.innerType, e.payloadAt]).toEqual([[20], 0x0806, 18]);
  });

  it('an untagged frame', () => {
    const e = decodeAt(decodeEthernet, ARP_REPLY, 0);
    expect([e.dst, e.src, e.type, e.innerType, e.payloadAt]).toEqual(['02:00:0a:00:00:32', '02:00:0a:00:00:0c', 0x0806, 0x0806, 14]);
    expect(e.vlans ?? []).toEqual([]);
    expect(e.isBroadcast).toBe(false);
  });
});
