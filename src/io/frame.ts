// A captured frame as the readers hand it over, whatever the file format.

export interface Frame {
  /** 1-based number in the analysed sequence (equals Wireshark's frame number for a single file). */
  n: number;
  /** Index of the input file (0-based, in command-line order). */
  fileIndex: number;
  /** 1-based frame number within its own file. */
  fileFrame: number;
  /** pcapng interface id (0 for classic pcap). */
  iface: number;
  /** LINKTYPE_* of the interface the frame was captured on. */
  linkType: number;
  /** Whole seconds since the epoch. */
  tsSec: number;
  /** Nanoseconds within the second (0..999 999 999). */
  tsNs: number;
  /** Captured bytes. A view that stays valid as long as it is referenced (readers never reuse buffers). */
  data: Uint8Array;
  /** Length of the frame on the wire (>= data.length when the snapshot length cut it). */
  origLen: number;
  /** pcapng opt_comment values on the frame, or null. */
  comments: string[] | null;
  /** Set on records that carry no time (pcapng simple packet blocks, custom blocks). */
  noTimestamp?: true;
  /** Byte offset of the frame's record or block in its file (for warnings). */
  offset: number;
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
