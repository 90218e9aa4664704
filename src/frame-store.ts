// The frames again, for the renderers that list them: the pipeline's second pass, behind one object the
// Analysis carries. A renderer asks for frames (decoded, or as read) and never drives I/O or knows how
// the first pass left things: the inputs (or the copies of inputs read only once), what the stateful
// decoding concluded about HTTP heads, the resume points that let a pass jump over frames it does not
// want. Bounded: the HTTP conclusions are capped by the first pass; the resume index is a point every
// few thousand frames.

import { openCaptures, openCapturesAt, type FrameSource, type MergedSource, type ResumeIndex } from './io/reader.js';
import type { Frame } from './io/frame.js';
import { applyHttpOverride, decodePacket, type HttpOverride, type Packet } from './dissect/packet.js';

export class FrameStore {
  constructor(
    /** The files read again, one per input: the input itself, or the copy of an input read only once. */
    private readonly paths: readonly string[],
    /** Per file, the file's own number of the last frame the first pass read: no frame beyond it. */
    private readonly lastFrames: readonly number[],
    private readonly httpOverrides: ReadonlyMap<number, HttpOverride>,
    private readonly resumeIndex: ResumeIndex,
  ) {}

  /** What the first pass concluded about frame n's HTTP head, when the frame alone cannot tell. */
  httpHead(n: number): HttpOverride | undefined {
    return this.httpOverrides.get(n);
  }

  /** Every conclusion about HTTP heads, by frame number (to compare two analyses). */
  httpHeads(): [number, HttpOverride][] {
    return [...this.httpOverrides];
  }

  /** Resume points recorded (the seeks a replay may make). */
  get resumePoints(): number {
    return this.resumeIndex.points.length;
  }

  /**
   * Every analysed frame again, as read, in the same order and with the same numbers: nothing beyond
   * what the first pass took (a file still growing), no input read only once read twice.
   */
  raw(): MergedSource {
    return openCaptures([...this.paths], null, this.lastFrames).source;
  }

  /**
   * Which input file each of the frames `ns` (any order) came from and its own number there: what a
   * reader opens in Wireshark when several files were merged. Reads only those frames (no decoding),
   * jumping through the resume index as replay does.
   */
  origins(ns: readonly number[]): Map<number, { fileIndex: number; fileFrame: number }> {
    const out = new Map<number, { fileIndex: number; fileFrame: number }>();
    const wanted = [...new Set(ns)].sort((x, y) => x - y);
    this.walk(wanted, (f) => out.set(f.n, { fileIndex: f.fileIndex, fileFrame: f.fileFrame }));
    return out;
  }

  /**
   * The frames `wanted`, decoded (alone, with what the first pass concluded about reassembled or
   * repeated HTTP heads), in order. `wanted` is a test, or frame numbers in increasing order: then the
   * reader jumps over the frames between them (through the resume index), so a report of a few frames
   * of a big capture reads little.
   */
  replay(wanted: ((n: number) => boolean) | readonly number[], each: (f: Frame, pkt: Packet) => void): void {
    this.walk(wanted, (f) => {
      const pkt = decodePacket(f);
      const head = this.httpOverrides.get(f.n);
      if (head !== undefined) applyHttpOverride(pkt, head);
      each(f, pkt);
    });
  }

  /** The frames `wanted` as read (a test, or increasing numbers: jumps through the resume index). */
  private walk(wanted: ((n: number) => boolean) | readonly number[], give: (f: Frame) => void): void {
    let source: FrameSource = this.raw();
    try {
      let f: Frame | null;
      if (typeof wanted === 'function') {
        while ((f = source.next())) if (wanted(f.n)) give(f);
        return;
      }
      let next = 1; // number of the frame the source gives next
      for (const n of wanted) {
        if (n < next) continue;
        // A jump is worth it when it skips at least the distance between two resume points.
        const point = this.resumeIndex.before(n);
        if (point && point.n >= next + this.resumeIndex.interval) {
          source.close();
          source = openCapturesAt([...this.paths], point, this.lastFrames);
          next = point.n;
        }
        while ((f = source.next()) && f.n < n) { /* skipped */ }
        if (!f) return;
        next = f.n + 1;
        give(f);
      }
    } finally {
      source.close();
    }
  }
}
