// The pipeline: capture files → frames → decoded packets → rule engine → an Analysis that every
// renderer reads. Rendering frames happens in a second pass over the files (replayFrames), so that
// analysis keeps only events and small per-frame notes in memory, whatever the capture's size.

import { openCaptures, openCapturesAt, ResumeIndex, type CaptureFile, type FrameSource, type MergedSource } from './io/reader.js';
import { distinctInputs, repeatedText } from './io/inputs.js';
import { frameTime, linkTypeName, CUSTOM_BLOCK_LINKTYPE, type Frame } from './io/frame.js';
import { decodePacket, type Packet } from './dissect/packet.js';
import { applyHttpOverride, HeadReassembler, type HttpOverride } from './reassemble/reassembly.js';
import { TcpSegment, peekTcpSegment } from './dissect/tcp-segment.js';
import { Engine, type Analyzer } from './analyse/engine.js';
import type { AnalysisEvent } from './analyse/events.js';
import type { Note } from './analyse/notes.js';
import { episodesOf, type Episodes } from './analyse/episodes.js';
import { I18n, type Lang } from './present/i18n/index.js';

const KNOWN_LINK_TYPES = new Set([0, 1, 12, 14, 101, 108, 113, 228, 229, 276, CUSTOM_BLOCK_LINKTYPE]);
export const MAX_WARNINGS = 1000;
const MAX_HTTP_OVERRIDES = 100_000;
/** The warning for a capture with its file header and nothing after it. */
export const NO_FRAME = 'no frame: the capture has its file header and nothing else (nothing was captured)';


export interface CaptureInfo {
  file: string;
  format: 'pcap' | 'pcapng';
  linkTypes: string[];
  frames: number;
  /** The file's own number of the last frame read (above `frames` when the reader skipped broken blocks): later passes stop there. */
  lastFileFrame?: number;
  start: number | null;
  end: number | null;
  timeDigits: number;
}

export interface Warning {
  /** Frame number in the analysed sequence, for frames that were read. */
  frame?: number;
  /** For problems in a file itself: which file, its own frame number and the byte offset. */
  file?: string;
  fileFrame?: number;
  offset?: number;
  /** Problems of the input, in English (decoders' and readers' words, as Wireshark's are). */
  message?: string;
  /** What an analyser found it could not do (a table full): words at the edge (present/say). */
  note?: Note;
}

export interface Host {
  ip: string;
  macs: string[];
  roles: string[];
}

export interface Analysis {
  /**
   * The files later passes read, one per analysed input: the input itself, or the copy of an input
   * that could be read only once (a pipe, standard input). Reports name inputs by `captures[].file`.
   */
  paths: string[];
  lang: Lang;
  captures: CaptureInfo[];
  frames: number;
  events: AnalysisEvent[];
  /** What the events say over time (master tenures, host roles), worked out once for every reader. */
  episodes: Episodes;
  hosts: Host[];
  warnings: Warning[];
  /** Warnings beyond MAX_WARNINGS, counted only. */
  warningsDropped: number;
  /** Analysers' findings beside the events (JSON top-level fields), e.g. `vips`. */
  facts: Record<string, unknown>;
  /** Routine per-frame comments not kept because a cap was reached (very long captures). */
  commentsDropped: number;
  frameEvents: Map<number, string[]>;
  /** The analysers' notes on frames (words at the edge: present/say). */
  frameNotes: Map<number, Note[]>;
  timeDigits: number;
  start: number | null;
  end: number | null;
  /**
   * What the stateful part of decoding concluded for a few frames: an HTTP head reassembled from
   * several segments, a segment of such a head, or a retransmitted head. The second pass decodes
   * frames alone and applies these, so it need not decode every frame again.
   */
  httpOverrides: Map<number, HttpOverride>;
  /** Where the files stood every few thousand frames: the second pass reads only around the frames it wants. */
  resumeIndex: ResumeIndex;
}

