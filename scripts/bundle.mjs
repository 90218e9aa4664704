#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles the command (dist/main.js and every module it loads,
// chalk included; handlebars and the optional cap stay outside) into dist/vrrpscope.cjs, then runs it
// on the bundled sample capture in every report format and keeps V8's code cache of what ran in
// dist/vrrpscope.cache. dist/cli.js starts from those two files (see src/cli.ts): ~40 ms less start-up.

import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { sizeHeap } from '../dist/heap-size.js';

// The command's heap flags (src/heap-size.ts), set before compiling: V8 takes a cache only when its flags match.
sizeHeap();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'vrrpscope.cjs');
const cachePath = join(root, 'dist', 'vrrpscope.cache');
rmSync(cachePath, { force: true });

await build({
  entryPoints: [join(root, 'dist', 'main.js')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['handlebars', 'cap'],
  // import.meta.url of every module is the bundle's own address (package-root.ts finds the package from it).
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: 'const __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});

// Compiled exactly as src/cli.ts compiles it (V8 takes a cache only for the very same source).
const wrapped = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(out, 'utf8') + '\n})';
const script = new vm.Script(wrapped, { filename: out });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(out), module, out, dirname(out));

// A sample run in each format, so that the cache holds the functions they compile (V8 compiles a
// function on its first call; a cache made after running includes them).
const sample = join(root, 'captures', 'vrrp-failover.pcap');
const scratch = join(root, 'dist', '.bundle-sample');
const stderr = process.stderr.write.bind(process.stderr);
process.stderr.write = () => true; // the sample runs' summaries
try {
  for (const format of ['json', 'html', 'md', 'pcapng']) {
    const status = await module.exports.main(['report', sample, '--format', format, '-o', scratch]);
    if (status !== 0) throw new Error(`bundle: the sample ${format} report failed (exit ${status})`);
  }
} finally {
  process.stderr.write = stderr;
  rmSync(scratch, { force: true });
}
writeFileSync(cachePath, script.createCachedData());
console.log(`bundle: ${out} (${Math.round(readFileSync(out).length / 1024)} KiB), code cache ${Math.round(readFileSync(cachePath).length / 1024)} KiB`);
