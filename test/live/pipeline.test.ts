// The live pipeline without a network: capture byte streams cut into chunks of every size go through
// CaptureStream (what the tcpdump backend feeds) and LiveSession (what every backend feeds), and must
// give the events of the file pipeline, print each of them once, and save a capture that reads back
// frame for frame. Plus the pieces that decide and explain: backend choice and error lines.

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { Chalk } from 'chalk';
import { analyzeFiles } from '../../src/pipeline.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { I18n } from '../../src/present/i18n/index.js';
import { CaptureFile } from '../../src/io/reader.js';
import { CaptureStream, LiveError, checkInterface, chooseBackend, classifyCaptureError } from '../../src/io/live.js';
import { LiveCaptureFile } from '../../src/io/live-file.js';
import { Say } from '../../src/present/say/index.js';
import { LiveSession, clockTime, colourLevel, eventLine, framesText, parseLiveArgs } from '../../src/cli/live.js';
import { isLiveReport } from '../../src/cli/args.js';
import { FIXTURES, fixtureCaptures } from '../support/captures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FAILOVER = join(ROOT, 'captures/vrrp-failover.pcap');
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-live-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Our own lab captures and the shared lab ones (LVS, health checks, HTTP: the stateful decoders too). */
function captures(): string[] {
  const own = readdirSync(join(ROOT, 'captures')).filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => join(ROOT, 'captures', f));
  return [...own, ...fixtureCaptures('lab')];
}

/** Deterministic chunk sizes: a seeded generator so a failure can be replayed. */
function* chunkSizes(seed: number, max: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    yield 1 + (x % max);
  }
}

interface LiveRun { events: AnalysisEvent[]; printed: string[]; frames: number; file: string }

/** The bytes of a capture pushed through the live path in chunks; the frames saved to a pcapng. */
function liveRun(path: string, sizes: Iterator<number>): LiveRun {
  const i18n = new I18n('en');
  const printed: string[] = [];
  const out = join(dir, `${path.split('/').pop()}-${Math.random().toString(36).slice(2)}.pcapng`);
  const file = new LiveCaptureFile(out, { iface: 'test0', description: 'unit test' });
  const session = new LiveSession({ analyzers: defaultAnalyzers(), i18n, file, onEvent: (e) => printed.push(e.id) });
  const stream = new CaptureStream(session.frame);
  const bytes = readFileSync(path);
  for (let off = 0; off < bytes.length;) {
    const n = sizes.next().value as number;
    // a fresh copy per chunk, as a pipe delivers them
    stream.push(Uint8Array.prototype.slice.call(bytes, off, off + n));
    off += n;
  }
  expect(stream.end()).toBe(null);
  session.finish();
  file.close();
  return { events: session.events, printed, frames: session.frames, file: out };
}

function frameRows(path: string): string[] {
  const f = new CaptureFile(path, 0);
  const rows: string[] = [];
  try {
    let fr;
    while ((fr = f.next())) rows.push(`${fr.tsSec}.${String(fr.tsNs).padStart(9, '0')} ${fr.caplen}/${fr.origLen} ${createHash('sha1').update(fr.data).digest('hex')}`);
  } finally {
    f.close();
  }
  return rows;
}

