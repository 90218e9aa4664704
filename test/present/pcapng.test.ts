// The pcapng writer (round trip through our reader and through tshark) and the annotated-capture
// report: the input frames unchanged, and exactly the commented frames carrying our comments.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapngWriter } from '../../src/io/pcapng-writer.js';
import { PcapngParser } from '../../src/io/pcapng.js';
import { openCaptures } from '../../src/io/reader.js';
import type { Frame } from '../../src/io/frame.js';
import { writeAnnotatedPcapng } from '../../src/present/pcapng.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { tsharkOut } from '../support/tshark-cache.js';
import { CLI, reportJson, runCli } from '../support/ours.js';
import { fixture } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { vrrpFrame } from '../support/build.js';
import { T0, storyEvents, syntheticAnalysis, tmp } from './fixtures.js';

const dir = tmp('vrrpscope-pcapng-');
const BUNDLED = fileURLToPath(new URL('../../captures/vrrp-failover.pcap', import.meta.url));
// Its frame count as tcpdump counted it when the lab recorded it (not our reader's count).
const BUNDLED_FRAMES: number = JSON.parse(readFileSync(fileURLToPath(new URL('../../captures/vrrp-failover/ground-truth.json', import.meta.url)), 'utf8')).capture.frames;
const LAB = fixture('lab');

function parse(bytes: Uint8Array): Frame[] {
  const p = new PcapngParser(0);
  p.push(bytes);
  p.finish();
  const out: Frame[] = [];
  let f;
  while ((f = p.next())) {
    const copy = Object.assign(Object.create(Object.getPrototypeOf(f)), f, { buf: new Uint8Array(f.data), start: 0 }) as Frame;
    out.push(copy);
  }
  expect(p.warnings).toEqual([]);
  expect(p.fatal).toBeNull();
  return out;
}

function readAll(path: string): Frame[] {
  const { source } = openCaptures([path]);
  const out: Frame[] = [];
  let f;
  try {
    // (A copy of the bytes: f.data is a view of a buffer the reader reuses, and a Buffer's slice is a view too.)
    while ((f = source.next())) out.push(Object.assign(Object.create(Object.getPrototypeOf(f)), f, { buf: new Uint8Array(f.data), start: 0 }) as Frame);
  } finally {
    source.close();
  }
  return out;
}

function collect(bufferSize?: number): { writer: PcapngWriter; bytes: () => Buffer } {
  const chunks: Uint8Array[] = [];
  const writer = new PcapngWriter((b) => chunks.push(b), bufferSize);
  return { writer, bytes: () => Buffer.concat(chunks) };
}

/** `tshark -r FILE ...` (through the cache of test/support/tshark-cache.ts). */
function tshark(args: string[]): Promise<string> {
  if (args[0] !== '-r') throw new Error('tshark(): -r FILE first');
  return tsharkOut(args, args[1]);
}

/** frame.number → comments, as tshark reads them. */
async function tsharkComments(file: string): Promise<Map<number, string[]>> {
  const docs = JSON.parse(await tshark(['-r', file, '-Y', 'frame.comment', '-T', 'json', '-e', 'frame.number', '-e', 'frame.comment'])) as { _source: { layers: Record<string, string[]> } }[];
  return new Map(docs.map((d) => [Number(d._source.layers['frame.number'][0]), d._source.layers['frame.comment']]));
}

