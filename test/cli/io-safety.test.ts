// What `-o` may and may not do: never write over an input capture under another name, never leave half
// a report, say why it cannot write in one sentence (exit 2), and check all that before reading.
// Inputs named twice, and captures with no frame, are also here: they are about what the user gave.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from '../support/ours.js';
import { fakeTcpdump } from '../live/support.js';

const CAPTURE = fileURLToPath(new URL('../../captures/vrrp-failover.pcap', import.meta.url));
const ORIGINAL = readFileSync(CAPTURE);
// Its frame count as tcpdump counted it when the lab recorded it (not our reader's count).
const CAPTURE_FRAMES: number = JSON.parse(readFileSync(fileURLToPath(new URL('../../captures/vrrp-failover/ground-truth.json', import.meta.url)), 'utf8')).capture.frames;

/** A directory of its own with a copy of the capture in it. */
function lab(): { dir: string; input: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-io-'));
  const input = join(dir, 'in.pcap');
  copyFileSync(CAPTURE, input);
  return { dir, input };
}

function run(args: string[], opts: { cwd?: string; shell?: string; stdout?: number; timeout?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = opts.shell
    ? spawnSync('bash', ['-c', opts.shell], { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeout ?? 30_000 })
    : spawnSync('node', [CLI, ...args], { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeout ?? 30_000, stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const oneLine = (stderr: string) => expect(stderr.trim().split('\n')).toHaveLength(1);
const events = (json: string) => JSON.parse(json).events as { kind: string }[];

describe('-o never writes over an input', { timeout: 60_000 }, () => {
  it.each([
    ['a symbolic link to it', (dir: string) => { symlinkSync('in.pcap', join(dir, 'out.html')); return join(dir, 'out.html'); }],
    ['a hard link to it', (dir: string) => { linkSync(join(dir, 'in.pcap'), join(dir, 'out.html')); return join(dir, 'out.html'); }],
    ['its name through a symlinked directory', (dir: string) => { mkdirSync(join(dir, 'sub')); symlinkSync('..', join(dir, 'sub', 'up')); return join(dir, 'sub', 'up', 'in.pcap'); }],
  ])('refuses %s, before reading, and leaves the capture as it was', (_, make) => {
    const { dir, input } = lab();
    const out = make(dir);
    for (const format of ['html', 'pcapng']) {
      const r = run(['report', input, '--format', format, '-o', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/is one of the input captures \(the same file as .*in\.pcap\); choose another -o/);
      oneLine(r.stderr);
    }
    expect(readFileSync(input).equals(ORIGINAL)).toBe(true);
  });

  it('refuses a standard output appended to the capture (>> in.pcap)', () => {
    const { input } = lab();
    const fd = openSync(input, 'a');
    try {
      const r = run(['report', input, '--format', 'json'], { stdout: fd });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/standard output .* is one of the input captures/);
    } finally { closeSync(fd); }
    expect(readFileSync(input).equals(ORIGINAL)).toBe(true);
  });
});

describe('a report is complete or absent', { timeout: 60_000 }, () => {
  it('a write that fails half-way (file size limit) leaves the old report and no temporary file', () => {
    const { dir, input } = lab();
    const out = join(dir, 'r.html');
    writeFileSync(out, 'the previous report\n');
    // 16 KiB: the --all-frames page is far bigger.
    const r = run([], { shell: `ulimit -f 16; exec node '${CLI}' report '${input}' --all-frames -o '${out}'` });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vrrpscope: cannot write .*r\.html: file too large$/m);
    oneLine(r.stderr);
    expect(readFileSync(out, 'utf8')).toBe('the previous report\n');
    expect(readdirSync(dir).sort()).toEqual(['in.pcap', 'r.html']);
  });

  it('a replaced report keeps its permissions, and nothing else is left in the directory', () => {
    const { dir, input } = lab();
    const out = join(dir, 'r.json');
    writeFileSync(out, '{}');
    chmodSync(out, 0o640);
    const r = run(['report', input, '--format', 'json', '-o', out]);
    expect(r.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(JSON.parse(readFileSync(out, 'utf8')).captures[0].frames).toBe(CAPTURE_FRAMES);
    expect(readdirSync(dir).sort()).toEqual(['in.pcap', 'r.json']);
  });

  it('a full disk (-o /dev/full) is one sentence and exit 2, not an internal error', () => {
    const { input } = lab();
    const r = run(['report', input, '-o', '/dev/full']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vrrpscope: cannot write \/dev\/full: no space left on the device$/m);
    expect(r.stderr).not.toMatch(/internal error/);
    oneLine(r.stderr);
  });

  it('special files are written directly: /dev/null', () => {
    const { input } = lab();
    expect(run(['report', input, '-o', '/dev/null']).status).toBe(0);
  });

  it('a FIFO as -o is written directly, and stays a FIFO', () => {
    const { dir, input } = lab();
    const r = run([], { shell: `cd '${dir}' && mkfifo out.json && { timeout 20 cat out.json > got.json & } && timeout 20 node '${CLI}' report in.pcap --format json -o out.json; s=$?; wait; exit $s` });
    expect(r.status).toBe(0);
    expect(statSync(join(dir, 'out.json')).isFIFO()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'got.json'), 'utf8')).captures[0].frames).toBe(CAPTURE_FRAMES);
  });

  it('a missing output directory is reported before the capture is read (a FIFO nobody writes does not hang it)', () => {
    const { dir } = lab();
    const fifo = join(dir, 'never-written.pcap');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = run(['report', fifo, '-o', join(dir, 'missing', 'r.html')], { timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vrrpscope: cannot write .*missing\/r\.html: no such directory$/m);
    oneLine(r.stderr);
  });

  it('an output that is a directory is one sentence', () => {
    const { dir, input } = lab();
    const r = run(['report', input, '-o', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*: is a directory$/m);
  });
});

describe('what the user gave', { timeout: 60_000 }, () => {
  it('the same file twice, or under a second name, is read once with a warning', () => {
    const { dir, input } = lab();
    const again = join(dir, 'again.pcap');
    linkSync(input, again);
    const once = run(['report', input, '--format', 'json']);
    const twice = run(['report', input, input, again, '--format', 'json']);
    expect(twice.status).toBe(0);
    expect(events(twice.stdout)).toEqual(events(once.stdout));
    expect(JSON.parse(twice.stdout).captures).toHaveLength(1);
    expect(JSON.parse(twice.stdout).warnings).toEqual(expect.arrayContaining([
      { message: `${input} is given twice: read once` },
      { message: `${again} is the same file as ${input}: read once` },
    ]));
    expect(twice.stderr).toMatch(/again\.pcap is the same file as .*in\.pcap: read once/);
  });

  it('a capture with its header and no frame: a warning in the report and on stderr, exit 0', () => {
    const { dir } = lab();
    const empty = join(dir, 'header-only.pcap');
    writeFileSync(empty, ORIGINAL.subarray(0, 24));
    const r = run(['report', empty, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^vrrpscope: header-only\.pcap: no frame: the capture has its file header and nothing else/m);
    const doc = JSON.parse(r.stdout);
    expect(doc.captures[0].frames).toBe(0);
    expect(doc.warnings).toEqual([expect.objectContaining({ file: 'header-only.pcap', message: expect.stringMatching(/^no frame/) })]);
  });
});

describe('live mode checks its -o before it captures', { timeout: 60_000 }, () => {
  it('a missing report directory ends a 30 s capture at once, with no capture file left', () => {
    const { dir, input } = lab();
    const cap = join(dir, 'cap.pcapng');
    const r = spawnSync('node', [CLI, 'live', '--iface', 'lo', '--backend', 'tcpdump', '--duration', '30', '--write', cap, '--format', 'json', '-o', join(dir, 'missing', 'r.json')],
      { encoding: 'utf8', timeout: 15_000, env: { ...process.env, VRRPSCOPE_TCPDUMP: fakeTcpdump(), FAKE_PCAP: input } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vrrpscope: cannot write .*missing\/r\.json: no such directory$/m);
    expect(readdirSync(dir)).toEqual(['in.pcap']);
  });
});
