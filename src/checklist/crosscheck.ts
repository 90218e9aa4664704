// keepalived.conf against the wire. What a configuration says each director does, compared with what
// the capture shows it did: VRIDs and priorities nobody configured, advert interval, authentication,
// version, addresses and unicast peers that differ (from the advert ledger, frame by frame), two
// configurations that disagree (the usual cause of a dual master), nopreempt not honoured; checkers
// configured but never seen or seen with other parameters (path, Host header, HELO name, digest), a
// delay_loop that is not the observed cadence, probes no configuration explains; a quorum lost without
// the sorry server; the forwarding method, real servers, sorry server and sync daemon. Each finding
// names the file and line and the frames. Nothing is judged that the capture could not show (a
// capture of the client side alone says nothing about the checkers).

import { ofKind, type AnalysisEvent } from '../analyse/events.js';
import type { HcProbe } from '../analyse/checks/events.js';
import {
  CHECKER_KIND, DEFAULT_ADVERT_INT_S, DEFAULT_GARP_MASTER_DELAY_S, DEFAULT_GARP_MASTER_REPEAT, DEFAULT_HELO_NAME, DEFAULT_PRIORITY, DEFAULT_VRRP_VERSION, VRRP_AUTH_LEN, effectiveDelayLoop,
  instanceVersion, type ConfChecker, type ConfRealServer, type ConfVirtualServer, type KeepalivedConfig, type Where,
} from '../config/model.js';
import type { I18n, MessageKey } from '../present/i18n/index.js';
import { CHECKER_NAME, type CheckerKind } from './behaviours.js';
import type { Director, DirectorMap, Slot } from './directors.js';
import type { Finding, FindingPlace } from './types.js';
import { type AdvertField, type AdvertValue, type RouterOnWire, type WireLedger } from './wire.js';

export interface CrossCheckContext {
  events: readonly AnalysisEvent[];
  wire: WireLedger;
  configs: KeepalivedConfig[];
  directors: DirectorMap;
  i18n: I18n;
  display: (file: string) => string;
}

const MAX_FINDING_FRAMES = 12;
/** Share of delay_loop the observed cadence may differ by (scheduling, the check's own duration). */
const CADENCE_TOLERANCE = 0.1;
// keepalived's checker defaults (check_parser.c): connect_timeout 5 s, delay_before_retry 1 s.
const DEFAULT_CONNECT_TIMEOUT_S = 5;
const DEFAULT_DELAY_BEFORE_RETRY_S = 1;

interface ConfiguredCheck {
  director: Director;
  vs: ConfVirtualServer;
  rs: ConfRealServer;
  checker: ConfChecker;
  kind: CheckerKind;
  /** Where the probes go (connect_ip / connect_port when set). */
  ip: string;
  port: number | null;
  /** ip:port as hc.probe names it; ping: the address alone. */
  target: string;
}

