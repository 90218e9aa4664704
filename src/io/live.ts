// Live capture: the frames of a network interface as they arrive, from one of two backends. `cap` is a
// libpcap binding (an optional dependency: it needs a native build against libpcap-dev); `tcpdump` is a
// child `tcpdump -U -w -` whose pcap stream feeds the same incremental parser as files do. Either way a
// frame is handed over synchronously, in arrival order: the order it is written to the capture file and
// analysed in, so the live analysis and the saved file agree on frame numbers by construction.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { Frame, LinkType } from './frame.js';
import type { CaptureParser } from './parser.js';
import { parserFor } from './reader.js';

export type BackendName = 'cap' | 'tcpdump';
export const BACKENDS: readonly BackendName[] = ['cap', 'tcpdump'];

export type LiveErrorKind = 'permission' | 'no-interface' | 'no-backend' | 'filter' | 'failed';

/** A capture that cannot start or went wrong: the CLI prints `message` on one line. */
export class LiveError extends Error {
  constructor(message: string, readonly kind: LiveErrorKind) {
    super(message);
  }
}

// ------------------------------------------------------------------ byte stream → frames

/**
 * A capture byte stream as `tcpdump -w -` (pcap) or `dumpcap -w -` (pcapng) writes it, turned into
 * frames by the file readers' incremental parsers. Chunks may be cut anywhere.
 */
export class CaptureStream {
  private parser: CaptureParser | null = null;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private ended = false;

  constructor(private readonly onFrame: (f: Frame) => void) {}

  /** Link types of the stream so far (known once its header has arrived). */
  get linkTypes(): number[] {
    return this.parser?.linkTypes ?? [];
  }

  /** Problems the parser met (a frame cut short at the very end, for instance). */
  get warnings(): string[] {
    return (this.parser?.warnings ?? []).map((w) => w.message);
  }

  push(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    if (!this.parser) {
      // The magic number decides the format: wait for its 4 bytes.
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < 4) return;
      const first = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head);
      this.head = [];
      this.parser = parserFor(first, 0);
      if (!this.parser) throw new LiveError('the capture program wrote something that is not a pcap or pcapng stream', 'failed');
      this.parser.push(first);
    } else {
      this.parser.push(chunk);
    }
    this.drain();
  }

  /** End of the stream: hands over what is left. Returns a problem with the stream, or null. */
  end(): string | null {
    if (this.ended) return null;
    this.ended = true;
    if (!this.parser) return this.headBytes > 0 ? 'the capture stream ended inside its header' : null;
    this.parser.finish();
    this.drain();
    // An empty stream is no error here (the program stopped before writing anything).
    return this.parser.fatal && this.parser.fatal !== 'the file is empty' ? this.parser.fatal.replace('file', 'stream') : null;
  }

  private drain(): void {
    const p = this.parser!;
    let f: Frame | null;
    while ((f = p.next())) this.onFrame(f);
  }
}

// ------------------------------------------------------------------ interfaces

/** libpcap devices that are not network interfaces (no entry in /sys/class/net). */
const PSEUDO_DEVICE = /^(any|nflog(:\d+)?|nfqueue(:\d+)?|dbus-(system|session)|bluetooth(-monitor|\d+)|usbmon\d*|\d+)$/;

/** The network interfaces of this network namespace, sorted; null where they cannot be listed. */
export function listInterfaces(): string[] | null {
  try {
    return readdirSync('/sys/class/net').sort();
  } catch {
    return null;
  }
}

/** Throws a one-line error when `iface` is not an interface here (names libpcap invents pass). */
export function checkInterface(iface: string, interfaces: string[] | null = listInterfaces()): void {
  if (!iface) throw new LiveError('--iface needs an interface name', 'no-interface');
  if (interfaces === null || interfaces.includes(iface) || PSEUDO_DEVICE.test(iface)) return;
  throw noInterface(iface, interfaces);
}

function noInterface(iface: string, interfaces: string[] | null): LiveError {
  const list = interfaces && interfaces.length ? `; interfaces here: ${interfaces.join(', ')}` : '';
  return new LiveError(`no interface "${iface}" in this network namespace${list}`, 'no-interface');
}

/**
 * A backend's own error text, as one clear line: no permission, no such interface, a filter that does
 * not compile, or whatever else the backend said.
 */
