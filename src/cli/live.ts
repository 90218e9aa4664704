// vrrpscope live: frames from an interface go, one by one and in arrival order, to the capture file and
// through the same decoders and analysers as a file report; each event is printed as it is recognised.
// When the capture stops (Ctrl-C, SIGTERM, --duration, a closed standard output), the file is closed
// and the report is rendered from it by the `report` command itself, so the report and the capture
// agree on frame numbers by construction.

import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir, type as osType, release as osRelease } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Chalk, supportsColor, type ChalkInstance } from 'chalk';
import type { Engine, Analyzer } from '../analyse/engine.js';
import type { AnalysisEvent } from '../analyse/events.js';
import { FirstPass } from '../pipeline.js';
import { Say } from '../present/say/index.js';
import { defaultAnalyzers } from '../analyse/index.js';
import { I18n, type Lang } from '../present/i18n/index.js';
import { frameTime, type Frame } from '../io/frame.js';
import { LiveCaptureFile } from '../io/live-file.js';
import { OutputError, planOutput } from '../present/sink.js';
import {
  BACKENDS, LiveError, checkInterface, chooseBackend, findTcpdump, openCapture, probeCap,
  type BackendName, type LiveCapture,
} from '../io/live.js';
import { TOOL_VERSION } from '../version.js';
import { terminalText } from '../present/escape.js';
import { forEachArg } from './args.js';

// ------------------------------------------------------------------ the pipeline

export interface LiveSessionOptions {
  analyzers: Analyzer[];
  i18n: I18n;
  /** Where frames are saved, before they are analysed. */
  file?: LiveCaptureFile;
  /** Each event as it is recognised. */
  onEvent?: (e: AnalysisEvent) => void;
}

/**
 * The file pipeline's first pass (pipeline.ts FirstPass), fed one frame at a time as frames arrive:
 * numbered, saved, then decoded and analysed exactly as analyzeFiles does; `finish` closes open
 * episodes at the last frame's time, as analyzeFiles does at the end of a file.
 */
export class LiveSession {
  frames = 0;
  /** The time of the frame being analysed (after `finish`, of the last one): when an event is recognised. */
  now = NaN;
  private readonly pass: FirstPass;
  private finished = false;

  constructor(private readonly opts: LiveSessionOptions) {
    this.pass = new FirstPass(opts.analyzers, opts.onEvent);
  }

  get engine(): Engine {
    return this.pass.engine;
  }

  get events(): AnalysisEvent[] {
    return this.pass.engine.events;
  }

  /** One frame, in arrival order: numbered, saved, decoded, analysed. */
  readonly frame = (f: Frame): void => {
    if (this.finished) return;
    f.n = ++this.frames;
    this.opts.file?.write(f);
    const time = f.noTimestamp ? NaN : frameTime(f);
    if (!Number.isNaN(time)) this.now = time;
    this.pass.frame(f, time, 'live');
  };

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.pass.finish();
  }
}

// ------------------------------------------------------------------ what is printed

