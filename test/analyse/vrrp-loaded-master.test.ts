// Issue #14 behaviour 9 on a real recording (captures/vrrp-loaded-master): keepalived on d1, master,
// frozen by the lab script (SIGSTOP) 1.6 s out of every 2.4 s for 45 s. Its adverts then come every
// ~2.4 s while carrying advert_int 1; d2's log shows it stayed BACKUP. Judged against the script's own
// actions (events.jsonl) and keepalived's logs, not against our output.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonOnce } from '../support/ours.js';

const DIR = fileURLToPath(new URL('../../captures/vrrp-loaded-master', import.meta.url));
const PCAP = DIR + '.pcap';
const marks = readFileSync(`${DIR}/events.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: number; event: string; detail: string });
const at = (event: string) => marks.find((m) => m.event === event)!.t;
const d2Master = readFileSync(`${DIR}/keepalived-d2.log`, 'utf8').split('\n').filter((l) => l.includes('Entering MASTER STATE')).map((l) => Number(l.split(' ')[0]));

describe('a master too loaded to keep its advert timer (vrrp-loaded-master)', () => {
  it('one vrrp.cadence for d1: adverts every ~2.4 s (the script\'s 1.6 s frozen + 0.8 s running) against 1 s carried', async () => {
    const doc = await reportJsonOnce([PCAP]);
    const cadence = doc.events.filter((e) => e.kind === 'vrrp.cadence');
    expect(cadence.map((e) => [e.router, e.vrid, e.intervalMs])).toEqual([['10.0.0.11', 51, 1000]]);
    expect(cadence[0].observedMs).toBeGreaterThan(2300);
    expect(cadence[0].observedMs).toBeLessThan(2500);
    expect(cadence[0].time).toBeGreaterThanOrEqual(at('host_loaded') - 1);
    expect(cadence[0].time).toBeLessThan(at('host_unloaded'));
  });

  it('no adverts lost, no takeover while d2 stayed BACKUP (its log: MASTER only after d1\'s SIGTERM)', async () => {
    const doc = await reportJsonOnce([PCAP]);
    expect(doc.events.filter((e) => e.kind === 'vrrp.loss')).toEqual([]);
    expect(d2Master).toHaveLength(1);
    expect(d2Master[0]).toBeGreaterThan(at('host_unloaded'));
    const takeovers = doc.events.filter((e) => e.kind === 'vrrp.master' && e.router === '10.0.0.12');
    expect(takeovers).toHaveLength(1);
    expect(Math.abs(takeovers[0].time - d2Master[0])).toBeLessThan(0.1);
    expect(doc.events.filter((e) => e.kind === 'vrrp.silent' || e.kind === 'vrrp.split-brain')).toEqual([]);
  });
});