export function classifyCaptureError(iface: string, text: string, backend: string, interfaces: string[] | null = listInterfaces()): LiveError {
  const said = text.split('\n').map((l) => l.replace(/^tcpdump: /, '').trim()).filter((l) => l && !/^Warning: /i.test(l));
  const all = said.join(' ');
  if (/permission|Operation not permitted|EPERM|EACCES/i.test(all)) {
    return new LiveError(`no permission to capture on ${iface}: run as root, or give ${backend === 'cap' ? 'node' : 'tcpdump'} the CAP_NET_RAW and CAP_NET_ADMIN capabilities`, 'permission');
  }
  if (/No such device|doesn't exist|does not exist|not found/i.test(all) && !/filter/i.test(all)) return noInterface(iface, interfaces);
  if (/filter expression|syntax error|parse filter|BPF program|unknown host|illegal/i.test(all)) {
    return new LiveError(`the capture filter does not compile: ${said.find((l) => /filter|syntax|illegal|unknown/i.test(l)) ?? all}`, 'filter');
  }
  return new LiveError(`${backend} failed on ${iface}: ${said[0] ?? 'no message'}`, 'failed');
}

// ------------------------------------------------------------------ backends

interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): boolean;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): void;
}
interface CapModule {
  Cap: new () => CapHandle;
}

export type CapProbe = { available: true; module: CapModule; version: string } | { available: false; why: string };

let capProbe: CapProbe | null = null;

/** Loads the optional `cap` module once; says why when it cannot be used. */
export function probeCap(): CapProbe {
  if (capProbe) return capProbe;
  const require = createRequire(import.meta.url);
  try {
    const module = require('cap') as CapModule;
    let version = '';
    try { version = (require('cap/package.json') as { version: string }).version; } catch { /* unknown */ }
    capProbe = { available: true, module, version };
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    let why: string;
    if (/Cannot find module 'cap'/.test(msg)) why = 'the cap module is not installed';
    else if (/cap\.node|build\/Release/.test(msg)) why = 'the cap module is installed but not built (npm skipped or failed its native build)';
    else if (/libpcap/.test(msg)) why = `the cap module cannot load libpcap (${msg.split('\n')[0]})`;
    else why = `the cap module does not load (${msg.split('\n')[0]})`;
    capProbe = { available: false, why };
  }
  return capProbe;
}

/**
 * The tcpdump to run: $VRRPSCOPE_TCPDUMP, else tcpdump on PATH or in the sbin directories (which a
 * normal user's PATH lacks on some systems).
 */
export function findTcpdump(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.VRRPSCOPE_TCPDUMP) return env.VRRPSCOPE_TCPDUMP;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    const p = join(d, 'tcpdump');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* next */ }
  }
  return null;
}

export interface BackendChoice {
  name: BackendName;
  /** Why cap is not the one (auto mode), for the user. */
  note: string | null;
}

const INSTALL_HINT = 'install tcpdump (apt-get install tcpdump), or libpcap-dev (apt-get install libpcap-dev) and then run npm rebuild cap';

/**
 * Which backend captures: the one asked for, or cap when it loads and tcpdump otherwise. Throws a
 * one-line error saying what to install when the wanted backend (or any, in auto mode) is missing.
 */
export function chooseBackend(wanted: 'auto' | BackendName, cap: { available: boolean; why?: string }, tcpdump: string | null): BackendChoice {
  if (wanted === 'cap') {
    if (cap.available) return { name: 'cap', note: null };
    throw new LiveError(`the cap backend is not available: ${cap.why}; install libpcap-dev (apt-get install libpcap-dev) and run npm rebuild cap, or use --backend tcpdump`, 'no-backend');
  }
  if (wanted === 'tcpdump') {
    if (tcpdump) return { name: 'tcpdump', note: null };
    throw new LiveError('tcpdump is not installed (apt-get install tcpdump), or use --backend cap', 'no-backend');
  }
  if (cap.available) return { name: 'cap', note: null };
  if (tcpdump) return { name: 'tcpdump', note: cap.why ?? null };
  throw new LiveError(`no capture backend: ${cap.why} and tcpdump is not installed; ${INSTALL_HINT}`, 'no-backend');
}

export interface LiveCaptureOptions {
  iface: string;
  /** BPF filter (tcpdump/pcap-filter syntax), or undefined for every frame. */
  filter?: string;
  /** Called synchronously for every frame, in arrival order. */
  onFrame(f: Frame): void;
  /** What the backend said that is worth passing on (tcpdump warnings). */
  onNotice?(text: string): void;
}

export interface LiveCapture {
  readonly backend: BackendName;
  /** The program or library doing the capture, for the user ("tcpdump 4.99.3, libpcap 1.10.3"). */
  readonly description: string;
  /** LINKTYPE_* of the interface, once known. */
  readonly linkType: number | null;
  /** Frames the kernel dropped (known after stop, when the backend reports it). */
  readonly dropped: number | null;
  /** Frames the backend says it captured (known after stop, when it reports it): a check on our count. */
  readonly captured: number | null;
  /** Settles when the capture ends: null after stop(), the error when it failed by itself. */
  readonly ended: Promise<LiveError | null>;
  /** Stops capturing; resolves once every frame the backend received has been handed over. */
  stop(): Promise<void>;
  /** Stops at once (frames still in flight are lost). */
  kill(): void;
}

