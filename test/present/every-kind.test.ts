// Every event kind, in both languages, read as a French-speaking (or English-speaking) reviewer would:
// a title for each kind (never the raw `lvs.service`), no English verdict inside French text, and
// counts that agree with their nouns for 0, 1 and 2 ("1 connexion", "2 connexions", "1 connection").
// The kinds are read from the event types (src/analyse/*/events.ts, with the TypeScript parser), so a
// kind added there is covered without touching this file; the events rendered are the real ones of the
// event baselines (test/golden/events/*.json, typed values the analysers emitted on the lab captures),
// each rendered again with its counts set to 0, 1 and 2. A kind without a baseline event fails.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { I18n, type Lang } from '../../src/present/i18n/index.js';
import { ReportFormat, labelOf } from '../../src/present/format.js';
import { eventView } from '../../src/present/model.js';
import { Say } from '../../src/present/say/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every `kind` literal of an interface in src/analyse/<domain>/events.ts. */
function typedKinds(): string[] {
  const dir = join(ROOT, 'src/analyse');
  const kinds: string[] = [];
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).filter((n) => n.endsWith('events.ts'))) {
    const src = ts.createSourceFile(f, readFileSync(join(dir, f), 'utf8'), ts.ScriptTarget.Latest, true);
    src.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node)) return;
      for (const m of node.members) {
        if (ts.isPropertySignature(m) && m.name?.getText(src) === 'kind' && m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) kinds.push(m.type.literal.text);
      }
    });
  }
  return kinds.sort();
}

/**
 * The events of the baselines, as the analysers emitted them: the baseline drops `id` and names a
 * related event by `kind@time`; both are given back (ids per baseline file, so `related` resolves).
 */
function baselineEvents(): AnalysisEvent[][] {
  const dir = join(ROOT, 'test/golden/events');
  // One list per case: its domains' baselines (case.vrrp.json, case.arp.json …) together, so `related` crosses them.
  const cases = new Map<string, Record<string, unknown>[]>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { events?: Record<string, unknown>[] };
    const name = f.replace(/\.[^.]+\.json$/, '');
    const list = cases.get(name) ?? [];
    for (const { t, ...rest } of doc.events ?? []) list.push({ ...rest, id: `${name}#${list.length}`, time: t });
    cases.set(name, list);
  }
  return [...cases.values()].map((events) => {
    const byRef = new Map(events.map((e) => [`${e.kind}@${e.time}`, e.id as string]));
    for (const e of events) if (typeof e.related === 'string') e.related = byRef.get(e.related) ?? null;
    return events as unknown as AnalysisEvent[];
  });
}

/** Numbers that count things (and so decide a noun's plural): not identifiers, times, durations or settings. */
const NOT_COUNTS = new Set(['time', 'start', 'end', 'vrid', 'family', 'version', 'priority', 'prevPriority', 'syncid', 'opcode', 'burst',
  'lastAdvertFrame', 'waitFromFrame', 'from', 'to', 'resumeFrame', 'previousAliveFrame']);
function countFields(e: AnalysisEvent): string[] {
  return Object.entries(e).filter(([k, v]) => typeof v === 'number' && !NOT_COUNTS.has(k) && !/Ms$/.test(k)).map(([k]) => k);
}

const LOG_FIELDS = new Set(['keepalivedLog', 'causeLogs']);