export interface AnalyzeOptions {
  analyzers?: Analyzer[];
  /** Language of event summaries and comments (the analysers were made for it). */
  lang?: Lang;
  /** Called every ~64k frames with the bytes read so far and the total (progress display). */
  progress?: (read: number, total: number) => void;
  /** Frames between resume points (a power of two; tests make it small). */
  resumeInterval?: number;
  /** False: a new frame object for every frame (tests compare; see FramePool). */
  reuseFrames?: boolean;
}

class WarningList {
  readonly list: Warning[] = [];
  dropped = 0;
  add(w: Warning): void {
    if (this.list.length < MAX_WARNINGS) this.list.push(w);
    else this.dropped++;
  }
}

export function analyzeFiles(given: string[], opts: AnalyzeOptions = {}): Analysis {
  const resumeIndex = new ResumeIndex(opts.resumeInterval);
  // A file named twice would count every frame and event twice: it is read once.
  const { paths, repeated } = distinctInputs(given);
  const { files, source } = openCaptures(paths, resumeIndex);
  // Nothing downstream keeps a frame (analysers keep numbers): the readers may reuse frame objects.
  if (opts.reuseFrames ?? true) source.reuseFrames();
  const engine = new Engine(opts.analyzers ?? [], new I18n(opts.lang ?? 'en'));
  const streams = new HeadReassembler();
  const warnings = new WarningList();
  for (const r of repeated) warnings.add({ message: repeatedText(r) });
  // Times as numbers, NaN for none (a field that was null would take a new heap number every frame).
  const perFile = files.map(() => ({ frames: 0, lastFileFrame: 0, start: NaN, end: NaN }));
  const unknownLink = new Set<string>();
  const httpOverrides = new Map<number, HttpOverride>();
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  // Plain TCP segments (Ethernet, IPv4, no problem) go to the analysers as numbers, without a decode,
  // when every analyser that looks at TCP can take them so (see dissect/tcp-segment.ts): most frames
  // of a busy capture. Only HTTP heads split over segments need the decode with the reassembler.
  const seg = engine.takesTcpSegments ? new TcpSegment() : null;
  let frames = 0, lastTime = 0;
  try {
    let f: Frame | null;
    while ((f = source.next())) {
      frames++;
      const info = perFile[f.fileIndex];
      info.frames++;
      info.lastFileFrame = f.fileFrame;
      const t = f.noTimestamp ? NaN : frameTime(f);
      if (!f.noTimestamp) {
        if (Number.isNaN(info.start)) info.start = t;
        info.end = t;
        lastTime = t;
      }
      if (f.linkType !== 1 && !KNOWN_LINK_TYPES.has(f.linkType)) {
        const k = f.fileIndex + ':' + f.linkType;
        if (!unknownLink.has(k)) {
          unknownLink.add(k);
          warnings.add({ frame: f.n, file: files[f.fileIndex].name, message: `link type ${linkTypeName(f.linkType)} (${f.linkType}) is not decoded; its frames are listed but not analysed` });
        }
      }
      if (seg && peekTcpSegment(f, seg) && streams.takeSegment(seg)) {
        if (seg.head && httpOverrides.size < MAX_HTTP_OVERRIDES) httpOverrides.set(f.n, seg.head);
        engine.onTcpSegment(seg, t);
      } else {
        const pkt = decodePacket(f, streams);
        if (pkt.problems) for (const p of pkt.problems) warnings.add({ frame: f.n, message: `malformed ${p.layer}: ${p.message}` });
        if ((pkt.reassembledHead || pkt.retransmittedHead || pkt.headSegment) && httpOverrides.size < MAX_HTTP_OVERRIDES) {
          httpOverrides.set(f.n, pkt.reassembledHead && pkt.http ? pkt.http : pkt.retransmittedHead ? 'repeated' : 'segment');
        }
        engine.onPacket(pkt);
      }
      if (opts.progress && (frames & 0xffff) === 0) opts.progress(files.reduce((s, x) => s + x.bytesRead, 0), totalBytes);
    }
    engine.finish(lastTime);
  } finally {
    source.close();
  }
  for (const w of engine.warnings) warnings.add(w);
  if (streams.dropped) warnings.add({ message: `${streams.dropped} HTTP heads split over several TCP segments were not put together (longer than 16 KiB, or more than ${streams.maxFlows} pending at once): their fields are missing` });
  for (const file of files) for (const w of file.warnings) {
    warnings.add({ file: file.name, fileFrame: w.fileFrame, offset: w.offset, message: w.message });
  }
  const captures = files.map((file, i) => captureInfo(file, perFile[i]));
  captures.forEach((c, i) => { if (c.frames === 0 && !files[i].warnings.length) warnings.add({ file: c.file, message: NO_FRAME }); });
  const starts = captures.map((c) => c.start).filter((x): x is number => x !== null);
  const ends = captures.map((c) => c.end).filter((x): x is number => x !== null);
  return {
    paths: files.map((f) => f.rereadPath),
    lang: opts.lang ?? 'en',
    captures,
    frames,
    events: engine.events,
    episodes: episodesOf(engine.events),
    hosts: engine.hosts(),
    warnings: warnings.list,
    warningsDropped: warnings.dropped,
    commentsDropped: engine.routineCommentsDropped,
    facts: engine.facts(),
    frameEvents: engine.frameEvents(),
    frameNotes: engine.frameNotes,
    timeDigits: Math.max(...captures.map((c) => c.timeDigits)),
    start: starts.length ? Math.min(...starts) : null,
    end: ends.length ? Math.max(...ends) : null,
    httpOverrides,
    resumeIndex,
  };
}

