// The HTML and Markdown renderers on synthetic analyses (every event kind of events.md): what each
// section shows, which frames are listed, how events become timelines, and that a user's templates
// replace the built-in ones.

import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { I18n } from '../../src/present/i18n/index.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { buildModel, summaryLines } from '../../src/present/model.js';
import { tenureEnd, tenuresOf } from '../../src/analyse/episodes.js';
import { ReportFormat } from '../../src/present/format.js';
import { servicesOf } from '../../src/present/timeline.js';
import { writeHtml } from '../../src/present/html.js';
import { writeMarkdown } from '../../src/present/markdown.js';
import { writeJson } from '../../src/present/json.js';
import { TemplateError } from '../../src/present/templates.js';
import { FRAMES, StringSink, T0, storyEvents, syntheticAnalysis, syntheticCapture, tmp } from './fixtures.js';

const dir = tmp();
const capture = syntheticCapture(dir);
const story = storyEvents();
const analysis = syntheticAnalysis(capture, story);
const listed = new Set([...story.flatMap((e) => e.frames), 1, 40]);

function html(a = analysis, opts: { allFrames?: boolean; templateDir?: string } = {}): string {
  const sink = new StringSink();
  writeHtml(a, sink, { allFrames: opts.allFrames ?? false, templateDir: opts.templateDir });
  return sink.text;
}

function md(a = analysis, opts: { allFrames?: boolean } = {}): string {
  const sink = new StringSink();
  writeMarkdown(a, sink, { allFrames: opts.allFrames ?? false });
  return sink.text;
}

describe('master tenures from vrrp.* events (Analysis.episodes)', () => {
  it('a silent master ends at its last advert (gapMs), a preempted one when the new master is heard, a resigning one at priority 0', () => {
    const p = tenuresOf(analysis.episodes, 51);
    const ms = (t: number) => Math.round((t - T0) * 1000) / 1000;
    expect(p.map((x) => [x.router, ms(x.start), ms(tenureEnd(x, analysis.end!)), x.ended])).toEqual([
      ['10.0.0.11', 1, 5.39, 'silent'],
      ['10.0.0.12', 9, 13, 'next'],
      ['10.0.0.11', 13, 16, 'resign'],
      ['10.0.0.12', 16.6, 19.5, 'capture-end'],
    ]);
  });

  it('the JSON document lists the same tenures (masters), an open one with end null', () => {
    const sink = new StringSink();
    writeJson(analysis, { write: (t: string) => sink.write(t) } as Parameters<typeof writeJson>[1], { allFrames: false });
    const doc = JSON.parse(sink.text) as { masters: { vrid: number; family: number; router: string; start: number; end: number | null; ended: string; event: string }[] };
    const ms = (t: number | null) => (t === null ? null : Math.round((t - T0) * 1000) / 1000);
    expect(doc.masters.map((m) => [m.vrid, m.family, m.router, ms(m.start), ms(m.end), m.ended, m.event])).toEqual([
      [51, 4, '10.0.0.11', 1, 5.39, 'silent', 'e1'],
      [51, 4, '10.0.0.12', 9, 13, 'next', 'e10'],
      [51, 4, '10.0.0.11', 13, 16, 'resign', 'e12'],
      [51, 4, '10.0.0.12', 16.6, null, 'capture-end', 'e15'],
    ]);
  });

  it('groups real servers under the virtual service that forwards to them', () => {
    expect(servicesOf(analysis.events)).toEqual([{ vip: '10.0.0.100:80', realServers: ['10.1.0.21:80'] }]);
  });
});

