// pcapng writer (draft-ietf-opsawg-pcapng): one section, interfaces added as they are met, frames written
// one at a time. Incremental and bounded: blocks are built in a fixed buffer that goes to the sink when
// full, so the annotated-capture report and live capture (--write) can both stream through it.
// Little-endian, as every writer on a little-endian host does; if_tsresol 9 on every interface so that
// nanosecond timestamps (nanosecond pcap, pcapng with finer resolutions) survive unchanged.

const SHB = 0x0a0d0d0a, IDB = 1, SPB = 3, EPB = 6, CB = 0x00000bad;
const OPT_ENDOFOPT = 0, OPT_COMMENT = 1;
const SHB_HARDWARE = 2, SHB_OS = 3, SHB_USERAPPL = 4;
const IF_NAME = 2, IF_DESCRIPTION = 3, IF_TSRESOL = 9;
/** An option value is at most 65535 bytes (its length field is 16 bits). */
const MAX_OPTION = 0xffff;
const utf8 = new TextEncoder();

/** Where the bytes go: a file, standard output, a socket. Called with whole blocks, in order. */
export type ByteSink = (bytes: Uint8Array) => void;

export interface SectionOptions {
  comments?: string[];
  hardware?: string;
  os?: string;
  userAppl?: string;
}

export interface InterfaceOptions {
  linkType: number;
  /** 0 = no limit (the spec's meaning). */
  snaplen?: number;
  name?: string;
  description?: string;
}

interface Option { code: number; value: Uint8Array }

function textOption(code: number, s: string): Option {
  let value = utf8.encode(s);
  if (value.length > MAX_OPTION) {
    // Cut on a UTF-8 character boundary so the comment stays valid text.
    let end = MAX_OPTION;
    while (end > 0 && (value[end] & 0xc0) === 0x80) end--;
    value = value.subarray(0, end);
  }
  return { code, value };
}

function optionsLength(opts: Option[]): number {
  if (opts.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const o of opts) n += 4 + ((o.value.length + 3) & ~3);
  return n;
}

export class PcapngWriter {
  private buf: Uint8Array;
  private view: DataView;
  private used = 0;
  private interfaces = 0;
  private started = false;

