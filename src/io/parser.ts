import type { Frame, FramePool } from './frame.js';
import type { CaptureWarning } from './warning.js';

/** Largest frame we accept; a bigger length in a record means the file is corrupt (Wireshark's limit
 *  for the common link types is 256 KiB; pcapng blocks may carry a little more, so allow 16 MiB). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * An incremental capture-file parser: bytes are pushed in as they arrive, frames pulled out.
 * next() returns null when it needs more bytes (or, after finish(), when the input is exhausted).
 * It never throws: corrupt input ends in `warnings` (some frames were read) or `fatal` (not a capture).
 */
export interface CaptureParser {
  readonly format: 'pcap' | 'pcapng';
  readonly warnings: CaptureWarning[];
  /** Link types seen so far (pcapng may have several interfaces). */
  linkTypes: number[];
  /** Set when the input is not a capture of this format at all (or is empty). */
  fatal: string | null;
  /** Decimal digits of the timestamps' fractional part: 6 (microseconds) or 9 (finer). */
  timeDigits: number;
  /** When set, frames come from this pool (see FramePool) instead of being made one by one. */
  pool: FramePool | null;
  push(chunk: Uint8Array): void;
  /** The parser's byte window (file readers refill it in place, see ByteQueue.refill). */
  readonly q: import('./byte-queue.js').ByteQueue;
  finish(): void;
  next(): Frame | null;
  /**
   * What the parser knows beside the bytes (file header, byte order, interfaces): taken just after a
   * frame was returned, it lets a new parser of the same file resume at that frame's record.
   */
  resumeState(): ParserResumeState;
  /** Takes a state from resumeState(); the next bytes pushed start a record whose frame number is `fileFrame`. */
  resume(state: ParserResumeState, fileFrame: number): void;
}

/** Opaque to everyone but the parser that made it. */
export type ParserResumeState = { readonly format: 'pcap' | 'pcapng' };
