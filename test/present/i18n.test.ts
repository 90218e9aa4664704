// Both languages complete: every key of every catalogue in both directions, the same placeholders, no
// empty translation, every key the templates and renderers use exists, and a French report uses the
// words of a French network course and no English sentence of ours.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../src/present/i18n/en.js';
import { translate } from '../../src/present/i18n/index.js';
import { fr } from '../../src/present/i18n/fr.js';
import { reportEn } from '../../src/present/i18n/report.en.js';
import { reportFr } from '../../src/present/i18n/report.fr.js';
import { annotateEn } from '../../src/present/i18n/annotate.en.js';
import { annotateFr } from '../../src/present/i18n/annotate.fr.js';
import { writeHtml } from '../../src/present/html.js';
import { writeMarkdown } from '../../src/present/markdown.js';
import { BUILTIN_TEMPLATES } from '../../src/present/templates.js';
import { StringSink, storyEvents, syntheticAnalysis, syntheticCapture, tmp } from './fixtures.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const pairs: [string, Record<string, string>, Record<string, string>][] = [
  ['report', reportEn, reportFr],
  ['annotate', annotateEn, annotateFr],
  ['whole', en, fr],
];

describe('message catalogues', () => {
  for (const [name, a, b] of pairs) {
    it(`${name}: every English key has a French translation and the reverse`, () => {
      expect(Object.keys(b).filter((k) => !(k in a)), 'French keys without English').toEqual([]);
      expect(Object.keys(a).filter((k) => !(k in b)), 'English keys without French').toEqual([]);
    });
    it(`${name}: translations are not empty and keep the same placeholders`, () => {
      for (const k of Object.keys(a)) {
        expect(typeof b[k], k).toBe('string');
        expect(a[k] === '', `${k}: empty in one language only`).toBe(b[k] === '');
        expect(placeholders(b[k]), `${k}: placeholders`).toEqual(placeholders(a[k]));
      }
    });
  }

  it('counted sentences have both plural forms', () => {
    for (const k of Object.keys(reportEn)) {
      const m = /^(.*)\.(one|other)$/.exec(k);
      if (m) expect(Object.keys(reportEn), k).toContain(`${m[1]}.${m[2] === 'one' ? 'other' : 'one'}`);
    }
  });

  it('the French report catalogue is translated, not copied', () => {
    const same = Object.keys(reportEn).filter((k) => (reportEn as Record<string, string>)[k] === (reportFr as Record<string, string>)[k]);
    // Words that are the same in both languages (or names): checked by hand, listed here on purpose.
    expect(same.sort()).toEqual([
      'captures.file', 'cause.quorum', 'field.causes', 'field.syncid', 'field.version', 'field.vrid', 'frames.dst', 'frames.info', 'frames.src',
      'mermaid.note', 'role.client', 'severity.info', 'summary.serverItem',
    ]);
  });

  it('every key the templates and renderers use exists', () => {
    const used = new Set<string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else for (const m of readFileSync(p, 'utf8').matchAll(/\{\{t "([^"]+)"/g)) used.add(m[1]);
      }
    };
    walk(BUILTIN_TEMPLATES);
    const src = join(BUILTIN_TEMPLATES, '../src/present');
    for (const f of readdirSync(src).filter((n) => n.endsWith('.ts'))) {
      const code = readFileSync(join(src, f), 'utf8');
      for (const m of code.matchAll(/\bt\('([\w.-]+)'/g)) used.add(m[1]);
      for (const m of code.matchAll(/plural\(i18n, '([\w.-]+)'/g)) { used.add(m[1] + '.one'); used.add(m[1] + '.other'); }
      for (const m of code.matchAll(/labelOf\(i18n, '([\w.-]+)'/g)) expect(Object.keys(en).some((k) => k.startsWith(m[1])), m[1]).toBe(true);
    }
    expect(used.size).toBeGreaterThan(60);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it('names every event kind, field and reason of events.md', () => {
    const spec = readFileSync(join(BUILTIN_TEMPLATES, '../docs/events.md'), 'utf8');
    const kinds = [...spec.matchAll(/^\| `([a-z]+\.[a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(kinds.length).toBeGreaterThanOrEqual(15);
    for (const k of kinds) expect(Object.keys(en), k).toContain('kind.' + k);
    for (const row of spec.matchAll(/^\| `[a-z.-]+` \|[^|]*\| (.*) \|$/gm)) {
      for (const f of row[1].matchAll(/(?:^|, |; )`(\w+)`/g)) expect(Object.keys(en), 'field ' + f[1]).toContain('field.' + f[1]);
    }
    for (const r of ['initial', 'preemption', 'master-down', 'resignation', 'unknown']) expect(Object.keys(en)).toContain('reason.' + r);
  });
});

describe('filling a sentence', () => {
  it('puts each value in its placeholder, every time it appears, and leaves an unknown one as it is', () => {
    expect(translate('en', 'lvs.comment.nat', { client: '10.0.0.50:40000', service: '10.0.0.100:80', server: '10.1.0.21:80' }))
      .toBe('LVS-NAT: the director forwards 10.0.0.50:40000 → 10.0.0.100:80 to real server 10.1.0.21:80 (destination rewritten, same client port and sequence number)');
    expect(translate('fr', 'flows.evicted', { count: 3, max: 100 })).toMatch(/^3 connexions TCP .* car 100 étaient déjà ouvertes/);
    expect(translate('en', 'flows.evicted', { count: 3 })).toMatch(/because \{max\} were already open/);
  });
});

describe('a French report', () => {
  const dir = tmp();
  const events = storyEvents().map((e, i) => ({ ...e, summary: `résumé ${i + 1}` }));
  const a = syntheticAnalysis(syntheticCapture(dir), events, { lang: 'fr', comments: [[1, [{ note: 'vrrp.advert', router: '10.0.0.11', vrid: 51, priority: 150, nth: 2, gapMs: 1000 }]]] });
  const html = new StringSink(); writeHtml(a, html, { allFrames: false });
  const md = new StringSink(); writeMarkdown(a, md, { allFrames: false });

  it('speaks as a French network course does', () => {
    for (const word of ['trame', 'maître', 'ARP gratuit', 'serveur réel', 'serveur de secours', '« sorry server »', 'routeur de secours', 'quorum', 'directeur', 'bascule']) {
      expect(html.text, word).toContain(word);
    }
    expect(html.text).toContain('<html lang="fr">');
    expect(md.text).toContain('## Trames commentées');
  });

  it('contains no English sentence of the catalogue', () => {
    // What a reader sees: no tags, no style sheet, no link targets.
    // The Info column and the decoded fields are Wireshark's words (dissect/summary.ts), in English
    // as in Wireshark, so that a line can be found there: left out.
    const htmlText = html.text.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<td class="info">[\s\S]*?<td class="comment">/g, '').replace(/<[^>]*>/g, ' ');
    const mdTextOnly = md.text.split('\n').map((l) => (l.startsWith('| <a id="frame-') ? l.split(' | ').filter((_, i) => i !== 5).join(' | ') : l)).join('\n')
      .replace(/\]\(#[^)]*\)/g, ']').replace(/<[^>]*>/g, ' ');
    const rep = reportEn as Record<string, string>, repFr = reportFr as Record<string, string>;
    for (const [k, v] of Object.entries(rep)) {
      const plain = v.replace(/\{\w+\}/g, '').trim();
      if (plain.length < 8 || repFr[k].includes(plain)) continue;
      for (const piece of plain.split(/[{}]/).filter((p) => p.trim().length >= 8)) {
        expect(htmlText.includes(piece.trim()), `${k}: "${piece.trim()}" in the French HTML`).toBe(false);
        expect(mdTextOnly.includes(piece.trim()), `${k}: "${piece.trim()}" in the French Markdown`).toBe(false);
      }
    }
  });
});

describe('apostrophes', () => {
  // One apostrophe per language, everywhere: French the typographic ’ (l’annonce), English the straight ' (master's).
  it('French uses ’ and never a straight apostrophe in a word; English the reverse', () => {
    expect(Object.entries(fr).filter(([, v]) => /\p{L}'\p{L}/u.test(v)).map(([k]) => k), 'French with a straight apostrophe').toEqual([]);
    expect(Object.entries(en).filter(([, v]) => v.includes('’')).map(([k]) => k), 'English with ’').toEqual([]);
  });
});