describe('live pipeline = file pipeline', () => {
  const fileEvents = (path: string) => analyzeFiles([path], { analyzers: defaultAnalyzers(), lang: 'en' });

  it('vrrp-failover.pcap in chunks of 1, 7, 4096 bytes and random sizes: same events, each printed once', () => {
    const expected = fileEvents(FAILOVER);
    expect(expected.events.filter((e) => e.kind === 'vrrp.master').length).toBe(4);
    for (const sizes of [[1], [7], [4096], null]) {
      const run = liveRun(FAILOVER, sizes ? (function* () { for (;;) yield sizes[0]; })() : chunkSizes(5, 300));
      expect(run.frames).toBe(expected.frames);
      expect(run.events).toEqual(expected.events);
      expect([...run.printed].sort()).toEqual(expected.events.map((e) => e.id).sort());
    }
  });

  it('the saved pcapng has every frame, in order, with the same bytes and times, and reports the same', () => {
    const run = liveRun(FAILOVER, chunkSizes(11, 97));
    expect(frameRows(run.file)).toEqual(frameRows(FAILOVER));
    const again = fileEvents(run.file);
    expect(again.frames).toBe(run.frames);
    expect(again.events).toEqual(run.events);
  });

  for (const path of captures()) {
    it(`${path.replace(ROOT, '').replace(FIXTURES, 'test/fixtures')}: random chunks give the file's events and frames`, () => {
      const expected = fileEvents(path);
      const run = liveRun(path, chunkSizes(path.length, 1500));
      expect(run.frames).toBe(expected.frames);
      expect(run.events).toEqual(expected.events);
      expect(frameRows(run.file)).toEqual(frameRows(path));
    });
  }

  it('a stream that is not a capture is refused; an empty one is no error', () => {
    const s = new CaptureStream(() => {});
    expect(() => s.push(Buffer.from('hello, world'))).toThrow(LiveError);
    const empty = new CaptureStream(() => {});
    expect(empty.end()).toBe(null);
    const cut = new CaptureStream(() => {});
    cut.push(Uint8Array.of(0xd4, 0xc3));
    expect(cut.end()).toMatch(/header/);
  });
});

