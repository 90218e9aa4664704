// Synthetic analyses for renderer tests: a small capture written with the test builder, and an event
// list with every kind of ../shared/spec/events.md, as the rule engine would emit them. Renderers only
// read the Analysis, so these test them without depending on the rules being written in parallel.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Analysis } from '../../src/pipeline.js';
import { ResumeIndex } from '../../src/io/reader.js';
import { FrameStore } from '../../src/frame-store.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import type { Note } from '../../src/analyse/notes.js';
import { buildEpisodes } from '../../src/analyse/episodes.js';
import type { Lang } from '../../src/present/i18n/index.js';
import { checksum, pcapBytes, vrrpFrame } from '../support/build.js';

export const T0 = 1795550000;
export const FRAMES = 40;

export function tmp(prefix = 'vrrpscope-report-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** FRAMES VRRP adverts half a second apart, from 10.0.0.11 then 10.0.0.12. */
export function syntheticCapture(dir: string, name = 'synthetic.pcap'): string {
  const frames = Array.from({ length: FRAMES }, (_, i) => ({
    sec: T0 + Math.floor(i / 2),
    frac: (i % 2) * 500000,
    data: vrrpFrame({ src: i < 20 ? [10, 0, 0, 11] : [10, 0, 0, 12], priority: i < 20 ? 150 : 100 }),
  }));
  const path = join(dir, name);
  writeFileSync(path, pcapBytes(frames));
  return path;
}

type E = Omit<AnalysisEvent, 'id'> & { id?: string };

/** Every kind of events.md, telling one lab story on VRID 51 and the virtual service 10.0.0.100:80. */
export function storyEvents(): AnalysisEvent[] {
  const ev: E[] = [
    { kind: 'vrrp.master', time: T0 + 1, frames: [2], severity: 'info', summary: '10.0.0.11 becomes master of VRID 51.', vrid: 51, family: 4, version: 2, router: '10.0.0.11', priority: 150, reason: 'initial', previous: null, gapMs: null, expectedMs: null, intervalMs: 1000, skewMs: 414.063, addresses: ['10.0.0.100'] },
    { kind: 'arp.garp', time: T0 + 1.001, frames: [3, 4], severity: 'info', ip: '10.0.0.100', mac: '02:00:0a:00:00:0b', count: 5, related: 'e1', router: '10.0.0.11', vrid: 51, opcode: 1, burst: 1, sincePreviousBurstMs: null, cause: 'takeover' },
    { kind: 'hc.probe', time: T0 + 2, frames: [5, 6], severity: 'info', summary: 'HTTP_GET probes of 10.1.0.21:80.', checker: 'http', director: '10.0.0.11', target: '10.1.0.21:80', count: 10, intervalMs: 3000, details: 'GET /health 200' },
    { kind: 'lvs.forward', time: T0 + 3, frames: [7], severity: 'info', method: 'nat', vip: '10.0.0.100:80', realServer: '10.1.0.21:80', director: '10.0.0.11', connections: 12, sorry: false, tenure: null, end: T0 + 3 },
    { kind: 'lvs.sync', time: T0 + 3.5, frames: [8], severity: 'info', sender: '10.1.0.11', syncid: 51, version: 1, messages: 3, connections: 3, durationMs: 2000, matched: 0, mismatched: 0, unseen: 3 },
    { kind: 'vrrp.silent', time: T0 + 8, frames: [10], severity: 'warning', summary: '10.0.0.11 stopped advertising.', vrid: 51, router: '10.0.0.11', lastAdvertFrame: 10 },
    { kind: 'svc.outage', time: T0 + 8, frames: [11, 17], severity: 'warning', vip: '10.0.0.100:80', probe: 'tcp', start: T0 + 8, end: T0 + 9.5, ongoing: false, durationMs: 1500, failedConnections: 3, related: null },
    { kind: 'hc.state', time: T0 + 8.5, frames: [12], severity: 'notice', summary: '10.1.0.21:80 fails its HTTP check.', target: '10.1.0.21:80', state: 'down', checker: 'http', director: '10.0.0.11', reason: 'refused', othersUp: [] },
    { kind: 'lvs.realserver', time: T0 + 8.6, frames: [13], severity: 'notice', realServer: '10.1.0.21:80', state: 'out', service: '10.0.0.100:80', cause: 'none', checker: null, reason: null, related: null },
    { kind: 'vrrp.master', time: T0 + 9, frames: [16], severity: 'notice', summary: '10.0.0.12 takes over VRID 51 after 3.61 s.', vrid: 51, family: 4, version: 2, router: '10.0.0.12', priority: 100, reason: 'master-down', previous: '10.0.0.11', gapMs: 3610, expectedMs: 3609.375, intervalMs: 1000, skewMs: 609.375, addresses: ['10.0.0.100'] },
    { kind: 'vrrp.split-brain', time: T0 + 12, frames: [20, 21], severity: 'warning', summary: 'Two masters for VRID 51.', vrid: 51, routers: ['10.0.0.11', '10.0.0.12'], start: T0 + 12, end: T0 + 13.5 },
    { kind: 'vrrp.master', time: T0 + 13, frames: [22], severity: 'info', summary: '10.0.0.11 preempts VRID 51.', vrid: 51, family: 4, version: 2, router: '10.0.0.11', priority: 150, reason: 'preemption', previous: '10.0.0.12', gapMs: 800, expectedMs: 3414.063, intervalMs: 1000, skewMs: 414.063, addresses: ['10.0.0.100'] },
    { kind: 'lvs.sorry', time: T0 + 14, frames: [25], severity: 'warning', vip: '10.0.0.100:80', sorryServer: '10.1.0.99:80', start: T0 + 14, end: T0 + 18 },
    { kind: 'vrrp.resign', time: T0 + 16, frames: [28], severity: 'notice', summary: '10.0.0.11 sends priority 0.', vrid: 51, router: '10.0.0.11' },
    { kind: 'vrrp.master', time: T0 + 16.6, frames: [30], severity: 'notice', summary: '10.0.0.12 takes over after priority 0.', vrid: 51, family: 4, version: 2, router: '10.0.0.12', priority: 100, reason: 'resignation', previous: '10.0.0.11', gapMs: 610, expectedMs: 609.375, intervalMs: 1000, skewMs: 609.375, addresses: ['10.0.0.100'] },
    { kind: 'vrrp.mismatch', time: T0 + 16.7, frames: [31], severity: 'warning', summary: 'Advert intervals differ.', vrid: 51, field: 'advertInterval', values: { '10.0.0.11': 1000, '10.0.0.12': 2000 } },
    { kind: 'vrrp.invalid', time: T0 + 16.8, frames: [32], severity: 'warning', summary: 'TTL 64: receivers drop it.', vrid: 51, router: '10.0.0.13', problem: 'TTL 64, not 255' },
    { kind: 'arp.conflict', time: T0 + 16.9, frames: [33], severity: 'warning', ip: '10.0.0.100', macs: ['02:00:0a:00:00:0b', '02:00:0a:00:00:0c'], count: 1, betweenRouters: true },
    { kind: 'hc.state', time: T0 + 18, frames: [35], severity: 'notice', summary: '10.1.0.21:80 passes again.', target: '10.1.0.21:80', state: 'up', checker: 'http', director: '10.0.0.11', reason: 'status 200', othersUp: [] },
    { kind: 'lvs.realserver', time: T0 + 18.2, frames: [36], severity: 'notice', realServer: '10.1.0.21:80', state: 'in', service: '10.0.0.100:80', cause: 'none', checker: null, reason: null, related: null },
  ];
  return ev.map((e, i) => ({ ...e, id: e.id ?? 'e' + (i + 1) }) as AnalysisEvent);
}

/** An Analysis as analyzeFiles would return it, over `path`, with these events and comments. */
export function syntheticAnalysis(path: string, events: AnalysisEvent[], opts: { lang?: Lang; comments?: [number, Note[]][]; frames?: number } = {}): Analysis {
  const frameEvents = new Map<number, string[]>();
  for (const e of events) for (const n of e.frames) {
    const l = frameEvents.get(n);
    if (l) l.push(e.id); else frameEvents.set(n, [e.id]);
  }
  const frames = opts.frames ?? FRAMES;
  const end = T0 + Math.floor((frames - 1) / 2) + ((frames - 1) % 2) * 0.5;
  const sorted = [...events].sort((a, b) => a.time - b.time);
  return {
    lang: opts.lang ?? 'en',
    captures: [{ file: path.split('/').pop()!, format: 'pcap', linkTypes: ['EN10MB'], frames, start: T0, end, timeDigits: 6 }],
    frames,
    events: sorted,
    episodes: buildEpisodes(sorted),
    hosts: [],
    warnings: [{ frame: 9, message: 'malformed vrrp: test warning' }],
    warningsDropped: 0,
    frameEvents,
    frameNotes: new Map(opts.comments ?? [[1, [{ note: 'vrrp.advert', router: '10.0.0.11', vrid: 51, priority: 150, nth: 2, gapMs: 1000 }]], [40, [{ note: 'vrrp.last', router: '10.0.0.12', vrid: 51 }]]]),
    timeDigits: 6,
    start: T0,
    end,
    store: new FrameStore([path], [frames], new Map(), new ResumeIndex()),
    facts: {},
    commentsDropped: 0,
  };
}

/** Collects what a renderer writes. */
export class StringSink {
  text = '';
  write(s: string): void { this.text += s; }
}

/** Markup and script in every HTTP field a report shows: URI, Host, User-Agent. */
export const HOSTILE = {
  uri: '/<script>alert(1)</script>?q="><img src=x onerror=alert(2)>&x=`|*_[a](javascript:alert(3))',
  host: '"><svg onload=alert(4)>',
  userAgent: '</textarea><script>alert(5)</script><iframe src="https://evil.example/"></iframe>',
};

/** An Ethernet/IPv4/TCP frame carrying an HTTP request head. */
export function httpRequestFrame(head: string, opts: { src?: number[]; dst?: number[]; sport?: number } = {}): Uint8Array {
  const payload = Buffer.from(head, 'latin1');
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(opts.sport ?? 40000, 0); tcp.writeUInt16BE(80, 2);
  tcp.writeUInt32BE(1000, 4); tcp.writeUInt32BE(2000, 8);
  tcp[12] = 5 << 4; tcp[13] = 0x18; tcp.writeUInt16BE(65535, 14);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; ip.writeUInt16BE(20 + 20 + payload.length, 2); ip[8] = 64; ip[9] = 6;
  Buffer.from(opts.src ?? [10, 0, 0, 50]).copy(ip, 12); Buffer.from(opts.dst ?? [10, 0, 0, 100]).copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  const eth = Buffer.from([0x02, 0x00, 0x0a, 0x00, 0x00, 0x64, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x32, 0x08, 0x00]);
  return Buffer.concat([eth, ip, tcp, payload]);
}

export function hostileHttpCapture(dir: string): string {
  const head = `GET ${HOSTILE.uri} HTTP/1.1\r\nHost: ${HOSTILE.host}\r\nUser-Agent: ${HOSTILE.userAgent}\r\nAccept: */*\r\n\r\n`;
  const path = join(dir, 'hostile-http.pcap');
  writeFileSync(path, pcapBytes([
    { sec: T0, frac: 0, data: httpRequestFrame(head) },
    { sec: T0, frac: 1000, data: vrrpFrame() },
  ]));
  return path;
}