export function openCapture(choice: BackendName, opts: LiveCaptureOptions, env: NodeJS.ProcessEnv = process.env): Promise<LiveCapture> {
  if (choice === 'cap') {
    const probe = probeCap();
    if (!probe.available) return Promise.reject(new LiveError(`the cap backend is not available: ${probe.why}`, 'no-backend'));
    return Promise.resolve(CapCapture.open(probe.module, probe.version, opts));
  }
  const program = findTcpdump(env);
  if (!program) return Promise.reject(new LiveError('tcpdump is not installed (apt-get install tcpdump)', 'no-backend'));
  return TcpdumpCapture.open(program, opts);
}

// ------------------------------------------------------------------ tcpdump

/** tcpdump's stderr line once the capture is running. */
const TCPDUMP_READY = /listening on /;
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

function tcpdumpVersion(program: string): string {
  try {
    const out = execFileSync(program, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
    const t = /tcpdump version (\S+)/.exec(out)?.[1];
    const l = /libpcap version (\S+)/.exec(out)?.[1];
    return t ? `tcpdump ${t}${l ? `, libpcap ${l}` : ''}` : program;
  } catch {
    return program;
  }
}

class TcpdumpCapture implements LiveCapture {
  readonly backend = 'tcpdump' as const;
  dropped: number | null = null;
  captured: number | null = null;
  readonly ended: Promise<LiveError | null>;
  private settle!: (e: LiveError | null) => void;
  private stderrText = '';
  private stopping = false;
  private closed = false;
  private readonly stream: CaptureStream;

  private constructor(readonly description: string, private readonly child: ChildProcess, private readonly opts: LiveCaptureOptions) {
    this.ended = new Promise((resolve) => { this.settle = resolve; });
    this.stream = new CaptureStream(opts.onFrame);
  }

  get linkType(): number | null {
    return this.stream.linkTypes[0] ?? null;
  }

  static open(program: string, opts: LiveCaptureOptions): Promise<LiveCapture> {
    const args = ['-i', opts.iface, '-U', '-w', '-', '--immediate-mode', '--time-stamp-precision=nano', '-B', '8192'];
    if (opts.filter) args.push(opts.filter);
    const description = tcpdumpVersion(program);
    // Own process group: a Ctrl-C on the terminal reaches vrrpscope only, which then stops tcpdump
    // itself and reads its stream to the end.
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const cap = new TcpdumpCapture(description, child, opts);
    return cap.start(program);
  }

  private start(program: string): Promise<LiveCapture> {
    const child = this.child;
    const killOnExit = () => { if (!this.closed) try { child.kill('SIGKILL'); } catch { /* gone */ } };
    process.on('exit', killOnExit);
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        if (ready) return;
        child.kill('SIGKILL');
        reject(new LiveError(`tcpdump did not start capturing on ${this.opts.iface} within ${READY_TIMEOUT_MS / 1000} s`, 'failed'));
      }, READY_TIMEOUT_MS);
      let line = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (s: string) => {
        this.stderrText = (this.stderrText + s).slice(-8192);
        line += s;
        let i: number;
        while ((i = line.indexOf('\n')) >= 0) {
          const l = line.slice(0, i).trim();
          line = line.slice(i + 1);
          if (!ready && TCPDUMP_READY.test(l)) {
            ready = true;
            clearTimeout(timer);
            resolve(this);
          } else if (/WARNING/i.test(l)) this.opts.onNotice?.(l.replace(/^tcpdump: /, ''));
          const d = /^(\d+) packets? dropped by kernel/.exec(l);
          if (d) this.dropped = Number(d[1]);
          const c = /^(\d+) packets? captured/.exec(l);
          if (c) this.captured = Number(c[1]);
        }
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        try {
          this.stream.push(chunk);
        } catch (e) {
          this.fail(e instanceof LiveError ? e : new LiveError(String((e as Error).message), 'failed'));
        }
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const err = new LiveError(e.code === 'ENOENT' ? `${program} not found (apt-get install tcpdump)` : `cannot run ${program}: ${e.message}`, e.code === 'ENOENT' ? 'no-backend' : 'failed');
        if (!ready) reject(err); else this.fail(err);
      });
      // 'close': the process has exited and its stdout and stderr are read to the end.
      child.on('close', (code, signal) => {
        this.closed = true;
        process.removeListener('exit', killOnExit);
        clearTimeout(timer);
        const problem = this.stream.end();
        if (!ready) {
          ready = true;
          reject(classifyCaptureError(this.opts.iface, this.stderrText || `exit status ${code ?? signal}`, 'tcpdump'));
          return;
        }
        if (this.stopping || code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') {
          if (problem) this.opts.onNotice?.(problem);
          this.settle(null);
        } else {
          const why = this.stderrText.split('\n').map((l) => l.replace(/^tcpdump: /, '').trim())
            .filter((l) => l && !/packets? (captured|received|dropped)/.test(l)).pop();
          this.settle(new LiveError(`tcpdump stopped: ${why ?? `exit status ${code ?? signal}`}`, 'failed'));
        }
      });
    });
  }

  private fail(e: LiveError): void {
    this.settle(e);
    this.kill();
  }

  stop(): Promise<void> {
    if (!this.closed && !this.stopping) {
      this.stopping = true;
      // SIGINT: tcpdump writes what it has, its statistics, and exits.
      try { this.child.kill('SIGINT'); } catch { /* gone */ }
      const t = setTimeout(() => { try { this.child.kill('SIGKILL'); } catch { /* gone */ } }, STOP_TIMEOUT_MS);
      void this.ended.then(() => clearTimeout(t));
    }
    return this.ended.then(() => undefined);
  }

  kill(): void {
    this.stopping = true;
    if (!this.closed) try { this.child.kill('SIGKILL'); } catch { /* gone */ }
  }
}

