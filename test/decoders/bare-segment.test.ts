// Bare TCP segments (no data, not an opening SYN) skip the decode in the first pass: peekBareSegment must say yes
// to exactly the frames that decodePacket would decode as Ethernet + IPv4 + TCP without a problem,
// data or opening SYN, with the same numbers, on every shared capture and on mutated frames of them; and an
// analysis that takes them bare must conclude exactly what one that decodes every frame concludes.

import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../src/analyze.js';
import { defaultAnalyzers } from '../../src/annotate/index.js';
import type { Analyzer } from '../../src/annotate/engine.js';
import { BareSegment, peekBareSegment } from '../../src/decoders/bare-segment.js';
import { decodePacket, type Packet } from '../../src/decoders/packet.js';
import { isOpeningSyn } from '../../src/decoders/tcp.js';
import { I18n } from '../../src/i18n/index.js';
import { Frame } from '../../src/io/frame.js';
import { openCaptures } from '../../src/io/reader.js';
import { ChecklistAnalyzer } from '../../src/checklist/index.js';
import { HAVE_SHARED, sharedCaptures } from '../support/captures.js';
import { prng } from '../support/mutate.js';

/** What decodePacket says makes a frame bare (the raw total length: 0 is TSO's, which the decoder patches). */
function decodesBare(f: Frame, p: Packet): boolean {
  return f.linkType === 1 && !f.noTimestamp && p.problems === null && p.eth !== null && p.eth.vlans === null && p.eth.type === 0x0800
    && p.ip !== null && p.inner === null && p.tcp !== null && (p.ip.fragField & 0x3fff) === 0
    && ((f.buf[f.start + 16] << 8) | f.buf[f.start + 17]) !== 0
    && p.tcp.payloadLength === 0 && !isOpeningSyn(p.tcp.flags);
}

function agree(f: Frame, s: BareSegment, where: string): boolean {
  const p = decodePacket(f);
  const bare = peekBareSegment(f, s);
  expect(bare, where).toBe(decodesBare(f, p));
  if (bare) {
    expect([s.srcNum, s.dstNum, s.srcPort, s.dstPort, s.flags, s.seq, s.srcMac, s.dstMac], where)
      .toEqual([p.ip!.srcNum, p.ip!.dstNum, p.tcp!.srcPort, p.tcp!.dstPort, p.tcp!.flags, p.tcp!.seq, p.eth!.src, p.eth!.dst]);
    expect(s.frame).toBe(f);
  }
  return bare;
}

const files = HAVE_SHARED ? sharedCaptures().filter((f) => !f.includes('/bench/')) : [];

describe.skipIf(!HAVE_SHARED)('bare TCP segments', () => {
  it('are exactly the frames decodePacket finds bare, with the same fields, on every shared capture', () => {
    const s = new BareSegment();
    let frames = 0, bare = 0;
    for (const path of files) {
      const { source } = openCaptures([path]);
      let f: Frame | null;
      while ((f = source.next())) {
        frames++;
        if (agree(f, s, `${path} frame ${f.n}`)) bare++;
      }
      source.close();
    }
    expect(bare).toBeGreaterThan(1000);
    expect(bare).toBeLessThan(frames);
  });

  it('agree with decodePacket on mutated frames (lengths, flags, versions, fragments)', () => {
    const rnd = prng(0xba7e);
    const s = new BareSegment();
    let tried = 0, bare = 0;
    const { source } = openCaptures(files.filter((p) => p.includes('lvs-nat-basic')));
    let f: Frame | null;
    while ((f = source.next()) && tried < 60_000) {
      if (!peekBareSegment(f, s)) continue;
      for (let m = 0; m < 20; m++) {
        const b = Uint8Array.from(f.data);
        // One byte of the IPv4 or TCP header set to something else, or the frame cut short.
        if (m % 5 === 4) {
          tried++;
          if (agree(Frame.of(b.subarray(0, Math.floor(rnd() * b.length)), 1, f.tsSec, f.tsNs, f.n), s, `cut ${f.n}`)) bare++;
          continue;
        }
        const at = 14 + Math.floor(rnd() * Math.min(40, b.length - 14));
        b[at] = [0, 0xff, 0x45, 0x46, 0x20, 0x02, 0x12, 0x50, 0x40][Math.floor(rnd() * 9)];
        tried++;
        if (agree(Frame.of(b, 1, f.tsSec, f.tsNs, f.n), s, `${f.n} byte ${at} = ${b[at]}`)) bare++;
      }
    }
    source.close();
    expect(tried).toBeGreaterThan(5000);
    expect(bare).toBeGreaterThan(100);
  });

  it('give the same analysis as decoding every frame, on every lab capture', () => {
    // An analyser that looks at every packet and cannot take bare segments turns the bare path off.
    const everyPacket: Analyzer = { name: 'every-packet', onPacket() {}, finish() {} };
    const i18n = new I18n('en');
    const summary = (path: string, extra: Analyzer[]) => {
      const a = analyzeFiles([path], { analyzers: [...defaultAnalyzers(i18n), ...extra, new ChecklistAnalyzer()] });
      return { events: a.events, comments: [...a.frameComments], hosts: a.hosts, facts: a.facts, warnings: a.warnings, http: [...a.httpOverrides] };
    };
    for (const path of files.filter((p) => p.includes('/lab/'))) {
      expect(summary(path, []), path).toEqual(summary(path, [everyPacket]));
    }
  });
});
