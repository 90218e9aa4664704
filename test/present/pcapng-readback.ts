// Every capture we have, through the writer, read back by tshark: a file it calls corrupt, or a frame
// whose bytes (tshark's MD5 of them), lengths or time differ, is a writer bug. The reference is tshark's
// own reading of the input; for an input tshark gives up on part-way (a damaged file), the frames it
// read must come first, and the rest must be the frames our reader recovered.
// In two halves (pcapng-readback-1.test.ts, pcapng-readback-2.test.ts: every other capture) that run
// side by side; the annotated pcapng is written by the built command's main() in the test's process.

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCaptures } from '../../src/io/reader.js';
import type { Frame } from '../../src/io/frame.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { ahead, tshark } from '../support/tshark-cache.js';
import { runInProcess } from '../support/ours.js';
import { captureName, extendedCaptures, fixtureCaptures, HAVE_EXTENDED } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { tmp } from './fixtures.js';

const PROJECT = fileURLToPath(new URL('../../captures', import.meta.url));
const PROJECT_CAPTURES = readdirSync(PROJECT).filter((n) => /\.(pcap|pcapng)$/.test(n)).map((n) => join(PROJECT, n));
// The fixtures (public, lab, regressions) and, when ../shared is beside the repository, the extended ones.
const ALL_CAPTURES = [...PROJECT_CAPTURES, ...fixtureCaptures(), ...extendedCaptures()];
const ROW_FIELDS = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.md5_hash'];

async function tsharkRows(file: string): Promise<{ rows: string[]; complete: boolean; stderr: string }> {
  const r = await tshark(['-r', file, '-o', 'frame.generate_md5_hash:TRUE', '-T', 'fields', ...ROW_FIELDS.flatMap((f) => ['-e', f])], file);
  const stderr = r.stderr.split('\n').filter((l) => l && !/^Running as user/.test(l)).join('\n');
  return { rows: r.stdout.split('\n').filter(Boolean), complete: r.status === 0 && stderr === '', stderr };
}

function frameCount(path: string): number {
  const { source } = openCaptures([path]);
  let n = 0;
  try {
    while (source.next() as Frame | null) n++;
  } finally {
    source.close();
  }
  return n;
}

/** Part `part` (1-based) of `parts`: every parts-th capture. */
export function pcapngReadback(part: number, parts: number): void {
  const dir = tmp('vrrpscope-pcapng-');
  const mine = ALL_CAPTURES.filter((_, i) => i % parts === part - 1);
  const inputRows = ahead(mine, tsharkRows);

  describe.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('the written pcapng, read back by tshark', () => {
    if (part === 1) it('covers the project\'s captures, and the shared ones when present', () => {
      expect(PROJECT_CAPTURES.length).toBeGreaterThan(5);
      expect(ALL_CAPTURES.length).toBeGreaterThan(PROJECT_CAPTURES.length + 50 + (HAVE_EXTENDED ? 8 : 0));
    });
    it(`part ${part} of ${parts} holds its share of the captures`, () => {
      expect(mine.length).toBe(Math.floor(ALL_CAPTURES.length / parts) + (part <= ALL_CAPTURES.length % parts ? 1 : 0));
    });
    for (const file of mine) {
      const name = PROJECT_CAPTURES.includes(file) ? 'captures/' + file.slice(PROJECT.length + 1) : captureName(file);
      it(name, async () => {
        const input = inputRows(file);
        const out = join(dir, name.replace(/\//g, '_') + '.out.pcapng');
        const r = await runInProcess(['report', file, '--format', 'pcapng', '-o', out]);
        expect(r.status, r.stderr).toBe(0);
        const written = await tsharkRows(out);
        expect(written.stderr, 'tshark on the written file').toBe('');
        expect(written.complete).toBe(true);
        const { rows, complete } = await input;
        if (complete) {
          expect(written.rows).toEqual(rows);
        } else {
          expect(written.rows.slice(0, rows.length)).toEqual(rows);
          expect(written.rows.length).toBe(frameCount(file));
        }
      }, 60_000);
    }
  });
}
