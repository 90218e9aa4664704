// Mutation fuzzing of the whole analysis (scripts/fuzz-core.mjs; `npm run fuzz` is the long run): real
// frames of every protocol the tool decodes, from the repository's own captures, mutated and written as
// capture files, then everything `report` does (every analyser and the checklist, the JSON with every
// frame's layers, HTML, Markdown, annotated pcapng, the terminal summary). No exception, valid JSON.
// Then a few damaged whole files through the CLI: exit 0 or 2 with one line, never an internal error.

import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Plain JavaScript, shared with scripts/fuzz.mjs.
import { fuzz, loadSeeds, prng, seedFiles } from '../../scripts/fuzz-core.mjs';
import { openCaptures } from '../../src/io/reader.js';
import { decodePacket } from '../../src/dissect/packet.js';
import { Frame } from '../../src/io/frame.js';
import { analyzeFiles } from '../../src/pipeline.js';
import { reportAnalyzers } from '../../src/cli/check.js';
import { I18n } from '../../src/present/i18n/index.js';
import { writeJson } from '../../src/present/json.js';
import { writeHtml } from '../../src/present/html.js';
import { writeMarkdown } from '../../src/present/markdown.js';
import { writeAnnotatedPcapng } from '../../src/present/pcapng.js';
import { buildModel } from '../../src/present/model.js';
import { summaryText } from '../../src/present/terminal.js';
import { checklistOf } from '../../src/checklist/index.js';
import { checklistText } from '../../src/checklist/text.js';
import { CLI } from '../support/ours.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const api = { openCaptures, decodePacket, Frame, analyzeFiles, reportAnalyzers, I18n, writeJson, writeHtml, writeMarkdown, writeAnnotatedPcapng, buildModel, summaryText, checklistOf, checklistText };
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-fuzz-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every protocol the decoders know, as the seed kinds name them (deepest layer, link type prefix). */
const PROTOCOLS = ['vrrp-v2', 'vrrp-v3', 'vrrp-v3-ip6', 'arp', 'icmp', 'icmp-error', 'icmpv6', 'igmp', 'tcp-data', 'http', 'udp', 'dns',
  'tls', 'smtp', 'ipvsSync', 'carp', 'hsrp', 'tcp-ipip', 'http-ipip', 'sll1:arp', 'sll2:tcp-data'];

describe('the whole analysis on mutated frames', () => {
  const seeds = loadSeeds(api, seedFiles(ROOT));

  it('has seed frames of every protocol in the repository itself', () => {
    expect(seedFiles(ROOT).every((p: string) => p.startsWith(ROOT) && !p.includes('/shared/'))).toBe(true);
    for (const k of PROTOCOLS) expect(seeds.kinds, k).toContain(k);
  });

  it('never throws and always writes valid JSON (seed 11, 15000 frames)', () => {
    // Pages (HTML, Markdown) for one batch in 8: their writers compile the templates on each call.
    const r = fuzz(api, { root: ROOT, seed: 11, frames: 15000, batch: 1000, pagesEvery: 8, dir, seeds });
    const first = r.crashes[0];
    if (first) {
      const hex = first.frames.map((f: { linkType: number; data: Uint8Array }) => `${f.linkType}:${Buffer.from(f.data).toString('hex')}`);
      throw new Error(`${r.crashes.length} crashing batches; first: batch ${first.batch} (${first.lang}): ${first.error.stack}\nframes: ${hex.join(' ')}`);
    }
    expect(r.frames).toBe(15000);
  }, 60_000);
});

describe('damaged whole files through the CLI', () => {
  const files = ['captures/vrrp-failover.pcap', 'captures/vrrp-v3-ipv6.pcap', 'captures/ivs/lvs-tun/lvs-tun-rs1-any.pcap', 'test/fixtures/fuzz/seeds.pcapng'];

  it('exit 0 with a JSON report, or 2 with one line; never an internal error (seed 5)', () => {
    const rnd = prng(5);
    const statuses: number[] = [];
    for (const file of files) {
      const original = readFileSync(join(ROOT, file));
      for (let m = 0; m < 3; m++) {
        const bytes = Buffer.from(original);
        // Bytes anywhere (record and block lengths), bytes of the file header, or a cut inside it.
        for (let i = 0; i < 1 + Math.floor(rnd() * 6); i++) {
          const at = m === 1 ? Math.floor(rnd() * 28) : Math.floor(rnd() * bytes.length);
          bytes[at] = Math.floor(rnd() * 256);
        }
        const damaged = m === 2 ? bytes.subarray(0, Math.floor(rnd() * 40)) : rnd() < 0.3 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
        const path = join(dir, `damaged-${m}-${file.split('/').pop()}`);
        writeFileSync(path, damaged);
        const r = spawnSync(process.execPath, [CLI, 'report', path, '--format', 'json', '-o', '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
        const what = `${file} mutation ${m}: status ${r.status}, stderr ${r.stderr}`;
        expect([0, 2], what).toContain(r.status);
        expect(r.stderr, what).not.toMatch(/internal error|\n\s+at /);
        if (r.status === 2) expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
        else expect(() => JSON.parse(r.stdout), what).not.toThrow();
        statuses.push(r.status ?? -1);
      }
    }
    expect(statuses).toHaveLength(files.length * 3);
    expect(new Set(statuses)).toEqual(new Set([0, 2])); // both outcomes were exercised
  }, 60_000);
});
