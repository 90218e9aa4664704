// Inputs that can be read only once (standard input, a pipe, a FIFO, a process substitution) give the
// report the file itself gives; the copy kept for the second pass never shows in TMPDIR and is gone
// however the run ends; a file that grows after the first pass is not read further by later passes.

import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFiles } from '../../src/pipeline.js';
import { openCaptures } from '../../src/io/reader.js';
import { writeAnnotatedPcapng } from '../../src/present/pcapng.js';
import { CLI, reportText } from '../support/ours.js';
import { pcapBytes, vrrpFrame } from '../support/build.js';

const BUNDLED = fileURLToPath(new URL('../../captures/vrrp-failover.pcap', import.meta.url));
// Its frame count as tcpdump counted it when the lab recorded it (not our reader's count).
const BUNDLED_FRAMES: number = JSON.parse(readFileSync(fileURLToPath(new URL('../../captures/vrrp-failover/ground-truth.json', import.meta.url)), 'utf8')).capture.frames;
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-once-'));

/**
 * ~730 KB, more than two 256 KiB reads: master 10.0.0.11 advertises for 80 s, falls silent, and
 * 10.0.0.12 takes over, so the events name frames far into the stream (the second pass seeks there).
 * After each advert a 9000-byte jumbo frame of the IEEE local experimental EtherType (0x88b5, which
 * nothing here decodes) makes up the size with few frames: the property is the bytes read, and the
 * reports' cost is per frame (9000 adverts made each run here take ~2 s of CPU in md and html).
 */
const BIG = join(dir, 'takeover.pcap');
const T = 1795550331;
const JUMBO = new Uint8Array(9000);
JUMBO.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0xb5]);
const BIG_FRAMES = [
  ...Array.from({ length: 80 }, (_, i) => [
    { sec: T + i, frac: 0, data: vrrpFrame({ src: [10, 0, 0, 11], priority: 150 }) },
    { sec: T + i, frac: 500_000, data: JUMBO },
  ]).flat(),
  ...Array.from({ length: 20 }, (_, i) => ({ sec: T + 84 + i, frac: 0, data: vrrpFrame({ src: [10, 0, 0, 12], priority: 100 }) })),
];
writeFileSync(BIG, pcapBytes(BIG_FRAMES));
/** Where frame n (1-based) starts in BIG: the 24-byte file header, then 16 bytes of header and the data of each frame before it. */
const offsetOf = (n: number) => BIG_FRAMES.slice(0, n - 1).reduce((at, f) => at + 16 + f.data.length, 24);

