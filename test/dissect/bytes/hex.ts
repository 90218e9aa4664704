import { Frame } from '../../../src/io/frame.js';
import { decodePacket, type Packet } from '../../../src/dissect/packet.js';

/** Bytes from a hex string (whitespace ignored). */
export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** The whole frame through decodePacket (link type 1: Ethernet, 113: Linux cooked, 276: cooked v2). */
export const packet = (s: string, linkType = 1): Packet => decodePacket(Frame.of(hex(s), linkType, 1795550000, 0, 1));

/**
 * `decode` (a decoder's `(bytes, offset, end)`) on the frame written as hex `s`, from byte `offset` to
 * its end. A decoder that returns null there fails the test, naming itself.
 */
export function decodeAt<T>(decode: (b: Uint8Array, offset: number, end: number) => T | null, s: string, offset: number): T {
  const b = hex(s);
  const r = decode(b, offset, b.length);
  if (r === null) throw new Error(`${decode.name} found nothing at byte ${offset} of ${b.length}`);
  return r;
}