describe('event lines', () => {
  const e: AnalysisEvent = {
    id: 'e1', kind: 'vrrp.master', time: 1795550331.5, frames: [5, 6], severity: 'info', vrid: 51, family: 4, version: 2, router: '10.0.0.11',
    mac: '02:00:0a:00:00:0b', priority: 150, reason: 'initial', previous: null, prevPriority: null, resumed: null, gapMs: null, expectedMs: null,
    intervalMs: 1000, skewMs: 414.063, late: false, addresses: ['10.0.0.100'],
  };
  const sentence = '10.0.0.11 becomes master of VRID 51 (priority 150) and announces 10.0.0.100: the first master seen in the capture.';

  it('time, kind, frames, summary on one line; colour only when asked', () => {
    const say = new Say('en');
    const plain = eventLine(e, new Chalk({ level: 0 }), say);
    expect(plain).toBe(`${clockTime(e.time)}  vrrp.master       #5,#6  ${sentence}`);
    expect(plain).not.toMatch(/\x1b\[/);
    expect(eventLine(e, new Chalk({ level: 1 }), say)).toMatch(/\x1b\[32mvrrp\.master/);
    // Text from packets may hold line breaks (a VRRP problem quoting bytes): one line all the same.
    const invalid: AnalysisEvent = { id: 'e2', kind: 'vrrp.invalid', time: e.time, frames: [7], severity: 'warning', vrid: 51, router: '10.0.0.13', problem: 'two\nlines', keepalivedLog: 'x', count: 1 };
    expect(eventLine(invalid, new Chalk({ level: 0 }), say)).not.toMatch(/\n/);
    expect(framesText([1, 2, 3, 4, 5, 6, 7, 8])).toBe('#1,#2,#3,#4,#5,#6,…(+2)');
  });

  it('colour: a terminal without NO_COLOR; never with NO_COLOR, --no-color or FORCE_COLOR=0', () => {
    expect(colourLevel({ isTTY: false }, false, {})).toBe(0);
    expect(colourLevel({ isTTY: true }, false, {})).toBeGreaterThan(0);
    expect(colourLevel({ isTTY: true }, false, { NO_COLOR: '1' })).toBe(0);
    expect(colourLevel({ isTTY: true }, true, {})).toBe(0);
    expect(colourLevel({ isTTY: true }, false, { FORCE_COLOR: '0' })).toBe(0);
    expect(colourLevel({ isTTY: false }, false, { FORCE_COLOR: '1' })).toBeGreaterThan(0);
    expect(colourLevel({ isTTY: false }, false, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(0);
  });
});

describe('choosing and explaining', () => {
  const capOk = { available: true };
  const capMissing = { available: false, why: 'the cap module is not installed' };

  it('auto: cap when it loads, else tcpdump (saying why), else a line saying what to install', () => {
    expect(chooseBackend('auto', capOk, '/usr/bin/tcpdump')).toEqual({ name: 'cap', note: null });
    expect(chooseBackend('auto', capMissing, '/usr/bin/tcpdump')).toEqual({ name: 'tcpdump', note: 'the cap module is not installed' });
    expect(() => chooseBackend('auto', capMissing, null)).toThrow(/no capture backend: the cap module is not installed and tcpdump is not installed; install tcpdump \(apt-get install tcpdump\), or libpcap-dev .* npm rebuild cap/);
  });

  it('forced: the one asked for, or why not', () => {
    expect(chooseBackend('tcpdump', capOk, '/usr/bin/tcpdump').name).toBe('tcpdump');
    expect(chooseBackend('cap', capOk, null).name).toBe('cap');
    expect(() => chooseBackend('cap', capMissing, '/usr/bin/tcpdump')).toThrow(/cap backend is not available: the cap module is not installed; install libpcap-dev .*npm rebuild cap, or use --backend tcpdump/);
    expect(() => chooseBackend('tcpdump', capOk, null)).toThrow(/tcpdump is not installed \(apt-get install tcpdump\)/);
  });

  it('what tcpdump and libpcap (cap) say becomes one clear line', () => {
    const ifs = ['br0', 'eth0', 'lo'];
    const cases: [string, string, string, RegExp][] = [
      ['tcpdump', "tcpdump: br0: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)", 'permission', /^no permission to capture on br0: run as root, or give tcpdump the CAP_NET_RAW/],
      ['cap', 'socket: Operation not permitted', 'permission', /^no permission to capture on br0: run as root, or give node the CAP_NET_RAW/],
      ['tcpdump', 'tcpdump: br0: No such device exists\n(No such device exists)', 'no-interface', /^no interface "br0" in this network namespace; interfaces here: br0, eth0, lo$/],
      ['cap', 'No such device exists', 'no-interface', /^no interface "br0"/],
      ['tcpdump', "tcpdump: can't parse filter expression: syntax error", 'filter', /^the capture filter does not compile: can't parse filter expression: syntax error$/],
      ['cap', "can't parse filter expression: syntax error", 'filter', /^the capture filter does not compile/],
      ['tcpdump', 'tcpdump: something new went wrong\n', 'failed', /^tcpdump failed on br0: something new went wrong$/],
    ];
    for (const [backend, text, kind, message] of cases) {
      const e = classifyCaptureError('br0', text, backend, ifs);
      expect(e.kind, text).toBe(kind);
      expect(e.message, text).toMatch(message);
      expect(e.message).not.toMatch(/\n/);
    }
  });

  it('an interface that does not exist is refused before capturing, with the list of those that do', () => {
    expect(() => checkInterface('br9', ['br0', 'lo'])).toThrow(/^no interface "br9" in this network namespace; interfaces here: br0, lo$/);
    for (const ok of ['br0', 'any', 'nflog', '2']) expect(() => checkInterface(ok, ['br0', 'lo'])).not.toThrow();
    expect(() => checkInterface('br9', null)).not.toThrow(); // cannot list: the backend will say
  });

  it('arguments: live and report --iface', () => {
    expect(parseLiveArgs(['--iface', 'br0', '--filter', 'vrrp or arp', '--duration=2.5', '--backend', 'tcpdump', '-f', 'json', '--all-frames', '--no-color']))
      .toMatchObject({ iface: 'br0', filter: 'vrrp or arp', duration: 2.5, backend: 'tcpdump', format: 'json', noColor: true, reportExtra: ['--all-frames'] });
    expect(parseLiveArgs(['--iface', 'br0', '--config', 'k.conf', '--expect', 'preemption']).reportExtra).toEqual(['--config', 'k.conf', '--expect', 'preemption']);
    expect(() => parseLiveArgs([])).toThrow(/--iface/);
    expect(() => parseLiveArgs(['--iface', 'br0', 'x.pcap'])).toThrow(/not files/);
    expect(() => parseLiveArgs(['--iface', 'br0', '--backend', 'pf_ring'])).toThrow(/--backend takes/);
    expect(() => parseLiveArgs(['--iface', 'br0', '--duration', '-1'])).toThrow(/--duration/);
    expect(() => parseLiveArgs(['--iface', 'br0', '--format', 'xml'])).toThrow(/unknown format/);
    expect(isLiveReport(['--iface', 'br0'])).toBe(true);
    expect(isLiveReport(['--iface=br0'])).toBe(true);
    expect(isLiveReport(['a.pcap', '--format', 'json'])).toBe(false);
  });
});