function captureInfo(file: CaptureFile, c: { frames: number; lastFileFrame: number; start: number; end: number }): CaptureInfo {
  return {
    file: file.name,
    format: file.parser.format,
    linkTypes: file.parser.linkTypes.map(linkTypeName),
    frames: c.frames,
    lastFileFrame: c.lastFileFrame,
    start: Number.isNaN(c.start) ? null : c.start,
    end: Number.isNaN(c.end) ? null : c.end,
    timeDigits: file.parser.timeDigits,
  };
}

/**
 * The analysed frames again, in the same order, from the files (or the copies) the first pass read:
 * no frame beyond those it took (a file still growing), none of an input read only once twice.
 */
export function reopenCaptures(a: Pick<Analysis, 'paths' | 'captures'>): MergedSource {
  // By file frame number, not count: a block the reader skipped (with a warning) has a number too.
  return openCaptures(a.paths, null, a.captures.map((c) => c.lastFileFrame ?? c.frames)).source;
}

/**
 * Second pass: the frames again, in the same order and with the same numbers; those `wanted` are
 * decoded (alone, with what the first pass concluded about reassembled or repeated HTTP heads).
 * `wanted` is a test, or the frame numbers in increasing order: then the reader jumps over the frames
 * between them (through the resume index), so a report of a few frames of a big capture reads little.
 */
export function replayFrames(a: Pick<Analysis, 'paths' | 'captures' | 'httpOverrides' | 'resumeIndex'>, wanted: ((n: number) => boolean) | readonly number[], each: (f: Frame, pkt: Packet) => void): void {
  let source: FrameSource = reopenCaptures(a);
  const give = (f: Frame): void => {
    const pkt = decodePacket(f);
    const head = a.httpOverrides.get(f.n);
    if (head !== undefined) applyHttpOverride(pkt, head);
    each(f, pkt);
  };
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
      const point = a.resumeIndex.before(n);
      if (point && point.n >= next + a.resumeIndex.interval) {
        source.close();
        source = openCapturesAt(a.paths, point, a.captures.map((c) => c.lastFileFrame ?? c.frames));
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
