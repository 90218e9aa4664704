// Shared shapes of decoder results.
//
// Every decoder is a pure function over a byte view: decodeX(bytes, offset, end) where bytes[offset..end)
// is the protocol's data (end is exclusive and never beyond bytes.length). It never throws. It returns a
// typed result; a malformed or truncated input gives a result with `problem` set (and whatever fields
// could be read), or null when not even the fixed header is there.

/** Something wrong with a packet, in the words tshark/tcpdump would use where they have them. */
export interface Problem {
  /** Layer that saw it, e.g. "vrrp", "ip". */
  layer: string;
  /** Plain-English sentence: "VRRP advertisement truncated: 12 of 20 bytes". */
  message: string;
}

/** An ICMP or ICMPv6 echo (ping) whose identifier and sequence number were captured. A truncated echo has
 *  none: its decoder gives `echo: null` and a problem, so no one matches a ping on a missing identifier. */
export interface Echo {
  request: boolean;
  id: number;
  seq: number;
}
