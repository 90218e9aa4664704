// Packet and file text never drives a terminal or hides in a page (issue #11, item 6): `check`, live
// mode's event lines and the stderr summary show control characters as escapes (\x1b), and the HTML and
// Markdown reports show controls and bidi overrides as escapes too. Inputs: test/fixtures/regressions.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mdText, mermaidText, terminalText, visibleText } from '../../src/present/escape.js';
import { CLI, fakeTcpdump, killAll, startCli } from '../live/support.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/regressions/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-esc-'));
const FAKE = fakeTcpdump();
afterEach(killAll);
afterAll(() => { for (const d of [dir, dirname(FAKE)]) rmSync(d, { recursive: true, force: true }); });

/** What must never reach a terminal raw: C0 but LF, DEL, C1, bidi controls and other format characters. */
const RAW_TERMINAL = /(?!\n)[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
/** In a page, tab, CR and LF are whitespace; the rest must not be there raw. */
const RAW_PAGE = /(?![\t\n\r])[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('escaping functions', () => {
  it('terminalText shows every control and format character as an escape', () => {
    expect(terminalText('a\x1b]0;PWN\x07b\x1b[2J\r\n\t\x7f\x9b')).toBe('a\\x1b]0;PWN\\x07b\\x1b[2J\\x0d\\x0a\\x09\\x7f\\x9b');
    expect(terminalText('abc\u202edcba\u2066x\u2069\u200e')).toBe('abc\\u202edcba\\u2066x\\u2069\\u200e');
    expect(terminalText('maître 3,62\u202fs → ok')).toBe('maître 3,62\u202fs → ok');
  });

  it('visibleText keeps tab, CR and LF (whitespace on a page), escapes the rest', () => {
    expect(visibleText('a\tb\r\nc\x1b[31m\u202ed')).toBe('a\tb\r\nc\\x1b[31m\\u202ed');
  });

  it('mdText and mermaidText show the escape rather than the character', () => {
    expect(mdText('x\x1b]0;T\x07\u202ey')).toBe('x\\\\x1b\\]0;T\\\\x07\\\\u202ey');
    expect(mermaidText('x\u202ey')).toBe('x#92;u202ey');
  });
});

describe('on a terminal', () => {
  it('check: the HTTP URI and User-Agent are escaped', () => {
    const r = run(['check', fixture('check-esc-http.pcap')]);
    expect(r.status, r.stderr).toBe(1); // the checklist is incomplete: only the probes are in it
    expect(r.stdout).toMatch(/GET \/\\x1b\]0;PWN\\x07\\x1b\[2J\\x1b\[31mRED/);
    expect(r.stdout).not.toMatch(RAW_TERMINAL);
  });

  it('live: the VRRP auth strings of the event lines are escaped', async () => {
    const cap = join(dir, 'live.pcapng');
    const r = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--write', cap, '--format', 'json', '-o', join(dir, 'live.json')],
      { VRRPSCOPE_TCPDUMP: FAKE, FAKE_PCAP: fixture('live-esc-vrrp-auth.pcap'), FAKE_DIE: '1' });
    const { code } = await r.end();
    expect(code, r.stderr).toBe(1); // the capture program died (FAKE_DIE): saved and reported, exit 1
    expect(r.stdout).toMatch(/PASS "\\x1b\]0;PWN\\x07", 10\.0\.0\.12 has PASS "\\x1b\[2J\\x1b\[H"/);
    expect(r.stdout).not.toMatch(RAW_TERMINAL);
    expect(r.stderr).not.toMatch(RAW_TERMINAL);
  });

  it('the stderr summary escapes a capture file name with ESC and a bidi override in it', () => {
    const name = 'lab\x1b]0;PWN\x07\u202egnpcap.pcap';
    const path = join(dir, name);
    copyFileSync(fixture('live-esc-vrrp-auth.pcap'), path);
    const r = run(['report', path, '--format', 'json', '-o', join(dir, 'summary.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('lab\\x1b]0;PWN\\x07\\u202egnpcap.pcap');
    expect(r.stderr).not.toMatch(RAW_TERMINAL);
  });

  it('the one-line error for a file that is not a capture escapes its name', () => {
    const path = join(dir, 'notes\x1b[2J\u202e.pcap');
    writeFileSync(path, 'GET / HTTP/1.0\r\n');
    for (const cmd of ['report', 'check']) {
      const r = run([cmd, path, '--format', 'json']);
      expect(r.status, cmd).toBe(2);
      expect(r.stderr).toContain('notes\\x1b[2J\\u202e.pcap');
      expect(r.stderr).not.toMatch(RAW_TERMINAL);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('in the pages', () => {
  const name = 'page\u202ecod.exe\x1b[2J.pcap';
  const path = join(dir, name);
  copyFileSync(fixture('check-esc-http.pcap'), path);

  it('HTML shows controls and bidi overrides from packets and file names as escapes', () => {
    const out = join(dir, 'page.html');
    const r = run(['report', path, '--format', 'html', '--all-frames', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('GET /\\x1b]0;PWN\\x07\\x1b[2J\\x1b[31mRED');
    expect(html).toContain('page\\u202ecod.exe\\x1b[2J.pcap');
    expect(html).not.toMatch(RAW_PAGE);
  });

  it('Markdown does the same', () => {
    const out = join(dir, 'page.md');
    const r = run(['report', path, '--format', 'md', '--all-frames', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('GET /\\\\x1b\\]0;PWN\\\\x07\\\\x1b\\[2J\\\\x1b\\[31mRED');
    expect(md).toContain('page\\\\u202ecod.exe\\\\x1b\\[2J.pcap');
    expect(md).not.toMatch(RAW_PAGE);
  });
});
