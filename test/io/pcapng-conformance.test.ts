// The 48 files of hadrielk/pcapng-test-generator read as their descriptions say: every packet block
// (EPB, SPB, and the custom blocks Wireshark lists as records) becomes a frame, in order, with the
// interface, time, lengths and comments tshark shows; little- and big-endian twins read the same.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCaptures } from '../../src/io/reader.js';
import type { Frame } from '../../src/io/frame.js';
import { fixture } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { tsharkOut } from '../support/tshark-cache.js';

const ROOT = fixture('public/pcapng-test-generator');
const NAMES = [
  ...Array.from({ length: 18 }, (_, i) => `basic/test${String(i + 1).padStart(3, '0')}`),
  'advanced/test100', 'advanced/test101', 'advanced/test102',
  'difficult/test200', 'difficult/test201', 'difficult/test202',
];

function readAll(path: string): { frames: Frame[]; warnings: string[] } {
  const { source } = openCaptures([path]);
  const frames: Frame[] = [];
  let f: Frame | null;
  while ((f = source.next())) frames.push(f);
  source.close();
  return { frames, warnings: source.warnings.map((w) => w.message) };
}

function blockCounts(txt: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of txt.matchAll(/^\t(\w+): (\d+)$/gm)) counts[m[1]] = Number(m[2]);
  return counts;
}

// A tshark run per file (cached: test/support/tshark-cache.ts): a budget for a loaded 2-core machine (vitest's default is 5 s).
describe('pcapng conformance corpus', { timeout: 60_000 }, () => {
  for (const name of NAMES) {
    for (const endian of ['le', 'be']) {
      const path = join(ROOT, `output_${endian}`, name + '.pcapng');
      it(`${name} (${endian})`, () => {
        const counts = blockCounts(readFileSync(join(ROOT, `output_${endian}`, name + '.txt'), 'utf8'));
        const { frames, warnings } = readAll(path);
        expect(warnings).toEqual([]);
        const packets = (counts.EPB ?? 0) + (counts.SPB ?? 0) + (counts.OPB ?? 0);
        const custom = (counts.CB ?? 0) + (counts.DCB ?? 0);
        expect(frames.filter((f) => f.linkType !== -1).length).toBe(packets);
        expect(frames.filter((f) => f.linkType === -1).length).toBe(custom);
        expect(frames.map((f) => f.fileFrame)).toEqual(frames.map((_, i) => i + 1));
      });
      // tshark reads the little-endian twin; the big-endian one is held to it by the twin test below
      // (every field compared there, lengths included), which halves the tshark runs.
      if (endian === 'le') it.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))(`${name}: interfaces, times, lengths and comments equal tshark's`, async () => {
        const { frames } = readAll(path);
        const rows = (await tsharkOut(['-r', path, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|',
          '-e', 'frame.number', '-e', 'frame.interface_id', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.comment'], path))
          .split('\n').filter(Boolean).map((l) => l.split('\t'));
        expect(frames.length).toBe(rows.length);
        frames.forEach((f, i) => {
          const [, iface, time, len, caplen, comment] = rows[i];
          if (f.linkType === -1) return; // tshark shows custom blocks without these fields
          expect(String(f.iface), `frame ${i + 1} interface`).toBe(iface);
          if (time) expect(`${f.tsSec}.${String(f.tsNs).padStart(9, '0')}`, `frame ${i + 1} time`).toBe(time);
          else expect(f.noTimestamp, `frame ${i + 1} has no time`).toBe(true);
          expect(String(f.origLen)).toBe(len);
          expect(String(f.data.length)).toBe(caplen);
          expect((f.comments ?? []).join('|')).toBe(comment ?? '');
        });
      });
    }
    it(`${name}: little- and big-endian files give the same frames`, () => {
      const le = readAll(join(ROOT, 'output_le', name + '.pcapng')).frames;
      const be = readAll(join(ROOT, 'output_be', name + '.pcapng')).frames;
      expect(be.length).toBe(le.length);
      le.forEach((f, i) => {
        expect([be[i].tsSec, be[i].tsNs, be[i].noTimestamp, be[i].iface, be[i].linkType, be[i].origLen, be[i].data.length, be[i].fileFrame, be[i].comments])
          .toEqual([f.tsSec, f.tsNs, f.noTimestamp, f.iface, f.linkType, f.origLen, f.data.length, f.fileFrame, f.comments]);
        if (f.linkType !== -1) expect(Buffer.from(be[i].data).equals(Buffer.from(f.data))).toBe(true);
      });
    });
  }
  it('reads the two packet comments of test009', () => {
    const { frames } = readAll(join(ROOT, 'output_le/basic/test009.pcapng'));
    expect(frames.map((f) => f.comments)).toEqual([['test009-1'], ['test009-2']]);
  });
});
