// Plain TCP segments skip the decode in the first pass: peekTcpSegment must say yes to exactly the
// frames that decodePacket decodes as Ethernet + IPv4 + TCP without a problem, with the same numbers,
// on every shared capture and on mutated frames of them; and an analysis that takes them so must
// conclude exactly what one that decodes every frame concludes.

import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../src/pipeline.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import type { Analyzer } from '../../src/analyse/engine.js';
import { TcpSegment, peekTcpSegment } from '../../src/dissect/tcp-segment.js';
import { decodePacket, type Packet } from '../../src/dissect/packet.js';
import { I18n } from '../../src/present/i18n/index.js';
import { Frame } from '../../src/io/frame.js';
import { openCaptures } from '../../src/io/reader.js';
import { ChecklistAnalyzer } from '../../src/checklist/index.js';
import { HAVE_EXTENDED, extendedCaptures, fixtureCaptures } from '../support/captures.js';
import { itHasExtendedCaptures } from '../support/skip.js';
import { prng } from '../support/mutate.js';

/** What decodePacket says makes a frame a plain segment (the raw total length: 0 is TSO's, which the decoder patches). */
function decodesPlain(f: Frame, p: Packet): boolean {
  return f.linkType === 1 && !f.noTimestamp && p.problems === null && p.eth !== null && p.eth.vlans === null && p.eth.type === 0x0800
    && p.ip !== null && p.inner === null && p.tcp !== null && (p.ip.fragField & 0x3fff) === 0
    && ((f.buf[f.start + 16] << 8) | f.buf[f.start + 17]) !== 0;
}

function agree(f: Frame, s: TcpSegment, where: string): boolean {
  const p = decodePacket(f);
  const plain = peekTcpSegment(f, s);
  expect(plain, where).toBe(decodesPlain(f, p));
  if (plain) {
    expect([s.srcNum, s.dstNum, s.srcPort, s.dstPort, s.flags, s.seq, s.payloadAt, s.payloadEnd, s.srcMac, s.dstMac, s.srcIp, s.dstIp], where)
      .toEqual([p.ip!.srcNum, p.ip!.dstNum, p.tcp!.srcPort, p.tcp!.dstPort, p.tcp!.flags, p.tcp!.seq, p.tcp!.payloadAt, p.tcp!.payloadEnd, p.eth!.src, p.eth!.dst, p.ip!.src, p.ip!.dst]);
    expect(s.frame).toBe(f);
    expect(s.packet().tcp, where).toEqual(p.tcp);
  }
  return plain;
}

const files = [...fixtureCaptures(), ...extendedCaptures()];
itHasExtendedCaptures(HAVE_EXTENDED, () => extendedCaptures().length);

describe('plain TCP segments read from the bytes', () => {
  it('are exactly the frames decodePacket finds plain, with the same fields, on every shared capture', () => {
    const s = new TcpSegment();
    let frames = 0, plain = 0;
    for (const path of files) {
      const { source } = openCaptures([path]);
      let f: Frame | null;
      while ((f = source.next())) {
        frames++;
        if (agree(f, s, `${path} frame ${f.n}`)) plain++;
      }
      source.close();
    }
    expect(plain).toBeGreaterThan(1000);
    expect(plain).toBeLessThan(frames);
  });

  it('agree with decodePacket on mutated frames (lengths, flags, versions, fragments)', () => {
    const rnd = prng(0xba7e);
    const s = new TcpSegment();
    let tried = 0, plain = 0;
    const { source } = openCaptures(files.filter((p) => p.includes('lvs-nat-basic')));
    let f: Frame | null;
    while ((f = source.next()) && tried < 60_000) {
      if (!peekTcpSegment(f, s)) continue;
      for (let m = 0; m < 20; m++) {
        const b = Uint8Array.from(f.data);
        // One byte of the IPv4 or TCP header set to something else, or the frame cut short.
        if (m % 5 === 4) {
          tried++;
          if (agree(Frame.of(b.subarray(0, Math.floor(rnd() * b.length)), 1, f.tsSec, f.tsNs, f.n), s, `cut ${f.n}`)) plain++;
          continue;
        }
        const at = 14 + Math.floor(rnd() * Math.min(40, b.length - 14));
        b[at] = [0, 0xff, 0x45, 0x46, 0x20, 0x02, 0x12, 0x50, 0x40][Math.floor(rnd() * 9)];
        tried++;
        if (agree(Frame.of(b, 1, f.tsSec, f.tsNs, f.n), s, `${f.n} byte ${at} = ${b[at]}`)) plain++;
      }
    }
    source.close();
    expect(tried).toBeGreaterThan(5000);
    expect(plain).toBeGreaterThan(100);
  });

  it('give the same analysis as decoding every frame, on every lab capture', () => {
    // An analyser that looks at every packet and cannot take TCP segments as numbers turns that path off.
    const everyPacket: Analyzer = { name: 'every-packet', onPacket() {}, finish() {} };
    const i18n = new I18n('en');
    const summary = (path: string, extra: Analyzer[]) => {
      const a = analyzeFiles([path], { analyzers: [...defaultAnalyzers(), ...extra, new ChecklistAnalyzer()] });
      return { events: a.events, comments: [...a.frameNotes], hosts: a.hosts, facts: a.facts, warnings: a.warnings, http: a.store.httpHeads() };
    };
    for (const path of files.filter((p) => p.includes('/lab/'))) {
      expect(summary(path, []), path).toEqual(summary(path, [everyPacket]));
    }
  });
});
