// docs/events.md is the JSON contract: it must say what the code emits. The kinds the analysers can
// emit (the `kind: '…'` literals of src/analyse) are exactly the kinds of its table; on every capture of
// the repository, each event's kind is documented, carries every field its row lists (those marked `?`
// only when they apply) and no field the row does not list; the top-level keys of every report are in
// its Document block. Kinds no capture of the repository emits are checked against their source.

import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureCaptures } from '../support/captures.js';
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

/** Every `kind: '…'` literal of the analysers, with the source text of the event it starts. */
function sourceKinds(): Map<string, string[]> {
  const dir = join(ROOT, 'src/analyse');
  const out = new Map<string, string[]>();
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).filter((n) => n.endsWith('.ts'))) {
    const code = readFileSync(join(dir, f), 'utf8');
    for (const m of code.matchAll(/\bkind: '([a-z]+\.[a-z-]+)'/g)) {
      const end = code.indexOf('});', m.index);
      out.set(m[1], [...(out.get(m[1]) ?? []), code.slice(m.index, end)]);
    }
  }
  return out;
}

/** The repository's captures that make events: the IPVS labs and the project's own (captures/). */
function eventCaptures(): string[] {
  const own: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng)$/.test(n)) own.push(p);
    }
  };
  walk(join(ROOT, 'captures'));
  return [...fixtureCaptures('lab'), ...own.sort()];
}

describe('docs/events.md against the code', () => {
  const documented = documentedKinds();
  const inSource = sourceKinds();
  let all: { file: string; doc: OurReport }[] = [];
  beforeAll(async () => { all = await Promise.all(eventCaptures().map(async (file) => ({ file, doc: await reportJsonOnce([file]) }))); }, 300_000);
  const reports = () => all;

  it('documents exactly the kinds the analysers can emit', () => {
    expect(documented.size).toBeGreaterThanOrEqual(15);
    expect(inSource.size).toBeGreaterThanOrEqual(15);
    expect([...inSource.keys()].filter((k) => !documented.has(k)).sort(), 'emitted by src/analyse, not documented').toEqual([]);
    expect([...documented.keys()].filter((k) => !inSource.has(k)).sort(), 'documented, emitted nowhere in src/analyse').toEqual([]);
  });

  it('documents the fields of kinds no capture of the repository shows, as their source sets them', () => {
    const emitted = new Set(reports().flatMap((r) => r.doc.events.map((e) => e.kind as string)));
    const unseen = [...documented.keys()].filter((k) => !emitted.has(k));
    for (const kind of unseen) {
      for (const site of inSource.get(kind) ?? []) {
        for (const f of documented.get(kind)!.required) expect(site, `${kind}: field ${f} in its source`).toMatch(new RegExp(`\\b${f}\\b\\s*[:,}]`));
      }
    }
  });


  it('every event of every capture of the repository: its kind documented, with exactly its documented fields', () => {
    const common = commonFields();
    expect(common).toEqual(['id', 'kind', 'time', 'frames', 'severity', 'summary']);
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

  it('every top-level key of the reports is in the Document block', () => {
    const block = /## Document\s+```\n([\s\S]*?)```/.exec(DOC);
    expect(block).not.toBeNull();
    const keys = new Set([...block![1].matchAll(/^\s*"(\w+)"\??:/gm)].map((m) => m[1]));
    for (const { file, doc } of reports()) {
      expect(Object.keys(doc).filter((k) => !keys.has(k)), file).toEqual([]);
      for (const k of ['tool', 'captures', 'hosts', 'events', 'frames', 'warnings']) expect(doc, `${file}: ${k}`).toHaveProperty(k);
    }
  });
});