describe('PcapngWriter', { timeout: 60_000 }, () => {
  const long = 'é'.repeat(40000); // 80,000 bytes of UTF-8: cut to fit an option, on a character boundary

  function sample(bufferSize?: number): Buffer {
    const { writer, bytes } = collect(bufferSize);
    writer.writeSectionHeader({ userAppl: 'test', comments: ['section note'] });
    const eth = writer.addInterface({ linkType: 1, name: 'a.pcap' });
    writer.writePacket(eth, T0, 999_999_999, vrrpFrame(), 60, ['one', 'deux « deux »']);
    const raw = writer.addInterface({ linkType: 101, snaplen: 65535, description: 'raw' });
    writer.writePacket(raw, 4_294_967_296 + 5, 1, vrrpFrame().subarray(14, 14 + 21));
    writer.writePacket(eth, T0 + 1, 0, new Uint8Array(70_000), 70_000, [long]);
    writer.writeSimplePacket(vrrpFrame());
    writer.writeCustomBlock(Uint8Array.of(0, 0, 0x7e, 0xd7, 1, 2, 3));
    writer.flush();
    return bytes();
  }

  it('round-trips frames, nanosecond times, link types, interfaces and comments through our reader', () => {
    const frames = parse(sample());
    expect(frames.map((f) => [f.iface, f.linkType, f.tsSec, f.tsNs, f.caplen, f.origLen])).toEqual([
      [0, 1, T0, 999_999_999, 54, 60],
      [1, 101, 4_294_967_296 + 5, 1, 21, 21],
      [0, 1, T0 + 1, 0, 70_000, 70_000],
      [0, 1, 0, 0, 54, 54],
      [-1, -1, 0, 0, 8, 8],
    ]);
    expect(Buffer.from(frames[0].data).equals(Buffer.from(vrrpFrame()))).toBe(true);
    expect(frames[0].comments).toEqual(['one', 'deux « deux »']);
    expect(frames[2].comments![0].length).toBeLessThanOrEqual(65535 / 2);
    expect(frames[2].comments![0]).toMatch(/^é+$/);
    expect(frames[3].noTimestamp).toBe(true);
  });

  it('writes the same bytes whatever its buffer size (blocks go out whole, in order)', () => {
    const big = sample();
    expect(sample(64).equals(big)).toBe(true);
    expect(big.length % 4).toBe(0);
  });

  it('refuses a frame on an interface it never described', () => {
    const { writer } = collect();
    writer.writeSectionHeader();
    expect(() => writer.writePacket(0, 0, 0, new Uint8Array(1))).toThrow(/interface 0/);
  });

  it.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('is read by tshark with every nanosecond digit and every comment', async () => {
    const path = join(dir, 'sample.pcapng');
    writeFileSync(path, sample());
    const rows = (await tshark(['-r', path, '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.interface_id', '-e', 'frame.len']))
      .trim().split('\n').map((l) => l.split('\t'));
    expect(rows.slice(0, 3)).toEqual([
      ['1', `${T0}.999999999`, '0', '60'],
      ['2', '4294967301.000000001', '1', '21'],
      ['3', `${T0 + 1}.000000000`, '0', '70000'],
    ]);
    expect((await tsharkComments(path)).get(1)).toEqual(['one', 'deux « deux »']);
  });
});

