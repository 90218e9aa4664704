// Classic libpcap files: microsecond (a1b2c3d4) and nanosecond (a1b23c4d) magics in either byte order,
// and Kuznetsov's modified format (a1b2cd34, 24-byte records). Incremental: push bytes, pull frames.

import { Frame } from './frame.js';
import { MAX_FRAME_BYTES, ParserBase, type CaptureParser, type ParserResumeState } from './parser.js';

interface PcapResumeState extends ParserResumeState {
  little: boolean; nanosecond: boolean; recordHeader: number; linkType: number; snaplen: number;
}

const GLOBAL_HEADER = 24;

export function isPcapMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const be = (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) >>> 0;
  const le = (b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]) >>> 0;
  return [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34].some((m) => m === be || m === le);
}

export class PcapParser extends ParserBase implements CaptureParser {
  readonly format = 'pcap' as const;
  nanosecond = false;
  private headerRead = false;
  private recordHeader = 16;
  private linkType = 1;
  private snaplen = 0;

  next(): Frame | null {
    if (this.stopped) return null;
    const q = this.q;
    if (!this.headerRead) {
      if (q.available() < GLOBAL_HEADER) {
        if (q.ended) this.stop(q.available() === 0 ? 'empty' : 'short');
        return null;
      }
      if (!this.readGlobalHeader()) return null;
    }
    const avail = q.available();
    if (avail < this.recordHeader) {
      if (q.ended && avail > 0) {
        this.warn(this.frameCount + 1, q.offset(),
          `file cut short in a record header (${avail} of ${this.recordHeader} bytes); the frame is lost`);
      }
      if (q.ended) this.stopped = true;
      return null;
    }
    const v = q.view, p = q.pos, le = this.little;
    const sec = v.getUint32(p, le);
    const frac = v.getUint32(p + 4, le);
    const caplen = v.getUint32(p + 8, le);
    const origLen = v.getUint32(p + 12, le);
    if (caplen > Math.min(MAX_FRAME_BYTES, Math.max(this.snaplen, 262144))) {
      this.warn(this.frameCount + 1, q.offset(),
        `record claims ${caplen} captured bytes, more than any frame can have: the file is corrupt from here; the rest is skipped`);
      this.stopped = true;
      return null;
    }
    const total = this.recordHeader + caplen;
    if (avail < total) {
      if (q.ended) {
        this.warn(this.frameCount + 1, q.offset(),
          `file cut short in the middle of a frame (${avail - this.recordHeader} of ${caplen} bytes); the frame is lost`);
        this.stopped = true;
      }
      return null;
    }
    let frame: Frame;
    if (this.pool) frame = this.pool.take(this.fileIndex, ++this.frameCount, 0, this.linkType, sec, this.nanosecond ? frac : frac * 1000, q.buf, p + this.recordHeader, caplen, origLen, q.base + p, this.snaplen);
    else {
      frame = new Frame(this.fileIndex, ++this.frameCount, 0, this.linkType, sec, this.nanosecond ? frac : frac * 1000, q.buf, p + this.recordHeader, caplen, origLen, q.base + p);
      frame.snaplen = this.snaplen;
    }
    if (!this.nanosecond && frac >= 1e6 || this.nanosecond && frac >= 1e9) {
      // Wireshark shows such times as they are; we normalise and say so once per frame.
      frame.tsSec += Math.floor(frame.tsNs / 1e9);
      frame.tsNs %= 1e9;
      this.warn(frame.fileFrame, frame.offset, `fractional timestamp ${frac} out of range; normalised`);
    }
    q.pos = p + total;
    return frame;
  }

  resumeState(): ParserResumeState {
    const s: PcapResumeState = { format: 'pcap', little: this.little, nanosecond: this.nanosecond, recordHeader: this.recordHeader, linkType: this.linkType, snaplen: this.snaplen };
    return s;
  }

  resume(state: ParserResumeState, fileFrame: number): void {
    const s = state as PcapResumeState;
    this.little = s.little; this.nanosecond = s.nanosecond; this.timeDigits = s.nanosecond ? 9 : 6;
    this.recordHeader = s.recordHeader; this.linkType = s.linkType; this.linkTypes = [s.linkType]; this.snaplen = s.snaplen;
    this.headerRead = true;
    this.stopped = false;
    this.frameCount = fileFrame - 1;
  }

  private readGlobalHeader(): boolean {
    const q = this.q, b = q.buf, p = q.pos;
    const be = (b[p] << 24 | b[p + 1] << 16 | b[p + 2] << 8 | b[p + 3]) >>> 0;
    const le = (b[p + 3] << 24 | b[p + 2] << 16 | b[p + 1] << 8 | b[p]) >>> 0;
    let magic: number;
    if (le === 0xa1b2c3d4 || le === 0xa1b23c4d || le === 0xa1b2cd34) { this.little = true; magic = le; }
    else if (be === 0xa1b2c3d4 || be === 0xa1b23c4d || be === 0xa1b2cd34) { this.little = false; magic = be; }
    else { this.stop('magic'); return false; }
    this.nanosecond = magic === 0xa1b23c4d;
    this.timeDigits = this.nanosecond ? 9 : 6;
    this.recordHeader = magic === 0xa1b2cd34 ? 24 : 16;
    this.snaplen = q.view.getUint32(p + 16, this.little);
    // The upper bits of the link-type field carry FCS information (pcap-savefile(5)).
    this.linkType = q.view.getUint32(p + 20, this.little) & 0x03ffffff;
    this.linkTypes = [this.linkType];
    q.pos = p + GLOBAL_HEADER;
    this.headerRead = true;
    return true;
  }

  private stop(why: 'empty' | 'short' | 'magic'): void {
    this.stopped = true;
    this.fatal = why === 'empty' ? 'the file is empty'
      : why === 'short' ? 'the file is too short to be a pcap file (no complete file header)'
      : 'not a pcap file (bad magic number)';
  }
}