// ------------------------------------------------------------------ cap (libpcap binding)

/** cap names the link type; LINKTYPE_* numbers for those it names, else the DLT it reports. */
function capLinkType(name: string): number {
  switch (name) {
    case 'ETHERNET': return LinkType.ETHERNET;
    case 'NULL': return LinkType.NULL;
    case 'LINKTYPE_LINUX_SLL': return LinkType.LINUX_SLL;
    case 'RAW': return LinkType.RAW;
    case 'IEEE802_11_RADIO': return 127;
    default: {
      const n = Number(/(\d+)$/.exec(name)?.[1]);
      return Number.isFinite(n) ? n : LinkType.ETHERNET;
    }
  }
}

const failedCapHandles: CapHandle[] = [];

/** cap copies every packet into one buffer of this size: libpcap's snapshot length there is 65535. */
const CAP_SNAPLEN = 65535;
const CAP_KERNEL_BUFFER = 16 * 1024 * 1024;
/** At stop, time for the packets already in the kernel's ring to be dispatched. */
const CAP_DRAIN_MS = 150;

class CapCapture implements LiveCapture {
  readonly backend = 'cap' as const;
  readonly dropped = null;
  readonly captured = null;
  readonly ended: Promise<LiveError | null>;
  private settle!: (e: LiveError | null) => void;
  private open = true;
  private count = 0;
  /** Epoch nanoseconds at hrtime `hr0`: cap passes no packet timestamps, so frames are stamped on arrival. */
  private readonly epoch0: bigint;
  private readonly hr0: bigint;

  private constructor(readonly description: string, private readonly handle: CapHandle, readonly linkType: number) {
    this.ended = new Promise((resolve) => { this.settle = resolve; });
    this.hr0 = process.hrtime.bigint();
    this.epoch0 = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  }

  static open(module: CapModule, version: string, opts: LiveCaptureOptions): LiveCapture {
    const handle = new module.Cap();
    const buffer = Buffer.alloc(CAP_SNAPLEN);
    let linkName: string;
    try {
      linkName = handle.open(opts.iface, opts.filter ?? '', CAP_KERNEL_BUFFER, buffer);
    } catch (e) {
      // cap 0.2.1 leaves a half-open handle whose destructor stops a libuv poll it never started
      // (a segfault at the next garbage collection): keep it reachable for the life of the process.
      failedCapHandles.push(handle);
      throw classifyCaptureError(opts.iface, String((e as Error).message), 'cap');
    }
    const cap = new CapCapture(`cap${version ? ' ' + version : ''} (libpcap binding)`, handle, capLinkType(linkName));
    handle.on('packet', (nbytes: number) => {
      if (!cap.open) return;
      const ns = cap.epoch0 + (process.hrtime.bigint() - cap.hr0);
      // The buffer is reused for the next packet: the frame gets its own copy.
      const data = buffer.slice(0, nbytes);
      const copy = new Uint8Array(nbytes);
      copy.set(data);
      const f = new Frame(0, ++cap.count, 0, cap.linkType, Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n), copy, 0, nbytes, nbytes, 0);
      opts.onFrame(f);
    });
    return cap;
  }

  stop(): Promise<void> {
    if (!this.open) return this.ended.then(() => undefined);
    return new Promise((resolve) => {
      setTimeout(() => {
        this.kill();
        resolve();
      }, CAP_DRAIN_MS);
    });
  }

  kill(): void {
    if (!this.open) return;
    this.open = false;
    try { this.handle.close(); } catch { /* closed */ }
    this.settle(null);
  }
}