/** English verdicts and words that must not appear in French text (quoted keepalived log lines aside). */
const ENGLISH = [/\brefused\b/i, /\bconnected\b/i, /\bno reply\b/i, /\bfailed\b/i, /\bseconds?\b/i, /\btimeout\b/i, /\bpage changed\b/i,
  /\bstatus \d/i, /\breply\b/i, /\bunreachable\b/i, /\bno connection\b/i, /\bno response\b/i, /\bnone\b/, /\bOK \(/, /\(s\)/,
  /\bcomportement\(s\)/];

/** Words that follow a count without being its noun (units, prepositions, symbols) or that end in s in the singular. */
const NOT_NOUNS = new Set(['s', 'ms', 'before', 'auparavant', 'pour', 'dans', '×', '+', 'of', 'in', 'de', 'à', 'au', 'aux', 'en', 'sur', 'pendant', 'sont', 'is', 'was', 'et', 'and', 'ou', 'or', 'but',
  'carried', 'failed', 'ont', 'a', 'non', 'not', 'for', 'after', 'while', 'beside', 'again', 'on', 'do', 'match', 'matches', 'does', 'correspond', 'correspondent', 'ne']);
const SINGULAR_IN_S = new Set(['plus', 'this', 'succès', 'accès', 'process', 'mois', 'bus', 'alias']);
/** Nouns the same in both numbers. */
const INVARIABLE = new Set(['fois']);
/** Words between a count and its noun: adjectives, and names that do not vary (ARP, SYN). */
const BEFORE_NOUN = /^(?:[A-Z0-9_/-]{2,}|new|late|more|other|gratuitous|unsolicited|neighbour|client|echo|nouvelles?|autres?|de|plus)$/;

/** Every count in the text whose noun does not agree with it ("1 connections", "2 connexion", "0 connexions" in French). */
function pluralProblems(text: string, lang: Lang): string[] {
  const rule = new Intl.PluralRules(lang === 'fr' ? 'fr-FR' : 'en-GB');
  const out: string[] = [];
  const plain = text.replace(/« [^»]*»|"[^"]*"/g, ' ');
  for (const m of plain.matchAll(/(?<![\d.,:/\w-])(?<!VRID )(\d+)\s+/g)) {
    const words = plain.slice(m.index! + m[0].length).split(/\s+/, 7).map((w) => w.replace(/[,.;:()]+$/, ''));
    let i = 0;
    while (i < words.length - 1 && BEFORE_NOUN.test(words[i])) i++;
    const noun = words[i];
    if (!noun || !/^[a-zà-ÿ]+$/i.test(noun) || NOT_NOUNS.has(noun.toLowerCase()) || INVARIABLE.has(noun.toLowerCase()) || /^[A-Z]{2,}/.test(noun)) continue;
    const plural = rule.select(Number(m[1])) !== 'one';
    const looksPlural = /[sx]$/.test(noun) && !SINGULAR_IN_S.has(noun.toLowerCase());
    if (plural !== looksPlural) out.push(`"${m[1]} ${words.slice(0, i + 1).join(' ')}"`);
  }
  return out;
}

describe('every event kind, in both languages', () => {
  const kinds = typedKinds();
  const files = baselineEvents();

  it('reads the kinds from the event types and finds a baseline event of each', () => {
    expect(kinds.length).toBeGreaterThanOrEqual(21);
    const seen = new Set(files.flat().map((e) => e.kind as string));
    expect(kinds.filter((k) => !seen.has(k)), 'kinds no baseline event shows: record a capture that shows them').toEqual([]);
  });

  for (const lang of ['en', 'fr'] as Lang[]) {
    it(`${lang}: a title for every kind, no English word in French, counts that agree with their nouns (0, 1, 2)`, () => {
      const i18n = new I18n(lang);
      const fmt = new ReportFormat(i18n, 0);
      const problems = new Set<string>();
      const checked = new Set<string>();
      for (const events of files) {
        for (const e of events) {
          const label = labelOf(i18n, 'kind.', e.kind);
          if (label === e.kind) problems.add(`${e.kind}: no title (the raw kind is shown)`);
          const variants: AnalysisEvent[] = [e];
          for (const f of countFields(e)) for (const n of [0, 1, 2]) variants.push({ ...e, [f]: n, id: `${e.id}/${f}=${n}` } as AnalysisEvent);
          for (const v of variants) {
            const say = new Say(i18n, events);
            const view = eventView(v, say, fmt);
            // (keepalived's log lines are its own English words: their label only.)
            const texts = [label, view.summary, ...view.fields.map((x) => (LOG_FIELDS.has(x.name) ? x.label : `${x.label}: ${x.text}`))];
            // A VRRP event's interval is its advert interval, not a health check's delay_loop.
            if (e.kind.startsWith('vrrp.')) for (const x of view.fields) if (/delay_loop/.test(x.label)) problems.add(`${e.kind}: field ${x.name} labelled "${x.label}"`);
            for (const text of texts) {
              if (/\{\w+[}|]/.test(text)) problems.add(`${e.kind}: placeholder left in "${text}"`);
              // Quoted keepalived log lines and HTTP request details stay as the daemon and the wire wrote them.
              const plain = text.replace(/« [^»]*»|"[^"]*"|\((?:GET|HELO) [^)]*\)/g, ' ');
              if (lang === 'fr') for (const w of ENGLISH) if (w.test(plain)) problems.add(`${e.kind}: English ${w} in "${text}"`);
              for (const p of pluralProblems(text, lang)) problems.add(`${e.kind}: ${p} in "${text}"`);
            }
          }
          checked.add(e.kind);
        }
      }
      expect(checked.size).toBe(kinds.length);
      expect([...problems].sort()).toEqual([]);
    });
  }
});

describe('French agreement beyond counts', () => {
  const say = new Say('fr');
  it('ordinals agree with their noun: le 1er test, le 1er ARP gratuit, la 1re annonce', () => {
    expect(say.note({ note: 'hc.probe', checker: 'tcp', director: '10.0.0.11', target: '10.0.0.21:80', verdict: 'up', reason: 'connected', nth: 1, digestChanged: null }))
      .toContain('OK (connexion établie), 1er test');
    expect(say.note({ note: 'arp.garp', protocol: 'arp', ip: '10.0.0.100', nth: 1, after: null } as never)).toMatch(/^1er ARP gratuit /);
    expect(say.note({ note: 'arp.garp', protocol: 'ndp', ip: 'fd00::100', nth: 1, after: null } as never)).toMatch(/^1re annonce /);
    expect(say.note({ note: 'arp.garp', protocol: 'arp', ip: '10.0.0.100', nth: 2, after: null } as never)).toMatch(/^2e ARP gratuit /);
  });

  it('the quorum clause of a check coming back is printed only where a quorum is in play', () => {
    const files = baselineEvents();
    const up = (events: AnalysisEvent[]) => events.find((e) => e.kind === 'hc.state' && e.state === 'up');
    const withQuorum = files.find((f) => up(f) && f.some((e) => e.kind === 'lvs.sorry'));
    const without = files.find((f) => up(f) && !f.some((e) => e.kind === 'lvs.sorry' || (e.kind === 'lvs.realserver' && e.cause === 'quorum')));
    expect(withQuorum && without).toBeTruthy();
    for (const lang of ['en', 'fr'] as Lang[]) {
      expect(new Say(lang, withQuorum!).summary(up(withQuorum!)!)).toMatch(/quorum/);
      expect(new Say(lang, without!).summary(up(without!)!)).not.toMatch(/quorum/);
    }
  });
});
