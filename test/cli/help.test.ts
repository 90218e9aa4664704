// Each command's own help (`vrrpscope report --help`, `check -h`, …): on standard output, exit 0.

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/ours.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('command help', { timeout: 60_000 }, () => {
  // What only that command's help says, and what belongs to another command's.
  const cases = [
    { cmd: 'report', own: [/vrrpscope report FILE\.\.\./, /--all-frames/, /--template DIR/], not: [/--backend/, /--format text\|json/] },
    { cmd: 'check', own: [/vrrpscope check FILE\.\.\./, /--format text\|json/, /hc-\*/], not: [/--backend/, /--all-frames/] },
    { cmd: 'live', own: [/vrrpscope live --iface IF/, /--backend B/, /--duration S/, /found at/], not: [/--format text\|json/, /pcapng: the input frames/] },
  ];
  for (const { cmd, own, not } of cases) {
    for (const flag of ['--help', '-h']) {
      it(`${cmd} ${flag}: that command's help on standard output, exit 0`, () => {
        const r = runCli([cmd, flag]);
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
        for (const re of own) expect(r.stdout).toMatch(re);
        for (const re of not) expect(r.stdout).not.toMatch(re);
      });
    }
  }

  it('help wins over the other arguments (report FILE --help reads no file)', () => {
    const r = runCli(['report', join(dir, 'missing.pcap'), '--format', 'json', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--all-frames/);
  });

  it('the general help still names every command', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['report', 'check', 'live']) expect(r.stdout).toMatch(new RegExp(`^  vrrpscope ${cmd} `, 'm'));
  });
});
