// Simple packet blocks whose length does not hold what they claim (issue #11, regressions from
// ../shared/captures/regressions, copied into test/fixtures/regressions): a warning naming the block
// and its offset, the other frames read, and no negative length anywhere.
// Both files: a section header (28 bytes), an Ethernet interface without snapshot length (20 bytes),
// the bad SPB at offset 48, then a well-formed EPB with a 42-byte ARP request.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openCaptures } from '../../src/io/reader.js';
import { analyzeFiles } from '../../src/pipeline.js';
import { CLI } from '../support/ours.js';
import { execFileSync } from 'node:child_process';

const DIR = join(__dirname, '../fixtures/regressions');

function read(name: string) {
  const { source } = openCaptures([join(DIR, name)]);
  const frames: { fileFrame: number; caplen: number; origLen: number; dataLength: number }[] = [];
  let f;
  while ((f = source.next())) frames.push({ fileFrame: f.fileFrame, caplen: f.caplen, origLen: f.origLen, dataLength: f.data.length });
  source.close();
  return { frames, warnings: source.warnings };
}

/** Every number in the CLI's JSON report (--all-frames), wherever it sits. */
function numbersIn(doc: unknown, out: number[] = []): number[] {
  if (typeof doc === 'number') out.push(doc);
  else if (doc && typeof doc === 'object') for (const v of Object.values(doc)) numbersIn(v, out);
  return out;
}

describe('simple packet blocks too short for what they claim', () => {
  it('a 12-byte SPB (shorter than its 16-byte header and trailer): skipped with a warning at its offset', () => {
    const { frames, warnings } = read('spb-len12-negative-caplen.pcapng');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ fileFrame: 1, offset: 48 });
    expect(warnings[0].message).toMatch(/simple packet block of 12 bytes.*skipped/);
    expect(frames).toEqual([{ fileFrame: 2, caplen: 42, origLen: 42, dataLength: 42 }]);
  });

  it('later passes (frame list, annotated pcapng) still hand out the frame after the skipped block', () => {
    const a = analyzeFiles([join(DIR, 'spb-len12-negative-caplen.pcapng')]);
    expect(a.frames).toBe(1);
    const replayed: number[] = [];
    a.store.replay(() => true, (f) => replayed.push(f.fileFrame));
    expect(replayed).toEqual([2]);
  });

  it('a 16-byte SPB for a 100-byte frame (no snapshot length): a warning, the frame kept with the 0 bytes it has', () => {
    const { frames, warnings } = read('spb-len16-origlen100-no-warning.pcapng');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ fileFrame: 1, offset: 48 });
    expect(warnings[0].message).toMatch(/simple packet block of 16 bytes holds 0 of the frame's 100 captured bytes/);
    expect(frames).toEqual([
      { fileFrame: 1, caplen: 0, origLen: 100, dataLength: 0 },
      { fileFrame: 2, caplen: 42, origLen: 42, dataLength: 42 },
    ]);
  });

  it('the report of either file: exit 0, the block\'s warning with its offset, no negative number', () => {
    for (const name of ['spb-len12-negative-caplen.pcapng', 'spb-len16-origlen100-no-warning.pcapng']) {
      const doc = JSON.parse(execFileSync('node', [CLI, 'report', join(DIR, name), '--format', 'json', '--all-frames', '-o', '-'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      expect(numbersIn(doc).filter((x) => x < 0), name).toEqual([]);
      expect(doc.warnings.filter((w: { offset?: number; message: string }) => w.offset === 48 && /simple packet block/.test(w.message)), name).toHaveLength(1);
    }
  });
});

describe('a file that warns once a frame', () => {
  it('lists its first 100 warnings, then one that counts the rest (2 M such frames held 490 MB)', async () => {
    const { PcapngParser } = await import('../../src/io/pcapng.js');
    const { PcapngWriter } = await import('../../src/io/pcapng-writer.js');
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((b) => chunks.push(b));
    w.writeSectionHeader();
    w.addInterface({ linkType: 1 });
    w.addInterface({ linkType: 1 });
    for (let i = 0; i < 5000; i++) w.writePacket(1, 1_700_000_000 + i, 0, new Uint8Array(42));
    w.flush();
    const bytes = Buffer.concat(chunks);
    // Every packet block (type 6) made to name interface 7, never described.
    for (let at = 0; at < bytes.length; at += bytes.readUInt32LE(at + 4)) if (bytes.readUInt32LE(at) === 6) bytes.writeUInt32LE(7, at + 8);
    const p = new PcapngParser(0);
    p.push(bytes);
    p.finish();
    let frames = 0;
    while (p.next()) frames++;
    expect(frames).toBe(0);
    expect(p.warnings).toHaveLength(101);
    expect(p.warnings[99].message).toMatch(/names interface 7, which was never described/);
    expect(p.warnings[99].fileFrame).toBe(100);
    expect(p.warnings[100]).toMatchObject({ fileFrame: 101, message: '4900 more warnings about this file, from here on, are not listed' });
  });
});
