// Judged against the labs' ground truth: every master change keepalived logged appears as one
// vrrp.master with the right router, reason and a time within one advert interval; none invented.

import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from '../support/captures.js';
import { reportJsonOnce } from '../support/ours.js';
import { expectedMasters } from '../support/ground-truth.js';
import { rawVrids } from '../support/raw-vrrp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Lab { name: string; groundTruth: string; captures: string[] }

function labs(): Lab[] {
  const out: Lab[] = [];
  const shared = fixture('lab');
  for (const name of readdirSync(shared)) {
    const dir = join(shared, name);
    if (!existsSync(join(dir, 'ground-truth.json'))) continue;
    out.push({ name: 'lab/' + name, groundTruth: join(dir, 'ground-truth.json'), captures: readdirSync(dir).filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => join(dir, f)) });
  }
  // The QEMU lab's second set (DR, TUN, checkers, sorry variant, GARP variant, IPv6), recorded for the project.
  const ivs = join(ROOT, 'captures/ivs');
  if (existsSync(ivs)) for (const name of readdirSync(ivs)) {
    const dir = join(ivs, name);
    if (!existsSync(join(dir, 'ground-truth.json'))) continue;
    out.push({ name: 'ivs/' + name, groundTruth: join(dir, 'ground-truth.json'), captures: readdirSync(dir).filter((f) => /\.(pcap|pcapng)$/.test(f) && !f.includes('-any')).map((f) => join(dir, f)) });
  }
  const own = join(ROOT, 'captures');
  for (const f of readdirSync(own)) {
    const m = /^(.*)\.(pcap|pcapng)$/.exec(f);
    if (m && existsSync(join(own, m[1], 'ground-truth.json'))) out.push({ name: 'captures/' + m[1], groundTruth: join(own, m[1], 'ground-truth.json'), captures: [join(own, f)] });
  }
  return out;
}

// Tests here run the built command several times: a budget for a loaded 2-core machine (vitest's default is 5 s).
describe('vrrp.master against keepalived\'s own logs', { timeout: 60_000 }, () => {
  const all = labs();
  it('has lab captures to judge', () => expect(all.length).toBeGreaterThanOrEqual(5));
  for (const lab of all) for (const capture of lab.captures) {
    it(`${lab.name}: ${capture.split('/').pop()}`, async () => {
      const doc = await reportJsonOnce([capture]);
      const { start, end } = doc.captures[0];
      // The VRIDs this capture carries, read from its bytes without our decoders; their transitions
      // inside its time span.
      const carried = rawVrids(capture);
      const expected = expectedMasters(lab.groundTruth).filter((x) => carried.has(x.vrid) && x.time >= start - 0.5 && x.time <= end);
      if (carried.size === 0) {
        // A link without VRRP (LVS-TUN's server side): then no VRRP event either.
        expect(doc.events.filter((e) => e.kind.startsWith('vrrp.'))).toEqual([]);
        return;
      }
      expect(expected.length).toBeGreaterThan(0);
      const masters = doc.events.filter((e) => e.kind === 'vrrp.master');
      const unmatched = [...masters];
      for (const x of expected) {
        const i = unmatched.findIndex((e) => e.vrid === x.vrid && e.router === x.router && Math.abs(e.time - x.time) <= x.intervalS);
        expect(i, `no vrrp.master for ${x.director} (${x.router}) VRID ${x.vrid} at ${x.time}`).toBeGreaterThanOrEqual(0);
        const e = unmatched.splice(i, 1)[0];
        if (x.reason) expect(e.reason, `reason of ${x.director}'s takeover of VRID ${x.vrid} at ${x.time}`).toBe(x.reason);
      }
      expect(unmatched.map((e) => `${e.router} VRID ${e.vrid} at ${e.time} (${e.reason})`), 'invented master changes').toEqual([]);
    });
  }
});
