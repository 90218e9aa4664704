// Mutation fuzzing: bit flips, truncations and hostile lengths over real frames from every shared
// capture, through every decoder, the frame summary and the JSON layers; and over whole files, through
// the readers. No exception may escape; readers must end (no hang, no unbounded buffering).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodePacket } from '../../src/dissect/packet.js';
import { HeadReassembler } from '../../src/reassemble/reassembly.js';
import { summarize } from '../../src/dissect/summary.js';
import { layersOf } from '../../src/present/layers.js';
import { openCaptures, parserFor } from '../../src/io/reader.js';
import { Frame } from '../../src/io/frame.js';
import { HAVE_EXTENDED, extendedCaptures, fixtureCaptures } from '../support/captures.js';
import { itHasExtendedCaptures } from '../support/skip.js';
import { prng } from '../support/mutate.js';


function mutate(data: Uint8Array, rnd: () => number): Uint8Array {
  const b = Uint8Array.from(data);
  const kind = Math.floor(rnd() * 4);
  if (kind === 0) { // bit flips
    const n = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < n && b.length; i++) b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
    return b;
  }
  if (kind === 1) return b.subarray(0, Math.floor(rnd() * b.length)); // truncation
  if (kind === 2) { // hostile length-like values
    for (let i = 0; i < 3 && b.length > 2; i++) {
      const at = Math.floor(rnd() * (b.length - 1));
      const v = [0, 0xff, 0xffff, Math.floor(rnd() * 65536)][Math.floor(rnd() * 4)];
      b[at] = v >> 8; b[at + 1] = v & 0xff;
    }
    return b;
  }
  for (let i = 0; i < b.length; i++) if (rnd() < 0.05) b[i] = Math.floor(rnd() * 256); // noise
  return b;
}

function exercise(f: Frame, streams: HeadReassembler): void {
  const p = decodePacket(f, streams);
  void p.http; // lazily decoded layers too
  summarize(p);
  JSON.stringify(layersOf(p));
}

const files = [...fixtureCaptures(), ...extendedCaptures()];
itHasExtendedCaptures(HAVE_EXTENDED, () => extendedCaptures().length);
const PER_FILE = 400;
const MUTATIONS = 40;

describe('decoders never throw', () => {
  it('on mutated frames of every shared capture', () => {
    const rnd = prng(0x5eed);
    let decoded = 0;
    for (const path of files) {
      const { source } = openCaptures([path]);
      const streams = new HeadReassembler();
      let f: Frame | null, k = 0;
      while ((f = source.next()) && k++ < PER_FILE) {
        for (let m = 0; m < MUTATIONS; m++) {
          const data = mutate(f.data, rnd);
          const frame = Frame.of(data, f.linkType, f.tsSec, f.tsNs, f.n);
          try {
            exercise(frame, streams);
          } catch (e) {
            throw new Error(`${path} frame ${f.n} mutation ${m} (${Buffer.from(data).toString('hex')}): ${(e as Error).stack}`);
          }
          decoded++;
        }
      }
      source.close();
    }
    expect(decoded).toBeGreaterThan(150_000);
  }, 120_000);

  it('on every link type with random bytes', () => {
    const rnd = prng(7);
    const streams = new HeadReassembler();
    for (const linkType of [0, 1, 12, 101, 108, 113, 228, 229, 276, 107, 9999, -1]) {
      for (let i = 0; i < 3000; i++) {
        const data = Uint8Array.from({ length: Math.floor(rnd() * 120) }, () => Math.floor(rnd() * 256));
        // Plausible starts too, so deeper layers are reached.
        if (linkType === 1 && data.length > 14 && rnd() < 0.7) { data[12] = 0x08; data[13] = rnd() < 0.5 ? 0x00 : 0x06; if (data.length > 23) { data[14] = 0x45; data[23] = [6, 17, 112, 1, 4, 58][Math.floor(rnd() * 6)]; } }
        exercise(Frame.of(data, linkType, i, 0, i + 1), streams);
      }
    }
  });
});

describe('readers end on damaged files', () => {
  it('mutated headers and lengths of every shared capture', () => {
    const rnd = prng(42);
    let runs = 0;
    for (const path of files.filter((p) => !p.includes('healthcheck-mix'))) {
      const original = readFileSync(path);
      for (let m = 0; m < 20; m++) {
        const bytes = Buffer.from(original);
        // Damage near the start (headers) or anywhere (record lengths).
        for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++) {
          const at = rnd() < 0.5 ? Math.floor(rnd() * Math.min(64, bytes.length)) : Math.floor(rnd() * bytes.length);
          bytes[at] = Math.floor(rnd() * 256);
        }
        const cut = rnd() < 0.3 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
        const parser = parserFor(cut, 0);
        if (!parser) continue;
        parser.push(cut);
        parser.finish();
        let frames = 0;
        while (parser.next()) { if (++frames > 1_000_000) throw new Error('reader does not end'); }
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(500);
  });
});
