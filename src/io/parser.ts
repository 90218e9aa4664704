import { ByteQueue } from './byte-queue.js';
import type { Frame, FramePool } from './frame.js';
import type { CaptureWarning } from './warning.js';

/** Warnings a parser lists about one file; past them, one last entry counts the rest. */
export const MAX_FILE_WARNINGS = 100;

interface MoreWarnings extends CaptureWarning { more: number }

/**
 * Adds a parser's warning to its list. A damaged file can warn once a frame (frames naming an interface
 * never described: 2 M of them held 490 MB), so the list is bounded: after MAX_FILE_WARNINGS, a last
 * entry, at the first warning left out, says how many more there were.
 */
export function addWarning(list: CaptureWarning[], w: CaptureWarning): void {
  if (list.length < MAX_FILE_WARNINGS) { list.push(w); return; }
  let last = list[list.length - 1] as MoreWarnings;
  if (last.more === undefined) {
    last = { fileIndex: w.fileIndex, fileFrame: w.fileFrame, offset: w.offset, message: '', more: 0 };
    list.push(last);
  }
  last.more++;
  last.message = `${last.more} more warnings about this file, from here on, are not listed`;
}

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

/** What the pcap and pcapng parsers share: the byte window, the bounded warnings, the state of a file read. */
export abstract class ParserBase {
  readonly q = new ByteQueue();
  readonly warnings: CaptureWarning[] = [];
  pool: FramePool | null = null;
  linkTypes: number[] = [];
  fatal: string | null = null;
  timeDigits = 6;
  protected little = true;
  protected frameCount = 0;
  protected stopped = false;

  constructor(readonly fileIndex: number) {}

  push(chunk: Uint8Array): void {
    this.q.push(chunk);
  }

  finish(): void {
    this.q.ended = true;
  }

  protected warn(fileFrame: number, offset: number, message: string): void {
    addWarning(this.warnings, { fileIndex: this.fileIndex, fileFrame, offset, message });
  }
}

/** Opaque to everyone but the parser that made it. */
export type ParserResumeState = { readonly format: 'pcap' | 'pcapng' };
