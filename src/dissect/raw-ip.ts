// Raw IP link types: no link header, the IP packet starts the frame (Wireshark's "raw" dissector).
// LINKTYPE_RAW (101, and the BSD numbers 12 and 14) carries either version, told by its first nibble;
// LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) say which.

import { EtherType } from './ethernet.js';
import { dissectNetwork, registerLinkType } from './registry.js';

registerLinkType([12, 14, 101, 228, 229], 'raw', {
  dissect(pkt, b, at, end, linkType, streams) {
    const v = end > at ? b[at] >> 4 : 0;
    const type = linkType === 228 || v === 4 ? EtherType.IPV4 : linkType === 229 || v === 6 ? EtherType.IPV6 : -1;
    dissectNetwork(pkt, type, b, at, end, 0, streams);
  },
});
