// ICMPv6 neighbour advertisements from literal bytes (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeIcmpv6 } from '../../../src/dissect/icmpv6.js';
import { decodeAt } from './hex.js';

// Unsolicited NA (override set, router and solicited clear) for 2001:db8::100 with the target
// link-layer address option; ICMPv6 at byte 54.
// tshark -T fields -e icmpv6.type -e icmpv6.code -e icmpv6.nd.na.flag.r -e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o
//                  -e icmpv6.nd.na.target_address -e icmpv6.opt.linkaddr:
//   136|0|0|0|1|2001:db8::100|02:00:0a:00:00:0b
// tshark: "Neighbor Advertisement 2001:db8::100 (ovr) is at 02:00:0a:00:00:0b"
const NA = '33330000000102000a00000b86dd6000000000203afffe80000000000000000000fffe00000bff02000000000000000000000000000188001e502000000020010db8000000000000000000000100020102000a00000b';

describe('ICMPv6 from bytes', () => {
  it('a neighbour advertisement: flags, target, link-layer address', () => {
    const n = decodeAt(decodeIcmpv6, NA, 54);
    expect([n.type, n.code, n.router, n.solicited, n.override]).toEqual([136, 0, false, false, true]);
    expect([n.target, n.linkAddr]).toEqual(['2001:db8::100', '02:00:0a:00:00:0b']);
  });
});