// Tests here run the built command several times: a budget for a loaded 2-core machine (vitest's default is 5 s).
describe('annotated pcapng report', { timeout: 60_000 }, () => {
  it('keeps the comments a capture already had, then adds ours, and writes no comment elsewhere', () => {
    const { writer, bytes } = collect();
    writer.writeSectionHeader();
    writer.addInterface({ linkType: 1 });
    for (let i = 0; i < 40; i++) writer.writePacket(0, T0 + i, 123_456_789, vrrpFrame(), undefined, i === 1 ? ['from the capture'] : []);
    writer.flush();
    const input = join(dir, 'commented.pcapng');
    writeFileSync(input, bytes());
    const a = syntheticAnalysis(input, storyEvents(), { comments: [[2, [{ note: 'vrrp.invalid', problem: 'our frame note' }]]] });
    const out: Uint8Array[] = [];
    const r = writeAnnotatedPcapng(a, (b) => out.push(b));
    const frames = parse(Buffer.concat(out));
    expect(frames).toHaveLength(40);
    expect(frames[1].comments).toEqual(['from the capture', 'receivers drop this advert: our frame note', '10.0.0.11 becomes master of VRID 51 (priority 150) and announces 10.0.0.100: the first master seen in the capture.']);
    const annotated = new Set([2, ...storyEvents().flatMap((e) => e.frames)]);
    expect(r).toEqual({ frames: 40, annotated: annotated.size });
    for (const f of frames) expect(f.comments !== null, `frame ${f.fileFrame}`).toBe(annotated.has(f.fileFrame));
    expect(frames.every((f) => f.tsNs === 123_456_789)).toBe(true);
  });

  it.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('tshark -Y frame.comment lists exactly the frames the JSON report annotates, with our comments', async () => {
    const out = join(dir, 'vrrp-failover.annotated.pcapng');
    const r = runCli(['report', BUNDLED, '--format', 'pcapng', '-o', out]);
    expect(r.status).toBe(0);
    const doc = reportJson([BUNDLED]);
    const byId = new Map(doc.events.map((e: { id: string; summary: string }) => [e.id, e.summary]));
    const expected = new Map<number, string[]>(doc.frames.map((f) => [f.n, [
      ...(f.comment ? [f.comment as string] : []),
      ...(f.events as string[]).map((id) => byId.get(id) as string),
    ]]));
    expect(expected.size).toBeGreaterThan(0);
    // The brief's command, as a user types it:
    const listed = (await tshark(['-r', out, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment']))
      .trim().split('\n').map((l) => Number(l.split('\t')[0]));
    expect(listed).toEqual([...expected.keys()]);
    expect(await tsharkComments(out)).toEqual(expected);
  }, 60_000);

  it('writes the input frames unchanged: bytes, lengths, link types and timestamps to the nanosecond', () => {
    const cases = [[BUNDLED], [join(LAB, 'quorum-sorry/quorum-sorry-front.pcap')], [join(LAB, 'healthcheck-mix/healthcheck-mix.pcapng')], [join(LAB, 'lvs-nat-basic/lvs-nat-basic-d1-any.pcap')]];
    for (const [file] of cases) {
      const out = join(dir, file.split('/').pop() + '.out.pcapng');
      expect(runCli(['report', file, '--format', 'pcapng', '-o', out]).status).toBe(0);
      const before = readAll(file), after = readAll(out);
      expect(after.length, file).toBe(before.length);
      before.forEach((f, i) => {
        const g = after[i];
        expect([g.tsSec, g.tsNs, g.linkType, g.caplen, g.origLen], `${file} frame ${i + 1}`).toEqual([f.tsSec, f.tsNs, f.linkType, f.caplen, f.origLen]);
        expect(Buffer.from(g.data).equals(Buffer.from(f.data)), `${file} frame ${i + 1} bytes`).toBe(true);
      });
    }
  }, 60_000);

  it.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('merges several files into one pcapng: one interface per (file, interface), frames in the merged order', async () => {
    const files = [join(LAB, 'director-failover/director-failover-front.pcap'), join(LAB, 'director-failover/director-failover-back.pcap')];
    const out = join(dir, 'merged.pcapng');
    expect(runCli(['report', ...files, '--format', 'pcapng', '-o', out]).status).toBe(0);
    const rows = (await tshark(['-r', out, '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.interface_name', '-e', 'frame.time_epoch']))
      .trim().split('\n').map((l) => l.split('\t'));
    const doc = reportJson(files, ['--all-frames']);
    expect(rows.length).toBe(doc.frames.length);
    expect(rows.map((r) => r[0])).toEqual(doc.frames.map((f) => `${f.file}#0`));
    expect(rows.map((r) => r[1].replace(/000$/, ''))).toEqual(doc.frames.map((f) => (f.time as number).toFixed(6)));
    expect(new Set(rows.map((r) => r[0])).size).toBe(2);
  }, 60_000);

  it('goes to standard output when it is redirected, and never over an input capture', () => {
    const bytes = execFileSync('node', [CLI, 'report', BUNDLED, '--format', 'pcapng'], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(parse(bytes)).toHaveLength(BUNDLED_FRAMES);
    const copy = join(dir, 'copy.pcap');
    writeFileSync(copy, readFileSync(BUNDLED));
    const r = runCli(['report', copy, '--format', 'pcapng', '-o', copy]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is one of the input captures/);
    expect(readFileSync(copy).equals(readFileSync(BUNDLED))).toBe(true);
  });
});

// Every capture we have, through the writer, read back by tshark: pcapng-readback.ts (in two halves).
