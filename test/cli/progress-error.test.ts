// An error never lands at the end of the progress line a terminal shows while a capture is read: the
// line is cleared first. Inputs are checked before reading starts, so what can fail during the read is
// the analysis itself (a bug: "internal error"); the pipeline is replaced by one that shows progress
// and then fails, and main() runs with a terminal on standard error.

import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

vi.mock('../../src/pipeline.js', async (original) => {
  const real = await original<typeof import('../../src/pipeline.js')>();
  return {
    ...real,
    analyzeFiles: (_files: string[], opts: { progress?: (read: number, total: number) => void }) => {
      opts.progress?.(512 * 1024, 1024 * 1024);
      throw new Error('analyser failed');
    },
  };
});

const { main } = await import('../../src/main.js');
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('errors and the progress line', () => {
  it('an error during the read is written on a line of its own', async () => {
    const written: string[] = [];
    const stderr = process.stderr as NodeJS.WriteStream & { isTTY: boolean };
    const { write, isTTY } = { write: stderr.write, isTTY: stderr.isTTY };
    stderr.isTTY = true;
    stderr.write = ((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; }) as typeof stderr.write;
    let status: number | null;
    try {
      status = await main(['report', join(__dirname, '../../captures/vrrp-failover.pcap'), '--format', 'json', '-o', join(dir, 'out.json'), '--lang', 'en']);
    } finally {
      stderr.write = write;
      stderr.isTTY = isTTY;
    }
    expect(status).toBe(70);
    const text = written.join('');
    expect(text).toMatch(/reading the capture: 50 %/); // the progress line was shown
    const error = text.indexOf('vrrpscope: internal error: analyser failed');
    expect(error).toBeGreaterThan(0);
    // Between the progress text and the error: carriage return and erase-line.
    expect(text.slice(0, error).endsWith('\r\x1b[2K')).toBe(true);
  });
});
