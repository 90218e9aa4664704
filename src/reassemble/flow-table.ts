// A fixed-size hash table from a TCP/UDP flow direction to one 32-bit number, in typed arrays so the
// per-segment hot path neither builds strings nor allocates. Bounded: when half full, everything is
// forgotten at once (a generation bump), which costs O(1) and keeps probing short.

import { IPv4 } from '../dissect/ipv4.js';
import type { IPv6 } from '../dissect/ipv6.js';

/** 32-bit FNV-1a of 16 bytes (an IPv6 address). Collisions only blur a heuristic, never a decode. */
function hash16(b: Uint8Array, o: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ b[o + i], 0x01000193);
  return h >>> 0;
}

export class FlowTable {
  /**
   * Per slot, five words side by side: the key (three words), the generation that wrote it and the
   * value. One array rather than three, so a lookup touches one cache line, not three.
   */
  private readonly slots: Uint32Array;
  private gen = 1;
  private count = 0;
  private readonly mask: number;

  constructor(capacityLog2 = 15) {
    const cap = 1 << capacityLog2;
    this.mask = cap - 1;
    this.slots = new Uint32Array(cap * 5);
  }

  /** Index (in words) of the slot holding the key, or of the free slot where it goes (-1 when absent and !insert). */
  private slot(a: number, b: number, c: number, insert: boolean): number {
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77), 0xc2b2ae3d);
    h ^= h >>> 15;
    let i = h & this.mask;
    const s = this.slots, gen = this.gen;
    for (;;) {
      const k = i * 5;
      if (s[k + 3] !== gen) return insert ? k : -1;
      if (s[k] === a && s[k + 1] === b && s[k + 2] === c) return k;
      i = (i + 1) & this.mask;
    }
  }

  static address(ip: IPv4 | IPv6, which: 'src' | 'dst'): number {
    if (ip instanceof IPv4) return which === 'src' ? ip.srcNum : ip.dstNum;
    return hash16(ip.bytes, which === 'src' ? ip.at + 8 : ip.at + 24);
  }

  get(a: number, b: number, c: number): number | undefined {
    const k = this.slot(a, b, c, false);
    return k < 0 ? undefined : this.slots[k + 4];
  }

  set(a: number, b: number, c: number, value: number): void {
    if (this.count >= (this.mask + 1) >> 1) { this.gen++; this.count = 0; }
    const k = this.slot(a, b, c, true);
    const s = this.slots;
    if (s[k + 3] !== this.gen) {
      s[k] = a; s[k + 1] = b; s[k + 2] = c; s[k + 3] = this.gen;
      this.count++;
    }
    s[k + 4] = value >>> 0;
  }
}