describe('report model', () => {
  const i18n = new I18n('en');
  const model = buildModel(analysis, i18n, { allFrames: false });

  it('says what happened in five lines: capture, masters, failovers, real servers, outages', () => {
    const lines = summaryLines(analysis, i18n, new ReportFormat(i18n, analysis.start));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(`${FRAMES} frames in synthetic.pcap over 19.50\u00a0s: 20 events, 1 warning.`);
    expect(lines[1]).toBe('VRID 51 masters: 10.0.0.11 from 1.000 s; 10.0.0.12 from 9.000 s; 10.0.0.11 from 13.000 s; 10.0.0.12 from 16.600 s.');
    expect(lines[2]).toMatch(/^3 failovers: at 9\.000 s on VRID 51, 10\.0\.0\.11 → 10\.0\.0\.12 \(the master went silent, a backup router took over, failover took 3\.61\u00a0s\)/);
    expect(lines[3]).toBe('Real servers: 10.1.0.21:80 lost at 8.600 s, back at 18.200 s; sorry server 10.1.0.99:80 answered for 10.0.0.100:80 from 14.000 s to 18.000 s.');
    expect(lines[4]).toMatch(/^2 outages: 10\.0\.0\.100:80 unanswered for 1\.50\u00a0s from 8\.000 s; split brain on VRID 51 \(10\.0\.0\.11, 10\.0\.0\.12\) for 1\.50\u00a0s from 12\.000 s\.$/);
  });

  it('does not count a master advertising again after its own silence as a failover', () => {
    const resumed = { kind: 'vrrp.master', time: T0 + 19, frames: [38], severity: 'notice', summary: '10.0.0.12 advertises again after 9 s.', vrid: 51, family: 4, version: 2, router: '10.0.0.12', priority: 100, reason: 'master-down', previous: null, gapMs: 9000, id: 'e99' } as const;
    const a = { ...analysis, events: [...analysis.events, resumed] };
    const lines = summaryLines(a, i18n, new ReportFormat(i18n, a.start));
    expect(lines[2]).toMatch(/^3 failovers: /);
    expect(lines[2]).not.toContain('? →');
  });

  it('draws one timeline per VRID with master bands, GARP ticks, other VRRP events and the split-brain window', () => {
    const t = model.vridTimelines;
    expect(t.map((x) => x.title)).toEqual(['VRID 51: who was master when']);
    const classes = t[0].rects.map((r) => r.cls);
    expect(classes.filter((c) => /^r\d$/.test(c))).toEqual(['r0', 'r1', 'r0', 'r1']);
    expect(classes).toContain('nomaster');
    expect(classes.filter((c) => c === 'garp')).toHaveLength(1);
    expect(classes.filter((c) => c === 'split')).toHaveLength(1);
    expect(classes.filter((c) => c.startsWith('mark-'))).toHaveLength(4); // silent, resign, mismatch, invalid
    const split = t[0].rects.find((r) => r.cls === 'split')!;
    expect(split.h).toBeGreaterThan(t[0].lanes[0].h); // across every lane
    expect(split.href).toBe('#event-e11');
    expect(t[0].lanes.map((l) => l.label)).toEqual(['master', 'gratuitous ARP', 'other VRRP events']);
    for (const r of t[0].rects) {
      expect(r.x).toBeGreaterThanOrEqual(t[0].plotX - 1);
      expect(r.x + r.w).toBeLessThanOrEqual(t[0].plotX + t[0].plotW + 1);
    }
  });

  it('draws one timeline per virtual service: probes, verdicts, pool, sorry server, outages', () => {
    const s = model.serviceTimelines;
    expect(s.map((x) => x.title)).toEqual(['Virtual service 10.0.0.100:80']);
    expect(s[0].lanes.map((l) => l.label)).toEqual(['10.1.0.21:80 · HTTP_GET', 'sorry 10.1.0.99:80', 'outage']);
    const classes = new Set(s[0].rects.map((r) => r.cls));
    for (const c of ['probe', 'up', 'down', 'in', 'out', 'sorry', 'outage']) expect(classes, c).toContain(c);
  });

  it('one lane per real server × checker (#15): a failing checker paints its own lane, not the lane of another checker of that server or host', () => {
    const probe = (checker: string, target: string, t: number, n: number) => ({ id: `p${n}`, kind: 'hc.probe', time: T0 + t, frames: [n], severity: 'info', summary: 'probes', checker, director: '10.1.0.11', target, count: 5, intervalMs: 2000, details: '' });
    const down = (checker: string, target: string, t: number, n: number) => ({ id: `s${n}`, kind: 'hc.state', time: T0 + t, frames: [n], severity: 'warning', summary: 'down', target, state: 'down', checker, director: '10.1.0.11', reason: 'no reply', othersUp: [] });
    const events = [
      { id: 'f1', kind: 'lvs.forward', time: T0 + 1, frames: [1], severity: 'info', method: 'nat', vip: '10.0.0.100:80', realServer: '10.1.0.21:80', director: '10.1.0.11', connections: 3, sorry: false, tenure: null, end: T0 + 1 },
      probe('http', '10.1.0.21:80', 1, 2), probe('ping', '10.1.0.21', 1.5, 3), down('ping', '10.1.0.21', 6, 4),
      // the same host's SMTP_CHECK (port 25, always passing) and UDP_CHECK (port 7, failing): no service known for either
      probe('smtp', '10.1.0.23:25', 2, 5), probe('udp', '10.1.0.23:7', 2.5, 6), down('udp', '10.1.0.23:7', 8, 7),
    ] as unknown as AnalysisEvent[];
    const m = buildModel(syntheticAnalysis(capture, events), new I18n('en'), { allFrames: false });
    const byTitle = new Map(m.serviceTimelines.map((x) => [x.title, x]));
    const lanesOf = (title: string) => byTitle.get(title)!.lanes.map((l) => l.label);
    expect(lanesOf('Virtual service 10.0.0.100:80')).toEqual(['10.1.0.21:80 · HTTP_GET', '10.1.0.21:80 · PING_CHECK']);
    expect([...byTitle.keys()].filter((k) => k !== 'Virtual service 10.0.0.100:80').map(lanesOf)).toEqual([['10.1.0.23:25 · SMTP_CHECK', '10.1.0.23:7 · UDP_CHECK']]);
    // the red (down) rectangles are on the failing checker's lane only
    for (const tl of m.serviceTimelines) {
      const downLanes = tl.rects.filter((r) => r.cls === 'down').map((r) => tl.lanes.find((l) => r.y >= l.y && r.y < l.y + l.h)!.label);
      expect(new Set(downLanes).size, tl.title).toBe(1);
      expect(downLanes[0]).toMatch(/PING_CHECK|UDP_CHECK/);
    }
  });

  it('renders every event generically: kind, time, severity, summary, frames, its own fields', () => {
    const mismatch = model.events.find((e) => e.kind === 'vrrp.mismatch')!;
    expect(mismatch).toMatchObject({ time: '16.700 s', severity: 'warning', kindLabel: 'VRRP configuration mismatch', summary: expect.stringMatching(/^The routers of VRID 51 disagree on the advert interval: 10\.0\.0\.11 has 1000, 10\.0\.0\.12 has 2000\./) });
    expect(mismatch.frames).toEqual([{ n: 31, href: '#frame-31' }]);
    expect(mismatch.fields.map((f) => [f.label, f.text])).toEqual([['VRID', '51'], ['field', 'advertInterval'], ['values', '10.0.0.11: 1000, 10.0.0.12: 2000']]);
    const garp = model.events.find((e) => e.kind === 'arp.garp')!;
    expect(garp.fields.find((f) => f.name === 'related')).toMatchObject({ text: 'e1', href: '#event-e1' });
    const silent = model.events.find((e) => e.kind === 'vrrp.silent')!;
    expect(silent.fields.find((f) => f.name === 'lastAdvertFrame')).toMatchObject({ text: 'frame 10', href: '#frame-10' });
    const unknown = buildModel(syntheticAnalysis(capture, [{ id: 'x1', kind: 'future.kind', time: T0, frames: [1], severity: 'info', summary: 'S', answer: 42 }]), i18n, { allFrames: false });
    expect(unknown.events[0]).toMatchObject({ kindLabel: 'future.kind', fields: [{ label: 'answer', text: '42' }] });
  });

  it('names hosts and roles from the events when the analysis has none', () => {
    const hosts = analysis.episodes.hosts;
    expect(hosts.find((h) => h.ip === '10.0.0.11')?.roles).toEqual(['director']);
    expect(hosts.find((h) => h.ip === '10.1.0.21')?.roles).toEqual(['real-server']);
    expect(hosts.find((h) => h.ip === '10.1.0.99')?.roles).toEqual(['sorry-server']);
    expect(hosts.find((h) => h.ip === '10.0.0.100')).toMatchObject({ roles: ['vip'], macs: ['02:00:0a:00:00:0b'] });
    expect(model.hostsFromEvents).toBe(true);
  });
});

