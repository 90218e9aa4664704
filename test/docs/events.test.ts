// docs/events.md is the JSON contract: it must say what the code emits. Its table is checked against
// the event types (src/analyse/<domain>/events.ts, read with the TypeScript parser): the same kinds,
// each with exactly its type's fields (optional ones marked `?`); and on every capture of the
// repository, each event's kind is documented, carries every field its row lists and no field the row
// does not list; the top-level keys of every report are in its Document block.

import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { eventCaptures } from '../support/captures.js';
import { reportJsonOnce, type OurReport } from '../support/ours.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/events.md'), 'utf8');

interface Row { kind: string; required: string[]; optional: string[] }

/** The table's rows: kind, and the fields of its last column (a field starts the cell or follows ", " or "; "). */
function documentedKinds(): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const m of DOC.matchAll(/^\| `([a-z]+\.[a-z-]+)` \|[^|\n]*\| (.*) \|$/gm)) {
    const row: Row = { kind: m[1], required: [], optional: [] };
    let cell = m[2];
    while (/\([^()]*\)/.test(cell)) cell = cell.replace(/\([^()]*\)/g, ''); // explanations, not fields
    for (const f of cell.matchAll(/(?:^|, |; )`(\w+)`(\?)?/g)) (f[2] ? row.optional : row.required).push(f[1]);
    rows.set(row.kind, row);
  }
  return rows;
}

/** The fields every event has, from the sentence "Every event has `id`, `kind` … and `summary` (…)". */
function commonFields(): string[] {
  const m = /^Every event has (.*?)\.\s/ms.exec(DOC);
  expect(m, 'the "Every event has" sentence').not.toBeNull();
  return [...m![1].replace(/\([^)]*\)/g, '').matchAll(/`(\w+)`/g)].map((x) => x[1]);
}

/**
 * The event types of the analysis (src/analyse/<domain>/events.ts): every interface with a literal
 * `kind`, its own fields (EventBase's aside) and which are optional, read with the TypeScript parser.
 */
function typedKinds(): Map<string, Row> {
  const out = new Map<string, Row>();
  const dir = join(ROOT, 'src/analyse');
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).filter((n) => n.endsWith('events.ts'))) {
    const src = ts.createSourceFile(f, readFileSync(join(dir, f), 'utf8'), ts.ScriptTarget.Latest, true);
    src.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node)) return;
      let kind: string | null = null;
      const row: Row = { kind: '', required: [], optional: [] };
      for (const m of node.members) {
        if (!ts.isPropertySignature(m) || !m.name) continue;
        const name = m.name.getText(src);
        if (name === 'kind' && m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) { kind = m.type.literal.text; continue; }
        (m.questionToken ? row.optional : row.required).push(name);
      }
      if (kind) { row.kind = kind; out.set(kind, row); }
    });
  }
  return out;
}


