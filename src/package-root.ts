// The package's own directory (package.json, templates/), found from this module's place: src/ and
// dist/ when the modules run as they are, dist/vrrpscope.cjs when the bundle runs (see cli.ts).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

export const PACKAGE_ROOT = findRoot();
