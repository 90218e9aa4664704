// Health checkers against keepalived.conf: checkers configured but never seen, or seen with other
// parameters (path, Host header, HELO name, digest); a delay_loop that is not the observed cadence;
// probes no configuration explains. Nothing is judged that the capture could not show (a capture of
// the client side alone says nothing about the checkers).

import { ofKind } from '../../analyse/events.js';
import type { HcProbe } from '../../analyse/checks/events.js';
import { checkerTiming, DEFAULT_HELO_NAME, effectiveDelayLoop, type Resolved, type Where } from '../../config/model.js';
import { CHECKER_NAME } from '../behaviours.js';
import { configuredChecks, hostPort, targetIp, type ConfiguredCheck, type Report } from './context.js';

/** Share of delay_loop the observed cadence may differ by (scheduling, the check's own duration). */
const CADENCE_TOLERANCE = 0.1;
/** How far a delay inferred from the attempts' spacing (rounded to 0.1 s) may be from the configured one, s. */
const RETRY_TIMING_SLACK_S = 0.3;

/** Probe series off their delay_loop, gathered by the configuration line that sets it. */
type OffCadence = Map<string, { who: string; at: Where; seconds: number; explicit: boolean; series: { check: ConfiguredCheck; probe: HcProbe }[] }>;

function checkerName(p: HcProbe): string {
  return CHECKER_NAME[p.checker] ?? p.checker;
}

/** A PING series keyed by its real server (ip:port): the configuration told the analysis whose it is. */
function pingOfServer(p: HcProbe): boolean {
  return p.checker === 'ping' && p.realServers?.length === 1 && p.realServers[0] === p.target;
}

function matches(probe: HcProbe, check: ConfiguredCheck, anyKind = false): boolean {
  if (!anyKind && probe.checker !== check.kind) return false;
  const target = probe.target;
  // PING_CHECK probes an address, and belongs to a real server: its series is that server's (ip:port) when the
  // configuration told the analysis, else the address's. MISC_CHECK runs a script whose traffic may go to any port.
  if (pingOfServer(probe)) {
    return check.kind === 'ping' ? target === hostPort(check.rs.ip, check.rs.port ?? check.vs.port) : targetIp(target) === check.ip;
  }
  if (check.kind === 'ping' || probe.checker === 'ping') return (probe.checker === 'ping' ? target : targetIp(target)) === check.ip;
  if (check.kind === 'misc' || probe.checker === 'misc') return targetIp(target) === check.ip;
  return target === check.target;
}

export function crossCheckCheckers(x: Report): void {
  const checks = configuredChecks(x.c.directors);
  const probes = ofKind(x.c.events, 'hc.probe');
  if (!checks.length && !probes.length) return;
  if (!probes.length) {
    if (checks.length) x.notes.push(x.t('check.note.no-checks', { count: checks.length }));
    return;
  }
  const { directors } = x.c;
  const offCadence: OffCadence = new Map();
  const unattributed = probes.filter((p) => !directors.director(p.director));
  for (const d of directors.directors) {
    const mine = checks.filter((c) => c.director === d);
    const attributed = probes.filter((p) => directors.director(p.director) === d);
    // Where the director's checking address is not known, any probe from an unknown address may be its.
    const candidates = attributed.length ? attributed : unattributed;
    if (mine.length && !candidates.length) {
      if (x.c.wire.hostCapture) {
        x.notes.push(x.t('check.note.host-capture', { director: directors.directorLabel(d), count: mine.length }));
        continue;
      }
      x.add('hc-director-silent', 'warning', directors.directorLabel(d), 'check.finding.hc.silent', {
        director: directors.directorLabel(d), count: mine.length, where: x.where(mine[0].checker.at),
      }, [mine[0].checker.at], []);
      continue;
    }
    for (const check of mine) compareCheck(x, check, candidates, offCadence);
    flushCadence(x, offCadence);
    // Probes of this director that none of its checkers explains.
    for (const p of attributed) {
      if (mine.some((c) => matches(p, c))) continue;
      const ip = p.checker === 'ping' && !pingOfServer(p) ? p.target : targetIp(p.target);
      const rs = d.config.virtualServers.flatMap((vs) => vs.realServers).find((r) => r.ip === ip);
      const at = rs?.at ?? { file: d.config.files[0] ?? d.config.path, line: 0 };
      x.add('hc-unconfigured', 'warning', directors.label(p.director), rs ? 'check.finding.hc.unconfigured' : 'check.finding.hc.unconfigured-rs', {
        director: directors.label(p.director), checker: checkerName(p), target: p.target,
        where: rs ? x.where(rs.at) : x.c.display(at.file),
      }, [at], p.frames.slice(0, 4), [p.id]);
    }
  }
}

