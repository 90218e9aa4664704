// The story first, in a real browser (Debian's headless Chromium): the summary then the incidents open
// the page, before the timelines, the checklist and the reference sections (events, hosts, frames); the
// summary has one line per incident; and no section a reader reads says a sentence twice (the checklist
// once repeated one GARP sentence 12 times). A sentence here: a run of at least six words ending with a
// full stop, as the page's text shows it (table headers, times, frame infos and labels are not
// sentences; "e.g." and "p. ex." end none). The events and frames listings too: an event that reads like an earlier one names it
// ("same as event 12, at 14.2 s") instead of saying its sentence again, and a frame row points at its
// event instead of repeating the event's cause.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { HAVE_CHROMIUM, launch, openReport } from '../support/browser.js';
import { runCli } from '../support/ours.js';
import { fixture } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { tmp } from './fixtures.js';

const dir = tmp('vrrpscope-incidents-');
const root = (p: string) => fileURLToPath(new URL('../../' + p, import.meta.url));
const LAB = 'lab/director-failover/director-failover-';

/** The order the page must keep; sections a report lacks (no checklist, no warning) are left out. */
const ORDER = ['summary', 'incidents', 'timelines', 'checklist', 'events', 'hosts', 'warnings', 'frames'];

const reports: [string, string[]][] = [
  ['vrrp-failover', [root('captures/vrrp-failover.pcap')]],
  ['vrrp-failover.fr', [root('captures/vrrp-failover.pcap'), '--lang', 'fr']],
  ['director-failover (two files)', [fixture(LAB + 'front.pcap'), fixture(LAB + 'back.pcap')]],
  ['sorry-variant.fr', [root('captures/ivs/sorry-variant/sorry-variant.pcapng'), '--lang', 'fr']],
];

describe.skipIf(skipUnless(HAVE_CHROMIUM, REASONS.chromium))('the story first, each sentence once (headless Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launch(); }, 60_000);
  afterAll(async () => { await browser?.close(); });

  for (const [name, args] of reports) {
    it(`${name}: summary and incidents first, one summary line per incident, no sentence twice in a section`, async () => {
      const out = join(dir, name.replace(/\W+/g, '-') + '.html');
      const r = runCli(['report', ...args, '--format', 'html', '-o', out]);
      expect(r.status, r.stderr).toBe(0);
      const { page } = await openReport(browser, out);
      const sections = await page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => ({
        id: s.id,
        top: s.getBoundingClientRect().top + window.scrollY,
        text: (s as HTMLElement).innerText,
      })));
      const ids = sections.map((s) => s.id);
      expect(ids.slice(0, 2)).toEqual(['summary', 'incidents']);
      expect(ids, 'sections in order').toEqual(ORDER.filter((id) => ids.includes(id)));
      // Top to bottom as in the source (no CSS reordering), the summary on the first screen.
      for (let i = 1; i < sections.length; i++) expect(sections[i].top, sections[i].id).toBeGreaterThan(sections[i - 1].top);
      expect(sections[0].top).toBeLessThan(900);

      const incidents = await page.locator('#incidents article.incident').count();
      expect(incidents, 'incidents told').toBeGreaterThan(0);
      // The summary: the capture, its masters, then one line per incident.
      expect(await page.locator('#summary ol.summary > li').count()).toBe(2 + incidents);
      // Every incident's story links at least one frame (or names it, when the page does not list it).
      for (const a of await page.locator('#incidents article.incident').all()) expect(await a.locator('.frames').count()).toBeGreaterThan(0);
      // Each story is told in time order (the clients' first failures before the takeover when they came first).
      const stories = await page.evaluate(() => {
        const fr = document.documentElement.lang === 'fr';
        const seconds = (t: string) => Number(fr ? t.replace(/[^\d,]/g, '').replace(',', '.') : t.replace(/[^\d.]/g, ''));
        return [...document.querySelectorAll('#incidents article.incident')].map((a) => ({
          id: a.id, times: [...a.querySelectorAll('ol.story > li > .when')].map((w) => seconds(w.textContent ?? '')),
        }));
      });
      for (const { id, times } of stories) {
        expect(times.every((t) => Number.isFinite(t)), id).toBe(true);
        expect(times, id).toEqual([...times].sort((x, y) => x - y));
      }

      const repeated: string[] = [];
      const READ = new Set(['summary', 'incidents', 'timelines', 'checklist', 'events', 'hosts', 'warnings', 'frames']);
      for (const s of sections.filter((x) => READ.has(x.id))) {
        const seen = new Map<string, number>();
        for (const piece of s.text.split(/(?<=[.!?])(?<!\b(?:e\.g|i\.e|ex)\.)\s+|\n+/)) {
          const sentence = piece.trim();
          if (!/\.$/.test(sentence) || sentence.split(/\s+/).length < 6) continue;
          seen.set(sentence, (seen.get(sentence) ?? 0) + 1);
        }
        for (const [sentence, n] of seen) if (n > 1) repeated.push(`#${s.id} ×${n}: ${sentence}`);
      }
      expect(repeated).toEqual([]);
    }, 120_000);
  }
});
