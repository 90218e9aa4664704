// Oracle: for every shared capture, frame count and the decoded fields of the JSON contract equal
// tshark's, frame by frame. The captures are shared between tshark-fields-1.test.ts and
// tshark-fields-2.test.ts (every other one), so that the two halves run side by side.

import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { HAVE_EXTENDED, captureName, extendedCaptures, fixtureCaptures } from '../support/captures.js';
import { REASONS, itHasExtendedCaptures, skipUnless } from '../support/skip.js';
import { HAVE_TSHARK, tsharkRows } from '../support/tshark.js';
import { ahead } from '../support/tshark-cache.js';
import { reportJsonOnce } from '../support/ours.js';
import { diffRows } from '../support/compare.js';

// Fuzzed regression files: only the frame count is compared (their field values are garbage by design,
// and one of them is Frame Relay, which we list but do not decode).
const FUZZED = /oobr/;

// Frames where vrrpscope and tshark read a session differently (field names agree; the decoders' choice):
// which fields to leave out there, and why.
const KNOWN: Record<string, { frames: number[]; fields: RegExp; why: string }> = {
  'public/pcapplusplus/Smtp.pcap': { frames: [5, 7, 8], fields: /^smtp\./, why: 'an AUTH continuation line and replies after it: tshark keeps SMTP state, vrrpscope reads each line alone' },
  'public/zeek/smtp.pcap': { frames: [102], fields: /^tls\./, why: 'a ServerHello whose record spans segments: vrrpscope reads it on its first segment, tshark on the segment completing the record' },
};

// regressions/ holds inputs that break vrrpscope today, each with its own test (test/fixtures/regressions/README.md).
const files = [...fixtureCaptures('public'), ...fixtureCaptures('lab'), ...extendedCaptures()];

/** Part `part` (1-based) of `parts`: every parts-th capture, so that each part has big and small ones. */
export function fieldsOracle(part: number, parts: number): void {
  const mine = files.filter((_, i) => i % parts === part - 1);
  const theirs = ahead(mine, (file) => tsharkRows(file));
  // Our report of a capture, made once for both suites below.
  const ours = (file: string) => reportJsonOnce([file], ['--all-frames']);

  if (part === 1) itHasExtendedCaptures(HAVE_EXTENDED, () => extendedCaptures().length);

  describe.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('decoded fields equal tshark, frame by frame', () => {
    if (part === 1) it('finds the shared captures', () => {
      expect(files.length).toBeGreaterThanOrEqual(80); // test/fixtures: 72 public, 8 lab (+ 8 extended)
    });
    it(`part ${part} of ${parts} holds its share of the captures`, () => {
      expect(mine.length).toBe(Math.floor(files.length / parts) + (part <= files.length % parts ? 1 : 0));
    });
    for (const file of mine) {
      const name = captureName(file);
      it(name, async () => {
        const rows = await theirs(file);
        const frames = (await ours(file)).frames;
        expect(frames.length).toBe(rows.length);
        expect(frames.map((f) => f.n)).toEqual(rows.map((r) => Number(r['frame.number'])));
        if (FUZZED.test(file)) return;
        const known = KNOWN[name];
        const diffs = diffRows(rows, frames).filter((d) => !(known && known.frames.includes(d.frame) && known.fields.test(d.field)));
        expect(diffs).toEqual([]);
      }, 60_000);
    }
  });

  // The MANIFEST's tshark dumps (occurrence=a): every VRRP address, auth string and checksum status.
  describe('VRRP fields equal the committed tshark 4.0.17 dumps', () => {
    const dumps = mine.filter((f) => existsSync(f + '.tshark-4.0.17.vrrp.tsv'));
    if (part === 1) it('has dumps to compare with', () => expect(files.filter((f) => existsSync(f + '.tshark-4.0.17.vrrp.tsv')).length).toBeGreaterThanOrEqual(4));
    for (const file of dumps) {
      it(captureName(file), async () => {
        const [head, ...lines] = readFileSync(file + '.tshark-4.0.17.vrrp.tsv', 'utf8').split('\n').filter((l) => l.length > 0);
        const cols = head.split('\t');
        const frames = new Map((await ours(file)).frames.map((f) => [f.n, f]));
        for (const line of lines) {
          const row = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v]));
          const v = frames.get(Number(row['frame.number']))!.layers.vrrp;
          expect(v, `frame ${row['frame.number']}`).toBeDefined();
          const addrs = (row['vrrp.ip_addr'] || row['vrrp.ipv6_addr']).split(',');
          expect(v['vrrp.ip_addr'] ?? v['vrrp.ipv6_addr']).toEqual(addrs);
          expect(String(v['vrrp.checksum.status'])).toBe(row['vrrp.checksum.status']);
          expect(v['vrrp.auth_string'] ?? '').toBe(row['vrrp.auth_string']);
          expect(v['vrrp.prio']).toBe(Number(row['vrrp.prio']));
        }
      });
    }
  });
}
