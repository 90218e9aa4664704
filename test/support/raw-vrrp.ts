// The VRIDs a capture carries, found without vrrpscope's reader or decoders: a few lines of pcap and
// pcapng framing and of Ethernet / Linux cooked / raw IP headers, down to IP protocol 112 (VRRP, whose
// second byte is the VRID). Tests that judge our VRRP output use this to know what the capture holds,
// so that a decoder that finds nothing cannot make them pass by having nothing to compare.
// Deliberately small: no IPv6 extension headers, no CARP (also protocol 112; none in the labs).

import { readFileSync } from 'node:fs';

interface RawFrame { linkType: number; data: Buffer }

/** Every frame of a pcap or pcapng file with its link type (both byte orders). */
export function rawFrames(path: string): RawFrame[] {
  const b = readFileSync(path);
  const out: RawFrame[] = [];
  const magic = b.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) {
    let le = true;
    const links: number[] = [];
    for (let p = 0; p + 12 <= b.length;) {
      const type = le ? b.readUInt32LE(p) : b.readUInt32BE(p);
      if (type === 0x0a0d0d0a) { le = b.readUInt32LE(p + 8) === 0x1a2b3c4d; links.length = 0; }
      const len = le ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
      if (len < 12 || p + len > b.length) break;
      const u32 = (o: number) => (le ? b.readUInt32LE(p + o) : b.readUInt32BE(p + o));
      const u16 = (o: number) => (le ? b.readUInt16LE(p + o) : b.readUInt16BE(p + o));
      if (type === 1) links.push(u16(8));
      else if (type === 6) out.push({ linkType: links[u32(8)], data: b.subarray(p + 28, p + 28 + u32(20)) });
      else if (type === 3) out.push({ linkType: links[0], data: b.subarray(p + 16, p + Math.min(len - 4, 16 + u32(8))) });
      p += len;
    }
    return out;
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && b.readUInt32BE(0) !== 0xa1b2c3d4 && b.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${path}: not a capture`);
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  for (let p = 24; p + 16 <= b.length;) {
    const caplen = u32(p + 8);
    out.push({ linkType, data: b.subarray(p + 16, p + 16 + caplen) });
    p += 16 + caplen;
  }
  return out;
}

/** The IP packet inside a frame, or null. */
function ipPayload({ linkType, data: d }: RawFrame): Buffer | null {
  let off: number, type: number;
  if (linkType === 1) { off = 14; type = d.readUInt16BE(12); while ((type === 0x8100 || type === 0x88a8) && d.length >= off + 4) { type = d.readUInt16BE(off + 2); off += 4; } }
  else if (linkType === 113) { off = 16; type = d.readUInt16BE(14); }
  else if (linkType === 276) { off = 20; type = d.readUInt16BE(0); }
  else if (linkType === 101 || linkType === 12) { off = 0; type = d[0] >> 4 === 6 ? 0x86dd : 0x0800; }
  else return null;
  return type === 0x0800 || type === 0x86dd ? d.subarray(off) : null;
}

/** VRRP VRIDs seen in the capture (adverts of version 2 or 3, over IPv4 or IPv6). */
export function rawVrids(path: string): Set<number> {
  const vrids = new Set<number>();
  for (const f of rawFrames(path)) {
    if (f.data.length < 14) continue;
    const ip = ipPayload(f);
    if (!ip || ip.length < 20) continue;
    let vrrp: Buffer;
    if (ip[0] >> 4 === 4 && ip[9] === 112) vrrp = ip.subarray((ip[0] & 15) * 4);
    else if (ip[0] >> 4 === 6 && ip.length >= 48 && ip[6] === 112) vrrp = ip.subarray(40);
    else continue;
    if (vrrp.length >= 8 && (vrrp[0] === 0x21 || vrrp[0] === 0x31)) vrids.add(vrrp[1]);
  }
  return vrids;
}
