// The report command as a user meets it: exit codes, one-line errors, warnings for damaged input.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, reportJson } from '../support/ours.js';
import { pcapBytes, vrrpFrame } from '../support/build.js';
import { fixture } from '../support/captures.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-cli-'));
const put = (name: string, bytes: Uint8Array | string) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
const frames = [0, 1, 2].map((i) => ({ sec: 1795550331 + i, frac: 0, data: vrrpFrame({ priority: 150 }) }));

// Tests here run the built command several times: a budget for a loaded 2-core machine (vitest's default is 5 s).
describe('vrrpscope report', { timeout: 60_000 }, () => {
  it('fails with one line and exit 2 on files that are not captures', () => {
    for (const [name, content, msg] of [
      ['empty.pcap', '', /the file is empty/],
      ['notes.txt', 'GET / HTTP/1.0\r\n', /not a pcap or pcapng capture/],
      ['missing.pcap', null, /no such file/],
    ] as const) {
      const path = content === null ? join(dir, name) : put(name, content);
      const r = runCli(['report', path, '--format', 'json']);
      expect(r.status, name).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reads a truncated file to its last whole frame, warns with frame and offset, exits 0', () => {
    const bytes = pcapBytes(frames);
    const path = put('truncated.pcap', bytes.subarray(0, bytes.length - 7));
    const r = runCli(['report', path, '--format', 'json', '--all-frames']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.frames.length).toBe(2);
    expect(doc.warnings).toEqual([expect.objectContaining({ file: 'truncated.pcap', fileFrame: 3, offset: 24 + 2 * (16 + frames[0].data.length) })]);
  });

  it('reports malformed packets as per-frame warnings', () => {
    const short = vrrpFrame().subarray(0, 14 + 20 + 6); // VRRP cut inside its header
    const path = put('malformed.pcap', pcapBytes([{ sec: 1, frac: 0, data: short }]));
    const doc = JSON.parse(runCli(['report', path, '--format', 'json']).stdout);
    expect(doc.warnings.some((w: { frame: number; message: string }) => w.frame === 1 && /malformed/.test(w.message))).toBe(true);
  });

  it('rejects unknown options and formats with a usage error', () => {
    expect(runCli(['report', '--bogus']).status).toBe(2);
    expect(runCli(['report', 'x.pcap', '--format', 'xml']).stderr).toMatch(/unknown format/);
    expect(runCli(['frobnicate']).status).toBe(2);
  });

  it('survives the fuzzed tcpdump regressions and lists every frame', () => {
    for (const [file, n] of [['vrrp-vrrp_print-oobr.pcap', 3], ['vrrp-vrrp_print-oobr-2.pcap', 10]] as const) {
      const doc = reportJson([fixture('public/tcpdump/' + file)], ['--all-frames']);
      expect(doc.frames.length).toBe(n);
    }
  });

  it('writes to a file with -o and says what it did on stderr', () => {
    const out = join(dir, 'out.json');
    const r = runCli(['report', put('ok.pcap', pcapBytes(frames)), '--format', 'json', '-o', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).captures[0]).toMatchObject({ file: 'ok.pcap', format: 'pcap', frames: 3, linkTypes: ['EN10MB'] });
  });

  it('merges several files: frames numbered in time order, each naming its file and own number', () => {
    const lab = fixture('lab/director-failover');
    const doc = reportJson([join(lab, 'director-failover-front.pcap'), join(lab, 'director-failover-back.pcap')], ['--all-frames']);
    expect(doc.frames.length).toBe(2264 + 2802);
    expect(doc.captures.map((c: { file: string; frames: number }) => [c.file, c.frames])).toEqual([['director-failover-front.pcap', 2264], ['director-failover-back.pcap', 2802]]);
    const times = doc.frames.map((f) => f.time as number);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(new Set(doc.frames.map((f) => f.file)).size).toBe(2);
  });
});
