// Writers of the two hostile pcapng shapes of ../shared/captures/regressions (mk-many-interfaces.py,
// mk-shb-comments.py), in TypeScript so that the memory tests run on a plain clone. Little-endian.

import { closeSync, openSync, writeSync } from 'node:fs';

// An ARP request 10.0.0.1 → 10.0.0.2 (42 bytes), as the Python generators use.
const ARP = Buffer.from('ffffffffffff000000000001080600010800060400010000000000010a0000010000000000000a000002', 'hex');

function block(type: number, body: Buffer): Buffer {
  const b = Buffer.alloc(12 + body.length);
  b.writeUInt32LE(type, 0); b.writeUInt32LE(b.length, 4);
  body.copy(b, 8);
  b.writeUInt32LE(b.length, b.length - 4);
  return b;
}

function pad4(b: Buffer): Buffer {
  return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
}

function option(code: number, value: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(code, 0); h.writeUInt16LE(value.length, 2);
  return Buffer.concat([h, pad4(value)]);
}

function sectionHeader(options = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(0x1a2b3c4d, 0); b.writeUInt16LE(1, 4); b.writeUInt16LE(0, 6); b.writeBigInt64LE(-1n, 8);
  return block(0x0a0d0d0a, Buffer.concat([b, options]));
}

function ethernetInterface(): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(1, 0);
  return block(1, b);
}

function arpPacket(iface: number, micros: bigint): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt32LE(iface, 0);
  h.writeUInt32LE(Number(micros >> 32n), 4); h.writeUInt32LE(Number(micros & 0xffffffffn), 8);
  h.writeUInt32LE(ARP.length, 12); h.writeUInt32LE(ARP.length, 16);
  return block(6, Buffer.concat([h, pad4(ARP)]));
}

/** One section, `interfaces` interface blocks, then `frames` ARP frames on interface i % interfaces. */
export function writeManyInterfaces(path: string, interfaces: number, frames: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, sectionHeader());
    const idb = ethernetInterface();
    writeSync(fd, Buffer.concat(Array.from({ length: interfaces }, () => idb)));
    const t0 = 1_700_000_000_000_000n;
    for (let i = 0; i < frames;) {
      const batch: Buffer[] = [];
      for (const end = Math.min(frames, i + 10_000); i < end; i++) batch.push(arpPacket(i % interfaces, t0 + BigInt(i) * 100n));
      writeSync(fd, Buffer.concat(batch));
    }
  } finally {
    closeSync(fd);
  }
}

/** `sections` sections, each a header with a 65 000-byte comment, one interface and one ARP frame. */
export function writeSectionComments(path: string, sections: number): void {
  const one = Buffer.concat([
    sectionHeader(Buffer.concat([option(1, Buffer.alloc(65_000, 'x')), option(0, Buffer.alloc(0))])),
    ethernetInterface(),
    arpPacket(0, 1_700_000_000_000_000n),
  ]);
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < sections; i += 100) writeSync(fd, Buffer.concat(Array.from({ length: Math.min(100, sections - i) }, () => one)));
  } finally {
    closeSync(fd);
  }
}