/** Local wall-clock time of an epoch, to the millisecond: "21:16:36.575". */
export function clockTime(epoch: number): string {
  const d = new Date(Math.floor(epoch * 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

const MAX_FRAMES_SHOWN = 6;

export function framesText(frames: readonly number[]): string {
  const shown = frames.slice(0, MAX_FRAMES_SHOWN).map((n) => '#' + n).join(',');
  return frames.length > MAX_FRAMES_SHOWN ? `${shown},…(+${frames.length - MAX_FRAMES_SHOWN})` : shown;
}

/**
 * Which events are printed out of time order. An event is printed when it is recognised, and some are
 * recognised long after their own time: a silence 3 advert intervals after the last advert, a split
 * brain once it has lasted, a GARP burst when it ends. Such an event is printed with its own time and,
 * when an event with a later time was printed before it, with the time it was found (`foundAt`), so
 * that it is never read as coming after the lines above it.
 */
export class LiveOrder {
  private latest = -Infinity;
  /** When `e` was found (`now`, LiveSession.now) if it is printed after a later event, else NaN. */
  foundAt(e: AnalysisEvent, now: number): number {
    const late = e.time < this.latest - 0.0005;
    if (e.time > this.latest) this.latest = e.time;
    return late ? now : NaN;
  }
}

/**
 * One line per event: time, kind, the frames that show it, the sentence; with `foundAt` (LiveOrder), a
 * late event says when it was found: "(found at 21:16:40.190)".
 */
export function eventLine(e: AnalysisEvent, c: ChalkInstance, say: Say, foundAt = NaN): string {
  const paint = e.severity === 'warning' ? c.red : e.severity === 'notice' ? c.yellow : c.green;
  const late = !Number.isNaN(foundAt) ? '  ' + c.yellow(say.i18n.t('live.foundAt', { time: clockTime(foundAt) })) : '';
  return `${c.dim(clockTime(e.time))}  ${paint(e.kind.padEnd(16))}  ${c.cyan(framesText(e.frames))}  ${terminalText(say.summary(e).replace(/\s*\n\s*/g, ' '))}${late}`;
}

/** Colour on a terminal only; never with NO_COLOR (no-color.org), --no-color or FORCE_COLOR=0. */
export function colourLevel(stream: { isTTY?: boolean }, noColor: boolean, env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
  if (noColor || (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.FORCE_COLOR === '0') return 0;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '';
  if (!stream.isTTY && !forced) return 0;
  return supportsColor ? supportsColor.level : 1;
}

// ------------------------------------------------------------------ arguments

export class LiveUsageError extends Error {}

const REPORT_FORMATS = ['html', 'md', 'json', 'pcapng'] as const;

export interface LiveArgs {
  iface: string;
  filter?: string;
  write?: string;
  /** Seconds. */
  duration?: number;
  backend: 'auto' | BackendName;
  noColor: boolean;
  format: string;
  /** null: next to the capture. */
  output: string | null;
  lang: Lang;
  /** Passed to the report as given (--all-frames, --template DIR, --config FILE, --expect X). */
  reportExtra: string[];
}

function defaultLang(): Lang {
  const l = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  return l.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** `report --iface IF …` is live mode. */

export function parseLiveArgs(argv: string[]): LiveArgs {
  const a: LiveArgs = { iface: '', backend: 'auto', noColor: false, format: 'html', output: null, lang: defaultLang(), reportExtra: [] };
  const files: string[] = [];
  forEachArg(argv, (message) => new LiveUsageError(message), (name, arg, value) => {
    switch (name) {
      case '--iface': case '--interface': case '-i': a.iface = value(); break;
      case '--filter': a.filter = value(); break;
      case '--write': case '-w': a.write = value(); break;
      case '--duration': {
        const v = value();
        const s = Number(v);
        if (!(s > 0) || !Number.isFinite(s)) throw new LiveUsageError(`--duration takes a number of seconds, not "${v}"`);
        a.duration = s;
        break;
      }
      case '--backend': {
        const b = value();
        if (b !== 'auto' && !(BACKENDS as readonly string[]).includes(b)) throw new LiveUsageError(`--backend takes ${BACKENDS.join(', ')} or auto, not "${b}"`);
        a.backend = b as LiveArgs['backend'];
        break;
      }
      case '--format': case '-f': {
        const f = value();
        if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new LiveUsageError(`unknown format "${f}" (${REPORT_FORMATS.join(', ')})`);
        a.format = f;
        break;
      }
      case '--output': case '-o': a.output = value(); break;
      case '--lang': {
        const l = value();
        if (l !== 'en' && l !== 'fr') throw new LiveUsageError(`--lang takes en or fr, not "${l}"`);
        a.lang = l;
        break;
      }
      case '--all-frames': a.reportExtra.push('--all-frames'); break;
      case '--template': a.reportExtra.push('--template', value()); break;
      case '--config': a.reportExtra.push('--config', value()); break;
      case '--expect': a.reportExtra.push('--expect', value()); break;
      case '--no-color': case '--no-colour': a.noColor = true; break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new LiveUsageError(`unknown option ${arg}`);
        files.push(arg);
    }
  });
  if (files.length) throw new LiveUsageError(`live mode reads an interface, not files (${files.join(' ')}): use either --iface or capture files`);
  if (!a.iface) throw new LiveUsageError('live needs --iface IF (the interface to capture on)');
  return a;
}

function reportExtension(format: string): string {
  return format === 'pcapng' ? '.annotated.pcapng' : '.' + format;
}

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

// ------------------------------------------------------------------ the command

/** A line as is: its variable parts escaped by the caller (it holds colour). */
const sayPainted = (text: string): void => {
  try { process.stderr.write(`vrrpscope: ${text}\n`); } catch { /* stderr gone */ }
};
/** Paths, interface names and the capture program's own words may hold control characters: escaped. */
const say = (text: string): void => sayPainted(terminalText(text));

/**
 * Starts live mode. Usage errors are reported at once (exit status 2); otherwise null: the capture
 * runs asynchronously and sets process.exitCode when it is over. `renderReport` is the report command
 * (argv after "report"): the report is made from the saved capture exactly as `vrrpscope report` would.
 */
export function runLive(argv: string[], renderReport: (argv: string[]) => Promise<number | null>): number | null {
  let args: LiveArgs;
  try {
    args = parseLiveArgs(argv);
  } catch (e) {
    if (e instanceof LiveUsageError) { say(e.message); return 2; }
    throw e;
  }
  live(args, renderReport).then(
    (code) => { process.exitCode = code; },
    (e: Error) => {
      say(`internal error: ${e?.message ?? String(e)} (please report it; VRRPSCOPE_DEBUG=1 shows details)`);
      if (process.env.VRRPSCOPE_DEBUG) process.stderr.write(String(e?.stack) + '\n');
      process.exitCode = 70;
    },
  );
  return null;
}

async function live(args: LiveArgs, renderReport: (argv: string[]) => Promise<number | null>): Promise<number> {
  process.stderr.on('error', () => { /* a closed stderr must not end the capture */ });

  // Which backend, and is there such an interface: before anything is created.
  let backend: BackendName, note: string | null;
  try {
    checkInterface(args.iface);
    const cap = args.backend === 'tcpdump' ? { available: false, why: 'not asked for' } : probeCap();
    ({ name: backend, note } = chooseBackend(args.backend, cap, findTcpdump()));
  } catch (e) {
    if (e instanceof LiveError) { say(e.message); return 2; }
    throw e;
  }

  // Where the capture and the report go.
  let tempDir: string | null = null;
  let capturePath: string;
  if (args.write) capturePath = args.write;
  else {
    tempDir = mkdtempSync(join(tmpdir(), 'vrrpscope-live-'));
    capturePath = join(tempDir, `${args.iface.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp()}.pcapng`);
  }
  const base = extname(capturePath) ? capturePath.slice(0, -extname(capturePath).length) : capturePath;
  const reportPath = args.output ?? base + reportExtension(args.format);
  const i18n = new I18n(args.lang);
  if (reportPath !== '-' && resolve(reportPath) === resolve(capturePath)) {
    say(i18n.t('live.sameFile', { path: reportPath }));
    return 2;
  }
  let file: LiveCaptureFile;
  try {
    file = new LiveCaptureFile(capturePath, {
      iface: args.iface,
      section: {
        userAppl: `vrrpscope ${TOOL_VERSION} (live, ${backend} backend)`,
        os: `${osType()} ${osRelease()}`,
        comments: [`live capture on ${args.iface}${args.filter ? ` with filter "${args.filter}"` : ''}`],
      },
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    say(i18n.t('live.cannotWrite', { path: capturePath, why: err.code ?? err.message }));
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    return 2;
  }
  const discard = () => {
    try { file.close(); } catch { /* closed */ }
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    else try { unlinkSync(capturePath); } catch { /* gone */ }
  };
  // The report's -o as report will check it (the capture under another name, a missing directory),
  // now rather than after a long capture.
  try {
    planOutput(reportPath, [capturePath]);
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    say(e.message);
    discard();
    return 2;
  }

  // Events go to standard output, unless the report does.
  const out = reportPath === '-' ? process.stderr : process.stdout;
  const chalk = new Chalk({ level: colourLevel(out, args.noColor) });
  const errChalk = new Chalk({ level: colourLevel(process.stderr, args.noColor) });
  let outClosed = false;

  // Stopping: the first signal stops cleanly; a second one quits at once with what is saved.
  let stopWhy: string | null = null;
  let wakeUp: () => void = () => {};
  const stopRequested = new Promise<void>((r) => { wakeUp = r; });
  const requestStop = (why: string) => { if (stopWhy === null) { stopWhy = why; wakeUp(); } };
  let capture: LiveCapture | null = null;
  let signals = 0;
  const quitNow = (signal: string) => {
    capture?.kill();
    let saved = i18n.t('live.quit.nothing');
    try { file.close(); saved = i18n.t('live.quit.saved', { count: file.frames, path: capturePath }); } catch { /* as much as was written */ }
    say(i18n.t('live.quit', { signal, saved }));
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals === 1) {
      if (capture) say(i18n.t('live.stopping', { signal, key: signal === 'SIGINT' ? 'Ctrl-C' : signal }));
      requestStop(signal);
    } else quitNow(signal);
  };
  const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of SIGNALS) process.on(s, onSignal);
  const releaseSignals = () => { for (const s of SIGNALS) process.removeListener(s, onSignal); };

  out.on('error', (e: NodeJS.ErrnoException) => {
    if (outClosed) return;
    outClosed = true;
    if (out === process.stdout) {
      say(i18n.t('live.stdoutClosed', { why: e.code ?? e.message }));
      requestStop('stdout closed');
    }
  });
  const order = new LiveOrder();
  const printEvent = (e: AnalysisEvent) => {
    if (outClosed) return;
    out.write(eventLine(e, chalk, sentences, order.foundAt(e, session.now)) + '\n');
  };

  // The pipeline: every frame is saved, then analysed; the file is flushed once per burst. A file that
  // cannot be written stops everything; an analyser that throws (a bug) stops the capture, but the
  // frames up to the stop are still saved.
  let writeFailure: NodeJS.ErrnoException | null = null;
  let analysisFailure: { frame: number; error: Error } | null = null;
  const session = new LiveSession({ analyzers: defaultAnalyzers(), i18n, file, onEvent: printEvent });
  const sentences = new Say(i18n, session.events);
  let flushPending = false;
  const flush = () => {
    flushPending = false;
    try { file.flush(); } catch (e) { writeFailure ??= e as NodeJS.ErrnoException; requestStop('write error'); }
  };
  const onFrame = (f: Frame) => {
    if (writeFailure) return;
    const saved = file.frames;
    try {
      session.frame(f);
    } catch (e) {
      if (file.frames === saved) writeFailure = e as NodeJS.ErrnoException;
      else analysisFailure ??= { frame: f.n, error: e as Error };
      requestStop('error');
    }
    if (!flushPending) { flushPending = true; setImmediate(flush); }
  };

  try {
    capture = await openCapture(backend, { iface: args.iface, filter: args.filter, onFrame, onNotice: (t) => say(t) });
  } catch (e) {
    releaseSignals();
    discard();
    if (e instanceof LiveError) { say(e.message); return e.kind === 'failed' ? 1 : 2; }
    throw e;
  }
  file.describe(capture.description);
  const filter = args.filter ? i18n.t('live.filter', { filter: args.filter }) : '';
  say(note
    ? i18n.t('live.capturing.noCap', { iface: args.iface, backend, description: capture.description, why: note, filter })
    : i18n.t('live.capturing', { iface: args.iface, backend, description: capture.description, filter }));
  say(i18n.t('live.saving', {
    capture: capturePath, format: args.format,
    report: reportPath === '-' ? i18n.t('live.saving.stdout') : reportPath,
    how: args.duration ? i18n.t('live.stopHow.duration', { seconds: new Intl.NumberFormat(args.lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 3 }).format(args.duration) }) : i18n.t('live.stopHow'),
  }));
  if (signals > 0) say(i18n.t('live.stopping.starting'));
  const timer = args.duration ? setTimeout(() => requestStop('duration'), args.duration * 1000) : null;

  let captureError: LiveError | null = null;
  await Promise.race([stopRequested, capture.ended.then((e) => { captureError = e; })]);
  if (timer) clearTimeout(timer);
  await capture.stop();
  captureError ??= await capture.ended;
  if (captureError) say((captureError as LiveError).message);

  // Every frame the backend delivered is in the session: close episodes, save the file.
  if (!analysisFailure) {
    try { session.finish(); } catch (e) { analysisFailure = { frame: session.frames, error: e as Error }; }
  }
  try {
    if (file.frames === 0) file.ensureInterface(capture.linkType ?? 1);
    file.close();
  } catch (e) {
    writeFailure ??= e as NodeJS.ErrnoException;
  }
  const dropped = capture.dropped;
  sayPainted(i18n.t(file.frames === 1 ? 'live.captured.one' : 'live.captured.other', {
    count: file.frames, iface: terminalText(args.iface), path: terminalText(capturePath),
    dropped: dropped ? errChalk.yellow(i18n.t('live.dropped', { count: dropped })) : '',
  }));
  if (capture.captured !== null && capture.captured !== file.frames && !writeFailure) {
    sayPainted(errChalk.yellow(i18n.t('live.mismatch', { backend, captured: capture.captured, frames: file.frames })));
  }
  if (writeFailure) {
    const err = writeFailure as NodeJS.ErrnoException;
    say(i18n.t('live.notSaved', { why: err.code ? i18n.t('live.notSaved.writing', { code: err.code, path: capturePath }) : err.message }));
    releaseSignals();
    return 1;
  }
  if (analysisFailure) {
    const { frame, error } = analysisFailure as { frame: number; error: Error };
    say(`internal error analysing frame ${frame}: ${error.message} (please report it with ${capturePath}; VRRPSCOPE_DEBUG=1 shows details)`);
    if (process.env.VRRPSCOPE_DEBUG) process.stderr.write(String(error.stack) + '\n');
    releaseSignals();
    return 70;
  }

  // From here a second Ctrl-C ends the process at once (default action): the capture is complete.
  releaseSignals();
  let code = 0;
  if (reportPath === '-' && outClosed) say(i18n.t('live.noReport', { path: capturePath }));
  else {
    code = (await renderReport([capturePath, '--format', args.format, '-o', reportPath, '--lang', args.lang, ...args.reportExtra, ...(args.noColor ? ['--no-color'] : [])])) ?? 0;
  }
  return captureError ? code || 1 : code;
}
