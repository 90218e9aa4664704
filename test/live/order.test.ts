// Live mode prints each event when it is recognised; some are recognised late (a silence 3 advert
// intervals after the last advert, a split brain once confirmed, a GARP burst when it ends). Such an
// event keeps its own time and, printed after a later event, says when it was found: never read as if
// it came after the lines above it. Replayed captures in-process, then the command (fake tcpdump) in French.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Chalk } from 'chalk';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { I18n, type Lang } from '../../src/present/i18n/index.js';
import { CaptureStream } from '../../src/io/live.js';
import { LiveOrder, LiveSession, clockTime, eventLine } from '../../src/cli/live.js';
import { Say } from '../../src/present/say/index.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { ROOT, fakeTcpdump, killAll, startCli } from './support.js';

interface Printed { event: AnalysisEvent; foundAt: number; line: string }

/** What live prints for a capture, with each event's time and the time the session had reached. */
function replay(path: string, lang: Lang): Printed[] {
  const i18n = new I18n(lang);
  const events: AnalysisEvent[] = [];
  const say = new Say(i18n, events);
  const order = new LiveOrder();
  const printed: Printed[] = [];
  const session: LiveSession = new LiveSession({
    analyzers: defaultAnalyzers(), i18n,
    onEvent: (e) => {
      events.push(e);
      printed.push({ event: e, foundAt: session.now, line: eventLine(e, new Chalk({ level: 0 }), say, order.foundAt(e, session.now)) });
    },
  });
  const stream = new CaptureStream(session.frame);
  stream.push(readFileSync(path));
  stream.end();
  session.finish();
  return printed;
}

const MARK = { en: /\(found at (\d\d:\d\d:\d\d\.\d{3})\)$/, fr: /\(détecté à (\d\d:\d\d:\d\d\.\d{3})\)$/ };

describe('live prints events in time order, or says that one was found late', () => {
  for (const [name, lang] of [['vrrp-split-brain', 'en'], ['vrrp-lossy', 'fr'], ['vrrp-failover', 'en']] as const) {
    it(`${name} (${lang})`, () => {
      const printed = replay(join(ROOT, 'captures', `${name}.pcap`), lang);
      let latest = -Infinity, marked = 0;
      for (const { event, foundAt, line } of printed) {
        // Its own time first.
        expect(line.startsWith(clockTime(event.time))).toBe(true);
        const mark = MARK[lang].exec(line);
        if (event.time < latest - 0.0005) {
          // After a later event: marked, with the time the session had reached (not before the lines above).
          expect(mark, line).not.toBe(null);
          expect(mark![1]).toBe(clockTime(foundAt));
          expect(foundAt).toBeGreaterThanOrEqual(latest);
          marked++;
        } else expect(line, 'in order: not marked').not.toMatch(MARK[lang]);
        latest = Math.max(latest, event.time);
      }
      // These captures have events recognised after later ones (a silence, a split brain, an outage).
      expect(marked).toBeGreaterThan(0);
    });
  }
});

describe('the live command in French', { timeout: 30_000 }, () => {
  const FAKE = fakeTcpdump();
  const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-live-order-'));
  afterEach(killAll);
  afterAll(() => { killAll(); rmSync(dir, { recursive: true, force: true }); rmSync(dirname(FAKE), { recursive: true, force: true }); });

  it('status lines follow --lang fr; late events are marked on standard output', async () => {
    const cap = join(dir, 'fr.pcapng'), out = join(dir, 'fr.json');
    const run = startCli(['live', '--iface', 'lo', '--backend', 'tcpdump', '--duration', '1.5', '--lang', 'fr', '--write', cap, '--format', 'json', '-o', out],
      { VRRPSCOPE_TCPDUMP: FAKE, FAKE_PCAP: join(ROOT, 'captures/vrrp-failover.pcap') });
    const { code } = await run.end();
    expect(code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/capture sur lo avec tcpdump \(tcpdump 4\.99\.3-fake/);
    expect(run.stderr).toMatch(/rapport \(json\) dans .*fr\.json à l’arrêt \(par Ctrl-C ou au bout de 1,5\u00a0s\)/);
    expect(run.stderr).toMatch(/\d+ trames capturées sur lo → /);
    expect(run.stderr).not.toMatch(/capturing on|frames captured|saving to/);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual(replay(join(ROOT, 'captures/vrrp-failover.pcap'), 'fr').map((p) => p.line));
    expect(lines.some((l) => MARK.fr.test(l))).toBe(true);
  });
});
