// Layout baselines: the html and md renderers on two small analyses built here by hand (no capture is
// analysed: the events, comments, checklist and warnings below are the input), kept under test/golden/layout/. A
// template or renderer edit changes these files and no event baseline; an analyser edit changes none of
// these. `npm run golden` rewrites them (it runs this file with VRRPSCOPE_GOLDEN_WRITE=1); review the diff.

import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import type { Note } from '../../src/analyse/notes.js';
import { Say } from '../../src/present/say/index.js';
import type { Lang } from '../../src/present/i18n/index.js';
import type { Checklist } from '../../src/checklist/types.js';
import { writeHtml } from '../../src/present/html.js';
import { writeMarkdown } from '../../src/present/markdown.js';
import { mdText } from '../../src/present/escape.js';
import { StringSink, T0, syntheticAnalysis, syntheticCapture, tmp } from './fixtures.js';

const LAYOUT = fileURLToPath(new URL('../golden/layout', import.meta.url));
const WRITE = process.env.VRRPSCOPE_GOLDEN_WRITE === '1';

type E = Omit<AnalysisEvent, 'id'> & { id: string };

/** A failover on VRID 51: election, GARPs, the master falls silent, the backup takes over, preemption, a clean stop. */
const FAILOVER: E[] = [
  { id: 'e1', kind: 'vrrp.master', time: T0 + 1, frames: [3], severity: 'info', summary: '10.0.0.11 becomes master of VRID 51.', vrid: 51, family: 4, version: 2, router: '10.0.0.11', priority: 150, reason: 'initial', previous: null, gapMs: null, expectedMs: null, intervalMs: 1000, skewMs: 414.063, addresses: ['10.0.0.100'] },
  { id: 'e2', kind: 'arp.garp', time: T0 + 1.001, frames: [4, 5], severity: 'info', ip: '10.0.0.100', mac: '02:00:0a:00:00:0b', count: 5, related: 'e1', router: '10.0.0.11', vrid: 51, opcode: 1, burst: 1, sincePreviousBurstMs: null, cause: 'takeover' },
  { id: 'e3', kind: 'vrrp.silent', time: T0 + 9, frames: [19], severity: 'warning', summary: '10.0.0.11 stopped advertising.', vrid: 51, router: '10.0.0.11', lastAdvertFrame: 19 },
  { id: 'e4', kind: 'vrrp.master', time: T0 + 10, frames: [19, 21], severity: 'notice', summary: '10.0.0.12 takes over VRID 51 after 3.61 s.', vrid: 51, family: 4, version: 2, router: '10.0.0.12', priority: 100, reason: 'master-down', previous: '10.0.0.11', gapMs: 3610, expectedMs: 3609.375, intervalMs: 1000, skewMs: 609.375, addresses: ['10.0.0.100'] },
  { id: 'e5', kind: 'arp.garp', time: T0 + 10.001, frames: [22, 23], severity: 'info', ip: '10.0.0.100', mac: '02:00:0a:00:00:0c', count: 5, related: 'e4', router: '10.0.0.12', vrid: 51, opcode: 1, burst: 1, sincePreviousBurstMs: null, cause: 'takeover' },
  { id: 'e6', kind: 'vrrp.resign', time: T0 + 17, frames: [35], severity: 'notice', summary: '10.0.0.12 sends priority 0.', vrid: 51, router: '10.0.0.12' },
];

/** A virtual service: probes, a real server failing and coming back, the sorry server, an outage. */
const SERVICE: E[] = [
  { id: 's1', kind: 'hc.probe', time: T0 + 0.5, frames: [2, 4], severity: 'info', summary: 'HTTP_GET probes of 10.1.0.21:80.', checker: 'http', director: '10.1.0.11', target: '10.1.0.21:80', count: 12, intervalMs: 2000, details: 'GET /health 200' },
  { id: 's2', kind: 'lvs.forward', time: T0 + 2, frames: [6], severity: 'info', method: 'nat', vip: '10.0.0.100:80', realServer: '10.1.0.21:80', director: '10.0.0.11', connections: 8, sorry: false, tenure: null, end: T0 + 2 },
  { id: 's3', kind: 'hc.state', time: T0 + 6, frames: [13], severity: 'notice', summary: '10.1.0.21:80 fails its HTTP check.', target: '10.1.0.21:80', state: 'down', checker: 'http', director: '10.1.0.11', reason: 'refused', othersUp: [] },
  { id: 's4', kind: 'lvs.realserver', time: T0 + 6.5, frames: [14], severity: 'notice', realServer: '10.1.0.21:80', state: 'out', service: '10.0.0.100:80', cause: 'none', checker: null, reason: null, related: null },
  { id: 's5', kind: 'lvs.sorry', time: T0 + 7, frames: [15], severity: 'warning', vip: '10.0.0.100:80', sorryServer: '10.1.0.99:80', start: T0 + 7, end: T0 + 12 },
  { id: 's6', kind: 'svc.outage', time: T0 + 6.2, frames: [13, 14], severity: 'warning', vip: '10.0.0.100:80', probe: 'tcp', start: T0 + 6.2, end: T0 + 7, ongoing: false, durationMs: 800, failedConnections: 3, related: null },
  { id: 's7', kind: 'hc.state', time: T0 + 12, frames: [25], severity: 'notice', summary: '10.1.0.21:80 passes again.', target: '10.1.0.21:80', state: 'up', checker: 'http', director: '10.1.0.11', reason: 'status 200', othersUp: [] },
  { id: 's8', kind: 'lvs.realserver', time: T0 + 12.5, frames: [26], severity: 'notice', realServer: '10.1.0.21:80', state: 'in', service: '10.0.0.100:80', cause: 'none', checker: null, reason: null, related: null },
];

