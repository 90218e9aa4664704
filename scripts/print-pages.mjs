// Printed length of the HTML reports of the lab captures: each report rendered by the built command,
// printed by Chromium (playwright-core, A4, print CSS), its pages counted in the PDF (/Type /Page
// objects). Usage: node scripts/print-pages.mjs [--all-frames] [CAPTURE...]; without captures, every lab
// capture (captures/vrrp-*.pcap, test/fixtures/lab/*, captures/ivs*/*: the front capture where a lab
// has front and back). Prints a Markdown table (the README's).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Pages of a PDF: its page objects (/Type /Page, not /Pages). */
export function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

function labCaptures() {
  const out = [];
  const isCapture = (f) => /\.pcap(ng)?$/.test(f);
  const dirCapture = (d) => {
    const files = readdirSync(d).filter(isCapture).sort();
    const front = files.filter((f) => /front\.pcap(ng)?$/.test(f));
    return (front.length ? front : files).map((f) => join(d, f));
  };
  const caps = join(ROOT, 'captures');
  for (const f of readdirSync(caps).sort()) if (/^vrrp-.*\.pcap(ng)?$/.test(f)) out.push(join(caps, f));
  const lab = join(ROOT, 'test/fixtures/lab');
  for (const d of readdirSync(lab, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) out.push(...dirCapture(join(lab, d)));
  for (const top of ['ivs', 'ivs3']) {
    const t = join(caps, top);
    for (const d of readdirSync(t, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) out.push(...dirCapture(join(t, d)));
  }
  return out;
}

const args = process.argv.slice(2);
const allFrames = args.includes('--all-frames');
const given = args.filter((a) => a !== '--all-frames');
const captures = given.length ? given : labCaptures();
if (!CHROMIUM) { console.error('chromium is not installed (apt-get install chromium)'); process.exit(2); }
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-print-'));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  console.log(`| capture | frames | HTML (KiB) | printed pages (A4) |\n|---|---:|---:|---:|`);
  for (const cap of captures) {
    const html = join(dir, 'r.html');
    execFileSync('node', [CLI, 'report', cap, '--format', 'html', '--lang', 'en', '-o', html, ...(allFrames ? ['--all-frames'] : [])], { stdio: ['ignore', 'ignore', 'ignore'] });
    const json = JSON.parse(execFileSync('node', [CLI, 'report', cap, '--format', 'json', '-o', '-'], { encoding: 'utf8', maxBuffer: 1 << 30 }));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4' });
    await page.close();
    const kib = Math.round(readFileSync(html).length / 1024);
    console.log(`| ${relative(ROOT, cap)} | ${json.captures[0].frames} | ${kib} | ${pdfPages(pdf)} |`);
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
