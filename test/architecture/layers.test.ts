// The tree shows the pipeline, and the imports keep to it: io → dissect → reassemble → analyse → present,
// with cli, checklist and config beside. Checked on the source (relative imports, type-only ones too):
// no cycle anywhere; each layer imports nothing from a later one; the analysis never sees the language
// (nothing from present/ or i18n); renderers read the analysis only through its findings types (the
// events and notes contracts, the pipeline's Analysis) — never an analyser's internals.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Every module of src/ and the src-relative modules it imports. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of (readdirSync(SRC, { recursive: true }) as string[]).filter((n) => n.endsWith('.ts'))) {
    const code = readFileSync(join(SRC, f), 'utf8');
    const deps: string[] = [];
    for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g)) {
      deps.push(relative(SRC, resolve(dirname(join(SRC, f)), m[1])).replace(/\.js$/, '.ts'));
    }
    for (const m of code.matchAll(/import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) deps.push(relative(SRC, resolve(dirname(join(SRC, f)), m[1])).replace(/\.js$/, '.ts'));
    g.set(f, deps);
  }
  return g;
}

const layer = (f: string) => f.split('/')[0].replace(/\.ts$/, '');

/** The findings contract a renderer may read: the event and note types, the episodes and incidents built from the events once, the pipeline's Analysis. */
const FINDINGS = new Set(['analyse/events.ts', 'analyse/notes.ts', 'analyse/episodes.ts', 'analyse/incidents.ts', 'pipeline.ts']);
const isFindings = (f: string) => FINDINGS.has(f) || /^analyse\/[^/]+\/events\.ts$/.test(f);

describe('the source keeps to the pipeline', () => {
  const g = graph();

  it('reads the whole tree', () => {
    expect(g.size).toBeGreaterThan(60);
    expect(g.get('pipeline.ts')).toContain('analyse/engine.ts');
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 1);
      stack.push(f);
      for (const d of g.get(f) ?? []) {
        if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of g.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('io and dissect import nothing after them; reassemble nothing from analysis or presentation', () => {
    const bad: string[] = [];
    for (const [f, deps] of g) for (const d of deps) {
      const from = layer(f), to = layer(d);
      if (from === 'io' && to !== 'io') bad.push(`${f} → ${d}`);
      if (from === 'dissect' && to !== 'dissect' && to !== 'io') bad.push(`${f} → ${d}`);
      if (from === 'reassemble' && !['reassemble', 'dissect', 'io'].includes(to)) bad.push(`${f} → ${d}`);
    }
    expect(bad).toEqual([]);
  });

  it('the analysis never sees the language: nothing under analyse/ imports present/ (sentences, catalogues)', () => {
    const bad = [...g].flatMap(([f, deps]) => layer(f) === 'analyse' ? deps.filter((d) => layer(d) === 'present').map((d) => `${f} → ${d}`) : []);
    expect(bad).toEqual([]);
  });

  it('renderers import no analysis internals, only the findings types', () => {
    const bad = [...g].flatMap(([f, deps]) => layer(f) === 'present' ? deps.filter((d) => layer(d) === 'analyse' && !isFindings(d)).map((d) => `${f} → ${d}`) : []);
    expect(bad).toEqual([]);
  });
});
