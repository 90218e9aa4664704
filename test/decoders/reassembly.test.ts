// HTTP heads over several TCP segments: put together on the segment that completes them, and when
// one cannot be (longer than 16 KiB), the report says how many were left out.

import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { analyzeFiles } from '../../src/analyze.js';
import { pcapBytes } from '../support/build.js';
import { tcp } from '../support/frames.js';

const c = { src: '10.0.0.50', dst: '10.0.0.21', sport: 40000, dport: 80 };
const T = 1795550000;

function capture(segments: string[]): string {
  const frames = [tcp({ ...c, flags: 'S', seq: 99 })];
  let seq = 100;
  for (const p of segments) { frames.push(tcp({ ...c, flags: 'PA', seq, payload: p })); seq += p.length; }
  const path = join(mkdtempSync(join(tmpdir(), 'vrrpscope-reasm-')), 'heads.pcap');
  writeFileSync(path, pcapBytes(frames.map((data, i) => ({ sec: T + i, frac: 0, data }))));
  return path;
}

describe('HTTP head reassembly in the analysis', () => {
  it('a head in three segments is decoded on the last one, with no warning', () => {
    const a = analyzeFiles([capture(['GET /status HT', 'TP/1.0\r\nUser-Agent: Keep', 'AliveClient\r\n\r\n'])]);
    expect(a.httpOverrides.get(4)).toMatchObject({ method: 'GET', uri: '/status', userAgent: 'KeepAliveClient' });
    expect(a.httpOverrides.get(2)).toBe('segment');
    expect(a.warnings).toEqual([]);
  });

  it('a head longer than 16 KiB is given up, and the report says so', () => {
    const filler = 'X-Filler: ' + 'a'.repeat(1400) + '\r\n';
    const a = analyzeFiles([capture(['GET / HTTP/1.1\r\n', ...Array(13).fill(filler), 'Host: x\r\n\r\n'])]);
    expect(a.warnings.map((w) => w.message)).toEqual(['1 HTTP heads split over several TCP segments were not put together (longer than 16 KiB, or more than 4096 pending at once): their fields are missing']);
  });
});
