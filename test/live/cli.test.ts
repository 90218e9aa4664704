// `vrrpscope live` as a user meets it, without privilege: a fake tcpdump (fake-tcpdump.mjs) replays the
// bundled failover capture through the real tcpdump backend, so printing, stopping (Ctrl-C, a second
// Ctrl-C, --duration, a closed standard output, a capture program that dies), saving and the report
// are all exercised; then the one-line errors, the fallback from cap to tcpdump when cap is missing or
// not built, and (as root, dropping to nobody) a real permission error from both backends.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Chalk } from 'chalk';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { I18n } from '../../src/present/i18n/index.js';
import { CaptureStream, findTcpdump, probeCap } from '../../src/io/live.js';
import { LiveOrder, LiveSession, eventLine } from '../../src/cli/live.js';
import { Say } from '../../src/present/say/index.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { reportJson } from '../support/ours.js';
import { REASONS, skipNow, skipUnless } from '../support/skip.js';
import { CLI, ROOT, fakeTcpdump, frameRows, killAll, startCli, waitForSavedFrames } from './support.js';

const FAILOVER = join(ROOT, 'captures/vrrp-failover.pcap');
const FAKE = fakeTcpdump();
const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-live-cli-'));
chmodSync(dir, 0o777);
const IS_ROOT = process.getuid?.() === 0;

const temporary = [dir, dirname(FAKE)];
afterEach(killAll);
afterAll(() => {
  killAll();
  for (const d of temporary) rmSync(d, { recursive: true, force: true });
});

/** The lines `live` prints for a capture: the same session, fed in-process, formatted without colour. */
function expectedLines(path: string): string[] {
  const i18n = new I18n('en');
  const lines: string[] = [];
  const events: AnalysisEvent[] = [];
  const say = new Say(i18n, events);
  const order = new LiveOrder();
  const session: LiveSession = new LiveSession({ analyzers: defaultAnalyzers(), i18n, onEvent: (e) => { events.push(e); lines.push(eventLine(e, new Chalk({ level: 0 }), say, order.foundAt(e, session.now)) + '\n'); } });
  const stream = new CaptureStream(session.frame);
  stream.push(readFileSync(path));
  stream.end();
  session.finish();
  return lines;
}

const fake = (extra: NodeJS.ProcessEnv = {}) => ({ VRRPSCOPE_TCPDUMP: FAKE, FAKE_PCAP: FAILOVER, ...extra });
const oneLine = (s: string) => s.trim().split('\n').length === 1 && !/\n\s+at /.test(s);

