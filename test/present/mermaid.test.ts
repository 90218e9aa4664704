// Mermaid blocks parse, with Mermaid's own parser (the `mermaid` package's parse(), which needs no
// browser for sequence diagrams): those of the synthetic story, of hostile text, and of every lab
// capture's Markdown report.

import { describe, expect, it } from 'vitest';
import mermaid from 'mermaid';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { I18n } from '../../src/present/i18n/index.js';
import { ReportFormat } from '../../src/present/format.js';
import { MAX_STATEMENTS, mermaidSequence } from '../../src/present/mermaid.js';
import { storyEvents, T0 } from './fixtures.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { reportText } from '../support/ours.js';
import { fixture } from '../support/captures.js';

async function parses(lines: string[]): Promise<void> {
  const r = await mermaid.parse(lines.join('\n'));
  expect(r && r.diagramType).toBe('sequence');
}

const blocks = (md: string) => [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1].trimEnd().split('\n'));

describe('Mermaid sequence diagrams', () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`the story of every VRRP event kind parses (${lang})`, async () => {
      const i18n = new I18n(lang);
      const lines = mermaidSequence(storyEvents(), i18n, new ReportFormat(i18n, T0));
      expect(lines[0]).toBe('sequenceDiagram');
      expect(lines.filter((l) => l.startsWith('  participant'))).toHaveLength(4); // .11, .12, .13, network
      expect(lines.some((l) => l.includes('Note over P1,P2'))).toBe(true); // failover time and split brain
      await parses(lines);
    });
  }

  it('hostile text in summaries and names stays text', async () => {
    const evil = 'a;b#c%%d<script>x</script>: "q" `r` --> s ->> t\nend\nparticipant Z';
    const events: AnalysisEvent[] = [
      { id: 'e1', kind: 'vrrp.master', time: T0, frames: [1], severity: 'info', summary: evil, vrid: 51, router: 'fe80::1', priority: 150, reason: evil, previous: null, gapMs: null },
      { id: 'e2', kind: 'vrrp.invalid', time: T0 + 1, frames: [2], severity: 'warning', summary: evil, vrid: 51, router: evil, problem: evil },
      { id: 'e3', kind: 'arp.garp', time: T0 + 2, frames: [3], severity: 'info', summary: evil, ip: evil, mac: evil, count: 5 },
    ];
    const i18n = new I18n('en');
    const lines = mermaidSequence(events, i18n, new ReportFormat(i18n, T0));
    for (const l of lines.slice(1)) {
      const text = l.replace(/^  (participant \w+ as |Note over [\w,]+: |P\d+->>N: )/, '');
      expect(text.replace(/#\d+;/g, ''), l).not.toMatch(/[;#%<>`"]/);
      expect(l, l).toMatch(/^  (participant (P\d+|N) as |Note over |P\d+->>N: )/);
    }
    await parses(lines);
  });

  it('the checker does reject a broken diagram', async () => {
    await expect(mermaid.parse('sequenceDiagram\n  participant A as x\n  A->>: y\n')).rejects.toThrow(/Parse error/);
  });

  it('a long story is cut to a readable size and still parses', async () => {
    const events: AnalysisEvent[] = Array.from({ length: 400 }, (_, i) => ({
      id: 'e' + i, kind: 'vrrp.master', time: T0 + i, frames: [i + 1], severity: 'info', summary: 's', vrid: 51,
      router: i % 2 ? '10.0.0.11' : '10.0.0.12', priority: 100, reason: 'preemption', previous: i ? (i % 2 ? '10.0.0.12' : '10.0.0.11') : null, gapMs: 100,
    }));
    const i18n = new I18n('en');
    const lines = mermaidSequence(events, i18n, new ReportFormat(i18n, T0));
    expect(lines.length).toBeLessThan(MAX_STATEMENTS + 10);
    expect(lines[lines.length - 1]).toMatch(/more events: see the event list/);
    await parses(lines);
  });

  const captures = [
    fileURLToPath(new URL('../../captures/vrrp-failover.pcap', import.meta.url)),
    ...['director-failover/director-failover-front.pcap', 'director-failover/director-failover-back.pcap', 'healthcheck-mix/healthcheck-mix.pcapng',
      'lvs-nat-basic/lvs-nat-basic-front.pcap', 'quorum-sorry/quorum-sorry-front.pcap'].map((f) => fixture('lab/' + f)),
  ];
  for (const file of captures) {
    it(`the Markdown report of ${file.split('/').pop()} has diagrams that parse`, async () => {
      for (const lang of ['en', 'fr']) {
        const r = await reportText([file], 'md', ['--lang', lang]);
        expect(r.status).toBe(0);
        for (const b of blocks(r.stdout)) await parses(b);
      }
    }, 60_000);
  }
});

describe('Mermaid notes are placed at the time of their cause', () => {
  it('a silent master is noted at its last advert, not 3 intervals later when the silence is found', () => {
    const i18n = new I18n('en');
    const base = { severity: 'info', summary: '', vrid: 51, family: 4, version: 2 } as const;
    const events = [
      { ...base, id: 'e1', kind: 'vrrp.master', time: T0 + 1, frames: [3], router: '10.0.0.11', priority: 150, reason: 'initial', previous: null, gapMs: null, intervalMs: 1000 },
      // Last advert at T0 + 9; the analysis finds it silent 3 × 1 s later.
      { ...base, id: 'e2', kind: 'vrrp.silent', time: T0 + 12, frames: [19], severity: 'warning', router: '10.0.0.11', lastAdvertFrame: 19, takenOverBy: null, takeoverGapMs: null },
    ] as unknown as AnalysisEvent[];
    const note = mermaidSequence(events, i18n, new ReportFormat(i18n, T0)).find((l) => l.includes('last advert'));
    expect(note).toContain('9.000 s last advert on VRID 51');
  });
});
