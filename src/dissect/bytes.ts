// Byte-level helpers shared by every decoder. Nothing here throws: callers check bounds first.

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

export function u32le(b: Uint8Array, o: number): number {
  return ((b[o + 3] << 24) >>> 0) + ((b[o + 2] << 16) | (b[o + 1] << 8) | b[o]);
}

/** "aa:bb:cc:dd:ee:ff" from `len` bytes at `o` (len is 6 for Ethernet). */
export function macString(b: Uint8Array, o: number, len = 6): string {
  let s = HEX[b[o]];
  for (let i = 1; i < len; i++) s += ':' + HEX[b[o + i]];
  return s;
}

// MAC addresses repeat just as much: text made once per address (bounded).
const macText = new Map<number, string>();

/** macString of a 6-byte MAC, cached. */
export function macCached(b: Uint8Array, o: number): string {
  const key = (b[o] * 0x10000 + (b[o + 1] << 8 | b[o + 2])) * 0x1000000 + (b[o + 3] << 16 | b[o + 4] << 8 | b[o + 5]);
  let s = macText.get(key);
  if (s === undefined) {
    s = macString(b, o, 6);
    if (macText.size >= 65_536) macText.clear();
    macText.set(key, s);
  }
  return s;
}

/**
 * A copy of b[at..end) that outlives b. (Not b.slice: on a Node Buffer, which is what the readers hand
 * out and reuse, slice makes a view.)
 */
export function copyBytes(b: Uint8Array, at: number, end: number): Uint8Array {
  const out = new Uint8Array(end - at);
  out.set(b.subarray(at, end));
  return out;
}

export function ipv4String(b: Uint8Array, o: number): string {
  return b[o] + '.' + b[o + 1] + '.' + b[o + 2] + '.' + b[o + 3];
}

// A lab has a handful of addresses: their text is made once and reused (bounded).
const ipv4Text = new Map<number, string>();

export function ipv4FromU32(a: number): string {
  let s = ipv4Text.get(a);
  if (s === undefined) {
    s = (a >>> 24) + '.' + ((a >>> 16) & 255) + '.' + ((a >>> 8) & 255) + '.' + (a & 255);
    if (ipv4Text.size >= 65_536) ipv4Text.clear();
    ipv4Text.set(a, s);
  }
  return s;
}

/** RFC 5952 text form of the 16 bytes at `o`: lower case, longest run of zero groups (>= 2) as "::". */
export function ipv6String(b: Uint8Array, o: number): string {
  const g: number[] = new Array(8);
  for (let i = 0; i < 8; i++) g[i] = (b[o + 2 * i] << 8) | b[o + 2 * i + 1];
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  // IPv4-mapped (::ffff:a.b.c.d) as tshark prints it
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) {
    return '::ffff:' + ipv4String(b, o + 12);
  }
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) { parts.push(i === 0 ? ':' : ''); i += bestLen - 1; if (i === 7) parts.push(''); continue; }
    parts.push(g[i].toString(16));
  }
  return parts.join(':');
}

/** One's-complement 16-bit sum of b[o..end), starting from `initial`; not folded, not inverted. */
export function onesSum(b: Uint8Array, o: number, end: number, initial = 0): number {
  let sum = initial;
  let i = o;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  return sum;
}

/** Folds a running one's-complement sum and returns the 16-bit checksum (inverted). */
export function foldChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return (~sum) & 0xffff;
}

const nativeLatin1 = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, s: number, e: number) => string }).latin1Slice;

/** Latin-1 text of b[o..end) (bytes preserved one to one; HTTP/SMTP heads are ASCII). */
export function latin1(b: Uint8Array, o: number, end: number): string {
  if (end - o > 8) return nativeLatin1.call(b, o, end); // one flat string, no per-byte concatenation
  let s = '';
  for (let i = o; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}
