import { Frame } from '../../../src/io/frame.js';
import { decodePacket, type Packet } from '../../../src/dissect/packet.js';

/** Bytes from a hex string (whitespace ignored). */
export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** The whole frame through decodePacket (link type 1: Ethernet, 113: Linux cooked, 276: cooked v2). */
export const packet = (s: string, linkType = 1): Packet => decodePacket(Frame.of(hex(s), linkType, 1795550000, 0, 1));
