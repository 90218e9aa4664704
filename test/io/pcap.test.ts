import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapParser } from '../../src/io/pcap.js';
import { PcapngParser } from '../../src/io/pcapng.js';
import { openCaptures, CaptureError } from '../../src/io/reader.js';
import type { Frame } from '../../src/io/frame.js';
import { pcapBytes, vrrpFrame } from '../support/build.js';
import { readFileSync } from 'node:fs';
import { fixture } from '../support/captures.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-io-'));
const put = (name: string, bytes: Uint8Array) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };

function readFile(path: string): { frames: Frame[]; warnings: { message: string; offset?: number; fileFrame?: number }[] } {
  const { source } = openCaptures([path]);
  const frames: Frame[] = [];
  let f;
  while ((f = source.next())) frames.push(f);
  return { frames, warnings: source.warnings };
}

const three = [
  { sec: 1795550331, frac: 123456, data: vrrpFrame({ priority: 150 }) },
  { sec: 1795550332, frac: 123999, data: vrrpFrame({ priority: 150 }) },
  { sec: 1795550333, frac: 5, data: vrrpFrame({ priority: 0 }) },
];

describe('classic pcap', () => {
  it('reads little-endian microsecond files', () => {
    const { frames, warnings } = readFile(put('le.pcap', pcapBytes(three)));
    expect(warnings).toEqual([]);
    expect(frames.map((f) => [f.n, f.tsSec, f.tsNs])).toEqual([[1, 1795550331, 123456000], [2, 1795550332, 123999000], [3, 1795550333, 5000]]);
    expect(Buffer.from(frames[2].data).equals(Buffer.from(three[2].data))).toBe(true);
  });

  it('reads big-endian nanosecond files with every digit', () => {
    const ns = three.map((f, i) => ({ ...f, frac: [999999999, 1, 500000000][i] }));
    const { frames } = readFile(put('be-ns.pcap', pcapBytes(ns, { little: false, nano: true })));
    expect(frames.map((f) => f.tsNs)).toEqual([999999999, 1, 500000000]);
  });

  it('gives the same frames whether bytes arrive at once or one by one (live pipes)', () => {
    const bytes = pcapBytes(three);
    const whole = new PcapParser(0); whole.push(bytes); whole.finish();
    const a: Frame[] = []; let f; while ((f = whole.next())) a.push(f);
    const drip = new PcapParser(0); const b: Frame[] = [];
    for (const byte of bytes) { drip.push(Uint8Array.of(byte)); while ((f = drip.next())) b.push(f); }
    drip.finish(); while ((f = drip.next())) b.push(f);
    expect(b.map((x) => [x.tsSec, x.tsNs, Buffer.from(x.data).toString('hex')])).toEqual(a.map((x) => [x.tsSec, x.tsNs, Buffer.from(x.data).toString('hex')]));
  });

  it('a file cut in the middle of a frame yields the frames before it and a warning naming frame and offset', () => {
    const bytes = pcapBytes(three);
    const { frames, warnings } = readFile(put('cut.pcap', bytes.subarray(0, bytes.length - 10)));
    expect(frames.length).toBe(2);
    expect(warnings.length).toBe(1);
    expect(warnings[0].fileFrame).toBe(3);
    expect(warnings[0].offset).toBe(24 + 2 * (16 + three[0].data.length));
    expect(warnings[0].message).toMatch(/cut short/);
  });

  it('a corrupt record length stops reading at once, without buffering the claimed size', () => {
    const bytes = pcapBytes(three);
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0x7fffffff, 24 + 16 + three[0].data.length + 8); // caplen of frame 2
    const { frames, warnings } = readFile(put('corrupt.pcap', bad));
    expect(frames.length).toBe(1);
    expect(warnings[0].message).toMatch(/2147483647 captured bytes/);
    expect(warnings[0].fileFrame).toBe(2);
  });

  it('empty, short and foreign files are errors with one clear line', () => {
    expect(() => openCaptures([put('empty.pcap', new Uint8Array(0))])).toThrow(new CaptureError(join(dir, 'empty.pcap') + ': the file is empty'));
    expect(() => openCaptures([put('text.pcap', Buffer.from('hello, this is not a capture\n'))])).toThrow(/not a pcap or pcapng capture/);
    expect(() => openCaptures([put('gz.pcap', Buffer.from([0x1f, 0x8b, 8, 0]))])).toThrow(/gzip/);
    expect(() => openCaptures([join(dir, 'missing.pcap')])).toThrow(/no such file/);
    const short = pcapBytes([]).subarray(0, 10);
    expect(() => readFile(put('short.pcap', short))).toThrow(/too short to be a pcap file/);
  });
});

describe('several files merged by time', () => {
  it('interleaves frames by timestamp and keeps each frame\'s file and number', () => {
    const a = put('a.pcap', pcapBytes([three[0], three[2]]));
    const b = put('b.pcap', pcapBytes([three[1]], { nano: true, little: false }));
    const { source } = openCaptures([a, b]);
    const out: Frame[] = []; let f; while ((f = source.next())) out.push(f);
    expect(out.map((x) => [x.n, x.fileIndex, x.fileFrame, x.tsSec])).toEqual([
      [1, 0, 1, 1795550331], [2, 1, 1, 1795550332], [3, 0, 2, 1795550333],
    ]);
  });

  it('merges the front and back captures of a lab in time order', () => {
    const lab = fixture('lab/director-failover');
    const { source } = openCaptures([join(lab, 'director-failover-front.pcap'), join(lab, 'director-failover-back.pcap')]);
    let n = 0, prev = -Infinity, ok = true, f;
    while ((f = source.next())) { n++; const t = f.tsSec + f.tsNs / 1e9; if (t < prev) ok = false; prev = t; }
    expect(n).toBe(2264 + 2802);
    expect(ok).toBe(true);
  });
});

describe('pcapng', () => {
  it('keeps nanosecond if_tsresol timestamps exact (healthcheck-mix)', () => {
    const p = new PcapngParser(0);
    p.push(readFileSync(fixture('lab/healthcheck-mix/healthcheck-mix.pcapng')));
    p.finish();
    const last: Frame[] = []; let f; while ((f = p.next())) last.push(f);
    expect(last.length).toBe(9221);
    expect(`${last[9220].tsSec}.${String(last[9220].tsNs).padStart(9, '0')}`).toBe('1795549817.505852120');
    expect(p.timeDigits).toBe(9);
  });

  it('a block whose trailing length disagrees ends reading with a warning', () => {
    const bytes = Buffer.from(readFileSync(fixture('public/pcapng-test-generator/output_le/basic/test009.pcapng')));
    bytes.writeUInt32LE(0xdeadbeef, bytes.length - 4);
    const { frames, warnings } = readFile(put('bad-trailer.pcapng', bytes));
    expect(frames.length).toBe(1);
    expect(warnings[0].message).toMatch(/trailing length/);
  });
});