function str(e: AnalysisEvent, k: string): string {
  const v = (e as unknown as Record<string, unknown>)[k];
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

/** ip:port as the events write it (no brackets, IPv6 too). */
function hostPort(ip: string, port: number | null): string {
  return port === null ? ip : `${ip}:${port}`;
}

/** The address of an ip:port target. */
function targetIp(target: string): string {
  const i = target.lastIndexOf(':');
  return i < 0 ? target : target.slice(0, i);
}

export class CrossCheck {
  readonly findings: Finding[] = [];
  readonly notes: string[] = [];
  private readonly c: CrossCheckContext;
  /** Probe series off their delay_loop, gathered by the configuration line that sets it. */
  private readonly offCadence = new Map<string, { who: string; at: Where; seconds: number; explicit: boolean; series: { check: ConfiguredCheck; probe: HcProbe }[] }>();

  constructor(c: CrossCheckContext) {
    this.c = c;
  }

  run(): void {
    this.vrrp();
    this.checks();
    this.lvs();
    this.sync();
  }

  // --- helpers ---

  private t(key: string, params: Record<string, string | number> = {}): string {
    return this.c.i18n.t(key as MessageKey, params);
  }

  private where(w: Where): string {
    return `${this.c.display(w.file)}:${w.line}`;
  }

  /** Line 0 stands for the file as a whole (something it lacks): null in the report. */
  private place(w: Where): FindingPlace {
    return { file: this.c.display(w.file), line: w.line || null };
  }

  private frames(list: number[]): string {
    const shown = list.slice(0, MAX_FINDING_FRAMES);
    const text = shown.join(', ') + (list.length > shown.length ? ', …' : '');
    // French puts 0 and 1 in the singular, English only 1.
    const one = this.c.i18n.lang === 'fr' ? shown.length <= 1 : shown.length === 1;
    return this.t(one ? 'check.frames.one' : 'check.frames.other', { list: text });
  }

  private add(kind: string, severity: Finding['severity'], director: string | null, key: string, params: Record<string, string | number>, where: Where[], frames: number[], events: string[] = []): void {
    const uniq = [...new Set(frames)].sort((a, b) => a - b);
    this.findings.push({
      kind, severity, director,
      message: this.t(key, { ...params, frames: this.frames(uniq) }),
      where: where.map((w) => this.place(w)), frames: uniq.slice(0, MAX_FINDING_FRAMES), events,
    });
  }

  private fileWide(): Where[] {
    return this.c.configs.map((c) => ({ file: c.files[0] ?? c.path, line: 0 }));
  }

  // --- VRRP ---

  private vrrp(): void {
    const { wire, directors } = this.c;
    if (!directors.slots.length) return;
    const unconfiguredVrids = new Map<string, RouterOnWire[]>();
    for (const r of wire.routers.values()) {
      const slotsOfVrid = directors.slots.filter((s) => s.vrid === r.vrid && s.family === r.family);
      if (!slotsOfVrid.length) {
        const k = `${r.vrid}|${r.family}`;
        unconfiguredVrids.set(k, [...(unconfiguredVrids.get(k) ?? []), r]);
        continue;
      }
      const slot = directors.slotOf(r);
      if (!slot) {
        const priorities = r.values.priority.map((v) => v.value).filter((v) => v !== '0');
        this.add('vrrp-router-unconfigured', 'warning', null, 'check.finding.vrrp.router', {
          router: r.ip, vrid: r.vrid, priority: priorities.join(', ') || '0',
          configured: slotsOfVrid.map((s) => `${this.nameOf(s)} ${s.priority} (${this.where(s.instance.priority?.at ?? s.instance.at)})`).join(', '),
        }, slotsOfVrid.map((s) => s.instance.at), r.values.priority.flatMap((v) => v.frames));
        continue;
      }
      this.compareRouter(r, slot);
    }
    for (const [k, routers] of unconfiguredVrids) {
      const vrid = Number(k.split('|')[0]);
      this.add('vrrp-vrid-unconfigured', 'warning', null, 'check.finding.vrrp.vrid', {
        vrid, routers: routers.map((r) => r.ip).join(', '), files: this.c.configs.map((c) => this.c.display(c.files[0] ?? c.path)).join(', '),
      }, this.fileWide(), routers.flatMap((r) => r.values.priority[0]?.frames.slice(0, 2) ?? []));
    }
    this.disagreements();
    this.nopreempt();
    this.garp();
  }

  /**
   * keepalived's GARP pattern after each takeover of a configured director: vrrp_garp_master_repeat
   * GARPs per address at once, then as many vrrp_garp_master_delay later. Only the first two bursts of
   * an address are judged (later ones may answer lower-priority adverts, garp_lower_prio_*); a first
   * burst that is a multiple of the setting is one burst seen on several merged links.
   */
  private garp(): void {
    const { events, directors } = this.c;
    const masters = events.filter((e) => e.kind === 'vrrp.master');
    const bursts = ofKind(events, 'arp.garp').filter((e) => typeof e.related === 'string');
    const troubled = new Set(events.filter((e) => e.kind === 'vrrp.split-brain' || e.kind === 'vrrp.mismatch').map((e) => e.vrid));
    const groups = new Map<string, { who: string; at: Where; field: 'repeat' | 'delay'; conf: string; wire: Set<string>; frames: number[]; ids: string[] }>();
    const note = (slot: Slot, who: string, field: 'repeat' | 'delay', wire: string, e: AnalysisEvent) => {
      const own = field === 'repeat' ? slot.instance.garp.masterRepeat ?? slot.config.garp.masterRepeat : slot.instance.garp.masterDelay ?? slot.config.garp.masterDelay;
      const at = own?.at ?? slot.instance.at;
      const conf = own ? String(own.value) : this.t('check.default', { value: String(field === 'repeat' ? DEFAULT_GARP_MASTER_REPEAT : DEFAULT_GARP_MASTER_DELAY_S) });
      const key = `${field}|${at.file}|${at.line}`;
      let g = groups.get(key);
      if (!g) groups.set(key, g = { who, at, field, conf, wire: new Set(), frames: [], ids: [] });
      g.wire.add(wire);
      g.frames.push(...e.frames.slice(0, 5));
      g.ids.push(e.id);
    };
    for (const m of masters) {
      const router = [...this.c.wire.routers.values()].find((r) => r.ip === m.router && r.vrid === m.vrid);
      const slot = router ? directors.slotOf(router) : null;
      if (!slot || slot.config.garp.minGarp || slot.instance.garp.interval || slot.config.garp.interval) continue;
      const repeat = (slot.instance.garp.masterRepeat ?? slot.config.garp.masterRepeat)?.value ?? DEFAULT_GARP_MASTER_REPEAT;
      const delay = (slot.instance.garp.masterDelay ?? slot.config.garp.masterDelay)?.value ?? DEFAULT_GARP_MASTER_DELAY_S;
      const next = masters.find((x) => x.vrid === m.vrid && x.time > m.time);
      const who = directors.label(String(m.router));
      const byIp = new Map<string, typeof bursts>();
      for (const b of bursts) if (b.related === m.id) byIp.set(String(b.ip), [...(byIp.get(String(b.ip)) ?? []), b]);
      for (const list of byIp.values()) {
        const [first, second] = list.sort((a, b) => a.time - b.time);
        const count = Number(first.count);
        if (repeat > 0 && (count < repeat || count % repeat !== 0)) note(slot, who, 'repeat', String(count), first);
        if (!second || troubled.has(m.vrid) || (next && next.time < second.time)) continue;
        const gap = second.time - first.time;
        if (delay > 0 && Math.abs(gap - delay) > 0.5) note(slot, who, 'delay', this.c.i18n.fmt.seconds(gap * 1000), second);
      }
    }
    for (const g of groups.values()) {
      this.add('vrrp-garp', 'warning', g.who, g.field === 'repeat' ? 'check.finding.vrrp.garp-repeat' : 'check.finding.vrrp.garp-delay', {
        director: g.who, wire: [...g.wire].join(', '), conf: g.conf, where: this.where(g.at),
      }, [g.at], g.frames, g.ids);
    }
  }

  private nameOf(s: Slot): string {
    return this.c.directors.directors.find((d) => d.config === s.config)?.name ?? s.config.path;
  }

  private expectedValues(slot: Slot): Record<AdvertField, { value: string; shown: string; at: Where } | null> {
    const i = slot.instance;
    const version = instanceVersion(slot.config, i);
    const v = version?.value ?? DEFAULT_VRRP_VERSION;
    const dflt = (x: string) => this.t('check.default', { value: x });
    const adv = i.advertInt?.value ?? DEFAULT_ADVERT_INT_S;
    // keepalived rounds a v2 interval to whole seconds and a v3 one to centiseconds.
    const intervalMs = v === 2 ? Math.max(1, Math.round(adv)) * 1000 : Math.max(1, Math.round(adv * 100)) * 10;
    let auth: string | null = null;
    let authShown = '';
    if (v === 2) {
      const type = i.auth?.type?.value ?? null;
      const pass = i.auth?.pass?.value ?? '';
      auth = type === 'PASS' && pass ? `PASS ${pass.slice(0, VRRP_AUTH_LEN)}` : type === 'AH' && pass ? 'AH' : 'none';
      authShown = this.authShown(auth);
    }
    const vips = i.vips.map((x) => x.value).filter((a) => (a.includes(':') ? 6 : 4) === slot.family);
    return {
      priority: { value: String(slot.priority), shown: i.priority ? String(slot.priority) : dflt(String(DEFAULT_PRIORITY)), at: i.priority?.at ?? i.at },
      interval: { value: String(intervalMs), shown: i.advertInt ? `${i.advertInt.value}` : dflt(String(DEFAULT_ADVERT_INT_S)), at: i.advertInt?.at ?? i.at },
      version: { value: String(v), shown: version ? String(v) : dflt(String(DEFAULT_VRRP_VERSION)), at: version?.at ?? i.at },
      auth: auth === null ? null : { value: auth, shown: authShown, at: i.auth?.pass?.at ?? i.auth?.at ?? i.at },
      addresses: vips.length ? { value: [...vips].sort().join(' '), shown: vips.join(', '), at: i.vipsAt ?? i.at } : null,
      destination: null,
    };
  }

  private authShown(auth: string): string {
    if (auth === 'none') return this.t('check.auth.none');
    if (auth.startsWith('PASS ')) return `auth_pass "${auth.slice(5)}"`;
    return auth;
  }

  private intervalShown(ms: string): string {
    return this.c.i18n.fmt.seconds(Number(ms));
  }

  private compareRouter(r: RouterOnWire, slot: Slot): void {
    const expected = this.expectedValues(slot);
    const who = this.c.directors.label(r.ip);
    const base = { director: who, vrid: r.vrid };
    const differing = (field: AdvertField, same: (v: AdvertValue) => boolean) => r.values[field].filter((v) => !same(v));
    const report = (field: AdvertField, kind: string, key: string, wireShown: (v: AdvertValue) => string, skip = false) => {
      const exp = expected[field];
      if (!exp || skip) return;
      const bad = differing(field, (v) => v.value === exp.value || (field === 'priority' && v.value === '0'));
      if (!bad.length) return;
      this.add(kind, 'warning', who, key, { ...base, wire: bad.map(wireShown).join(', '), conf: exp.shown, where: this.where(exp.at) }, [exp.at], bad.flatMap((v) => v.frames));
    };
    // A tracked script or interface moves the priority by its weight: any priority may be legitimate then.
    report('priority', 'vrrp-priority', 'check.finding.vrrp.priority', (v) => v.value, slot.instance.tracked !== null);
    report('interval', 'vrrp-advert-int', 'check.finding.vrrp.interval', (v) => this.intervalShown(v.value));
    report('version', 'vrrp-version', 'check.finding.vrrp.version', (v) => v.value);
    report('auth', 'vrrp-auth', 'check.finding.vrrp.auth', (v) => this.authShown(v.value));
    report('addresses', 'vrrp-vips', 'check.finding.vrrp.vips', (v) => v.value.split(' ').join(', '));
    // Unicast peers: adverts go to the peers, never to the group; without peers, to the group.
    const peers = slot.instance.unicastPeers.map((p) => p.value);
    const bad = r.values.destination.filter((d) => (peers.length ? d.value === 'multicast' || !peers.includes(d.value) : d.value !== 'multicast'));
    if (bad.length) {
      const at = slot.instance.unicastPeers[0]?.at ?? slot.instance.at;
      this.add('vrrp-unicast', 'warning', who, peers.length ? 'check.finding.vrrp.unicast' : 'check.finding.vrrp.multicast', {
        ...base, wire: bad.map((d) => (d.value === 'multicast' ? this.t('check.multicast') : d.value)).join(', '), conf: peers.join(', '), where: this.where(at),
      }, [at], bad.flatMap((d) => d.frames));
    }
    if (slot.instance.unicastSrcIp && slot.instance.unicastSrcIp.value !== r.ip) {
      this.add('vrrp-unicast', 'warning', who, 'check.finding.vrrp.src', { ...base, router: r.ip, conf: slot.instance.unicastSrcIp.value, where: this.where(slot.instance.unicastSrcIp.at) }, [slot.instance.unicastSrcIp.at], r.values.priority[0]?.frames ?? []);
    }
  }

  /** Two configurations of one VRID that keepalived would not reconcile (adverts dropped: dual master). */
  private disagreements(): void {
    const byVrid = new Map<string, Slot[]>();
    for (const s of this.c.directors.slots) byVrid.set(`${s.vrid}|${s.family}`, [...(byVrid.get(`${s.vrid}|${s.family}`) ?? []), s]);
    const eventField: Partial<Record<AdvertField, string>> = { interval: 'advertInterval', auth: 'auth', version: 'version', addresses: 'addresses' };
    for (const slots of byVrid.values()) {
      if (slots.length < 2) continue;
      for (const field of ['interval', 'auth', 'version', 'addresses'] as AdvertField[]) {
        const values = slots.map((s) => ({ s, e: this.expectedValues(s)[field] }));
        if (values.some((x) => !x.e) || new Set(values.map((x) => x.e!.value)).size < 2) continue;
        // VRRPv3 backups adopt the master's interval: a different advert_int is no disagreement there.
        if (field === 'interval' && values.every((x) => this.expectedValues(x.s).version?.value === '3')) continue;
        const vrid = slots[0].vrid;
        const shown = field === 'interval' ? (x: typeof values[number]) => `${x.e!.shown} s` : (x: typeof values[number]) => x.e!.shown;
        const wireEvents = this.c.events.filter((e) => (e.kind === 'vrrp.mismatch' && e.vrid === vrid && e.field === eventField[field]) || (e.kind === 'vrrp.split-brain' && e.vrid === vrid));
        this.add('vrrp-config-disagree', 'warning', null, `check.finding.vrrp.disagree.${field}`, {
          vrid, values: values.map((x) => `${this.nameOf(x.s)} ${shown(x)} (${this.where(x.e!.at)})`).join(', '),
        }, values.map((x) => x.e!.at), wireEvents.flatMap((e) => e.frames.slice(0, 4)), wireEvents.map((e) => e.id));
      }
    }
  }

  private nopreempt(): void {
    for (const [slot, r] of this.c.directors.slotRouter) {
      const at = slot.instance.nopreempt;
      if (!at) continue;
      const preempt = this.c.events.find((e) => e.kind === 'vrrp.master' && e.reason === 'preemption' && e.router === r.ip && e.vrid === r.vrid);
      if (preempt) this.add('vrrp-nopreempt', 'warning', this.c.directors.label(r.ip), 'check.finding.vrrp.nopreempt', { director: this.c.directors.label(r.ip), vrid: r.vrid, where: this.where(at) }, [at], preempt.frames, [preempt.id]);
    }
  }

  // --- health checkers ---

  private configuredChecks(): ConfiguredCheck[] {
    const out: ConfiguredCheck[] = [];
    for (const d of this.c.directors.directors) for (const vs of d.config.virtualServers) for (const rs of vs.realServers) for (const ch of rs.checkers) {
      const kind = CHECKER_KIND[ch.type];
      if (!kind || !rs.ip) continue;
      const ip = ch.connectIp?.value ?? rs.ip;
      const port = ch.connectPort?.value ?? rs.port ?? vs.port;
      out.push({ director: d, vs, rs, checker: ch, kind, ip, port, target: kind === 'ping' ? ip : hostPort(ip, port) });
    }
    return out;
  }

  private matches(probe: HcProbe, check: ConfiguredCheck, anyKind = false): boolean {
    if (!anyKind && probe.checker !== check.kind) return false;
    const target = str(probe, 'target');
    // PING_CHECK probes an address; MISC_CHECK runs a script whose traffic may go to any port.
    if (check.kind === 'ping' || probe.checker === 'ping') return (probe.checker === 'ping' ? target : targetIp(target)) === check.ip;
    if (check.kind === 'misc' || probe.checker === 'misc') return targetIp(target) === check.ip;
    return target === check.target;
  }

  private checks(): void {
    const checks = this.configuredChecks();
    const probes = ofKind(this.c.events, 'hc.probe');
    if (!checks.length && !probes.length) return;
    if (!probes.length) {
      if (checks.length) this.notes.push(this.t('check.note.no-checks', { count: checks.length }));
      return;
    }
    const { directors } = this.c;
    const unattributed = probes.filter((p) => !directors.director(str(p, 'director')));
    for (const d of directors.directors) {
      const mine = checks.filter((x) => x.director === d);
      const attributed = probes.filter((p) => directors.director(str(p, 'director')) === d);
      // Where the director's checking address is not known, any probe from an unknown address may be its.
      const candidates = attributed.length ? attributed : unattributed;
      if (mine.length && !candidates.length) {
        if (this.c.wire.hostCapture) {
          this.notes.push(this.t('check.note.host-capture', { director: directors.directorLabel(d), count: mine.length }));
          continue;
        }
        this.add('hc-director-silent', 'warning', directors.directorLabel(d), 'check.finding.hc.silent', {
          director: directors.directorLabel(d), count: mine.length, where: this.where(mine[0].checker.at),
        }, [mine[0].checker.at], []);
        continue;
      }
      for (const check of mine) this.compareCheck(check, candidates);
      this.flushCadence();
      // Probes of this director that none of its checkers explains.
      for (const p of attributed) {
        if (mine.some((x) => this.matches(p, x))) continue;
        const ip = p.checker === 'ping' ? str(p, 'target') : targetIp(str(p, 'target'));
        const rs = d.config.virtualServers.flatMap((vs) => vs.realServers).find((r) => r.ip === ip);
        const at = rs?.at ?? { file: d.config.files[0] ?? d.config.path, line: 0 };
        this.add('hc-unconfigured', 'warning', directors.label(str(p, 'director')), rs ? 'check.finding.hc.unconfigured' : 'check.finding.hc.unconfigured-rs', {
          director: directors.label(str(p, 'director')), checker: CHECKER_NAME[p.checker as CheckerKind] ?? String(p.checker), target: str(p, 'target'),
          where: rs ? this.where(rs.at) : this.c.display(at.file),
        }, [at], p.frames.slice(0, 4), [p.id]);
      }
    }
  }

  private compareCheck(check: ConfiguredCheck, candidates: HcProbe[]): void {
    const { directors } = this.c;
    const name = CHECKER_NAME[check.kind];
    const series = candidates.filter((p) => this.matches(p, check));
    // Named by the address its checks come from: "d1 (10.1.0.11)".
    const who = series.length ? directors.label(str(series[0], 'director')) : directors.directorLabel(check.director);
    if (!series.length) {
      const other = candidates.filter((p) => this.matches(p, check, true));
      this.add('hc-not-seen', 'warning', who, other.length ? 'check.finding.hc.other-kind' : 'check.finding.hc.not-seen', {
        director: who, checker: name, target: check.target, where: this.where(check.checker.at),
        seen: [...new Set(other.map((p) => CHECKER_NAME[p.checker as CheckerKind] ?? String(p.checker)))].join(', '),
      }, [check.checker.at], other.flatMap((p) => p.frames.slice(0, 2)), other.map((p) => p.id));
      return;
    }
    const details = series.map((p) => str(p, 'details')).join('; ');
    const frames = series.flatMap((p) => p.frames.slice(0, 3));
    const ids = series.map((p) => p.id);
    if (check.kind === 'http') {
      const seenPaths = [...new Set([...details.matchAll(/\bGET (\S+?)(?:,|;|$| )/g)].map((m) => m[1]))];
      const confPaths = check.checker.urls.map((u) => u.path?.value).filter((p): p is string => !!p);
      if (seenPaths.length && confPaths.length && (seenPaths.some((p) => !confPaths.includes(p)) || confPaths.some((p) => !seenPaths.includes(p)))) {
        const at = check.checker.urls.find((u) => u.path)?.path?.at ?? check.checker.at;
        this.add('hc-params', 'warning', who, 'check.finding.hc.path', { director: who, target: check.target, wire: seenPaths.join(', '), conf: confPaths.join(', '), where: this.where(at) }, [at], frames, ids);
      }
      const seenHosts = [...new Set([...details.matchAll(/\bHost (\S+?)(?:;|$| )/g)].map((m) => m[1]))];
      const vhost = check.checker.urls.find((u) => u.virtualhost)?.virtualhost ?? check.checker.virtualhost ?? check.vs.virtualhost;
      // keepalived's Host header without virtualhost: the address and port it connects to (IPv6 in brackets).
      const expectedHost = vhost?.value ?? (check.ip.includes(':') ? `[${check.ip}]:${check.port}` : `${check.ip}:${check.port}`);
      if (seenHosts.length && seenHosts.some((h) => h !== expectedHost)) {
        const at = vhost?.at ?? check.checker.at;
        this.add('hc-params', 'warning', who, vhost ? 'check.finding.hc.host' : 'check.finding.hc.host-default', { director: who, target: check.target, wire: seenHosts.join(', '), conf: expectedHost, where: this.where(at) }, [at], frames, ids);
      }
      const digests = check.checker.urls.map((u) => u.digest).filter((x): x is NonNullable<typeof x> => !!x);
      const genhash = series.flatMap((p) => (Array.isArray(p.genhash) ? (p.genhash as string[]) : []));
      for (const dg of digests) {
        if (genhash.length && !genhash.includes(dg.value)) {
          this.add('hc-params', 'warning', who, 'check.finding.hc.digest', { director: who, target: check.target, wire: [...new Set(genhash)].join(', '), conf: dg.value, where: this.where(dg.at) }, [dg.at], frames, ids);
        }
      }
    }
    if (check.kind === 'smtp') {
      const seenHelo = [...new Set([...details.matchAll(/\bHELO (\S+)/g)].map((m) => m[1]))];
      const expected = check.checker.heloName?.value ?? DEFAULT_HELO_NAME;
      if (seenHelo.length && seenHelo.some((h) => h !== expected)) {
        const at = check.checker.heloName?.at ?? check.checker.at;
        this.add('hc-params', 'warning', who, check.checker.heloName ? 'check.finding.hc.helo' : 'check.finding.hc.helo-default', { director: who, target: check.target, wire: seenHelo.join(', '), conf: expected, where: this.where(at) }, [at], frames, ids);
      }
    }
    this.cadence(check, series);
  }

  /**
   * The observed cadence (hc.probe intervalMs, the median gap between probes) against delay_loop: within
   * 10 %, or, for a series that saw failures, keepalived's retry pattern (delay_before_retry between a
   * failed probe and its retry; connect_timeout added when probes time out).
   */
  private cadence(check: ConfiguredCheck, series: HcProbe[]): void {
    const { seconds, at } = effectiveDelayLoop(check.vs, check.rs, check.checker);
    const d = seconds * 1000;
    const retry = (check.checker.delayBeforeRetry?.value ?? DEFAULT_DELAY_BEFORE_RETRY_S) * 1000;
    const timeout = (check.checker.connectTimeout?.value ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000;
    const near = (x: number, y: number) => Math.abs(x - y) <= CADENCE_TOLERANCE * y;
    const off = series.filter((p) => {
      const obs = typeof p.intervalMs === 'number' ? p.intervalMs : null;
      if (obs === null || near(obs, d)) return false;
      const failures = Number(p.down ?? 0) > 0;
      return !(failures && (near(obs, retry) || (obs >= d * (1 - CADENCE_TOLERANCE) && obs <= (d + timeout + retry) * (1 + CADENCE_TOLERANCE))));
    });
    if (!off.length) return;
    const key = `${check.director.name}|${at.file}|${at.line}`;
    let group = this.offCadence.get(key);
    if (!group) {
      group = { who: this.c.directors.label(str(off[0], 'director')), at, seconds, explicit: !!(check.vs.delayLoop || check.rs.delayLoop || check.checker.delayLoop), series: [] };
      this.offCadence.set(key, group);
    }
    for (const probe of off) group.series.push({ check, probe });
  }

  /** One finding per delay_loop line, naming every series it does not fit. */
  private flushCadence(): void {
    for (const g of this.offCadence.values()) {
      const probes = g.series.map((x) => x.probe);
      this.add('hc-delay-loop', 'warning', g.who, g.explicit ? 'check.finding.hc.delay-loop' : 'check.finding.hc.delay-loop-default', {
        director: g.who,
        targets: g.series.map((x) => `${x.check.target} (${CHECKER_NAME[x.check.kind]})`).join(', '),
        wire: [...new Set(probes.map((p) => this.c.i18n.fmt.seconds(Number(p.intervalMs))))].join(', '),
        conf: String(g.seconds), where: this.where(g.at),
      }, [g.at], probes.flatMap((p) => p.frames.slice(0, 3)), probes.map((p) => p.id));
    }
    this.offCadence.clear();
  }

  // --- LVS: forwarding, real servers, sorry server, quorum ---

  private virtualServerFor(vip: string): { d: Director; vs: ConfVirtualServer }[] {
    const out: { d: Director; vs: ConfVirtualServer }[] = [];
    const [ip, port] = [vip.replace(/:\d+$/, ''), Number(vip.slice(vip.lastIndexOf(':') + 1))];
    for (const d of this.c.directors.directors) for (const vs of d.config.virtualServers) {
      if (vs.port !== port) continue;
      if (ip === '?' || vs.ip === ip || (vs.group && d.config.virtualServerGroups.some((g) => g.name === vs.group && g.entries.some((x) => x.ip === ip && x.port === port)))) out.push({ d, vs });
    }
    return out;
  }

  private lvs(): void {
    if (!this.c.configs.some((c) => c.virtualServers.length)) return;
    const ev = this.c.events;
    const reported = new Set<string>();
    const once = (k: string) => (reported.has(k) ? false : (reported.add(k), true));
    for (const f of ev.filter((e) => e.kind === 'lvs.forward')) {
      const vip = str(f, 'vip');
      const found = this.virtualServerFor(vip);
      if (!found.length) {
        if (once('vs|' + vip)) this.add('lvs-unconfigured', 'warning', null, 'check.finding.lvs.vs', { vip, files: this.c.configs.map((c) => this.c.display(c.files[0] ?? c.path)).join(', ') }, this.fileWide(), f.frames.slice(0, 3), [f.id]);
        continue;
      }
      for (const { d, vs } of found) {
        const kind = (vs.lbKind?.value ?? 'NAT').toLowerCase();
        if (kind !== f.method && once(`kind|${vip}|${d.name}`)) {
          const at = vs.lbKind?.at ?? vs.at;
          this.add('lvs-kind', 'warning', this.c.directors.directorLabel(d), vs.lbKind ? 'check.finding.lvs.kind' : 'check.finding.lvs.kind-default', { vip, wire: String(f.method).toUpperCase(), conf: kind.toUpperCase(), where: this.where(at) }, [at], f.frames.slice(0, 3), [f.id]);
        }
        if (f.sorry === true) continue;
        const rs = str(f, 'realServer');
        const known = vs.realServers.some((r) => hostPort(r.ip, r.port ?? vs.port) === rs || (r.port === null && r.ip === targetIp(rs)));
        if (!known && once(`rs|${rs}|${d.name}`)) this.add('lvs-realserver-unconfigured', 'warning', this.c.directors.directorLabel(d), 'check.finding.lvs.rs', { vip, server: rs, where: this.where(vs.at) }, [vs.at], f.frames.slice(0, 3), [f.id]);
      }
    }
    for (const s of ev.filter((e) => e.kind === 'lvs.sorry')) {
      const vip = str(s, 'vip');
      for (const { d, vs } of this.virtualServerFor(vip)) {
        const seen = str(s, 'sorryServer');
        const conf = vs.sorryServer ? hostPort(vs.sorryServer.ip, vs.sorryServer.port ?? vs.port) : null;
        if (conf === seen || !once(`sorry|${vip}|${d.name}`)) continue;
        const at = vs.sorryServer?.at ?? vs.at;
        this.add('sorry-server', 'warning', this.c.directors.directorLabel(d), conf ? 'check.finding.sorry.other' : 'check.finding.sorry.unconfigured', { vip, wire: seen, conf: conf ?? '', where: this.where(at) }, [at], s.frames, [s.id]);
      }
    }
    this.quorum();
  }

  /**
   * keepalived loses the quorum when the weight of the real servers up falls below quorum − hysteresis
   * and regains it at quorum + hysteresis. Where the checks show such a loss while clients were
   * refused (an outage) and a sorry server is configured, the sorry server should have answered.
   */
  private quorum(): void {
    const ev = this.c.events;
    const checks = this.configuredChecks();
    for (const d of this.c.directors.directors) for (const vs of d.config.virtualServers) {
      if (!vs.quorum || !vs.sorryServer || vs.ip === null || vs.port === null) continue;
      const vip = hostPort(vs.ip, vs.port);
      const q = vs.quorum.value, h = vs.hysteresis?.value ?? 0;
      const targets = new Map<string, ConfRealServer>();
      for (const c of checks) if (c.vs === vs) targets.set(c.target, c.rs);
      const down = new Set<ConfRealServer>();
      const transitions = ofKind(ev, 'hc.state').filter((e) => targets.has(str(e, 'target')) && (!d.ips.length || d.ips.includes(str(e, 'director'))));
      let lost: { time: number; frames: number[] } | null = null;
      const windows: { start: number; end: number; frames: number[] }[] = [];
      for (const e of transitions) {
        const rs = targets.get(str(e, 'target'))!;
        if (e.state === 'down') down.add(rs); else down.delete(rs);
        const alive = vs.realServers.filter((r) => !down.has(r)).reduce((sum, r) => sum + (r.weight?.value ?? 1), 0);
        if (!lost && alive < q - h) lost = { time: e.time, frames: e.frames.slice(0, 2) };
        else if (lost && alive >= q + h) { windows.push({ start: lost.time, end: e.time, frames: lost.frames }); lost = null; }
      }
      if (lost) windows.push({ start: lost.time, end: Infinity, frames: lost.frames });
      for (const w of windows) {
        const delay = (vs.delayLoop?.value ?? 60) * 2;
        const sorry = ev.some((e) => e.kind === 'lvs.sorry' && str(e, 'vip') === vip && e.time <= w.end + delay && (e.end === null || Number(e.end) >= w.start - delay));
        const outage = ev.find((e) => e.kind === 'svc.outage' && str(e, 'vip') === vip && e.time <= w.end && Number(e.end) >= w.start);
        if (sorry || !outage) continue;
        this.add('quorum-no-sorry', 'warning', this.c.directors.directorLabel(d), 'check.finding.quorum', {
          vip, quorum: q, sorry: hostPort(vs.sorryServer.ip, vs.sorryServer.port ?? vs.port), where: this.where(vs.quorum.at),
        }, [vs.quorum.at, vs.sorryServer.at], [...w.frames, ...outage.frames.slice(0, 3)], [outage.id]);
      }
    }
  }

  // --- IPVS sync ---

  /** When a router was master: from each of its vrrp.master events to the next change on its VRID. */
  private tenures(r: RouterOnWire): [number, number][] {
    const out: [number, number][] = [];
    const ev = this.c.events.filter((e) => (e.kind === 'vrrp.master' || e.kind === 'vrrp.resign' || e.kind === 'vrrp.silent') && e.vrid === r.vrid && (e.kind === 'vrrp.master' || e.router === r.ip));
    let start: number | null = null;
    for (const e of ev) {
      if (start !== null && (e.kind !== 'vrrp.master' || e.router !== r.ip)) { out.push([start, e.time]); start = null; }
      if (e.kind === 'vrrp.master' && e.router === r.ip) start ??= e.time;
    }
    if (start !== null) out.push([start, this.c.wire.lastTime ?? start]);
    return out;
  }

  private sync(): void {
    const { directors, events } = this.c;
    const syncs = events.filter((e) => e.kind === 'lvs.sync');
    const forwards = events.some((e) => e.kind === 'lvs.forward');
    for (const d of directors.directors) {
      const conf = d.config.lvsSyncDaemon;
      const mine = syncs.filter((e) => d.ips.includes(str(e, 'sender')));
      if (!conf) {
        if (mine.length) this.add('ipvs-sync', 'warning', directors.directorLabel(d), 'check.finding.sync.unconfigured', { director: directors.directorLabel(d), file: this.c.display(d.config.files[0] ?? d.config.path) }, [{ file: d.config.files[0] ?? d.config.path, line: 0 }], mine.flatMap((e) => e.frames.slice(0, 3)), mine.map((e) => e.id));
        continue;
      }
      for (const e of mine) {
        if (conf.syncId !== null && Number(e.syncid) !== conf.syncId) {
          this.add('ipvs-sync', 'warning', directors.directorLabel(d), 'check.finding.sync.id', { director: directors.directorLabel(d), wire: str(e, 'syncid'), conf: conf.syncId, where: this.where(conf.at) }, [conf.at], e.frames.slice(0, 3), [e.id]);
        }
      }
      // No sync at all from a director that was master of the sync instance while clients connected
      // (the kernel's master sync thread sends within a second of a new connection).
      const slot = directors.slots.find((s) => s.config === d.config && s.instance.name === conf.instance);
      const router = slot ? directors.slotRouter.get(slot) : undefined;
      const busy = router && this.tenures(router).some(([from, to]) => this.c.wire.clientSyns(from, to - 1) >= 3);
      if (!mine.length && busy && forwards) {
        this.add('ipvs-sync', 'warning', directors.directorLabel(d), 'check.finding.sync.not-seen', { director: directors.directorLabel(d), instance: conf.instance ?? '?', where: this.where(conf.at) }, [conf.at], router!.values.priority[0]?.frames.slice(0, 1) ?? []);
      }
    }
  }
}