function cli(args: string[], opts: { input?: Buffer; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync('node', [CLI, ...args], { input: opts.input, env: opts.env ?? process.env, maxBuffer: 1 << 30, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

function sh(script: string) {
  const r = spawnSync('bash', ['-c', script], { cwd: dir, maxBuffer: 1 << 30, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** The report with the input's name replaced: it is the only thing that may differ. */
const named = (out: Buffer | string, name: string) => out.toString().split(name).join('INPUT');

/**
 * The report of the file itself, the reference for the streams: the JSON one from the command (a file
 * read by the spawned command, as a user runs it), the other formats by the command's main() in this
 * process (test/support/ours.ts), which reads and writes the same; made once each.
 */
const fileReports = new Map<string, Promise<string>>();
const fromFile = async (format: string, extra: string[] = []): Promise<string> => {
  const key = [format, ...extra].join(' ');
  if (!fileReports.has(key)) {
    fileReports.set(key, (async () => {
      if (format === 'json' && !extra.length) {
        const r = cli(['report', BIG, '--format', format]);
        expect(r.status).toBe(0);
        return named(r.stdout, 'takeover.pcap');
      }
      const r = await reportText([BIG], format, extra);
      expect(r.status, r.stderr).toBe(0);
      return named(r.stdout, 'takeover.pcap');
    })());
  }
  return fileReports.get(key)!;
};

describe('inputs read once', { timeout: 120_000 }, () => {
  it('the events of the test capture are far into it (else the seeks below prove nothing)', async () => {
    const doc = JSON.parse(await fromFile('json'));
    expect(doc.frames.length).toBeGreaterThan(1);
    // The takeover's frames start beyond two 256 KiB reads of the stream.
    const takeover = doc.events.filter((e: { kind: string; router?: string }) => e.kind === 'vrrp.silent' || (e.kind === 'vrrp.master' && e.router === '10.0.0.12'));
    expect(takeover).toHaveLength(2);
    for (const e of takeover) expect(offsetOf(Math.min(...e.frames))).toBeGreaterThan(2 * 256 * 1024);
  });

  it.each([['json', []], ['json', ['--all-frames']], ['md', []], ['html', []]] as const)('"-" (standard input) gives the report of the file: %s %s', async (format, extra) => {
    const r = cli(['report', '-', '--format', format, ...extra], { input: readFileSync(BIG) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(named(r.stdout, 'stdin')).toBe(await fromFile(format, [...extra]));
  });

  it('/dev/stdin from a shell pipe, as `cat f | vrrpscope report /dev/stdin`', async () => {
    const r = sh(`cat '${BIG}' | timeout 30 node '${CLI}' report /dev/stdin --format json`);
    expect(r.stderr).toBe('');
    expect(named(r.stdout, '/dev/stdin')).toBe(await fromFile('json'));
  });

  it('a process substitution, as `vrrpscope report <(cat f)`', async () => {
    const r = sh(`timeout 30 node '${CLI}' report <(cat '${BIG}') --format json --all-frames`);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout.toString());
    expect(doc.captures[0].file).toMatch(/^\/(dev|proc\/self)\/fd\/\d+$/);
    expect(named(r.stdout, doc.captures[0].file)).toBe(await fromFile('json', ['--all-frames']));
  });

  it('a FIFO does not hang: read once, same report', async () => {
    const r = sh(`rm -f fifo.pcap && mkfifo fifo.pcap && { cat '${BIG}' > fifo.pcap & } && timeout 30 node '${CLI}' report fifo.pcap --format json`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(named(r.stdout, 'fifo.pcap')).toBe(await fromFile('json'));
  });

  it.skipIf(!have('tcpdump'))('tcpdump\'s own output through a pipe, as `tcpdump -w - | vrrpscope report -`', async () => {
    const r = sh(`tcpdump -r '${BIG}' -w - 2>/dev/null | timeout 30 node '${CLI}' report - --format json`);
    expect(r.stderr).toBe('');
    expect(named(r.stdout, 'stdin')).toBe(await fromFile('json'));
  });

  it.skipIf(!have('python3'))('a standard input left non-blocking by the parent, fed slowly: waits for data, loses no frame', async () => {
    // Node cannot make such a pipe; Python can (os.set_blocking).
    const feed = `
import os, subprocess, sys, time
data = open(sys.argv[2], 'rb').read()
r, w = os.pipe()
os.set_blocking(r, False)
p = subprocess.Popen(['node', sys.argv[1], 'report', '-', '--format', 'json'], stdin=r)
os.close(r)
for i in range(0, len(data), 200_000):
    os.write(w, data[i:i + 200_000]); time.sleep(0.1)
os.close(w)
sys.exit(p.wait())`;
    const r = spawnSync('python3', ['-c', feed, CLI, BIG], { maxBuffer: 1 << 30, timeout: 60_000 });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(named(r.stdout, 'stdin')).toBe(await fromFile('json'));
  });

  it('an annotated pcapng from standard input holds every input frame, unchanged', () => {
    const out = join(dir, 'from-stdin.pcapng');
    const r = cli(['report', '-', '--format', 'pcapng', '-o', out], { input: readFileSync(BIG) });
    expect(r.status).toBe(0);
    expect(frameBytes(out)).toEqual(frameBytes(BIG));
  });

  it('an input that is not a capture, from a pipe, is one line and exit 2', () => {
    const r = cli(['report', '-'], { input: Buffer.from('GET / HTTP/1.0\r\n\r\n') });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('vrrpscope: -: not a pcap or pcapng capture (unknown magic number)\n');
    const empty = cli(['report', '-'], { input: Buffer.alloc(0) });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe('vrrpscope: -: the file is empty\n');
  });
});

describe('the copy of a stream', { timeout: 60_000 }, () => {
  it('never shows in TMPDIR: not while the stream is read, not after a SIGTERM', async () => {
    const tmp = mkdtempSync(join(dir, 'tmpdir-'));
    const child = spawn('node', [CLI, 'report', '-', '--format', 'json'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => { stderr += b; });
    const ended = new Promise<NodeJS.Signals | number | null>((done) => child.on('close', (code, signal) => done(signal ?? code)));
    // Half the stream, and the pipe left open: the tool waits for the rest.
    const bytes = readFileSync(BIG);
    // Written (the callback) once the pipe has taken it all, that is once the tool has read all but a
    // pipe buffer's worth (64 KiB of ~365 KiB): it is reading the stream now, and waits for the rest.
    await new Promise<void>((written, failed) => child.stdin.write(bytes.subarray(0, bytes.length >> 1), (err) => (err ? failed(err) : written())));
    expect(readdirSync(tmp)).toEqual([]);
    child.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    expect(stderr).toBe('');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('an unusable TMPDIR is one sentence and exit 2', () => {
    const r = cli(['report', '-', '--format', 'json'], { input: readFileSync(BUNDLED), env: { ...process.env, TMPDIR: join(dir, 'no-such-dir') } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vrrpscope: standard input: cannot keep a copy of it in .*no-such-dir \(.*\); set TMPDIR to a directory with room\n$/);
  });
});

describe('a file that grows after the first pass', () => {
  it('later passes hand out only the frames the first pass analysed', () => {
    const path = join(dir, 'growing.pcap');
    copyFileSync(BUNDLED, path);
    // Resume points every 16 frames: the numbered replay below jumps (openCapturesAt) as well.
    const a = analyzeFiles([path], { resumeInterval: 16 });
    expect(a.frames).toBe(BUNDLED_FRAMES);
    // More frames appended after the analysis, as a capture still being written.
    appendFileSync(path, pcapBytes([{ sec: T, frac: 0, data: vrrpFrame() }, { sec: T + 1, frac: 0, data: vrrpFrame() }]).subarray(24));
    let replayed = 0;
    a.store.replay(() => true, () => { replayed++; });
    expect(replayed).toBe(BUNDLED_FRAMES);
    const seen: number[] = [];
    a.store.replay([1, BUNDLED_FRAMES, BUNDLED_FRAMES + 1, BUNDLED_FRAMES + 2], (f) => seen.push(f.n));
    expect(seen).toEqual([1, BUNDLED_FRAMES]);
    expect(writeAnnotatedPcapng(a, () => {}).frames).toBe(BUNDLED_FRAMES);
  });
});

function have(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function frameBytes(path: string): string[] {
  const { source } = openCaptures([path]);
  const out: string[] = [];
  try {
    for (let f = source.next(); f; f = source.next()) out.push(`${f.tsSec}.${f.tsNs} ${Buffer.from(f.data).toString('hex')}`);
  } finally {
    source.close();
  }
  return out;
}