/** The checklist section of the failover page: one proven and one missing behaviour, a configuration, a finding. */
const CHECKLIST: Checklist = {
  mode: 'auto', expectSource: null, complete: false,
  counts: { required: 2, proven: 1, missing: 1, findings: 1 },
  items: [
    { id: 'vrrp-election', title: 'VRRP election', required: true, why: 'VRRP seen.', status: 'proven',
      evidence: [{ event: 'e1', kind: 'vrrp.master', time: T0 + 1, frames: [3], summary: '10.0.0.11 becomes master of VRID 51.' }], frames: [3], detail: null, step: null },
    { id: 'vrrp-preemption', title: 'Preemption', required: true, why: 'Two routers with different priorities.', status: 'missing',
      evidence: [], frames: [], detail: 'No router took over from a lower-priority master.', step: 'Restart keepalived on 10.0.0.11 while 10.0.0.12 is master.' },
  ],
  directors: [{ name: 'd1', config: 'keepalived-d1.conf', addresses: ['10.0.0.11'], label: 'd1 (10.0.0.11)' }],
  configs: [{ file: 'keepalived-d1.conf', files: ['keepalived-d1.conf'], director: 'd1', problems: [] }],
  findings: [{ kind: 'vrrp-priority', severity: 'warning', director: 'd1 (10.0.0.11)', message: 'priority 150 configured, 100 advertised.', where: [{ file: 'keepalived-d1.conf', line: 12 }], frames: [3], events: ['e1'] }],
  notes: ['The capture does not show the real servers\' segment.'],
};

const dir = tmp('vrrpscope-layout-');
const capture = syntheticCapture(dir);

const CASES: { file: string; events: E[]; lang: Lang; comments: [number, Note[]][]; render: 'html' | 'md'; checklist?: Checklist }[] = [
  { file: 'failover.html', events: FAILOVER, lang: 'en', comments: [[1, [{ note: 'vrrp.advert', router: '10.0.0.11', vrid: 51, priority: 150, nth: 2, gapMs: 1000 }]], [40, [{ note: 'vrrp.last', router: '10.0.0.12', vrid: 51 }]]], render: 'html', checklist: CHECKLIST },
  { file: 'failover.md', events: FAILOVER, lang: 'en', comments: [[1, [{ note: 'vrrp.advert', router: '10.0.0.11', vrid: 51, priority: 150, nth: 2, gapMs: 1000 }]], [40, [{ note: 'vrrp.last', router: '10.0.0.12', vrid: 51 }]]], render: 'md', checklist: CHECKLIST },
  { file: 'failover.fr.md', events: FAILOVER, lang: 'fr', comments: [[1, [{ note: 'vrrp.advert', router: '10.0.0.11', vrid: 51, priority: 150, nth: 2, gapMs: 1000 }]]], render: 'md' },
  { file: 'service.html', events: SERVICE, lang: 'en', comments: [], render: 'html' },
  { file: 'service.md', events: SERVICE, lang: 'en', comments: [], render: 'md' },
];

function render(c: (typeof CASES)[number]): string {
  const a = syntheticAnalysis(capture, c.events as AnalysisEvent[], { lang: c.lang, comments: c.comments });
  if (c.checklist) a.facts = { checklist: c.checklist };
  const sink = new StringSink();
  if (c.render === 'html') writeHtml(a, sink, { allFrames: false });
  else writeMarkdown(a, sink, { allFrames: false });
  return sink.text;
}

describe('layout baselines (hand-built analyses; npm run golden rewrites them)', () => {
  for (const c of CASES) {
    it(c.file, () => {
      const now = render(c);
      // what the page must carry whatever the layout: every event's sentence and every listed frame
      const say = new Say(c.lang ?? 'en', c.events);
      for (const e of c.events) { const s = say.summary(e); expect(now, e.id).toContain(c.render === 'html' ? s.replace(/'/g, '&#x27;').replace(/"/g, '&quot;').replace(/=/g, '&#x3D;') : mdText(s)); }
      const path = join(LAYOUT, c.file);
      if (WRITE) { mkdirSync(LAYOUT, { recursive: true }); writeFileSync(path, now); return; }
      expect(existsSync(path), `${c.file} is missing: run npm run golden and review it`).toBe(true);
      const golden = readFileSync(path, 'utf8');
      if (now !== golden) {
        const a = golden.split('\n'), b = now.split('\n');
        const i = a.findIndex((line, k) => line !== b[k]);
        expect.fail(`test/golden/layout/${c.file} differs at line ${i + 1}:\n  golden:  ${a[i]}\n  current: ${b[i]}\n(npm run golden rewrites it; review git diff test/golden)`);
      }
    });
  }

  it('is the same page twice, from a capture in another directory', () => {
    const other = syntheticCapture(tmp('vrrpscope-layout-'));
    const a = syntheticAnalysis(other, FAILOVER as AnalysisEvent[], { comments: CASES[0].comments });
    a.facts = { checklist: CHECKLIST };
    const sink = new StringSink();
    writeHtml(a, sink, { allFrames: false });
    expect(sink.text).toBe(render(CASES[0]));
  });
});
