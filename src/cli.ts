#!/usr/bin/env node
// The vrrpscope command. `npm run build` bundles the command into one file, dist/vrrpscope.cjs, with
// V8's code cache for it beside (dist/vrrpscope.cache, made by scripts/bundle.mjs on a sample run):
// started that way it skips resolving, reading and compiling some eighty modules, ~40 ms of a small
// report's ~110. Without the bundle (sources run as they are) the modules are loaded as usual.
// VRRPSCOPE_DEBUG=1 says on stderr which way it started and whether V8 took the cache.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { sizeHeap } from './heap-size.js';

sizeHeap();

const bundle = fileURLToPath(new URL('./vrrpscope.cjs', import.meta.url));
const debug = (line: string) => { if (process.env.VRRPSCOPE_DEBUG) process.stderr.write(`vrrpscope: ${line}\n`); };

/**
 * The bundle as a CommonJS module. scripts/bundle.mjs compiles it the same way (same wrapper, same
 * file name) to make the cache: V8 takes a cache only for the very source it was made from.
 */
function loadBundle(path: string, cachedData?: Buffer): { run: (argv?: string[]) => Promise<void>; script: vm.Script } {
  const wrapped = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(path, 'utf8') + '\n})';
  const script = new vm.Script(wrapped, { filename: path, cachedData });
  const module = { exports: {} as { run: (argv?: string[]) => Promise<void> } };
  script.runInThisContext()(module.exports, createRequire(path), module, path, dirname(path));
  return { run: module.exports.run, script };
}

if (process.env.VRRPSCOPE_BUNDLE !== '0' && existsSync(bundle)) {
  const cachePath = bundle.replace(/\.cjs$/, '.cache');
  const cache = existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  const { run, script } = loadBundle(bundle, cache);
  debug(`started from ${bundle}; code cache ${cache === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used'}`);
  await run();
} else {
  debug('started from the modules');
  const { run } = await import('./main.js');
  await run();
}
