// The report command's formats and outputs as a user meets them: HTML by default, where each format
// goes without -o, the summary on stderr (coloured only on a terminal, never with NO_COLOR or
// --no-color), progress only on a terminal.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, reportJson, runCli } from '../support/ours.js';
import { tmp } from './fixtures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { I18n } from '../../src/present/i18n/index.js';
import { colourLevel, Progress, summaryText } from '../../src/present/terminal.js';
import { buildModel } from '../../src/present/model.js';
import { storyEvents, syntheticAnalysis, syntheticCapture } from './fixtures.js';

const BUNDLED = fileURLToPath(new URL('../../captures/vrrp-failover.pcap', import.meta.url));
// Its frame count as tcpdump counted it when the lab recorded it (not our reader's count).
const BUNDLED_FRAMES: number = JSON.parse(readFileSync(fileURLToPath(new URL('../../captures/vrrp-failover/ground-truth.json', import.meta.url)), 'utf8')).capture.frames;
const dir = tmp('vrrpscope-cli-report-');
const HAVE_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs the CLI on a pseudo-terminal (util-linux script), as a user at a shell would. */
function onTerminal(args: string[], env: Record<string, string> = {}): string {
  const cmd = ['node', CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm-256color', ...env } });
  return r.stdout;
}

// Tests here run the built command several times: a budget for a loaded 2-core machine (vitest's default is 5 s).
describe('vrrpscope report formats and outputs', { timeout: 60_000 }, () => {
  it('writes HTML by default, to standard output when it is redirected', () => {
    const r = runCli(['report', BUNDLED]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(r.stdout).toContain('</html>');
  });

  it('every format lists the same frames: those the JSON report annotates', () => {
    const json = reportJson([BUNDLED]).frames.map((f) => f.n);
    expect(json.length).toBeGreaterThan(0);
    const html = runCli(['report', BUNDLED, '--format', 'html']).stdout;
    expect([...html.matchAll(/<tr id="frame-(\d+)"/g)].map((m) => Number(m[1]))).toEqual(json);
    const md = runCli(['report', BUNDLED, '--format', 'md']).stdout;
    expect([...md.matchAll(/^\| <a id="frame-(\d+)">/gm)].map((m) => Number(m[1]))).toEqual(json);
  });

  it('writes each format to -o and says what it did on stderr, without colour when stderr is not a terminal', () => {
    for (const format of ['html', 'md', 'json', 'pcapng']) {
      const out = join(dir, `out.${format}`);
      const r = spawnSync('node', [CLI, 'report', BUNDLED, '--format', format, '-o', out], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '' } });
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(r.stderr).toMatch(new RegExp(`^vrrpscope: ${format} report written to ${out}\\n  ${BUNDLED_FRAMES} frames in vrrp-failover\\.pcap`));
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(format === 'pcapng' ? 7 : 6);
      expect(r.stderr).not.toMatch(/\x1b\[/);
    }
    expect(readFileSync(join(dir, 'out.md'), 'utf8')).toMatch(/^# vrrpscope report\n/);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).tool.name).toBe('vrrpscope');
  });

  it('rejects --template for formats without templates, and a missing template directory', () => {
    expect(runCli(['report', BUNDLED, '--format', 'json', '--template', dir]).stderr).toMatch(/--template applies to the html and md formats/);
    const r = runCli(['report', BUNDLED, '--template', join(dir, 'nope')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a directory/);
  });

  it.skipIf(skipUnless(HAVE_SCRIPT, REASONS.script))('on a terminal: HTML goes to <capture>.html in the current directory, with a coloured summary', () => {
    const text = onTerminal(['report', BUNDLED]);
    expect(existsSync(join(dir, 'vrrp-failover.html'))).toBe(true);
    expect(text).toContain('html report written to vrrp-failover.html');
    expect(text).toMatch(/\x1b\[1mvrrpscope: /);
    expect(text).toMatch(/\x1b\[33m3 failovers/);
  });

  it.skipIf(skipUnless(HAVE_SCRIPT, REASONS.script))('on a terminal: NO_COLOR and --no-color turn colour off; pcapng needs -o', () => {
    expect(onTerminal(['report', BUNDLED, '--format', 'md', '-o', 'a.md'], { NO_COLOR: '1' })).not.toMatch(/\x1b\[(1|33)m/);
    expect(onTerminal(['report', BUNDLED, '--format', 'md', '-o', 'b.md', '--no-color'])).not.toMatch(/\x1b\[(1|33)m/);
    expect(onTerminal(['report', BUNDLED, '--format', 'pcapng'])).toMatch(/an annotated pcapng is binary: give -o FILE/);
  });

  it('colour level: never off a terminal, never with NO_COLOR or --no-color', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream, pipe = { isTTY: false } as NodeJS.WriteStream;
    expect(colourLevel({ noColor: false, stream: tty, env: {} })).toBeGreaterThan(0);
    expect(colourLevel({ noColor: false, stream: pipe, env: {} })).toBe(0);
    expect(colourLevel({ noColor: true, stream: tty, env: {} })).toBe(0);
    expect(colourLevel({ noColor: false, stream: tty, env: { NO_COLOR: '1' } })).toBe(0);
    expect(colourLevel({ noColor: false, stream: tty, env: { NO_COLOR: '' } })).toBeGreaterThan(0);
  });

  it('the summary is the model\'s five lines, in the report\'s language', () => {
    const a = syntheticAnalysis(syntheticCapture(dir), storyEvents(), { lang: 'fr' });
    const i18n = new I18n('fr');
    const text = summaryText(buildModel(a, i18n, { allFrames: false }), i18n, { format: 'html', path: 'r.html' }, 0);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('vrrpscope: rapport html écrit dans r.html');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toMatch(/^ {2}3 bascules : /);
  });

  it('progress shows on a terminal only, and is erased', () => {
    const written: string[] = [];
    const fake = (isTTY: boolean) => ({ isTTY, write: (s: string) => { written.push(s); return true; } }) as unknown as NodeJS.WriteStream;
    const off = new Progress(new I18n('en'), fake(false));
    off.update(1, 2); off.done();
    expect(written).toEqual([]);
    const on = new Progress(new I18n('en'), fake(true));
    on.update(50 * 1024 * 1024, 100 * 1024 * 1024); on.done();
    expect(written).toEqual(['\r\x1b[2Kreading the capture: 50 % (50.0 MiB of 100.0 MiB)', '\r\x1b[2K']);
  });
});