function compareCheck(x: Report, check: ConfiguredCheck, candidates: HcProbe[], offCadence: OffCadence): void {
  const { directors } = x.c;
  const name = CHECKER_NAME[check.kind];
  const series = candidates.filter((p) => matches(p, check));
  // Named by the address its checks come from: "d1 (10.1.0.11)".
  const who = series.length ? directors.label(series[0].director) : directors.directorLabel(check.director);
  if (!series.length) {
    const other = candidates.filter((p) => matches(p, check, true));
    x.add('hc-not-seen', 'warning', who, other.length ? 'check.finding.hc.other-kind' : 'check.finding.hc.not-seen', {
      director: who, checker: name, target: check.target, where: x.where(check.checker.at),
      seen: [...new Set(other.map(checkerName))].join(', '),
    }, [check.checker.at], other.flatMap((p) => p.frames.slice(0, 2)), other.map((p) => p.id));
    return;
  }
  const details = series.map((p) => p.details ?? '').join('; ');
  const frames = series.flatMap((p) => p.frames.slice(0, 3));
  const ids = series.map((p) => p.id);
  if (check.kind === 'http') {
    const seenPaths = [...new Set([...details.matchAll(/\bGET (\S+?)(?:,|;|$| )/g)].map((m) => m[1]))];
    const confPaths = check.checker.urls.map((u) => u.path?.value).filter((p): p is string => !!p);
    if (seenPaths.length && confPaths.length && (seenPaths.some((p) => !confPaths.includes(p)) || confPaths.some((p) => !seenPaths.includes(p)))) {
      const at = check.checker.urls.find((u) => u.path)?.path?.at ?? check.checker.at;
      x.add('hc-params', 'warning', who, 'check.finding.hc.path', { director: who, target: check.target, wire: seenPaths.join(', '), conf: confPaths.join(', '), where: x.where(at) }, [at], frames, ids);
    }
    const seenHosts = [...new Set([...details.matchAll(/\bHost (\S+?)(?:;|$| )/g)].map((m) => m[1]))];
    // keepalived's precedence: url > checker > real_server > virtual_server (check_http.c http_request_thread).
    const vhost = check.checker.urls.find((u) => u.virtualhost)?.virtualhost ?? check.checker.virtualhost ?? check.rs.virtualhost ?? check.vs.virtualhost;
    // keepalived's Host header without virtualhost: the address and port it connects to (IPv6 in brackets).
    const expectedHost = vhost?.value ?? (check.ip.includes(':') ? `[${check.ip}]:${check.port}` : `${check.ip}:${check.port}`);
    if (seenHosts.length && seenHosts.some((h) => h !== expectedHost)) {
      const at = vhost?.at ?? check.checker.at;
      x.add('hc-params', 'warning', who, vhost ? 'check.finding.hc.host' : 'check.finding.hc.host-default', { director: who, target: check.target, wire: seenHosts.join(', '), conf: expectedHost, where: x.where(at) }, [at], frames, ids);
    }
    const digests = check.checker.urls.map((u) => u.digest).filter((d): d is NonNullable<typeof d> => !!d);
    const genhash = series.flatMap((p) => p.genhash ?? []);
    for (const dg of digests) {
      if (genhash.length && !genhash.includes(dg.value)) {
        x.add('hc-params', 'warning', who, 'check.finding.hc.digest', { director: who, target: check.target, wire: [...new Set(genhash)].join(', '), conf: dg.value, where: x.where(dg.at) }, [dg.at], frames, ids);
      }
    }
  }
  if (check.kind === 'smtp') {
    const seenHelo = [...new Set([...details.matchAll(/\bHELO (\S+)/g)].map((m) => m[1]))];
    const expected = check.checker.heloName?.value ?? DEFAULT_HELO_NAME;
    if (seenHelo.length && seenHelo.some((h) => h !== expected)) {
      const at = check.checker.heloName?.at ?? check.checker.at;
      x.add('hc-params', 'warning', who, check.checker.heloName ? 'check.finding.hc.helo' : 'check.finding.hc.helo-default', { director: who, target: check.target, wire: seenHelo.join(', '), conf: expected, where: x.where(at) }, [at], frames, ids);
    }
  }
  cadence(x, check, series, offCadence);
  retryTiming(x, check, series, who);
}

/**
 * The retry timing the failed attempts showed (hc.probe retry, delayBeforeRetryMs, connectTimeoutMs: inferred
 * from their spacing) against the configuration as keepalived resolves it (checker → real_server →
 * virtual_server → the checker type's default, config/model.ts checkerTiming). A series that showed one failed
 * attempt only (retry 0) is not judged: at start-up keepalived takes a server out on its first failure whatever
 * `retry` says (check_data.c: "For non alpha mode, one failure is enough initially"; recorded in
 * captures/ivs4/checks-defaults: TCP_CHECK retry 3, "failed." and "Removing service" on the first refusal).
 */
