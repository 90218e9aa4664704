// The pipeline: capture files → frames → decoded packets → rule engine → an Analysis that every
// renderer reads. Rendering frames happens in a second pass over the files (the Analysis's FrameStore),
// so that analysis keeps only events and small per-frame notes in memory, whatever the capture's size.

import { openCaptures, ResumeIndex, type CaptureFile } from './io/reader.js';
import { distinctInputs, repeatedText } from './io/inputs.js';
import { frameTime, linkTypeName, CUSTOM_BLOCK_LINKTYPE, type Frame } from './io/frame.js';
import { decodePacket, type HttpOverride } from './dissect/packet.js';
import { linkTypes } from './dissect/registry.js';
import { HeadReassembler } from './reassemble/reassembly.js';
import { CapturePoints } from './reassemble/capture-points.js';
import { FrameStore } from './frame-store.js';
import { TcpSegment, peekTcpSegment } from './dissect/tcp-segment.js';
import { Engine, type Analyzer } from './analyse/engine.js';
import type { AnalysisEvent } from './analyse/events.js';
import type { Note } from './analyse/notes.js';
import { episodesOf, type Episodes } from './analyse/episodes.js';
import type { Lang } from './present/i18n/index.js';

export const MAX_WARNINGS = 1000;
const MAX_HTTP_OVERRIDES = 100_000;
/** Copies at another capture point remembered (as number pairs), to list them with their frame's events. */
const MAX_COPIES = 1 << 20;
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
  /** The frames again, for the renderers that list them (the second pass: frame-store.ts). */
  store: FrameStore;
}

export interface AnalyzeOptions {
  analyzers?: Analyzer[];
  /** The language the report is asked in, carried to the renderers (Analysis.lang); the analysis never uses it. */
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

/**
 * The first pass, one frame at a time: the stateful decoding (HTTP heads over several TCP segments,
 * with the byte-level TCP fast path when every analyser that looks at TCP takes segments) and the rule
 * engine. File mode (analyzeFiles) and live mode (cli/live.ts) both feed frames through it.
 */
export class FirstPass {
  readonly engine: Engine;
  readonly warnings = new WarningList();
  /** See FrameStore.httpHead. */
  readonly httpOverrides = new Map<number, HttpOverride>();
  private readonly streams = new HeadReassembler();
  // Plain TCP segments (Ethernet, IPv4, no problem) go to the analysers as numbers, without a decode,
  // when every analyser that looks at TCP can take them so (see dissect/tcp-segment.ts): most frames
  // of a busy capture. Only HTTP heads split over segments need the decode with the reassembler.
  private readonly seg: TcpSegment | null;
  private readonly unknownLink = new Set<string>();
  /** Frames the capture's snapshot length cut, per input file: one notice for each file at the end, not a warning per frame. */
  private readonly cut = new Map<number, { file: string; frames: number; first: number; snaplen: number }>();
  /** Several inputs: copies of one frame seen at two capture points (reassemble/capture-points.ts). */
  private readonly points: CapturePoints | null;
  /** Copies seen: (analysed frame, its copy) number pairs, MAX_COPIES at most. */
  private copies = new Int32Array(0);
  private copyCount = 0;
  lastTime = 0;

  /** `inputs`: the input files' names, when there are several (each frame is then looked for at the other points). */
  constructor(analyzers: Analyzer[], onEvent?: (e: AnalysisEvent) => void, private readonly inputs: string[] = []) {
    this.engine = new Engine(analyzers);
    if (onEvent) this.engine.onEmit = onEvent;
    this.seg = this.engine.takesTcpSegments ? new TcpSegment() : null;
    this.points = inputs.length > 1 ? new CapturePoints((h) => (h.copyOf ? this.copy(h.frame.n, h.copyOf.n, h.copyOf.file, h.copyOf.fileFrame) : this.analyse(h.frame, h.t, h.file))) : null;
  }

  /** One frame, numbered, at time `t` (NaN without a timestamp); `file` names its input in warnings. */
  frame(f: Frame, t: number, file: string): void {
    if (!Number.isNaN(t)) this.lastTime = t;
    this.engine.noteFrame(f.fileIndex, t);
    // (A file's cut frames are counted here, copies at another capture point included: one notice per file.)
    if (f.caplen < f.origLen) this.cutFrame(f, file);
    // Several inputs: each frame waits a moment for a copy of it at another capture point.
    if (this.points) this.points.push(f, t, file);
    else this.analyse(f, t, file);
  }

  private analyse(f: Frame, t: number, file: string): void {
    if (f.linkType !== 1 && f.linkType !== CUSTOM_BLOCK_LINKTYPE && linkTypes.get(f.linkType) === undefined) {
      const k = f.fileIndex + ':' + f.linkType;
      if (!this.unknownLink.has(k)) {
        this.unknownLink.add(k);
        this.warnings.add({ frame: f.n, file, message: `link type ${linkTypeName(f.linkType)} (${f.linkType}) is not decoded; its frames are listed but not analysed` });
      }
    }
    const cut = f.caplen < f.origLen;
    const seg = this.seg, streams = this.streams;
    if (seg && peekTcpSegment(f, seg) && streams.takeSegment(seg)) {
      if (seg.head && this.httpOverrides.size < MAX_HTTP_OVERRIDES) this.httpOverrides.set(f.n, seg.head);
      this.engine.onTcpSegment(seg, t);
      return;
    }
    const pkt = decodePacket(f, streams);
    // A cut frame's problems are those of the cut (a length beyond the captured bytes): said once per file.
    if (pkt.problems && !cut) for (const p of pkt.problems) this.warnings.add({ frame: f.n, message: `malformed ${p.layer}: ${p.message}` });
    if ((pkt.reassembledHead || pkt.retransmittedHead || pkt.headSegment) && this.httpOverrides.size < MAX_HTTP_OVERRIDES) {
      this.httpOverrides.set(f.n, pkt.reassembledHead && pkt.http ? pkt.http : pkt.retransmittedHead ? 'repeated' : 'segment');
    }
    this.engine.onPacket(pkt);
  }

