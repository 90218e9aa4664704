// dist/cli.js starts from the bundle (dist/vrrpscope.cjs) with V8's code cache, as npm run build
// makes them: the cache must be taken (it is only worth anything then), and the bundle must do exactly
// what the modules do, templates included.

import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/ours.js';

const sample = fileURLToPath(new URL('../../captures/vrrp-failover.pcap', import.meta.url));

async function report(format: string, bundle: boolean): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'vrrpscope-bundle-')), 'report.' + format);
  await promisify(execFile)('node', [CLI, 'report', sample, '--format', format, '-o', out], { env: { ...process.env, VRRPSCOPE_BUNDLE: bundle ? '1' : '0' } });
  return readFileSync(out, 'utf8').replace(/"version":"[^"]*"/, '');
}

describe('the built command', () => {
  it('starts from the bundle, and V8 takes its code cache', () => {
    const r = spawnSync('node', [CLI, '--version'], { encoding: 'utf8', env: { ...process.env, VRRPSCOPE_DEBUG: '1' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/started from .*vrrpscope\.cjs; code cache used/);
  });

  // Six runs of the command, side by side (they wait on no one): a budget for a loaded 2-core machine.
  it('reports the same from the bundle as from the modules, in JSON, HTML and Markdown', { timeout: 60_000 }, async () => {
    const formats = ['json', 'html', 'md'];
    const [bundled, modules] = await Promise.all([true, false].map((b) => Promise.all(formats.map((f) => report(f, b)))));
    formats.forEach((format, i) => expect(bundled[i], format).toBe(modules[i]));
    expect(bundled[1]).toContain('<html');
    expect(bundled[0]).toContain('"kind":"vrrp.master"');
  });
});
