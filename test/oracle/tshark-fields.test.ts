// Oracle: for every shared capture, frame count and the decoded fields of the JSON contract equal
// tshark's, frame by frame.

import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { HAVE_EXTENDED, captureName, extendedCaptures, fixtureCaptures } from '../support/captures.js';
import { REASONS, itHasExtendedCaptures, skipUnless } from '../support/skip.js';
import { HAVE_TSHARK, tsharkRows } from '../support/tshark.js';
import { reportJson } from '../support/ours.js';
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
itHasExtendedCaptures(HAVE_EXTENDED, () => extendedCaptures().length);

describe.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('decoded fields equal tshark, frame by frame', () => {
  it('finds the shared captures', () => {
    expect(files.length).toBeGreaterThanOrEqual(80); // test/fixtures: 72 public, 8 lab (+ 8 extended)
  });
  for (const file of files) {
    const name = captureName(file);
    it(name, () => {
      const theirs = tsharkRows(file);
      const ours = reportJson([file], ['--all-frames']).frames;
      expect(ours.length).toBe(theirs.length);
      expect(ours.map((f) => f.n)).toEqual(theirs.map((r) => Number(r['frame.number'])));
      if (FUZZED.test(file)) return;
      const known = KNOWN[name];
      const diffs = diffRows(theirs, ours).filter((d) => !(known && known.frames.includes(d.frame) && known.fields.test(d.field)));
      expect(diffs).toEqual([]);
    }, 60_000);
  }
});

// The MANIFEST's tshark dumps (occurrence=a): every VRRP address, auth string and checksum status.
describe('VRRP fields equal the committed tshark 4.0.17 dumps', () => {
  const dumps = files.filter((f) => existsSync(f + '.tshark-4.0.17.vrrp.tsv'));
  it('has dumps to compare with', () => expect(dumps.length).toBeGreaterThanOrEqual(4));
  for (const file of dumps) {
    it(captureName(file), () => {
      const [head, ...lines] = readFileSync(file + '.tshark-4.0.17.vrrp.tsv', 'utf8').split('\n').filter((l) => l.length > 0);
      const cols = head.split('\t');
      const ours = new Map(reportJson([file], ['--all-frames']).frames.map((f) => [f.n, f]));
      for (const line of lines) {
        const row = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v]));
        const v = ours.get(Number(row['frame.number']))!.layers.vrrp;
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
