// The second pass jumps to the frames it wants through resume points recorded in the first: what it
// reads from there must be exactly what reading the whole sequence gives (numbers, files, interfaces,
// times, bytes, comments), for pcap, pcapng and several files merged.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeFiles } from '../../src/pipeline.js';
import { ResumeIndex, type ResumePoint } from '../../src/io/reader.js';
import type { Frame } from '../../src/io/frame.js';
import { fixture } from '../support/captures.js';

const LAB = fixture('lab');

function frameText(f: Frame): string {
  return [f.n, f.fileIndex, f.fileFrame, f.iface, f.linkType, f.tsSec, f.tsNs, f.origLen, Buffer.from(f.data).toString('hex'), (f.comments ?? []).join('|')].join(' ');
}

function compareReplays(paths: string[], pick: (n: number) => boolean): { wanted: number; seeks: number } {
  const a = analyzeFiles(paths, { resumeInterval: 16 });
  const wanted: number[] = [];
  for (let n = 1; n <= a.frames; n++) if (pick(n)) wanted.push(n);
  const whole: string[] = [];
  a.store.replay((n) => pick(n), (f, pkt) => whole.push(frameText(f) + ' ' + (pkt.tcp?.seq ?? '')));
  const jumped: string[] = [];
  a.store.replay(wanted, (f, pkt) => jumped.push(frameText(f) + ' ' + (pkt.tcp?.seq ?? '')));
  expect(jumped).toEqual(whole);
  expect(jumped.length).toBe(wanted.length);
  return { wanted: wanted.length, seeks: a.store.resumePoints };
}

describe('second pass through resume points', () => {
  it('pcapng with several interfaces and nanosecond times', () => {
    const r = compareReplays([join(LAB, 'healthcheck-mix', 'healthcheck-mix.pcapng')], (n) => n % 997 === 3 || n === 9221);
    expect(r.wanted).toBeGreaterThan(5);
    expect(r.seeks).toBeGreaterThan(100);
  });

  it('pcapng with three sections, each with its own interfaces, and both byte orders merged', () => {
    const gen = fixture('public/pcapng-test-generator');
    // One resume point per frame (interval 1 through the index): every jump crosses section state.
    const files = [join(gen, 'output_le', 'difficult', 'test202.pcapng'), join(gen, 'output_be', 'difficult', 'test202.pcapng')];
    const a = analyzeFiles(files, { resumeInterval: 1 });
    expect(a.frames).toBe(22);
    const wanted = [3, 9, 14, 22];
    const whole: string[] = [], jumped: string[] = [];
    a.store.replay((n) => wanted.includes(n), (f) => whole.push(frameText(f)));
    a.store.replay(wanted, (f) => jumped.push(frameText(f)));
    expect(jumped).toEqual(whole);
    expect(jumped).toHaveLength(4);
  });

  it('several pcap files merged by time (microsecond and Linux cooked)', () => {
    compareReplays([
      join(LAB, 'lvs-nat-basic', 'lvs-nat-basic-back.pcap'),
      join(LAB, 'lvs-nat-basic', 'lvs-nat-basic-d1-any.pcap'),
      join(LAB, 'lvs-nat-basic', 'lvs-nat-basic-front.pcap'),
    ], (n) => n % 301 === 0 || n === 1 || n === 1484);
  });

  it('nanosecond pcap, frames clustered and far apart', () => {
    compareReplays([join(LAB, 'quorum-sorry', 'quorum-sorry-back.pcap'), join(LAB, 'quorum-sorry', 'quorum-sorry-front.pcap')],
      (n) => (n > 100 && n < 140) || n % 1000 === 17 || n === 4004);
  });
});

describe('resume index', () => {
  const point = (n: number): ResumePoint => ({ n, files: [] });

  it('finds the last point at or before a frame', () => {
    const ix = new ResumeIndex(4);
    for (let n = 1; n <= 40; n += 4) ix.add(point(n));
    expect(ix.before(0)).toBeNull();
    expect(ix.before(1)?.n).toBe(1);
    expect(ix.before(8)?.n).toBe(5);
    expect(ix.before(9)?.n).toBe(9);
    expect(ix.before(1000)?.n).toBe(37);
  });

  it('stays bounded: past its size, every other point goes and the interval doubles', () => {
    const ix = new ResumeIndex(4, 8);
    for (let count = 0; count < 4000; count++) if (count % ix.interval === 0) ix.add(point(count + 1)); // as the reader does
    expect(ix.points.length).toBeLessThanOrEqual(8);
    for (const p of ix.points) expect((p.n - 1) % ix.interval).toBe(0);
    expect(ix.before(4000)!.n).toBeGreaterThan(4000 - 2 * ix.interval);
  });
});