  constructor(private readonly sink: ByteSink, bufferSize = 1 << 20) {
    this.buf = new Uint8Array(bufferSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Number of interfaces described so far (the next addInterface returns this id). */
  get interfaceCount(): number {
    return this.interfaces;
  }

  /** Section header block; must come first (writePacket writes a bare one if it was not called). */
  writeSectionHeader(opts: SectionOptions = {}): void {
    const options: Option[] = [];
    for (const c of opts.comments ?? []) options.push(textOption(OPT_COMMENT, c));
    if (opts.hardware) options.push(textOption(SHB_HARDWARE, opts.hardware));
    if (opts.os) options.push(textOption(SHB_OS, opts.os));
    if (opts.userAppl) options.push(textOption(SHB_USERAPPL, opts.userAppl));
    const body = 16;
    const at = this.begin(SHB, body, options);
    const v = this.view;
    v.setUint32(at, 0x1a2b3c4d, true);
    v.setUint16(at + 4, 1, true);
    v.setUint16(at + 6, 0, true);
    v.setInt32(at + 8, -1, true); // section length unknown (streamed)
    v.setInt32(at + 12, -1, true);
    this.end(at + body, options);
    this.started = true;
    this.interfaces = 0;
  }

  /** Interface description block; returns the interface id frames name. Timestamps are in ns. */
  addInterface(i: InterfaceOptions): number {
    if (!this.started) this.writeSectionHeader();
    const options: Option[] = [];
    if (i.name) options.push(textOption(IF_NAME, i.name));
    if (i.description) options.push(textOption(IF_DESCRIPTION, i.description));
    options.push({ code: IF_TSRESOL, value: Uint8Array.of(9) });
    const body = 8;
    const at = this.begin(IDB, body, options);
    this.view.setUint16(at, i.linkType & 0xffff, true);
    this.view.setUint16(at + 2, 0, true);
    this.view.setUint32(at + 4, i.snaplen ?? 0, true);
    this.end(at + body, options);
    return this.interfaces++;
  }

  /** Enhanced packet block: the bytes as captured, the time to the nanosecond, and comments. */
  writePacket(iface: number, tsSec: number, tsNs: number, data: Uint8Array, origLen = data.length, comments: readonly string[] = []): void {
    if (iface < 0 || iface >= this.interfaces) throw new RangeError(`interface ${iface} was not added`);
    const options = comments.map((c) => textOption(OPT_COMMENT, c));
    const padded = (data.length + 3) & ~3;
    const body = 20 + padded;
    const at = this.begin(EPB, body, options);
    const v = this.view;
    const units = BigInt.asUintN(64, BigInt(tsSec) * 1_000_000_000n + BigInt(tsNs));
    v.setUint32(at, iface, true);
    v.setUint32(at + 4, Number(units >> 32n), true);
    v.setUint32(at + 8, Number(units & 0xffffffffn), true);
    v.setUint32(at + 12, data.length, true);
    v.setUint32(at + 16, origLen, true);
    this.buf.set(data, at + 20);
    this.buf.fill(0, at + 20 + data.length, at + body);
    this.end(at + body, options);
  }

  /** Simple packet block: a frame without timestamp, on interface 0 (the format allows nothing else). */
  writeSimplePacket(data: Uint8Array, origLen = data.length): void {
    if (this.interfaces === 0) throw new RangeError('a simple packet block needs interface 0');
    const padded = (data.length + 3) & ~3;
    const at = this.begin(SPB, 4 + padded, []);
    this.view.setUint32(at, origLen, true);
    this.buf.set(data, at + 4);
    this.buf.fill(0, at + 4 + data.length, at + 4 + padded);
    this.end(at + 4 + padded, []);
  }

  /** Custom block (copyable type 0xBAD): `payload` is the PEN, the data and any options, as read. */
  writeCustomBlock(payload: Uint8Array): void {
    if (!this.started) this.writeSectionHeader();
    const padded = (payload.length + 3) & ~3;
    const at = this.begin(CB, padded, []);
    this.buf.set(payload, at);
    this.buf.fill(0, at + payload.length, at + padded);
    this.end(at + padded, []);
  }

  /** Hands buffered blocks to the sink. */
  flush(): void {
    if (this.used === 0) return;
    this.sink(this.buf.slice(0, this.used));
    this.used = 0;
  }

  // A block is type, length, body, options, length. begin() reserves room for all of it and returns
  // where the body starts; end() writes the options and the trailing length.
  private blockStart = 0;
  private blockLength = 0;

  private begin(type: number, body: number, options: Option[]): number {
    const total = 12 + body + optionsLength(options);
    if (this.used + total > this.buf.length) {
      this.flush();
      if (total > this.buf.length) {
        this.buf = new Uint8Array(total);
        this.view = new DataView(this.buf.buffer);
      }
    }
    this.blockStart = this.used;
    this.blockLength = total;
    this.view.setUint32(this.used, type, true);
    this.view.setUint32(this.used + 4, total, true);
    return this.used + 8;
  }

  private end(at: number, options: Option[]): void {
    const v = this.view;
    if (options.length) {
      for (const o of options) {
        v.setUint16(at, o.code, true);
        v.setUint16(at + 2, o.value.length, true);
        this.buf.set(o.value, at + 4);
        const padded = (o.value.length + 3) & ~3;
        this.buf.fill(0, at + 4 + o.value.length, at + 4 + padded);
        at += 4 + padded;
      }
      v.setUint16(at, OPT_ENDOFOPT, true);
      v.setUint16(at + 2, 0, true);
      at += 4;
    }
    v.setUint32(at, this.blockLength, true);
    if (at + 4 !== this.blockStart + this.blockLength) throw new Error('pcapng writer: block length mismatch');
    this.used = at + 4;
  }
}
