// The part of glob(3) keepalived's `include` uses (GLOB_MARK | GLOB_BRACE): *, ?, [...] and {a,b} in
// any path segment, matches sorted, directories skipped. Node 20 has no fs.glob, and this is small.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX_PATTERNS = 256;
const MAX_MATCHES = 1000;

/** {a,b}c → [ac, bc], nested and repeated braces too (bounded). */
export function expandBraces(pattern: string): string[] {
  const out: string[] = [];
  const pending = [pattern];
  while (pending.length && out.length + pending.length <= MAX_PATTERNS) {
    const p = pending.shift()!;
    const open = findBrace(p);
    if (!open) { out.push(p); continue; }
    const { start, end, parts } = open;
    for (const part of parts) pending.push(p.slice(0, start) + part + p.slice(end + 1));
  }
  return out.concat(pending);
}

/** The first {…} holding a top-level comma, with its alternatives. */
function findBrace(p: string): { start: number; end: number; parts: string[] } | null {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') { i++; continue; }
    if (p[i] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let j = i; j < p.length; j++) {
      const c = p[j];
      if (c === '\\') { j++; continue; }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          if (!commas.length) break;
          const bounds = [i, ...commas, j];
          const parts = bounds.slice(0, -1).map((b, k) => p.slice(b + 1, bounds[k + 1]));
          return { start: i, end: j, parts };
        }
      } else if (c === ',' && depth === 1) commas.push(j);
    }
  }
  return null;
}

function hasMagic(segment: string): boolean {
  return /[*?[]/.test(segment);
}

/** A glob segment as a regular expression (a leading dot must be matched literally, as in glob(3)). */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\' && i + 1 < segment.length) { re += escapeRe(segment[++i]); continue; }
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) { re += '\\['; continue; }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp('^' + re + '$');
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}

function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

function exists(p: string): boolean {
  try { statSync(p); return true; } catch { return false; }
}

/**
 * Files matching an absolute pattern, sorted within each brace alternative as glob(3) does; directories
 * are left out (keepalived skips them). Never throws: unreadable directories match nothing.
 */
export function globFiles(pattern: string): string[] {
  const out: string[] = [];
  for (const alt of expandBraces(pattern)) {
    const segments = alt.split('/');
    let bases = [segments[0] === '' ? '/' : segments[0]];
    for (let k = 1; k < segments.length && bases.length; k++) {
      const seg = segments[k];
      if (seg === '') continue;
      const next: string[] = [];
      for (const base of bases) {
        if (!hasMagic(seg)) {
          const p = join(base, seg.replace(/\\(.)/g, '$1'));
          if (exists(p)) next.push(p);
          continue;
        }
        let names: string[];
        try { names = readdirSync(base).sort(); } catch { continue; }
        const re = segmentRegExp(seg);
        for (const name of names) {
          if (name.startsWith('.') && !seg.startsWith('.')) continue;
          if (re.test(name)) next.push(join(base, name));
          if (next.length > MAX_MATCHES) break;
        }
      }
      bases = next;
    }
    for (const b of bases) if (!isDir(b) && out.length < MAX_MATCHES) out.push(b);
  }
  return out;
}
