// pcapng (draft-ietf-opsawg-pcapng): several sections, each with its own byte order and interfaces;
// EPB, SPB and the obsolete OPB carry frames; NRB, ISB, DSB, custom and unknown blocks are skipped.
// if_tsresol and if_tsoffset are honoured; opt_comment on frames is kept.

import { CUSTOM_BLOCK_LINKTYPE, Frame } from './frame.js';
import { MAX_FRAME_BYTES, ParserBase, type CaptureParser, type ParserResumeState } from './parser.js';

/**
 * Interfaces and link types only grow within a section (a new section starts a new interface list), so
 * a state shares the parser's lists and records their lengths: a resume point costs a few numbers, not
 * a copy of a list that a hostile file can make 65 535 entries long.
 */
interface PcapngResumeState extends ParserResumeState {
  little: boolean; interfaces: Interface[]; interfaceCount: number; timeDigits: number; linkTypes: number[]; linkTypeCount: number;
}

const SHB = 0x0a0d0d0a;
const IDB = 1, OPB = 2, SPB = 3, EPB = 6;
const BOM = 0x1a2b3c4d;
const MAX_BLOCK = MAX_FRAME_BYTES + 64 * 1024;
/** Type, length, original length and trailing length. */
const SPB_MIN = 16;
const utf8 = new TextDecoder('utf-8', { fatal: false });

interface Interface {
  linkType: number;
  snaplen: number;
  /** Units per second of the timestamps: 10^n or 2^n. */
  unitsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  tsOffset: number;
  /** Cache for the 64-bit timestamp split: high word last seen and high*2^32 expressed as (sec, rem). */
  lastHigh: number;
  highSec: number;
  highRem: number;
}

export function isPcapngMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
}

export class PcapngParser extends ParserBase implements CaptureParser {
  readonly format = 'pcapng' as const;
  private inSection = false;
  private interfaces: Interface[] = [];
  private linkTypeSeen = new Set<number>();

