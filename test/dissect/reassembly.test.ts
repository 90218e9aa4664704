// HTTP heads over several TCP segments: put together on the segment that completes them, and when
// one cannot be (longer than 16 KiB), the report says how many were left out.

import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { analyzeFiles } from '../../src/pipeline.js';
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
    expect(a.store.httpHead(4)).toMatchObject({ method: 'GET', uri: '/status', userAgent: 'KeepAliveClient' });
    expect(a.store.httpHead(2)).toBe('segment');
    expect(a.warnings).toEqual([]);
  });

  it('a head longer than 16 KiB is given up, and the report says so', () => {
    const filler = 'X-Filler: ' + 'a'.repeat(1400) + '\r\n';
    const a = analyzeFiles([capture(['GET / HTTP/1.1\r\n', ...Array(13).fill(filler), 'Host: x\r\n\r\n'])]);
    expect(a.warnings.map((w) => w.message)).toEqual(['1 HTTP heads split over several TCP segments were not put together (longer than 16 KiB, or more than 4096 pending at once): their fields are missing']);
  });

  it('a connection reusing the ports starts afresh both ways: its response head is not taken for a retransmission', () => {
    // The server's ISN is lower the second time: only its SYN/ACK (read as numbers, without a decode) tells
    // that the response head at ISN + 1 is new, not a repeat of the first connection's.
    const s = { src: c.dst, dst: c.src, sport: c.dport, dport: c.sport };
    const request = 'GET / HTTP/1.0\r\n\r\n', response = 'HTTP/1.0 200 OK\r\n\r\n';
    const once = (serverIsn: number) => [
      tcp({ ...c, flags: 'S', seq: 99 }), tcp({ ...s, flags: 'SA', seq: serverIsn, ack: 100 }), tcp({ ...c, flags: 'A', seq: 100, ack: serverIsn + 1 }),
      tcp({ ...c, flags: 'PA', seq: 100, payload: request }), tcp({ ...s, flags: 'PA', seq: serverIsn + 1, payload: response }),
      tcp({ ...s, flags: 'FA', seq: serverIsn + 1 + response.length }), tcp({ ...c, flags: 'FA', seq: 100 + request.length }),
    ];
    const frames = [...once(50_000), ...once(40_000)];
    const path = join(mkdtempSync(join(tmpdir(), 'vrrpscope-reasm-')), 'reuse.pcap');
    writeFileSync(path, pcapBytes(frames.map((data, i) => ({ sec: T + i, frac: 0, data }))));
    const a = analyzeFiles([path]);
    expect(a.store.httpHead(12)).toBeUndefined(); // the second response: decoded as usual, not 'repeated'
    expect(a.store.httpHead(11)).toBeUndefined();
  });
});
