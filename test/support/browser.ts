// Debian's Chromium (apt-get install chromium), driven headless through playwright-core: never a
// downloaded browser. Records every console message, network request, dialog and page error, so a test
// can say that a report loads nothing, logs nothing and runs nothing.

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;
export const HAVE_CHROMIUM = CHROMIUM !== null;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface PageRecord {
  page: Page;
  /** The report's address (its own load is not counted among the requests). */
  url?: string;
  console: string[];
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/**
 * One tab per browser, reused by every report opened in it: a new page costs Chromium ~2.5 s of CPU
 * (new renderer processes), loading another report in the same tab ~0.9 s. Its listeners write to the
 * record of the report opened last. Closing the page (or its context) is allowed: the next report
 * opens a new one.
 */
const tabs = new WeakMap<Browser, { page: Page; current: PageRecord }>();

async function tab(browser: Browser): Promise<{ page: Page; current: PageRecord }> {
  const open = tabs.get(browser);
  if (open && !open.page.isClosed()) return open;
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  const t = { page, current: { page, console: [], errors: [], requests: [], dialogs: [] } as PageRecord };
  page.on('console', (m) => t.current.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => t.current.errors.push(String(e)));
  page.on('request', (r) => { if (r.url() !== t.current.url) t.current.requests.push(r.url()); });
  page.on('dialog', (d) => { t.current.dialogs.push(d.message()); void d.dismiss(); });
  tabs.set(browser, t);
  return t;
}

/**
 * Opens a local file with JavaScript enabled (so injected script would run) and records what happens
 * from then on, in the browser's one tab (above), with the colour scheme and viewport asked for, as a
 * screen (not print) medium.
 */
export async function openReport(browser: Browser, file: string, opts: { dark?: boolean; width?: number; height?: number } = {}): Promise<PageRecord> {
  const t = await tab(browser);
  const { page } = t;
  const url = pathToFileURL(file).href;
  await page.emulateMedia({ media: 'screen', colorScheme: opts.dark ? 'dark' : 'light' });
  await page.setViewportSize({ width: opts.width ?? 1280, height: opts.height ?? 900 });
  t.current = { page, url, console: [], errors: [], requests: [], dialogs: [] };
  await page.goto(url, { waitUntil: 'load' });
  return t.current;
}

export function screenshotDir(): string {
  const d = process.env.VRRPSCOPE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'vrrpscope-shots-'));
  return d;
}
