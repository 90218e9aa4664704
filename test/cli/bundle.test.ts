// dist/cli.js starts from the bundle (dist/vrrpscope.cjs) with V8's code cache, as npm run build
// makes them: the cache must be taken (it is only worth anything then), and the bundle must do exactly
// what the modules do, templates included.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/ours.js';

const sample = join(__dirname, '../../captures/vrrp-failover.pcap');

function report(format: string, bundle: boolean): string {
  const out = join(mkdtempSync(join(tmpdir(), 'vrrpscope-bundle-')), 'report.' + format);
  execFileSync('node', [CLI, 'report', sample, '--format', format, '-o', out], { stdio: 'ignore', env: { ...process.env, VRRPSCOPE_BUNDLE: bundle ? '1' : '0' } });
  return readFileSync(out, 'utf8').replace(/"version":"[^"]*"/, '');
}

describe('the built command', () => {
  it('starts from the bundle, and V8 takes its code cache', () => {
    const r = spawnSync('node', [CLI, '--version'], { encoding: 'utf8', env: { ...process.env, VRRPSCOPE_DEBUG: '1' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/started from .*vrrpscope\.cjs; code cache used/);
  });

  it('reports the same from the bundle as from the modules, in JSON, HTML and Markdown', () => {
    for (const format of ['json', 'html', 'md']) expect(report(format, true), format).toBe(report(format, false));
    expect(report('html', true)).toContain('<html');
  });
});
