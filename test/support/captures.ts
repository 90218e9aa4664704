import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));
export const HAVE_SHARED = existsSync(join(SHARED, 'captures'));

/** Every pcap/pcapng under ../shared/captures/<sub>, sorted. */
export function sharedCaptures(sub = ''): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
    }
  };
  walk(join(SHARED, 'captures', sub));
  return out.sort();
}
