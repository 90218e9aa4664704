// A captured frame as the readers hand it over, whatever the file format.

/**
 * A captured frame as the readers hand it over, whatever the file format. Its bytes are
 * buf[start .. start + caplen). Valid while the frame is being worked on and for at least one more
 * chunk of reading (see ByteQueue): a stage that keeps bytes longer copies them. A reader asked to
 * reuse frame objects (FramePool) refills this object two frames later: keep numbers, not frames.
 * (`data` makes a view; hot paths use buf/start/caplen and avoid creating one per frame.)
 */
export class Frame {
  /** 1-based number in the analysed sequence (equals Wireshark's frame number for a single file). */
  n = 0;
  /** pcapng opt_comment values on the frame, or null. */
  comments: string[] | null = null;
  /** Set on records that carry no time (pcapng simple packet blocks, custom blocks). */
  noTimestamp = false;
  /**
   * Snapshot length of the frame's interface (0: none). A pcapng writer needs it: a simple packet block
   * holds no captured length, readers work it out from the original length and this.
   */
  snaplen = 0;
  constructor(
    /** Index of the input file (0-based, in command-line order). */
    public fileIndex: number,
    /** 1-based frame number within its own file. */
    public fileFrame: number,
    /** pcapng interface id (0 for classic pcap; -1 for a custom block). */
    public iface: number,
    /** LINKTYPE_* of the interface the frame was captured on. */
    public linkType: number,
    /** Whole seconds since the epoch. */
    public tsSec: number,
    /** Nanoseconds within the second (0..999 999 999). */
    public tsNs: number,
    public buf: Uint8Array,
    public start: number,
    /** Captured length. */
    public caplen: number,
    /** Length of the frame on the wire (>= caplen when the snapshot length cut it). */
    public origLen: number,
    /** Byte offset of the frame's record or block in its file (for warnings). */
    public offset: number,
  ) {}

  /** The captured bytes as their own view. */
  get data(): Uint8Array {
    return this.buf.subarray(this.start, this.start + this.caplen);
  }

  /** A frame over standalone bytes (tests, live capture, re-decoding). */
  static of(data: Uint8Array, linkType = 1, tsSec = 0, tsNs = 0, n = 1): Frame {
    const f = new Frame(0, n, 0, linkType, tsSec, tsNs, data, 0, data.length, data.length, 0);
    f.n = n;
    return f;
  }
}

/**
 * Two frame objects handed out in turn, for a reader asked to reuse them (FrameSource.reuseFrames):
 * the first pass of an analysis makes a million frames a second and keeps none, so it need not
 * allocate one each time. Two, because a merged source reads one frame ahead of the one it hands out.
 */
export class FramePool {
  private readonly frames = [Frame.of(new Uint8Array(0)), Frame.of(new Uint8Array(0))];
  private k = 0;

  take(fileIndex: number, fileFrame: number, iface: number, linkType: number, tsSec: number, tsNs: number,
    buf: Uint8Array, start: number, caplen: number, origLen: number, offset: number, snaplen: number): Frame {
    const f = this.frames[this.k ^= 1];
    f.fileIndex = fileIndex; f.fileFrame = fileFrame; f.iface = iface; f.linkType = linkType; f.tsSec = tsSec; f.tsNs = tsNs;
    f.buf = buf; f.start = start; f.caplen = caplen; f.origLen = origLen; f.offset = offset;
    f.n = 0; f.comments = null; f.noTimestamp = false; f.snaplen = snaplen;
    return f;
  }
}

/** Seconds since the epoch as a JS number (sub-microsecond digits are lost; use tsSec/tsNs for exact). */
export function frameTime(f: { tsSec: number; tsNs: number }): number {
  return f.tsSec + f.tsNs / 1e9;
}

/** Exact decimal text of a timestamp: "1795550331.123456789" (9 digits) or 6 digits when microsecond. */
export function timeText(sec: number, ns: number, digits = 9): string {
  const frac = digits === 9 ? ns : Math.floor(ns / 10 ** (9 - digits));
  return sec + '.' + String(frac).padStart(digits, '0');
}

/** Compare two frames by time (then by file order, for a stable merge). */
export function compareFrameTime(a: Frame, b: Frame): number {
  return a.tsSec - b.tsSec || a.tsNs - b.tsNs || a.fileIndex - b.fileIndex;
}

/** Pseudo link type of a pcapng custom block record (data = PEN + custom data). */
export const CUSTOM_BLOCK_LINKTYPE = -1;

/** Link-layer header types (tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export function linkTypeName(t: number): string {
  switch (t) {
    case -1: return 'PCAPNG_CUSTOM_BLOCK';
    case 0: return 'NULL';
    case 1: return 'EN10MB';
    case 12: case 14: case 101: return 'RAW';
    case 107: return 'FRELAY';
    case 108: return 'LOOP';
    case 113: return 'LINUX_SLL';
    case 228: return 'IPV4';
    case 229: return 'IPV6';
    case 276: return 'LINUX_SLL2';
    default: return 'LINKTYPE_' + t;
  }
}