function retryTiming(x: Report, check: ConfiguredCheck, series: HcProbe[], who: string): void {
  const conf = checkerTiming(check.vs, check.rs, check.checker);
  const seconds = (ms: number) => x.c.i18n.fmt.seconds(ms);
  const shown = (name: string, r: Resolved, unit: boolean) => {
    const v = unit ? seconds(r.value * 1000) : String(r.value);
    return `${name} ${r.at ? v : x.t('check.default', { value: v })}`;
  };
  const near = (ms: number, r: Resolved) => Math.abs(ms / 1000 - r.value) <= Math.max(RETRY_TIMING_SLACK_S, 0.1 * r.value);
  for (const p of series) {
    const wire: string[] = [], configured: string[] = [], at: Where[] = [];
    const differ = (name: string, seen: string, r: Resolved, unit: boolean) => {
      wire.push(`${name} ${seen}`); configured.push(shown(name, r, unit));
      const w = r.at ?? check.checker.at;
      if (!at.some((o) => o.file === w.file && o.line === w.line)) at.push(w);
    };
    if (typeof p.retry === 'number' && p.retry > 0 && p.retry !== conf.retry.value) differ('retry', String(p.retry), conf.retry, false);
    if (typeof p.delayBeforeRetryMs === 'number' && !near(p.delayBeforeRetryMs, conf.delayBeforeRetry)) differ('delay_before_retry', seconds(p.delayBeforeRetryMs), conf.delayBeforeRetry, true);
    if (typeof p.connectTimeoutMs === 'number' && !near(p.connectTimeoutMs, conf.connectTimeout)) differ('connect_timeout', seconds(p.connectTimeoutMs), conf.connectTimeout, true);
    if (!wire.length) continue;
    x.add('hc-retry', 'warning', who, 'check.finding.hc.retry', {
      director: who, checker: CHECKER_NAME[check.kind], target: check.target, wire: wire.join(', '), conf: configured.join(', '),
      where: at.map((w) => x.where(w)).join(', '),
    }, at, p.frames.slice(0, 4), [p.id]);
  }
}

/**
 * The observed cadence (hc.probe intervalMs, the median gap between probes) against delay_loop: within
 * 10 %, or, for a series that saw failures, keepalived's retry pattern (delay_before_retry between a
 * failed probe and its retry; connect_timeout added when probes time out).
 */
function cadence(x: Report, check: ConfiguredCheck, series: HcProbe[], offCadence: OffCadence): void {
  const { seconds, at } = effectiveDelayLoop(check.vs, check.rs, check.checker);
  const d = seconds * 1000;
  const timing = checkerTiming(check.vs, check.rs, check.checker);
  const retry = timing.delayBeforeRetry.value * 1000;
  const timeout = timing.connectTimeout.value * 1000;
  const near = (a: number, b: number) => Math.abs(a - b) <= CADENCE_TOLERANCE * b;
  const off = series.filter((p) => {
    const obs = typeof p.intervalMs === 'number' ? p.intervalMs : null;
    if (obs === null || near(obs, d)) return false;
    const failures = (p.down ?? 0) > 0;
    return !(failures && (near(obs, retry) || (obs >= d * (1 - CADENCE_TOLERANCE) && obs <= (d + timeout + retry) * (1 + CADENCE_TOLERANCE))));
  });
  if (!off.length) return;
  const key = `${check.director.name}|${at.file}|${at.line}`;
  let group = offCadence.get(key);
  if (!group) {
    group = { who: x.c.directors.label(off[0].director), at, seconds, explicit: !!(check.vs.delayLoop || check.rs.delayLoop || check.checker.delayLoop), series: [] };
    offCadence.set(key, group);
  }
  for (const probe of off) group.series.push({ check, probe });
}

/** One finding per delay_loop line, naming every series it does not fit. */
function flushCadence(x: Report, offCadence: OffCadence): void {
  for (const g of offCadence.values()) {
    const probes = g.series.map((s) => s.probe);
    x.add('hc-delay-loop', 'warning', g.who, g.explicit ? 'check.finding.hc.delay-loop' : 'check.finding.hc.delay-loop-default', {
      director: g.who,
      targets: g.series.map((s) => `${s.check.target} (${CHECKER_NAME[s.check.kind]})`).join(', '),
      wire: [...new Set(probes.map((p) => x.c.i18n.fmt.seconds(p.intervalMs ?? NaN)))].join(', '),
      conf: String(g.seconds), where: x.where(g.at),
    }, [g.at], probes.flatMap((p) => p.frames.slice(0, 3)), probes.map((p) => p.id));
  }
  offCadence.clear();
}
