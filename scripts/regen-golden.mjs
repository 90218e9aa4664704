#!/usr/bin/env node
// Golden reports (tcpdump's TESTLIST idea): test/golden/list.json pairs captures with the formats whose
// output is kept under test/golden/; this script regenerates them with the built CLI, and
// test/report/golden.test.ts compares the current output with them. A change of output shows up as a
// diff to review in `git diff test/golden`, never as a silent pass.
//
//   npm run golden                      rebuild, then rewrite every golden file
//   node scripts/regen-golden.mjs NAME  only the cases named NAME
//   node scripts/regen-golden.mjs --check   compare only; exit 1 and name the files that differ

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const GOLDEN_DIR = join(ROOT, 'test/golden');
const CLI = join(ROOT, 'dist/cli.js');

/** Every (case, format) of list.json: name, output file, CLI arguments, and whether its captures exist. */
export function goldenCases() {
  const list = JSON.parse(readFileSync(join(GOLDEN_DIR, 'list.json'), 'utf8'));
  const out = [];
  for (const c of list.cases) {
    const files = c.files.map((f) => resolve(ROOT, f));
    for (const format of c.formats) {
      const lang = c.lang ?? 'en';
      // "events": the JSON report without its frames, i.e. what the rule engine concluded (events.json).
      const file = join(GOLDEN_DIR, `${c.name}${c.lang ? '.' + c.lang : ''}.${format === 'events' ? 'events.json' : format}`);
      const cliFormat = format === 'events' ? 'json' : format;
      const args = ['report', ...files, '--format', cliFormat, '-o', '-', '--lang', lang, ...(c.args ?? []), ...((c.formatArgs ?? {})[format] ?? [])];
      out.push({ name: c.name, format, lang, file, args, available: files.every((f) => existsSync(f)) });
    }
  }
  return out;
}

/** The CLI's output for a case, as text (every golden format is text). */
export function renderCase(gc) {
  // A fixed environment: the output must not depend on the machine's locale, colours or time zone.
  const env = { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', TZ: 'UTC', NO_COLOR: '1' };
  const out = execFileSync(process.execPath, [CLI, ...gc.args], { encoding: 'utf8', maxBuffer: 1 << 30, env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  if (gc.format !== 'events') return out;
  const { tool: _tool, frames: _frames, ...doc } = JSON.parse(out);
  return JSON.stringify(doc, null, 1) + '\n';
}

function main(argv) {
  const check = argv.includes('--check');
  const names = argv.filter((a) => !a.startsWith('--'));
  if (!existsSync(CLI)) { console.error('regen-golden: dist/cli.js missing; run npm run build first (npm run golden does)'); return 2; }
  let changed = 0, skipped = 0, written = 0;
  for (const gc of goldenCases()) {
    if (names.length && !names.includes(gc.name)) continue;
    const rel = gc.file.slice(ROOT.length + 1);
    if (!gc.available) { console.error(`skip ${rel}: capture not found (is ../shared there?)`); skipped++; continue; }
    const now = renderCase(gc);
    const before = existsSync(gc.file) ? readFileSync(gc.file, 'utf8') : null;
    if (before === now) continue;
    changed++;
    if (check) console.error(`differs: ${rel}`);
    else { writeFileSync(gc.file, now); written++; console.error(`${before === null ? 'new' : 'updated'}: ${rel}`); }
  }
  if (check) { console.error(changed ? `${changed} golden file(s) differ` : 'golden files up to date'); return changed ? 1 : 0; }
  console.error(`${written} golden file(s) written, ${skipped} skipped; review them with git diff ${join('test', 'golden')}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
