// Where the tests find captures. test/fixtures holds every capture the suite needs, in the layout of the
// team's ../shared/captures (public/<source>/…, lab/<scenario>/…, regressions/…), so a clone alone runs
// it. The captures that cannot be in the repository (public/networklessons: no licence) are read from
// ../shared/captures when it is beside the repository: the extended suite.

import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
/** The team's shared folder: ../shared beside the repository, or $VRRPSCOPE_SHARED. */
export const SHARED = process.env.VRRPSCOPE_SHARED || fileURLToPath(new URL('../../../shared', import.meta.url));
export const HAVE_EXTENDED = existsSync(join(SHARED, 'captures/public/networklessons'));

/** A file of test/fixtures, e.g. fixture('lab/director-failover/director-failover-front.pcap'); throws if it is missing. */
export function fixture(rel: string): string {
  const p = join(FIXTURES, rel);
  if (!existsSync(p)) throw new Error(`test fixture missing: test/fixtures/${rel}`);
  return p;
}

function capturesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Every pcap/pcapng under test/fixtures/<sub> (public, lab, regressions), sorted; throws if <sub> is missing. */
export function fixtureCaptures(sub = ''): string[] {
  return capturesUnder(fixture(sub));
}

/** The repository's lab recordings, which make events: test/fixtures/lab, then the project's own captures/ (sorted). */
export function eventCaptures(): string[] {
  return [...fixtureCaptures('lab'), ...capturesUnder(fileURLToPath(new URL('../../captures', import.meta.url)))];
}

/** The lab scenarios of test/fixtures/lab (director-failover, healthcheck-mix, …), sorted. */
export function labScenarios(): string[] {
  const lab = fixture('lab');
  return readdirSync(lab).filter((d) => statSync(join(lab, d)).isDirectory()).sort();
}

/** The captures of ../shared/captures that are not in test/fixtures (networklessons); [] without ../shared. */
export function extendedCaptures(): string[] {
  return HAVE_EXTENDED ? capturesUnder(join(SHARED, 'captures/public/networklessons')) : [];
}

/** A capture's name in test titles: its path under test/fixtures, or under ../shared/captures (extended). */
export function captureName(path: string): string {
  if (path.startsWith(FIXTURES + '/')) return path.slice(FIXTURES.length + 1);
  const shared = join(SHARED, 'captures') + '/';
  return path.startsWith(shared) ? 'extended: ' + path.slice(shared.length) : path;
}
