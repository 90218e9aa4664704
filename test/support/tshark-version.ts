// Which tshark is installed: asked once per run by the global setup (test/support/skip-setup.ts).

import { spawnSync } from 'node:child_process';

/** The first line of `tshark --version`, or '' when tshark is not installed. */
export function probeTsharkVersion(): string {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout.split('\n')[0] : '';
}