  /** Frame `n` repeats frame `of` (file `file`, its frame `fileFrame`): not analysed again. */
  private copy(n: number, of: number, file: string, fileFrame: number): void {
    this.engine.comment(n, { note: 'capture.copy', file, fileFrame, frame: of }, true);
    if (this.copyCount >= MAX_COPIES) return;
    if (2 * this.copyCount >= this.copies.length) {
      const more = new Int32Array(Math.max(1024, this.copies.length * 2));
      more.set(this.copies);
      this.copies = more;
    }
    this.copies[2 * this.copyCount] = of;
    this.copies[2 * this.copyCount + 1] = n;
    this.copyCount++;
  }

  private cutFrame(f: Frame, file: string): void {
    const c = this.cut.get(f.fileIndex);
    // The file's snapshot length when it gives one (pcap header, pcapng interface), else the longest cut frame's.
    const snaplen = f.snaplen > 0 ? f.snaplen : f.caplen;
    if (!c) this.cut.set(f.fileIndex, { file, frames: 1, first: f.n, snaplen });
    else { c.frames++; if (snaplen > c.snaplen) c.snaplen = snaplen; }
  }

  /** End of input: the analysers close open episodes at the last frame's time. */
  finish(): void {
    this.points?.flush();
    for (const c of this.cut.values()) {
      const frames = c.frames === 1 ? '1 frame' : `${c.frames} frames`;
      this.warnings.add({ frame: c.first, file: c.file, message: `${frames} cut by the capture's snaplen of ${c.snaplen} bytes: what lies beyond is not decoded (first: frame ${c.first})` });
    }
    this.engine.finish(this.lastTime);
    for (const w of this.engine.warnings) this.warnings.add(w);
    if (this.points) {
      for (const [key, c] of this.points.pairs) {
        const [i, j] = key.split(':').map(Number);
        this.warnings.add({ frame: c.first, note: { note: 'capture.overlap', files: [this.inputs[i], this.inputs[j]], frames: c.count, first: c.first } });
      }
      if (this.points.overflow) this.warnings.add({ note: { note: 'capture.unpaired', frames: this.points.overflow } });
      // An event seen at two capture points lists its frames at both.
      if (this.copyCount) {
        const shown = new Map<number, number[]>();
        for (const e of this.engine.events) for (const n of e.frames) shown.set(n, []);
        for (let i = 0; i < this.copyCount; i++) shown.get(this.copies[2 * i])?.push(this.copies[2 * i + 1]);
        for (const e of this.engine.events) {
          const more = e.frames.flatMap((n) => shown.get(n) ?? []);
          if (more.length) e.frames = [...e.frames, ...more.filter((n) => !e.frames.includes(n))];
        }
      }
    }
    if (this.streams.dropped) this.warnings.add({ message: `${this.streams.dropped} HTTP heads split over several TCP segments were not put together (longer than 16 KiB, or more than ${this.streams.maxFlows} pending at once): their fields are missing` });
  }
}

export function analyzeFiles(given: string[], opts: AnalyzeOptions = {}): Analysis {
  const resumeIndex = new ResumeIndex(opts.resumeInterval);
  // A file named twice would count every frame and event twice: it is read once.
  const { paths, repeated } = distinctInputs(given);
  const { files, source } = openCaptures(paths, resumeIndex);
  // Nothing downstream keeps a frame (analysers keep numbers): the readers may reuse frame objects.
  if (opts.reuseFrames ?? true) source.reuseFrames();
  const pass = new FirstPass(opts.analyzers ?? [], undefined, files.length > 1 ? files.map((f) => f.name) : []);
  const { engine, warnings } = pass;
  for (const r of repeated) warnings.add({ message: repeatedText(r) });
  // Times as numbers, NaN for none (a field that was null would take a new heap number every frame).
  const perFile = files.map(() => ({ frames: 0, lastFileFrame: 0, start: NaN, end: NaN }));
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  let frames = 0;
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
      }
      pass.frame(f, t, files[f.fileIndex].name);
      if (opts.progress && (frames & 0xffff) === 0) opts.progress(files.reduce((s, x) => s + x.bytesRead, 0), totalBytes);
    }
    pass.finish();
  } finally {
    source.close();
  }
  for (const file of files) for (const w of file.warnings) {
    warnings.add({ file: file.name, fileFrame: w.fileFrame, offset: w.offset, message: w.message });
  }
  const captures = files.map((file, i) => captureInfo(file, perFile[i]));
  captures.forEach((c, i) => { if (c.frames === 0 && !files[i].warnings.length) warnings.add({ file: c.file, message: NO_FRAME }); });
  const starts = captures.map((c) => c.start).filter((x): x is number => x !== null);
  const ends = captures.map((c) => c.end).filter((x): x is number => x !== null);
  return {
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
    store: new FrameStore(files.map((f) => f.rereadPath), captures.map((c) => c.lastFileFrame ?? c.frames), pass.httpOverrides, resumeIndex),
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
