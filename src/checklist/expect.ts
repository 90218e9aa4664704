// --expect LIST|FILE: the behaviours a teacher requires. A comma (or space) separated list of ids, or a
// file naming them one per line with # comments; `hc-*` style patterns select several ids.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { BEHAVIOURS, type BehaviourId } from './behaviours.js';

export class ExpectError extends Error {}

export interface Expectation {
  ids: BehaviourId[];
  /** Where they came from: the file, or null for a list on the command line. */
  source: string | null;
}

/** Ids from a list of words; unknown ones are an error naming the valid ids. */
export function expectedIds(words: string[], where: string): BehaviourId[] {
  const out: BehaviourId[] = [];
  const unknown: string[] = [];
  for (const w of words) {
    if (w === 'all' || w === '*') { out.push(...BEHAVIOURS); continue; }
    if (w.includes('*')) {
      const re = new RegExp('^' + w.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
      const m = BEHAVIOURS.filter((b) => re.test(b));
      if (m.length) out.push(...m); else unknown.push(w);
      continue;
    }
    if ((BEHAVIOURS as readonly string[]).includes(w)) out.push(w as BehaviourId);
    else unknown.push(w);
  }
  if (unknown.length) throw new ExpectError(`${where}: unknown behaviour ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${BEHAVIOURS.join(', ')})`);
  if (!out.length) throw new ExpectError(`${where}: no behaviour named`);
  return BEHAVIOURS.filter((b) => out.includes(b));
}

/** --expect VALUE: a file when VALUE names one, else a list. */
export function parseExpect(value: string): Expectation {
  if (existsSync(value) && statSync(value).isFile()) {
    let text: string;
    try {
      text = readFileSync(value, 'utf8');
    } catch (e) {
      throw new ExpectError(`--expect ${value}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const words: string[] = [];
    text.split('\n').forEach((line) => {
      const clean = line.replace(/#.*$/, '').trim();
      if (clean) words.push(...clean.split(/[\s,]+/).filter(Boolean));
    });
    return { ids: expectedIds(words, `--expect ${value}`), source: value };
  }
  try {
    return { ids: expectedIds(value.split(/[\s,]+/).filter(Boolean), `--expect ${value}`), source: null };
  } catch (e) {
    // Most likely a file name with a typo.
    if (/[/.]/.test(value)) throw new ExpectError(`--expect ${value}: no such file, and not a list of behaviour ids (${BEHAVIOURS.join(', ')})`);
    throw e;
  }
}
