// Builds small capture files byte by byte for reader tests.

export interface TestFrame { sec: number; frac: number; data: Uint8Array; origLen?: number }

export function pcapBytes(frames: TestFrame[], opts: { little?: boolean; nano?: boolean; linkType?: number; snaplen?: number } = {}): Buffer {
  const le = opts.little ?? true;
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt32LE(v >>> 0, o) : b.writeUInt32BE(v >>> 0, o));
  const w16 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  w32(h, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(h, 2, 4); w16(h, 4, 6);
  w32(h, opts.snaplen ?? 262144, 16);
  w32(h, opts.linkType ?? 1, 20);
  parts.push(h);
  for (const f of frames) {
    const r = Buffer.alloc(16);
    w32(r, f.sec, 0); w32(r, f.frac, 4); w32(r, f.data.length, 8); w32(r, f.origLen ?? f.data.length, 12);
    parts.push(r, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}

/** An Ethernet frame carrying a VRRPv2 advert with a correct checksum (keepalived-style). */
export function vrrpFrame(opts: { src?: number[]; vrid?: number; priority?: number; vips?: number[][]; ttl?: number } = {}): Uint8Array {
  const src = opts.src ?? [10, 0, 0, 11];
  const vips = opts.vips ?? [[10, 0, 0, 100]];
  const vrrpLen = 8 + 4 * vips.length + 8;
  const vrrp = Buffer.alloc(vrrpLen);
  vrrp[0] = 0x21; vrrp[1] = opts.vrid ?? 51; vrrp[2] = opts.priority ?? 150; vrrp[3] = vips.length;
  vrrp[4] = 0; vrrp[5] = 1;
  vips.forEach((v, i) => Buffer.from(v).copy(vrrp, 8 + 4 * i));
  vrrp.writeUInt16BE(checksum(vrrp), 6);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; ip.writeUInt16BE(20 + vrrpLen, 2); ip[8] = opts.ttl ?? 255; ip[9] = 112;
  Buffer.from(src).copy(ip, 12); Buffer.from([224, 0, 0, 18]).copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  const eth = Buffer.from([0x01, 0x00, 0x5e, 0x00, 0x00, 0x12, 0x02, 0x00, ...src, 0x08, 0x00]);
  return Buffer.concat([eth, ip, vrrp]);
}

export function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i] << 8) | b[i + 1];
  if (b.length % 2) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
