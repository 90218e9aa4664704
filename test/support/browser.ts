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
  console: string[];
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens a local file with JavaScript enabled (so injected script would run) and records what happens. */
export async function openReport(browser: Browser, file: string, opts: { dark?: boolean; width?: number; height?: number } = {}): Promise<PageRecord> {
  const context = await browser.newContext({
    colorScheme: opts.dark ? 'dark' : 'light',
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    javaScriptEnabled: true,
  });
  const page = await context.newPage();
  const rec: PageRecord = { page, console: [], errors: [], requests: [], dialogs: [] };
  const url = pathToFileURL(file).href;
  page.on('console', (m) => rec.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => rec.errors.push(String(e)));
  page.on('request', (r) => { if (r.url() !== url) rec.requests.push(r.url()); });
  page.on('dialog', (d) => { rec.dialogs.push(d.message()); void d.dismiss(); });
  await page.goto(url, { waitUntil: 'load' });
  return rec;
}

export function screenshotDir(): string {
  const d = process.env.VRRPSCOPE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'vrrpscope-shots-'));
  return d;
}
