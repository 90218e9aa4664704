// The byte window an incremental capture parser reads from. Chunks are pushed as they arrive (from a
// file read or a live pipe); frames are handed out as views into them, so nothing is copied except the
// few bytes of a record that straddles two chunks. Buffers are never reused, so views stay valid.

export class ByteQueue {
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.buf.buffer);
  pos = 0;
  /** File offset of buf[0]. */
  base = 0;
  ended = false;

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

  available(): number {
    return this.buf.length - this.pos;
  }

  /** File offset of the next unread byte. */
  offset(): number {
    return this.base + this.pos;
  }
}
