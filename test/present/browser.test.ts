// The HTML report in a real browser (Debian's headless Chromium): it loads nothing, logs nothing, runs
// nothing, shows its timeline and events in light and dark, prints to PDF, and a capture whose HTTP
// fields carry markup and script shows them as text. Screenshots are kept for a human to look at:
// $VRRPSCOPE_SCREENSHOTS, else <tmp>/vrrpscope-screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { HAVE_CHROMIUM, launch, openReport, type PageRecord } from '../support/browser.js';
import { runInProcess } from '../support/ours.js';
import { fixture } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { writeHtml } from '../../src/present/html.js';
import { HOSTILE, StringSink, hostileHttpCapture, storyEvents, syntheticAnalysis, syntheticCapture, tmp } from './fixtures.js';

const SHOTS = process.env.VRRPSCOPE_SCREENSHOTS ?? join(tmpdir(), 'vrrpscope-screenshots');
const dir = tmp('vrrpscope-browser-');
const BUNDLED = fileURLToPath(new URL('../../captures/vrrp-failover.pcap', import.meta.url));
const LAB_FRONT = fixture('lab/director-failover/director-failover-front.pcap');

/**
 * The command's HTML report of `args`, written once per name (the light and dark tests open the same
 * file), by its main() in this process (test/support/ours.ts: what the command writes, without a node
 * start-up each).
 */
const written = new Map<string, string>();
async function cliHtml(name: string, args: string[]): Promise<string> {
  const out = join(dir, name);
  if (written.get(out) === JSON.stringify(args)) return out;
  const r = await runInProcess(['report', ...args, '--format', 'html', '-o', out]);
  expect(r.status, r.stderr).toBe(0);
  written.set(out, JSON.stringify(args));
  return out;
}

/** Nothing loaded, nothing logged, nothing run. */
function expectQuiet(rec: PageRecord): void {
  expect(rec.requests, 'network requests').toEqual([]);
  expect(rec.console, 'console messages').toEqual([]);
  expect(rec.errors, 'page errors').toEqual([]);
  expect(rec.dialogs, 'dialogs (alert)').toEqual([]);
}

