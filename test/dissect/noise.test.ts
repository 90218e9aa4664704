// Input that is normal is not "malformed": IP fragments (we do not reassemble them; the first one's
// transport says a length the fragment does not hold), and frames cut by a small capture snaplen (one
// notice per file, not a warning per frame). Crafted captures through the whole analysis.

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../../src/pipeline.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { I18n } from '../../src/present/i18n/index.js';
import { checksum, pcapBytes, vrrpFrame, type TestFrame } from '../support/build.js';
import { tcp, udp } from '../support/frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-noise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = 1795550331;

function analyse(name: string, frames: TestFrame[], snaplen?: number) {
  const path = join(dir, name);
  writeFileSync(path, pcapBytes(frames, { snaplen }));
  return analyzeFiles([path], { analyzers: defaultAnalyzers(), lang: 'en' });
}
const messages = (a: ReturnType<typeof analyse>) => a.warnings.map((w) => w.message ?? '');

/** An Ethernet/IPv4 frame split in fragments of at most `mtu` IP bytes, as a host sends a large datagram. */
function fragmentsV4(frame: Uint8Array, mtu = 1500): Uint8Array[] {
  const eth = frame.subarray(0, 14), ip = frame.subarray(14, 34), data = frame.subarray(34);
  const per = Math.floor((mtu - 20) / 8) * 8;
  const out: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += per) {
    const part = data.subarray(off, Math.min(data.length, off + per));
    const h = Buffer.from(ip);
    h.writeUInt16BE(20 + part.length, 2);
    h.writeUInt16BE(0x1234, 4);
    h.writeUInt16BE((off + per < data.length ? 0x2000 : 0) | (off / 8), 6);
    h.writeUInt16BE(0, 10); h.writeUInt16BE(checksum(h), 10);
    out.push(Buffer.concat([eth, h, part]));
  }
  return out;
}

/** The same over IPv6: a Fragment header (44) between the fixed header and each part. */
function fragmentsV6(udpPayload: number, mtu = 1280): Uint8Array[] {
  const u = Buffer.alloc(8 + udpPayload, 0x61);
  u.writeUInt16BE(5000, 0); u.writeUInt16BE(5001, 2); u.writeUInt16BE(u.length, 4); u.writeUInt16BE(0, 6);
  const per = Math.floor((mtu - 48) / 8) * 8;
  const out: Uint8Array[] = [];
  for (let off = 0; off < u.length; off += per) {
    const part = u.subarray(off, Math.min(u.length, off + per));
    const fh = Buffer.alloc(8);
    fh[0] = 17; fh.writeUInt16BE(off | (off + per < u.length ? 1 : 0), 2); fh.writeUInt32BE(0xabcd, 4);
    const h = Buffer.alloc(40);
    h[0] = 0x60; h.writeUInt16BE(8 + part.length, 4); h[6] = 44; h[7] = 64;
    h[8] = 0xfd; h[23] = 1; h[24] = 0xfd; h[39] = 2;
    const eth = Buffer.from([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x86, 0xdd]);
    out.push(Buffer.concat([eth, h, fh, part]));
  }
  return out;
}

describe('IP fragments are not malformed', () => {
  it('a 4 000-byte UDP datagram in IPv4 fragments and a 3 000-byte one in IPv6 fragments: no warning', () => {
    const big = udp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 5001, payload: 'x'.repeat(4000) });
    const frames = [...fragmentsV4(big), ...fragmentsV6(3000)];
    expect(frames.length).toBe(3 + 3);
    const a = analyse('fragments.pcap', frames.map((data, i) => ({ sec: T0 + i, frac: 0, data })));
    expect(messages(a)).toEqual([]);
  });

  it('a datagram that is really cut (not a fragment) is still malformed', () => {
    const big = udp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 5001, payload: 'x'.repeat(100) });
    const bad = Buffer.from(big);
    bad.writeUInt16BE(300, 38); // UDP length beyond the IP packet
    const a = analyse('bad-udp.pcap', [{ sec: T0, frac: 0, data: bad }]);
    expect(messages(a)).toEqual([expect.stringMatching(/^malformed udp: UDP datagram truncated/)]);
  });
});

describe('frames cut by the snaplen: one notice per file', () => {
  it('150 cut frames of several kinds (and 50 whole): one notice with the count and the snaplen, no per-frame warning', () => {
    const SNAP = 64;
    const whole: Uint8Array[] = [];
    for (let i = 0; i < 50; i++) {
      whole.push(tcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000 + i, dport: 80, flags: 'PA', payload: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'.padEnd(300, ' ') }));
      whole.push(udp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 53, payload: 'y'.repeat(200) }));
      whole.push(udp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 5001, payload: 'z'.repeat(30) })); // 14+20+8+30 = 72 > 64
      whole.push(vrrpFrame({ priority: 150 })); // 58 bytes: not cut
    }
    const frames = whole.map((data, i) => ({ sec: T0 + i / 10, frac: 0, data: data.subarray(0, SNAP), origLen: data.length }));
    const a = analyse('snap.pcap', frames, SNAP);
    expect(messages(a).filter((m) => /^malformed/.test(m))).toEqual([]);
    const notices = a.warnings.filter((w) => /snaplen/.test(w.message ?? ''));
    expect(notices).toEqual([expect.objectContaining({ file: 'snap.pcap', frame: 1, message: "150 frames cut by the capture's snaplen of 64 bytes: what lies beyond is not decoded (first: frame 1)" })]);
  });

  it('each file its own notice', () => {
    const cut = (n: number) => Array.from({ length: n }, (_, i) => {
      const data = udp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 5001, payload: 'z'.repeat(100) });
      return { sec: T0 + i, frac: 0, data: data.subarray(0, 96), origLen: data.length };
    });
    writeFileSync(join(dir, 'a.pcap'), pcapBytes(cut(3), { snaplen: 96 }));
    writeFileSync(join(dir, 'b.pcap'), pcapBytes(cut(1), { snaplen: 96 }));
    const a = analyzeFiles([join(dir, 'a.pcap'), join(dir, 'b.pcap')], { analyzers: defaultAnalyzers(), lang: 'en' });
    const notices = a.warnings.filter((w) => /snaplen/.test(w.message ?? '')).map((w) => [w.file, w.message]);
    expect(notices).toEqual([
      ['a.pcap', expect.stringMatching(/^3 frames cut by the capture's snaplen of 96 bytes/)],
      ['b.pcap', expect.stringMatching(/^1 frame cut by the capture's snaplen of 96 bytes/)],
    ]);
    expect(messages(a).filter((m) => /^malformed/.test(m))).toEqual([]);
  });
});
