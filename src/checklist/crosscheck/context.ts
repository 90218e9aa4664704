// What every part of the cross-check shares: its inputs (the events, the episodes, the advert ledger, the
// configurations, who is who) and the findings it writes, with the words of a finding (file and line,
// frames) in one place.

import type { AnalysisEvent } from '../../analyse/events.js';
import type { Episodes } from '../../analyse/episodes.js';
import { CHECKER_KIND, type ConfChecker, type ConfRealServer, type ConfVirtualServer, type KeepalivedConfig, type Where } from '../../config/model.js';
import type { I18n, MessageKey } from '../../present/i18n/index.js';
import type { CheckerKind } from '../behaviours.js';
import type { Director, DirectorMap } from '../directors.js';
import type { Finding, FindingPlace } from '../types.js';
import type { WireLedger } from '../wire.js';

export interface CrossCheckContext {
  events: readonly AnalysisEvent[];
  /** The episodes of those events (master tenures, host roles). */
  episodes: Episodes;
  wire: WireLedger;
  configs: KeepalivedConfig[];
  directors: DirectorMap;
  i18n: I18n;
  display: (file: string) => string;
}

const MAX_FINDING_FRAMES = 12;

/** The findings and notes of one cross-check, and how a finding is written. */
export class Report {
  readonly findings: Finding[] = [];
  readonly notes: string[] = [];

  constructor(readonly c: CrossCheckContext) {}

  t(key: MessageKey, params: Record<string, string | number> = {}): string {
    return this.c.i18n.t(key, params);
  }

  where(w: Where): string {
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

  add(kind: string, severity: Finding['severity'], director: string | null, key: MessageKey, params: Record<string, string | number>, where: Where[], frames: number[], events: string[] = []): void {
    const uniq = [...new Set(frames)].sort((a, b) => a - b);
    this.findings.push({
      kind, severity, director,
      message: this.t(key, { ...params, frames: this.frames(uniq) }),
      where: where.map((w) => this.place(w)), frames: uniq.slice(0, MAX_FINDING_FRAMES), events,
    });
  }

  /** Every configuration file as a whole (something none of them has). */
  fileWide(): Where[] {
    return this.c.configs.map((c) => ({ file: c.files[0] ?? c.path, line: 0 }));
  }

  /** The configuration files, as the report names them. */
  files(): string {
    return this.c.configs.map((c) => this.c.display(c.files[0] ?? c.path)).join(', ');
  }
}

/** ip:port as the events write it (no brackets, IPv6 too). */
export function hostPort(ip: string, port: number | null): string {
  return port === null ? ip : `${ip}:${port}`;
}

/** The address of an ip:port target. */
export function targetIp(target: string): string {
  const i = target.lastIndexOf(':');
  return i < 0 ? target : target.slice(0, i);
}

/** A checker of a real server of a virtual server of a configuration. */
export interface ConfiguredCheck {
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

export function configuredChecks(directors: DirectorMap): ConfiguredCheck[] {
  const out: ConfiguredCheck[] = [];
  for (const d of directors.directors) for (const vs of d.config.virtualServers) for (const rs of vs.realServers) for (const ch of rs.checkers) {
    const kind = CHECKER_KIND[ch.type];
    if (!kind || !rs.ip) continue;
    const ip = ch.connectIp?.value ?? rs.ip;
    const port = ch.connectPort?.value ?? rs.port ?? vs.port;
    out.push({ director: d, vs, rs, checker: ch, kind, ip, port, target: kind === 'ping' ? ip : hostPort(ip, port) });
  }
  return out;
}