  next(): Frame | null {
    const q = this.q;
    while (!this.stopped) {
      const avail = q.available();
      if (avail < 12) {
        if (q.ended) {
          if (!this.inSection) this.fatal = avail === 0 && q.base === 0 ? 'the file is empty' : 'not a pcapng file (no section header block)';
          else if (avail > 0) this.warn(this.frameCount + 1, q.offset(), `file cut short in a block header (${avail} bytes left)`);
          this.stopped = true;
        }
        return null;
      }
      const p = q.pos, b = q.buf;
      const type0 = (b[p] << 24 | b[p + 1] << 16 | b[p + 2] << 8 | b[p + 3]) >>> 0;
      if (type0 === SHB) {
        const bomBE = (b[p + 8] << 24 | b[p + 9] << 16 | b[p + 10] << 8 | b[p + 11]) >>> 0;
        if (bomBE === BOM) this.little = false;
        else if (bomBE === 0x4d3c2b1a) this.little = true;
        else {
          if (!this.inSection) this.fatal = 'not a pcapng file (bad byte-order magic)';
          else this.warn(this.frameCount + 1, q.offset(), 'section header block with a bad byte-order magic: the rest is skipped');
          this.stopped = true;
          return null;
        }
      } else if (!this.inSection) {
        this.fatal = 'not a pcapng file (no section header block)';
        this.stopped = true;
        return null;
      }
      const v = q.view, le = this.little;
      const type = v.getUint32(p, le);
      const len = v.getUint32(p + 4, le);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
        this.warn(this.frameCount + 1, q.offset(),
          `block of type 0x${type.toString(16)} claims a length of ${len} bytes, which is impossible: the file is corrupt from here; the rest is skipped`);
        this.stopped = true;
        return null;
      }
      if (avail < len) {
        if (q.ended) {
          this.warn(this.frameCount + 1, q.offset(), `file cut short in a block of type 0x${type.toString(16)} (${avail} of ${len} bytes)`);
          this.stopped = true;
        }
        return null;
      }
      const trailer = v.getUint32(p + len - 4, le);
      if (trailer !== len) {
        this.warn(this.frameCount + 1, q.offset(),
          `block of type 0x${type.toString(16)}: trailing length ${trailer} differs from leading length ${len}; the file is corrupt from here; the rest is skipped`);
        this.stopped = true;
        return null;
      }
      q.pos = p + len;
      let frame: Frame | null = null;
      switch (type) {
        case SHB: this.readSectionHeader(); break;
        case IDB: this.readInterface(p, len); break;
        case EPB: frame = this.readEnhancedPacket(p, len, false); break;
        case OPB: frame = this.readEnhancedPacket(p, len, true); break;
        case SPB: frame = this.readSimplePacket(p, len); break;
        case 0x00000bad: case 0x40000bad: frame = this.readCustomBlock(p, len); break;
        default: break; // NRB, ISB, DSB and unknown blocks: skipped
      }
      if (frame) return frame;
    }
    return null;
  }

  resumeState(): ParserResumeState {
    // An interface is never changed once read (its timestamp cache is only a cache); the lists grow.
    const s: PcapngResumeState = {
      format: 'pcapng', little: this.little, interfaces: this.interfaces, interfaceCount: this.interfaces.length,
      timeDigits: this.timeDigits, linkTypes: this.linkTypes, linkTypeCount: this.linkTypes.length,
    };
    return s;
  }

  resume(state: ParserResumeState, fileFrame: number): void {
    const s = state as PcapngResumeState;
    // Copies: the lists shared with the state may have grown since (the parser that made it read on).
    this.little = s.little; this.timeDigits = s.timeDigits;
    this.interfaces = s.interfaces.slice(0, s.interfaceCount);
    this.linkTypes = s.linkTypes.slice(0, s.linkTypeCount);
    this.linkTypeSeen = new Set(this.linkTypes);
    this.inSection = true;
    this.stopped = false;
    this.frameCount = fileFrame - 1;
  }

  private readSectionHeader(): void {
    this.inSection = true;
    // A new list, not a cleared one: resume states taken in the previous section keep theirs.
    // The section's options (comments, hardware, OS) are not read: no report shows them, and a file can
    // hold thousands of sections each with a 64 KiB comment.
    this.interfaces = [];
  }

  private readInterface(p: number, len: number): void {
    if (len < 20) {
      this.warn(this.frameCount + 1, this.q.base + p, 'interface description block too short');
      return;
    }
    const v = this.q.view, le = this.little;
    const iface: Interface = {
      linkType: v.getUint16(p + 8, le),
      snaplen: v.getUint32(p + 12, le),
      unitsPerSecond: 1e6,
      tsOffset: 0,
      lastHigh: -1, highSec: 0, highRem: 0,
    };
    this.readOptions(p + 16, p + len - 4, (code, o, l) => {
      if (code === 9 && l >= 1) {
        const r = this.q.buf[o];
        iface.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      } else if (code === 14 && l >= 8) {
        iface.tsOffset = Number(le ? v.getBigInt64(o, true) : v.getBigInt64(o, false));
      }
    });
    this.interfaces.push(iface);
    if (iface.unitsPerSecond > 1e6) this.timeDigits = 9;
    // A set beside the list: a file may describe thousands of interfaces, each of another link type.
    if (!this.linkTypeSeen.has(iface.linkType)) { this.linkTypeSeen.add(iface.linkType); this.linkTypes.push(iface.linkType); }
  }

  private readEnhancedPacket(p: number, len: number, obsolete: boolean): Frame | null {
    const v = this.q.view, le = this.little;
    const fileFrame = this.frameCount + 1;
    if (len < 32) {
      this.frameCount++;
      this.warn(fileFrame, this.q.base + p, 'packet block too short to hold its header; frame skipped');
      return null;
    }
    const ifaceId = obsolete ? v.getUint16(p + 8, le) : v.getUint32(p + 8, le);
    const high = v.getUint32(p + 12, le);
    const low = v.getUint32(p + 16, le);
    let caplen = v.getUint32(p + 20, le);
    const origLen = v.getUint32(p + 24, le);
    const iface = this.interfaces[ifaceId];
    this.frameCount++;
    if (!iface) {
      this.warn(fileFrame, this.q.base + p, `packet block names interface ${ifaceId}, which was never described; frame skipped`);
      return null;
    }
    const dataEnd = p + len - 4;
    if (28 + caplen > len - 4) {
      this.warn(fileFrame, this.q.base + p, `packet block claims ${caplen} captured bytes but holds only ${len - 32}; frame cut to fit`);
      caplen = Math.max(0, len - 32);
    }
    const frame = this.makeFrame(iface, ifaceId, p, p + 28, caplen, origLen, fileFrame);
    this.setTime(frame, iface, high, low);
    const optStart = p + 28 + ((caplen + 3) & ~3);
    if (optStart < dataEnd) {
      this.readOptions(optStart, dataEnd, (code, o, l) => {
        if (code === 1) (frame.comments ??= []).push(this.text(o, l));
      });
    }
    return frame;
  }

  private readSimplePacket(p: number, len: number): Frame | null {
    const fileFrame = ++this.frameCount;
    if (len < SPB_MIN) {
      this.warn(fileFrame, this.q.base + p, `simple packet block of ${len} bytes, shorter than the ${SPB_MIN} of its header and trailer; frame skipped`);
      return null;
    }
    const iface = this.interfaces[0];
    if (!iface) {
      this.warn(fileFrame, this.q.base + p, 'simple packet block before any interface description; frame skipped');
      return null;
    }
    const origLen = this.q.view.getUint32(p + 8, this.little);
    // An SPB has no captured-length field: it holds the frame cut to the interface's snapshot length.
    const expected = iface.snaplen > 0 ? Math.min(origLen, iface.snaplen) : origLen;
    const held = len - SPB_MIN;
    let caplen = expected;
    if (held < expected) {
      this.warn(fileFrame, this.q.base + p, `simple packet block of ${len} bytes holds ${held} of the frame's ${expected} captured bytes; frame cut to fit`);
      caplen = held;
    }
    // SPBs carry no timestamp (Wireshark shows none).
    const frame = this.makeFrame(iface, 0, p, p + 12, caplen, origLen, fileFrame);
    frame.noTimestamp = true;
    return frame;
  }

  /** Wireshark lists custom blocks as records of their own and numbers them like frames; so do we,
   *  so that our frame numbers stay equal to Wireshark's. */
  private readCustomBlock(p: number, len: number): Frame {
    const fileFrame = ++this.frameCount;
    const q = this.q;
    const f = this.pool
      ? this.pool.take(this.fileIndex, fileFrame, -1, CUSTOM_BLOCK_LINKTYPE, 0, 0, q.buf, p + 8, len - 12, len - 12, q.base + p, 0)
      : new Frame(this.fileIndex, fileFrame, -1, CUSTOM_BLOCK_LINKTYPE, 0, 0, q.buf, p + 8, len - 12, len - 12, q.base + p);
    f.noTimestamp = true;
    return f;
  }

  private makeFrame(iface: Interface, ifaceId: number, p: number, dataStart: number, caplen: number, origLen: number, fileFrame: number): Frame {
    if (this.pool) return this.pool.take(this.fileIndex, fileFrame, ifaceId, iface.linkType, 0, 0, this.q.buf, dataStart, caplen, origLen, this.q.base + p, iface.snaplen);
    const f = new Frame(this.fileIndex, fileFrame, ifaceId, iface.linkType, 0, 0, this.q.buf, dataStart, caplen, origLen, this.q.base + p);
    f.snaplen = iface.snaplen;
    return f;
  }

  /** Splits the 64-bit unit count into seconds and nanoseconds without losing precision. */
  private setTime(frame: Frame, iface: Interface, high: number, low: number): void {
    const ups = iface.unitsPerSecond;
    if (high !== iface.lastHigh) {
      if (high === 0) { iface.highSec = 0; iface.highRem = 0; }
      else if (high * 4294967296 < Number.MAX_SAFE_INTEGER && Number.isInteger(ups)) {
        const v = high * 4294967296;
        iface.highSec = Math.floor(v / ups);
        iface.highRem = v - iface.highSec * ups;
      } else {
        const big = BigInt(high) << 32n;
        const bu = BigInt(Math.round(ups));
        iface.highSec = Number(big / bu);
        iface.highRem = Number(big % bu);
      }
      iface.lastHigh = high;
    }
    let rem = iface.highRem + low;
    let sec = iface.highSec;
    if (rem >= ups) { const s = Math.floor(rem / ups); sec += s; rem -= s * ups; }
    frame.tsSec = sec + iface.tsOffset;
    frame.tsNs = ups === 1e9 ? rem : ups === 1e6 ? rem * 1000 : Math.floor(rem * (1e9 / ups));
  }

  private readOptions(o: number, end: number, each: (code: number, at: number, len: number) => void): void {
    const v = this.q.view, le = this.little;
    while (o + 4 <= end) {
      const code = v.getUint16(o, le);
      const l = v.getUint16(o + 2, le);
      if (code === 0) return; // opt_endofopt
      if (o + 4 + l > end) {
        this.warn(this.frameCount, this.q.base + o, `option ${code} overruns its block; ignored`);
        return;
      }
      each(code, o + 4, l);
      o += 4 + ((l + 3) & ~3);
    }
  }

  private text(o: number, l: number): string {
    return utf8.decode(this.q.buf.subarray(o, o + l));
  }
}
