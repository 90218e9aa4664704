// The byte window an incremental capture parser reads from. Chunks are pushed as they arrive (from a
// live pipe) or refilled from a file; frames are handed out as offsets into them, so nothing is copied
// except the few bytes of a record that straddles two chunks.
//
// Pushed chunks are never reused. File refills alternate between two buffers (fresh buffers for
// every chunk cost page faults and GC, a third of the reader's time): a frame's bytes stay valid until
// the reader has refilled twice after it, that is for at least one more chunk. Whoever keeps bytes
// longer than the frame it is working on copies them (the reassembler does).

export class ByteQueue {
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.buf.buffer);
  pos = 0;
  /** File offset of buf[0]. */
  base = 0;
  ended = false;
  /** The buffer before the current one, reused by the next refill. */
  private spare: Buffer | null = null;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const rest = this.buf.length - this.pos;
    if (rest <= 0) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.buf.subarray(this.pos), 0);
      joined.set(chunk, rest);
      this.base += this.pos;
      this.buf = joined;
    }
    this.pos = 0;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /**
   * Refills from a file: a new buffer starts with the unread tail and `read` fills the rest, so the
   * chunk itself is never copied. Returns the bytes read (0 at end of file).
   */
  refill(chunkSize: number, read: (buf: Uint8Array, offset: number, length: number) => number): number {
    const rest = this.buf.length - this.pos;
    const size = Math.max(chunkSize, rest * 2);
    const next = this.spare && this.spare.length >= size ? this.spare : Buffer.allocUnsafeSlow(size);
    if (rest > 0) next.set(this.buf.subarray(this.pos), 0);
    const n = read(next, rest, size - rest);
    if (n <= 0) return 0;
    this.spare = this.buf.buffer.byteLength >= chunkSize ? Buffer.from(this.buf.buffer) : null;
    this.base += this.pos;
    this.buf = next.subarray(0, rest + n);
    this.pos = 0;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return n;
  }

  /** Forgets every byte: the next refill reads from file offset `base` (a reader seeking back). */
  reset(base: number): void {
    this.buf = new Uint8Array(0);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
    this.base = base;
    this.ended = false;
  }

  available(): number {
    return this.buf.length - this.pos;
  }

  /** File offset of the next unread byte. */
  offset(): number {
    return this.base + this.pos;
  }
}
