// BSD loopback (LINKTYPE_NULL 0, LINKTYPE_LOOP 108): a 4-byte address family before the IP packet, in
// the capturing host's byte order for NULL and in network order for LOOP (Wireshark's "null" dissector).

import { u32, u32le } from './bytes.js';
import { EtherType } from './ethernet.js';
import { dissectNetwork, registerLinkType } from './registry.js';

/** The EtherType of a loopback address family: AF_INET is 2 everywhere, AF_INET6 is 10, 24, 28 or 30 by OS. */
export function loopbackEtherType(family: number): number {
  return family === 2 ? EtherType.IPV4 : family === 10 || family === 24 || family === 28 || family === 30 ? EtherType.IPV6 : -1;
}

registerLinkType([0, 108], 'null', {
  dissect(pkt, b, at, end, linkType, streams) {
    if (end - at < 4) { pkt.addProblem({ layer: 'null', message: 'frame too short for a loopback header' }); return; }
    let family = linkType === 108 ? u32(b, at) : u32le(b, at);
    if (family > 0xffff) family = u32(b, at); // NULL written on a host of the other byte order
    dissectNetwork(pkt, loopbackEtherType(family), b, at + 4, end, 0, streams);
  },
});