// Each test runs the command (and the fake tcpdump) once or a few times: a budget for a loaded 2-core machine.
describe('live through the tcpdump backend (replayed capture)', { timeout: 30_000 }, () => {
  it('prints every event as the file pipeline finds it; on SIGINT saves every frame and writes the same report', async () => {
    const cap = join(dir, 'replay.pcapng'), out = join(dir, 'replay.json');
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--write', cap, '--format', 'json', '-o', out], fake());
    await run.waitFor('stderr', /fake replay done/);
    await waitForSavedFrames(run, cap, frameRows(FAILOVER).length);
    run.signal('SIGINT');
    const { code } = await run.end();
    expect(code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/capturing on lo with tcpdump \(tcpdump 4\.99\.3-fake, libpcap 1\.10\.3\)/);
    expect(run.stderr).toMatch(/stopping \(SIGINT\); Ctrl-C again quits at once/);
    expect(run.stderr).toMatch(new RegExp(`${frameRows(FAILOVER).length} frames captured on lo → ${cap}`));
    expect(run.stderr).not.toMatch(/reports \d+ frames captured but/);
    expect(run.stdout).not.toMatch(/\x1b\[/);
    // Printed as recognised, in the order the file pipeline emits them.
    expect(run.stdout).toBe(expectedLines(FAILOVER).join(''));
    // Saved: the replayed frames, unchanged (times to the microsecond of the pcap, bytes).
    const original = frameRows(FAILOVER), saved = frameRows(cap);
    expect(saved.map((r) => ({ ...r, ns: Math.floor(r.ns / 1000) }))).toEqual(original.map((r) => ({ ...r, ns: r.ns / 1000 })));
    // The report is that of the saved file, frame numbers included.
    const live = JSON.parse(readFileSync(out, 'utf8'));
    const file = reportJson([FAILOVER]);
    expect(live.captures[0].frames).toBe(original.length);
    expect(live.events).toEqual(file.events.map((e) => ({ ...e, time: expect.closeTo(e.time, 6) })));
    expect(live.frames.map((f: { n: number; summary: string }) => [f.n, f.summary])).toEqual(file.frames.map((f) => [f.n, f.summary]));
  });

  it('report --iface IF is live mode; --duration stops it by itself', async () => {
    const cap = join(dir, 'alias.pcapng'), out = join(dir, 'alias.json');
    const run = startCli(['report', '--iface', 'lo', '--backend', 'tcpdump', '--duration', '1.5', '--write', cap, '--format', 'json', '-o', out], fake());
    const { code, signal } = await run.end();
    expect([code, signal], run.stderr).toEqual([0, null]);
    // Stopped by itself (the fake tcpdump waits for a signal after its replay), at the time it announced.
    expect(run.stderr).toMatch(/when stopped \(Ctrl-C or after 1\.5 s\)/);
    expect(run.stderr).not.toMatch(/stopping \(/);
    expect(JSON.parse(readFileSync(out, 'utf8')).captures[0].frames).toBe(frameRows(cap).length);
    expect(frameRows(cap).length).toBe(frameRows(FAILOVER).length);
  });

  it('without --write the capture goes to a new temporary directory and the report beside it', async () => {
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--duration', '1', '--format', 'json'], fake());
    expect((await run.end()).code, run.stderr).toBe(0);
    const m = /saving to (\S+\.pcapng); report \(json\) to (\S+\.json)/.exec(run.stderr);
    expect(m, run.stderr).not.toBe(null);
    expect(m![1]).toMatch(new RegExp(`^${tmpdir()}/vrrpscope-live-[^/]+/lo-\\d{8}-\\d{6}\\.pcapng$`));
    expect(JSON.parse(readFileSync(m![2], 'utf8')).captures[0].frames).toBe(frameRows(m![1]).length);
    temporary.push(dirname(m![1]));
  });

  it('a second Ctrl-C quits at once, keeping the frames already received in a valid file', async () => {
    const cap = join(dir, 'twice.pcapng'), out = join(dir, 'twice.json');
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--write', cap, '--format', 'json', '-o', out], fake({ FAKE_IGNORE_INT: '1' }));
    await run.waitFor('stderr', /fake replay done/);
    await waitForSavedFrames(run, cap, frameRows(FAILOVER).length);
    run.signal('SIGINT');
    await run.waitFor('stderr', /stopping/);
    run.signal('SIGINT');
    const { code } = await run.end(5000);
    expect(code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(new RegExp(`quit \\(SIGINT again\\): ${frameRows(FAILOVER).length} frames saved to ${cap}; no report written`));
    expect(frameRows(cap).length).toBe(frameRows(FAILOVER).length);
    expect(existsSync(out)).toBe(false);
  });

  it('a closed standard output stops the capture cleanly (vrrpscope live … | head -1)', async () => {
    const cap = join(dir, 'head.pcapng'), out = join(dir, 'head.json');
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--write', cap, '--format', 'json', '-o', out], fake({ FAKE_DELAY_MS: '30', FAKE_CHUNK: '100' }));
    await run.waitFor('stdout', /\n/);
    run.child.stdout!.destroy();
    const { code } = await run.end();
    expect(code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/standard output closed \(EPIPE\): stopping/);
    const frames = frameRows(cap).length;
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(frameRows(FAILOVER).length);
    expect(JSON.parse(readFileSync(out, 'utf8')).captures[0].frames).toBe(frames);
  });

  it('a capture program that dies: what it sent is saved and reported, exit status 1', async () => {
    const cap = join(dir, 'died.pcapng'), out = join(dir, 'died.json');
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--write', cap, '--format', 'json', '-o', out], fake({ FAKE_DIE: '1' }));
    const { code } = await run.end();
    expect(code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/tcpdump stopped: pcap_loop: The interface disappeared/);
    expect(frameRows(cap).length).toBe(frameRows(FAILOVER).length);
    expect(JSON.parse(readFileSync(out, 'utf8')).captures[0].frames).toBe(frameRows(FAILOVER).length);
  });
});

describe('live: where things go', { timeout: 30_000 }, () => {
  // On a terminal (script(1) gives a pseudo-terminal) the events are coloured, unless NO_COLOR or --no-color.
  const hasScript = existsSync('/usr/bin/script');
  for (const [name, env, flags, coloured] of [
    ['a terminal', {}, [], true], ['NO_COLOR=1', { NO_COLOR: '1' }, [], false], ['--no-color', {}, ['--no-color'], false],
  ] as const) {
    it.skipIf(skipUnless(hasScript, REASONS.script))(`events on ${name}: ${coloured ? 'coloured' : 'plain'}`, async () => {
      const cmd = [process.execPath, CLI, 'live', '--iface', 'lo', '--backend', 'tcpdump', '--duration', '1', '--format', 'json', '--write', join(dir, `pty-${flags.length}-${name.length}.pcapng`), ...flags];
      const run = startCli([], { ...fake(), NO_COLOR: undefined, ...env }, ['/usr/bin/script', '-qec', cmd.map((a) => `'${a}'`).join(' '), '/dev/null']);
      expect((await run.end()).code, run.stdout).toBe(0);
      const events = run.stdout.split('\n').filter((l) => /vrrp\.master/.test(l));
      expect(events.length).toBe(4);
      for (const l of events) expect(/\x1b\[/.test(l), l).toBe(coloured);
    });
  }

  it('-o -: the report takes standard output, the events go to stderr', async () => {
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--duration', '1', '--write', join(dir, 'stdout.pcapng'), '--format', 'json', '-o', '-'], fake());
    expect((await run.end()).code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.captures[0].frames).toBe(frameRows(FAILOVER).length);
    expect(run.stderr.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{3}  vrrp\.master /.test(l)).length).toBe(4);
  });
});

describe('live: one-line errors', { timeout: 30_000 }, () => {
  it('an interface that does not exist: exit 2 and the interfaces that do', async () => {
    const run = startCli(['live', '--iface', 'nosuch9', '--format', 'json']);
    expect((await run.end()).code).toBe(2);
    expect(run.stderr).toMatch(/^vrrpscope: no interface "nosuch9" in this network namespace; interfaces here: .*\blo\b/);
    expect(oneLine(run.stderr)).toBe(true);
  });

  it('what tcpdump says, as one line each; no capture file left behind', async () => {
    for (const [fail, message] of [
      ['permission', /^vrrpscope: no permission to capture on lo: run as root, or give tcpdump the CAP_NET_RAW and CAP_NET_ADMIN capabilities$/],
      ['nodevice', /^vrrpscope: no interface "lo"/],
      ['filter', /^vrrpscope: the capture filter does not compile: can't parse filter expression: syntax error$/],
    ] as const) {
      const cap = join(dir, `fail-${fail}.pcapng`);
      const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--filter', 'vrrp', '--write', cap], fake({ FAKE_FAIL: fail }));
      expect((await run.end()).code, fail).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines.pop(), fail).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(cap)).toBe(false);
    }
  });

  it('usage errors: exit 2, one line', async () => {
    for (const args of [['live'], ['live', '--iface', 'lo', '--backend', 'nope'], ['live', '--iface', 'lo', 'a.pcap'], ['live', '--iface', 'lo', '--format', 'xml']]) {
      const run = startCli(args);
      expect((await run.end()).code, args.join(' ')).toBe(2);
      expect(oneLine(run.stderr), run.stderr).toBe(true);
    }
  });

  it.skipIf(skipUnless(existsSync('/dev/full'), 'no /dev/full here: a capture file that cannot be written is not tested'))('a capture file that cannot be written (disk full): exit 1, saying so', async () => {
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--write', '/dev/full', '--format', 'json', '-o', join(dir, 'full.json')], fake());
    expect((await run.end()).code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/the capture could not be saved completely: ENOSPC writing \/dev\/full$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('tcpdump asked for but not installed: says what to install', async (ctx) => {
    if (findTcpdump({ PATH: '/nonexistent' })) skipNow(ctx, 'tcpdump is in an sbin directory, found without PATH: "tcpdump not installed" is not tested');
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump'], { PATH: '/nonexistent' });
    expect((await run.end()).code).toBe(2);
    expect(run.stderr.trim()).toBe('vrrpscope: tcpdump is not installed (apt-get install tcpdump), or use --backend cap');
  });

  // The real thing: libpcap refusing an unprivileged user (as root: dropped to nobody with setpriv).
  const unprivileged: string[] | null = IS_ROOT
    ? (existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, CLI] : null)
    : (/^CapEff:\s*0+$/m.test(readFileSync('/proc/self/status', 'utf8')) ? [process.execPath, CLI] : null);
  for (const backend of ['tcpdump', 'cap'] as const) {
    it(`no permission (${backend}): exit 2 and how to get it`, async (ctx) => {
      if (!unprivileged) skipNow(ctx, 'no unprivileged user to test with (as root: setpriv missing; else: this process has capabilities)');
      if (backend === 'tcpdump' && !findTcpdump()) skipNow(ctx, 'tcpdump is not installed (apt-get install tcpdump): its live tests do not run');
      const cap = probeCap();
      if (backend === 'cap' && !cap.available) skipNow(ctx, `the cap module is not available (${cap.why}): its live tests do not run`);
      const run = startCli(['live', '--iface', 'lo', '--backend', backend, '--write', join(dir, `perm-${backend}.pcapng`)], {}, unprivileged!);
      expect((await run.end()).code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^vrrpscope: no permission to capture on lo: run as root, or give ${backend === 'cap' ? 'node' : 'tcpdump'} the CAP_NET_RAW and CAP_NET_ADMIN capabilities$`, 'm'));
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('live: backend fallback', { timeout: 30_000 }, () => {
  /** A copy of the package whose node_modules lacks cap (or holds it unbuilt). */
  function packageWithout(capState: 'missing' | 'unbuilt'): string {
    const pkg = mkdtempSync(join(tmpdir(), `vrrpscope-nocap-${capState}-`));
    temporary.push(pkg);
    writeFileSync(join(pkg, 'package.json'), readFileSync(join(ROOT, 'package.json')));
    cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'templates'), join(pkg, 'templates'));
    mkdirSync(join(pkg, 'node_modules'));
    for (const name of readdirSync(join(ROOT, 'node_modules'))) {
      if (name === 'cap' || name.startsWith('.')) continue;
      symlinkSync(join(ROOT, 'node_modules', name), join(pkg, 'node_modules', name));
    }
    if (capState === 'unbuilt') {
      const src = join(ROOT, 'node_modules/cap');
      if (!existsSync(src)) {
        // cap is not installed here at all: make an unbuilt one from its entry point alone
        mkdirSync(join(pkg, 'node_modules/cap/lib'), { recursive: true });
        writeFileSync(join(pkg, 'node_modules/cap/package.json'), JSON.stringify({ name: 'cap', version: '0.2.1', main: './lib/Cap' }));
        writeFileSync(join(pkg, 'node_modules/cap/lib/Cap.js'), "module.exports = require('../build/Release/cap.node');\n");
      } else {
        cpSync(src, join(pkg, 'node_modules/cap'), { recursive: true, filter: (p) => !p.includes('/build') });
      }
    }
    return pkg;
  }

  for (const [state, why] of [['missing', 'the cap module is not installed'], ['unbuilt', 'the cap module is installed but not built']] as const) {
    it(`cap ${state}: auto mode captures with tcpdump and says why`, async () => {
      const pkg = packageWithout(state);
      const cap = join(dir, `fallback-${state}.pcapng`);
      const run = startCli(['live', '--iface', 'lo', '--duration', '1', '--write', cap, '--format', 'json'], fake(), [process.execPath, join(pkg, 'dist/cli.js')]);
      expect((await run.end()).code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`capturing on lo with tcpdump \\(tcpdump 4\\.99\\.3-fake, libpcap 1\\.10\\.3; not cap: ${why}`));
      expect(frameRows(cap).length).toBe(frameRows(FAILOVER).length);
      // Forcing cap there says what to do.
      const forced = startCli(['live', '--iface', 'lo', '--backend', 'cap'], fake(), [process.execPath, join(pkg, 'dist/cli.js')]);
      expect((await forced.end()).code).toBe(2);
      expect(forced.stderr.trim()).toMatch(new RegExp(`^vrrpscope: the cap backend is not available: ${why}.*; install libpcap-dev \\(apt-get install libpcap-dev\\) and run npm rebuild cap, or use --backend tcpdump$`));
      // And with neither: what to install.
      const none = startCli(['live', '--iface', 'lo'], { PATH: '/nonexistent' }, [process.execPath, join(pkg, 'dist/cli.js')]);
      if (!findTcpdump({ PATH: '/nonexistent' })) {
        expect((await none.end()).code).toBe(2);
        expect(none.stderr.trim()).toMatch(/^vrrpscope: no capture backend: the cap module .* and tcpdump is not installed; install tcpdump \(apt-get install tcpdump\), or libpcap-dev \(apt-get install libpcap-dev\) and then run npm rebuild cap$/);
      } else none.signal('SIGKILL');
    });
  }
});
