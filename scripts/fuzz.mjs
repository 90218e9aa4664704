#!/usr/bin/env node
// The long run of the whole-analysis fuzzer (scripts/fuzz-core.mjs) over the built command (dist/):
//
//   npm run fuzz -- [--seed N] [--frames N] [--batch N] [--pagesEvery N] [--out DIR]
//
// Defaults: seed 1, 1 000 000 frames, batches of 1000, the HTML and Markdown pages (every frame listed)
// rendered for one batch in 5 (their templates are compiled on each call), crashes under
// $TMPDIR/vrrpscope-fuzz-crashes/. Each crash is minimised (the fewest frames that fail the same way)
// and kept as capture files with the error: DIR/crash-K/link*.pcap and error.txt; replay with
// `node dist/cli.js report DIR/crash-K/*.pcap`.
// Prints the frames, batches, time and crashes; exit status 1 if anything crashed.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzz, loadSeeds, minimise, seedFiles, writeBatch } from './fuzz-core.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (m) => import(join(root, 'dist', m));

const opts = { seed: 1, frames: 1_000_000, batch: 1000, pagesEvery: 5, out: join(tmpdir(), 'vrrpscope-fuzz-crashes') };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const name = argv[i].replace(/^--/, ''), value = argv[++i];
  if (!(name in opts) || value === undefined) { console.error(`usage: fuzz.mjs [--seed N] [--frames N] [--batch N] [--pagesEvery N] [--out DIR] (not ${argv[i - 1]})`); process.exit(2); }
  opts[name] = name === 'out' ? value : Number(value);
  if (name !== 'out' && !(Number.isInteger(opts[name]) && opts[name] >= 0)) { console.error(`--${name} takes a whole number`); process.exit(2); }
}

const [{ openCaptures }, { decodePacket }, { Frame }, { analyzeFiles }, { reportAnalyzers }, { I18n }, { writeJson }, { writeHtml }, { writeMarkdown }, { writeAnnotatedPcapng }, { buildModel }, { summaryText }, { checklistOf }, { checklistText }] = await Promise.all([
  dist('io/reader.js'), dist('dissect/packet.js'), dist('io/frame.js'), dist('pipeline.js'), dist('cli/check.js'), dist('present/i18n/index.js'),
  dist('present/json.js'), dist('present/html.js'), dist('present/markdown.js'), dist('present/pcapng.js'), dist('present/model.js'),
  dist('present/terminal.js'), dist('checklist/index.js'), dist('checklist/text.js'),
]);
const api = { openCaptures, decodePacket, Frame, analyzeFiles, reportAnalyzers, I18n, writeJson, writeHtml, writeMarkdown, writeAnnotatedPcapng, buildModel, summaryText, checklistOf, checklistText };

const work = mkdtempSync(join(tmpdir(), 'vrrpscope-fuzz-'));
const seeds = loadSeeds(api, seedFiles(root));
console.log(`seed ${opts.seed}, ${opts.frames} frames in batches of ${opts.batch}, pages every ${opts.pagesEvery}; ${seeds.frames.length} seed frames of ${seeds.kinds.length} kinds: ${seeds.kinds.join(' ')}`);
const t0 = process.hrtime.bigint();
let lastPrint = 0;
const result = fuzz(api, {
  root, seed: opts.seed, frames: opts.frames, batch: opts.batch, pagesEvery: Math.max(1, opts.pagesEvery), dir: work, seeds,
  onBatch: (done, batches, crashes) => {
    const now = Date.now();
    if (now - lastPrint < 10_000) return;
    lastPrint = now;
    console.log(`  ${done} frames, ${batches} batches, ${crashes} crashes, ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(0)} s`);
  },
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`done: ${result.frames} frames in ${result.batches} batches, ${seconds.toFixed(1)} s (${Math.round(result.frames / seconds)} frames/s), seed ${opts.seed}, ${result.crashes.length} crashes`);

// Crashes: the same error often comes back; one minimised example of each message.
const seen = new Set();
let k = 0;
for (const c of result.crashes) {
  const key = c.error.message;
  if (seen.has(key)) continue;
  seen.add(key);
  const small = minimise(api, c, work);
  const dir = resolve(opts.out, `crash-${k++}`);
  mkdirSync(dir, { recursive: true });
  writeBatch(dir, small);
  writeFileSync(join(dir, 'error.txt'), `seed ${opts.seed}, batch ${c.batch}, lang ${c.lang}, ${small.length} of ${c.frames.length} frames\n${c.error.stack}\n`);
  console.log(`crash (batch ${c.batch}, ${small.length} frames kept in ${dir}): ${c.error.stack.split('\n').slice(0, 3).join(' | ')}`);
}
rmSync(work, { recursive: true, force: true });
process.exit(result.crashes.length ? 1 : 0);