describe.skipIf(skipUnless(HAVE_CHROMIUM, REASONS.chromium))('HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  const reports: [string, string[], string][] = [
    ['vrrp-failover', [BUNDLED], 'en'],
    ['vrrp-failover.fr', [BUNDLED, '--lang', 'fr'], 'fr'],
    ['director-failover-front', [LAB_FRONT], 'en'],
  ];

  for (const [name, args] of reports) {
    for (const dark of [false, true]) {
      it(`${name} (${dark ? 'dark' : 'light'}): no request, no console message, timeline and events visible`, async () => {
        const file = await cliHtml(name + '.html', args);
        const rec = await openReport(browser, file, { dark });
        const { page } = rec;
        const svg = page.locator('#timelines svg').first();
        await expect(svg.isVisible()).resolves.toBe(true);
        const box = (await svg.boundingBox())!;
        expect(box.width).toBeGreaterThan(800);
        expect(box.height).toBeGreaterThan(60);
        expect(await page.locator('#timelines svg rect.r0').count()).toBeGreaterThan(0);
        expect(await page.locator('#timelines svg rect.garp').count()).toBeGreaterThan(0);
        await expect(page.locator('#events article.event').first().isVisible()).resolves.toBe(true);
        expect(await page.locator('#frames tr.frame').count()).toBeGreaterThan(0);
        // A frame's decoded fields open without script.
        const details = page.locator('#frames tr.frame details').first();
        await details.locator('summary').click();
        expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
        await expect(details.locator('table.fields').isVisible()).resolves.toBe(true);
        const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        expect(bg).toBe(dark ? 'rgb(17, 20, 24)' : 'rgb(255, 255, 255)');
        await page.screenshot({ path: join(SHOTS, `${name}-${dark ? 'dark' : 'light'}.png`) });
        await page.locator('#timelines').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `${name}-${dark ? 'dark' : 'light'}-timelines.png`) });
        await page.locator('#frames').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `${name}-${dark ? 'dark' : 'light'}-frames.png`) });
        expectQuiet(rec);
      }, 60_000);
    }
  }

  it('prints to PDF (print styles: light, no navigation)', async () => {
    const rec = await openReport(browser, await cliHtml('print.html', [BUNDLED]), { dark: true });
    await rec.page.emulateMedia({ media: 'print' });
    expect(await rec.page.locator('nav').isVisible()).toBe(false);
    expect(await rec.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(255, 255, 255)');
    const pdf = await rec.page.pdf({ path: join(SHOTS, 'vrrp-failover.pdf'), format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    expectQuiet(rec);
  }, 60_000);

  /** Pages of a PDF: its page objects (/Type /Page, not /Pages), as scripts/print-pages.mjs counts them. */
  const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;

  it('prints short: the story first, the reference after, the frames appendix only with --all-frames', async () => {
    // Without --all-frames (a report made with --config would add the checklist after the timelines).
    const rec = await openReport(browser, await cliHtml('print-short.html', [BUNDLED]));
    await rec.page.emulateMedia({ media: 'print' });
    const order = await rec.page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => s.id));
    expect(order.slice(0, 3)).toEqual(['summary', 'incidents', 'timelines']);
    expect(order.indexOf('events')).toBeGreaterThan(order.indexOf('timelines'));
    expect(order[order.length - 1]).toBe('frames');
    expect(await rec.page.locator('#summary').isVisible()).toBe(true);
    expect(await rec.page.locator('#frames').isVisible()).toBe(false);
    const pdf = await rec.page.pdf({ path: join(SHOTS, 'vrrp-failover.print.pdf'), format: 'A4' });
    // Measured 5 A4 pages (README, "Printing the HTML report"; 6 before events printed compact); 22 with --all-frames.
    expect(pdfPages(pdf)).toBeLessThanOrEqual(5);
    expectQuiet(rec);

    // With --all-frames the listing is what was asked for: it prints.
    const all = await openReport(browser, await cliHtml('print-all.html', [BUNDLED, '--all-frames']));
    await all.page.emulateMedia({ media: 'print' });
    expect(await all.page.locator('#frames').isVisible()).toBe(true);
    expect(pdfPages(await all.page.pdf({ format: 'A4' }))).toBeGreaterThan(pdfPages(pdf));
  }, 120_000);

  it('prints the 9 221-frame checks lab (healthcheck-mix) in under 15 pages, every event with its display filter', async () => {
    const rec = await openReport(browser, await cliHtml('print-checks.html', [fixture('lab/healthcheck-mix/healthcheck-mix.pcapng')]));
    await rec.page.emulateMedia({ media: 'print' });
    // Nothing an event says is left out of the print: its sentence, its fields, and the filter that
    // selects its frames (the frame links, which lead to the unprinted appendix, go where a filter names them).
    const events = await rec.page.evaluate(() => [...document.querySelectorAll('#events article.event')].map((a) => {
      const shown = (sel: string) => [...a.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0).length;
      return { id: a.id, filters: a.querySelectorAll('p.filter').length, filtersShown: shown('p.filter'), summary: shown('p.summary'), fields: a.querySelectorAll('dl.fields').length, fieldsShown: shown('dl.fields'), frames: a.querySelectorAll('p.frames').length, framesShown: shown('p.frames') };
    }));
    expect(events.length).toBeGreaterThan(40);
    for (const e of events) {
      expect(e.summary, e.id).toBe(1);
      expect(e.filtersShown, e.id).toBe(e.filters);
      expect(e.fieldsShown, e.id).toBe(e.fields);
      expect(e.framesShown, e.id).toBe(e.filters ? 0 : e.frames);
    }
    const pdf = await rec.page.pdf({ path: join(SHOTS, 'healthcheck-mix.print.pdf'), format: 'A4' });
    // Measured 18 A4 pages before the events printed compact, 13 after (README, "Printing the HTML report").
    expect(pdfPages(pdf)).toBeLessThan(15);
    await rec.page.context().close();
  }, 120_000);

  it('the checklist comes after the timelines, before the reference sections', async () => {
    const rec = await openReport(browser, await cliHtml('print-checklist.html', [BUNDLED, '--expect', 'vrrp-failover']));
    const order = await rec.page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => s.id));
    expect(order.slice(0, 4)).toEqual(['summary', 'incidents', 'timelines', 'checklist']);
    expect(order.indexOf('events')).toBeGreaterThan(3);
  }, 60_000);

  it('shows markup and script from HTTP fields as text, and runs none of it', async () => {
    const file = await cliHtml('hostile-http.html', [hostileHttpCapture(dir), '--all-frames']);
    const rec = await openReport(browser, file);
    const { page } = rec;
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    const dom = await page.evaluate(() => ({
      scripts: document.scripts.length,
      iframes: document.querySelectorAll('iframe, img, object, embed, textarea').length,
      onAttributes: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
      strayElements: document.querySelectorAll('svg:not(figure.timeline > svg), svg *:not(text, title, rect, line, a)').length,
      text: document.body.innerText,
    }));
    expect(dom.scripts).toBe(0);
    expect(dom.iframes).toBe(0);
    expect(dom.onAttributes).toEqual([]);
    expect(dom.strayElements).toBe(0); // the payload's <svg onload> did not become an element
    expect(dom.text).toContain(`GET ${HOSTILE.uri} HTTP/1.1`);
    expect(dom.text).toContain(HOSTILE.host);
    expect(dom.text).toContain(HOSTILE.userAgent);
    await page.locator('#frames').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hostile-http.png') });
    expectQuiet(rec);
  }, 60_000);

  it('shows markup in event summaries, fields and comments as text', async () => {
    const evil = '<img src=x onerror=alert(7)><script>alert(8)</script>';
    const events = storyEvents().map((e) => ({ ...e, summary: e.summary + ' ' + evil, ...(e.kind === 'vrrp.invalid' ? { router: evil, problem: evil } : e.kind === 'arp.garp' ? { mac: evil } : {}) }));
    const a = syntheticAnalysis(syntheticCapture(dir, 'story.pcap'), events, { comments: [[1, [{ note: 'vrrp.invalid', problem: evil }]]] });
    const sink = new StringSink();
    writeHtml(a, sink, { allFrames: true });
    const file = join(dir, 'story.html');
    writeFileSync(file, sink.text);
    for (const dark of [false, true]) {
      const rec = await openReport(browser, file, { dark });
      const { page } = rec;
      expect(await page.evaluate(() => document.scripts.length + document.querySelectorAll('img').length)).toBe(0);
      expect(await page.evaluate(() => document.body.innerText)).toContain(evil);
      // The synthetic story has every drawable event: split brain, service lanes, sorry server, outage.
      expect(await page.locator('svg rect.split').count()).toBe(1);
      expect(await page.locator('svg rect.outage').count()).toBe(1);
      expect(await page.locator('svg rect.sorry').count()).toBe(1);
      await page.locator('#timelines').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `story-${dark ? 'dark' : 'light'}-timelines.png`), fullPage: false });
      expectQuiet(rec);
    }
  }, 60_000);
});