describe('HTML report', () => {
  const page = html();

  it('is one self-contained page: a CSP that forbids scripts and fetches, no script, no external reference', () => {
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
    expect(page).not.toMatch(/<script|javascript:|<link|<iframe|<object|<embed|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).toContain('@media (prefers-color-scheme: dark)');
    expect(page).toContain('@media print');
  });

  it('lists the frames events name and the commented frames, and folds the rest into counted runs', () => {
    const rows = [...page.matchAll(/<tr id="frame-(\d+)"/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([...listed].sort((a, b) => a - b));
    const runs = [...page.matchAll(/<tr class="run"><td class="n">([\d–]+)<\/td><td colspan="6">([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(runs[0]).toEqual(['9', 'Frame 9, no comment: 1 × VRRP from 10.0.0.11']);
    expect(runs).toContainEqual(['37–39', '3 frames without comment (37–39): 3 × VRRP from 10.0.0.12']);
    const covered = rows.length + runs.reduce((s, [r]) => { const [a, b = a] = r.split('–').map(Number); return s + b - a + 1; }, 0);
    expect(covered).toBe(FRAMES);
  });

  it('links every event to its frames and every frame back to its events', () => {
    for (const e of story) {
      expect(page).toContain(`id="event-${e.id}"`);
      for (const n of e.frames) {
        expect(page).toContain(`<a href="#frame-${n}">${n}</a>`);
        expect(page).toContain(`<tr id="frame-${n}"`);
      }
    }
    // The sentence is the presentation's (present/say), from the burst's facts.
    const garp = '5 gratuitous ARP requests from 02:00:0a:00:00:0b announce 10.0.0.100 right after 10.0.0.11 became master of VRID 51 (keepalived vrrp_garp_master_repeat 5), so switches and clients learn the new MAC at once.';
    // Told once, in the events list; a frame row points at the event (its sentence in the tooltip only).
    expect(page).toContain(`<a href="#event-e2" title="${garp}">Gratuitous ARP burst (e2)</a></p>`);
    expect(page.split(`<p class="summary">${garp}</p>`)).toHaveLength(2);
    expect(page).not.toContain(`</a> — ${garp}`);
  });

  it('shows each frame\'s decoded fields in a <details>', () => {
    const row = page.slice(page.indexOf('<tr id="frame-2"'), page.indexOf('</details>', page.indexOf('<tr id="frame-2"')));
    expect(row).toContain('<details><summary>Advertisement v2, VRID 51, priority 150, interval 1 s, VIP 10.0.0.100</summary>');
    expect(row).toContain('<tr><th>vrrp.prio</th><td>150</td></tr>');
    expect(row).toContain('<tr><th>eth.type</th><td>0x0800</td></tr>');
    expect(row).toContain('<tr><th>ip.ttl</th><td>255</td></tr>');
    expect(row).toContain('<td class="time" title="2026-11-24 19:53:20.500000 UTC">0.500000</td>');
  });

  it('draws the timelines as inline SVG and names the hosts', () => {
    expect(page.match(/<svg viewBox=/g)).toHaveLength(2);
    expect(page).toContain('<rect class="split"');
    expect(page).toContain('<td class="addr">10.1.0.99</td>');
  });

  it('lists every frame with --all-frames, and no run', () => {
    const all = html(analysis, { allFrames: true });
    expect([...all.matchAll(/<tr id="frame-(\d+)"/g)].length).toBe(FRAMES);
    expect(all).not.toContain('<tr class="run">');
  });

  it('escapes packet and event text; nothing from a capture becomes markup', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const a = syntheticAnalysis(capture, [{ id: 'e1', kind: 'vrrp.invalid', time: T0 + 1, frames: [2], severity: 'warning', summary: evil, vrid: 51, router: evil, problem: evil }], { comments: [[3, [{ note: 'vrrp.invalid', problem: evil }]]] });
    const page2 = html(a);
    expect(page2).not.toContain('<img');
    expect(page2).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot;&#x27;&amp;');
  });

  it('uses a user\'s templates (--template DIR), falling back to the built-in ones file by file', () => {
    const own = join(dir, 'school');
    mkdirSync(join(own, 'html'), { recursive: true });
    writeFileSync(join(own, 'html', 'report.hbs'), '<!DOCTYPE html><title>{{t "report.title"}}</title><h1>École</h1>{{#each events}}{{> event}}{{/each}}<table>{{frames}}</table>');
    writeFileSync(join(own, 'html', 'run.hbs'), '<tr class="school-run"><td>{{range}}</td></tr>');
    const page3 = html(analysis, { templateDir: own });
    expect(page3).toContain('<h1>École</h1>');
    expect(page3).toContain('<tr class="school-run"><td>9</td></tr>');
    expect(page3).toContain('<article class="event sev-info" id="event-e1">'); // built-in partial
    expect(page3).toContain('<tr id="frame-2"'); // built-in frame row
    writeFileSync(join(own, 'html', 'run.hbs'), '{{#each}');
    expect(() => html(analysis, { templateDir: own })).toThrow(TemplateError);
    expect(() => html(analysis, { templateDir: join(dir, 'nowhere') })).toThrow(/not a directory/);
  });
});

describe('Markdown report', () => {
  const text = md();

  it('has the same sections, a Mermaid diagram and a frame table', () => {
    for (const h of ['# vrrpscope report', '## What happened', '## Timelines', '## Events', '## Hosts and roles', '## Warnings', '## Commented frames']) expect(('\n' + text).includes('\n' + h + '\n'), h).toBe(true);
    expect(text).toContain('```mermaid\nsequenceDiagram\n');
    expect(text).toContain('| No. | Time (s) | Source | Destination | Protocol | Info | Comment |');
    const rows = [...text.matchAll(/^\| <a id="frame-(\d+)"><\/a>\d+ \|/gm)].map((m) => Number(m[1]));
    expect(rows).toEqual([...listed].sort((a, b) => a - b));
  });

  it('every table row has as many cells as its header', () => {
    const lines = text.split('\n');
    let cols = 0;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (!l.startsWith('|')) { cols = 0; continue; }
      const n = l.replace(/\\\|/g, '').split('|').length - 2;
      if (/^\|[-:|]+\|$/.test(l)) continue;
      if (cols === 0) cols = n;
      expect(n, `line ${i + 1}: ${l}`).toBe(cols);
    }
  });

  it('escapes packet text for tables: pipes, backticks, HTML, emphasis, links', () => {
    const evil = 'a|b `code` <b>x</b> *y* _z_ [l](http://e.x) ~s~';
    const a = syntheticAnalysis(capture, [{ id: 'e1', kind: 'vrrp.invalid', time: T0 + 1, frames: [2], severity: 'warning', summary: evil, vrid: 51, router: '10.0.0.13', problem: evil }], { comments: [[2, [{ note: 'vrrp.invalid', problem: evil }]]] });
    const out = md(a);
    const escaped = 'a\\|b \\`code\\` &lt;b&gt;x&lt;/b&gt; \\*y\\* \\_z\\_ \\[l\\](http\u200c://e.x) \\~s\\~';
    expect(out).toContain(escaped);
    expect(out).not.toContain(evil);
    expect(out).not.toContain('<b>');
  });
});