describe('docs/events.md against the code', () => {
  const documented = documentedKinds();
  const typed = typedKinds();
  let all: { file: string; doc: OurReport }[] = [];
  beforeAll(async () => { all = await Promise.all(eventCaptures().map(async (file) => ({ file, doc: await reportJsonOnce([file]) }))); }, 300_000);

  it('documents exactly the kinds of the event types (src/analyse/*/events.ts), with exactly their fields', () => {
    expect(documented.size).toBeGreaterThanOrEqual(15);
    expect(typed.size).toBeGreaterThanOrEqual(15);
    expect([...typed.keys()].filter((k) => !documented.has(k)).sort(), 'typed in src/analyse, not documented').toEqual([]);
    expect([...documented.keys()].filter((k) => !typed.has(k)).sort(), 'documented, typed nowhere in src/analyse').toEqual([]);
    for (const [kind, row] of typed) {
      const doc = documented.get(kind)!;
      expect({ required: [...doc.required].sort(), optional: [...doc.optional].sort() }, `${kind}: docs/events.md row against its type`)
        .toEqual({ required: [...row.required].sort(), optional: [...row.optional].sort() });
    }
  });

  it('every event of every capture of the repository: its kind documented, with exactly its documented fields', () => {
    const common = commonFields();
    expect(common).toEqual(['id', 'kind', 'time', 'frames', 'severity', 'summary', 'filters']);
    expect(all.length).toBeGreaterThanOrEqual(20);
    const problems = new Set<string>();
    let events = 0;
    for (const { file, doc } of all) {
      for (const e of doc.events) {
        events++;
        const row = documented.get(e.kind);
        if (!row) { problems.add(`${e.kind}: not documented (${file.split('/').pop()})`); continue; }
        for (const f of [...common, ...row.required]) if (!(f in e)) problems.add(`${e.kind}: documented field ${f} missing (${file.split('/').pop()} ${e.id})`);
        for (const f of Object.keys(e)) if (!common.includes(f) && !row.required.includes(f) && !row.optional.includes(f)) problems.add(`${e.kind}: field ${f} not documented (${file.split('/').pop()} ${e.id})`);
      }
    }
    expect([...problems].sort()).toEqual([]);
    expect(events).toBeGreaterThan(500);
  });

  it('every incident of every capture: its fields and its steps\' fields are the ones the Incident paragraph and step table list', () => {
    const para = /An \*\*Incident\*\* is `\{ (.*?) \}`/s.exec(DOC);
    expect(para, 'the Incident paragraph').not.toBeNull();
    const fields = [...para![1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
    const steps = new Map<string, string[]>();
    for (const m of DOC.matchAll(/^\| `([a-z]+(?:-[a-z]+)*)` \| (.*) \|$/gm)) {
      let cell = m[2];
      while (/\([^()]*\)/.test(cell)) cell = cell.replace(/\([^()]*\)/g, '');
      steps.set(m[1], ['step', 'time', 'frames', 'event', ...[...cell.matchAll(/`(\w+)`/g)].map((f) => f[1])]);
    }
    expect(steps.size).toBeGreaterThanOrEqual(12);
    const problems = new Set<string>();
    let told = 0;
    for (const { file, doc } of all) {
      const name = file.split('/').pop();
      for (const inc of (doc.incidents ?? []) as Record<string, unknown>[]) {
        told++;
        expect(Object.keys(inc).sort(), `${name} ${inc.id}`).toEqual([...fields].sort());
        for (const st of inc.steps as Record<string, unknown>[]) {
          const row = steps.get(String(st.step));
          if (!row) { problems.add(`step ${st.step}: not documented (${name})`); continue; }
          for (const f of row) if (!(f in st)) problems.add(`step ${st.step}: documented field ${f} missing (${name})`);
          for (const f of Object.keys(st)) if (!row.includes(f)) problems.add(`step ${st.step}: field ${f} not documented (${name})`);
        }
      }
    }
    expect([...problems].sort()).toEqual([]);
    expect(told).toBeGreaterThan(20);
  });

  it('every top-level key of the reports is in the Document block', () => {
    const block = /## Document\s+```\n([\s\S]*?)```/.exec(DOC);
    expect(block).not.toBeNull();
    const keys = new Set([...block![1].matchAll(/^\s*"(\w+)"\??:/gm)].map((m) => m[1]));
    for (const { file, doc } of all) {
      expect(Object.keys(doc).filter((k) => !keys.has(k)), file).toEqual([]);
      for (const k of ['tool', 'captures', 'hosts', 'events', 'frames', 'warnings']) expect(doc, `${file}: ${k}`).toHaveProperty(k);
    }
  });
});

// The README's "Decoded fields" tables are the field tables of the decoders (Frame.layers) and the notes
// beside them (Frame.notes): the same layers, the same names, in the same order; and every frame of the
// bundled capture has only those layers, names and notes.
describe('the README lists the decoded fields and notes of Frame.layers', () => {
  const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = README.slice(README.indexOf('### Decoded fields'), README.indexOf('## What the analysis recognises'));
  const rows = (header: string) => {
    const at = section.indexOf(`| layer | ${header} |`);
    const out = new Map<string, string[]>();
    for (const m of section.slice(at).split('\n\n')[0].matchAll(/^\| `(\w+)` \| (.*) \|$/gm))
      out.set(m[1], [...m[2].matchAll(/(?:^|, )`([\w.]+)`/g)].map((x) => x[1]));
    return out;
  };
  it('the fields table is FIELD_TABLES', async () => {
    const { FIELD_TABLES } = await import('../../src/present/layers.js');
    expect(Object.fromEntries(rows('fields'))).toEqual(Object.fromEntries(Object.entries(FIELD_TABLES).map(([k, t]) => [k, t.map((f) => f.name)])));
  });
  it('the bundled capture shows only documented layers, fields and notes', async () => {
    const fields = rows('fields'), notes = rows('notes');
    const doc = await reportJsonOnce([join(ROOT, 'captures/vrrp-failover.pcap')], ['--all-frames']);
    for (const f of doc.frames) {
      for (const [layer, o] of Object.entries(f.layers)) for (const name of Object.keys(o)) expect(fields.get(layer), `frame ${f.n}: ${layer}`).toContain(name);
      for (const [layer, o] of Object.entries((f.notes ?? {}) as Record<string, object>)) for (const k of Object.keys(o)) expect(notes.get(layer), `frame ${f.n}: ${layer}`).toContain(k);
    }
  });
});
