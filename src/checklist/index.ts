// The lab checklist: which expected behaviours the capture proves (items.ts), how the configuration
// compares with the wire (crosscheck/), and who is who (directors.ts). It runs as the last analyser,
// so that it reads the finished, sorted event list and the advert ledger it kept while the frames went
// by; it puts the result beside the events (Analysis.facts.checklist, the JSON `checklist` field) for
// every report format to show.

import { isAbsolute, relative } from 'node:path';
import type { Analysis } from '../pipeline.js';
import type { Analyzer, EngineContext } from '../analyse/engine.js';
import type { AnalysisEvent } from '../analyse/events.js';
import { episodesOf } from '../analyse/episodes.js';
import type { Packet } from '../dissect/packet.js';
import type { TcpSegment } from '../dissect/tcp-segment.js';
import { configName, type KeepalivedConfig } from '../config/model.js';
import { I18n, type Lang } from '../present/i18n/index.js';
import type { BehaviourId } from './behaviours.js';
import { CrossCheck } from './crosscheck/index.js';
import { DirectorMap } from './directors.js';
import { ItemJudge } from './items.js';
import type { Checklist } from './types.js';
import { WireLedger } from './wire.js';

export type { Checklist, ChecklistItem, Evidence, Finding, DirectorView, ConfigView } from './types.js';
export { BEHAVIOURS, type BehaviourId } from './behaviours.js';
export { parseExpect, ExpectError, type Expectation } from './expect.js';

export interface ChecklistOptions {
  configs?: KeepalivedConfig[];
  /** --expect: the required behaviours; absent: chosen from what the capture and configuration show. */
  expect?: { ids: BehaviourId[]; source: string | null } | null;
  /** The language of the checklist's sentences (default English). */
  lang?: Lang;
}

/** A path as the user wrote it, or relative to the current directory when it is under it. */
export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export function buildChecklist(events: readonly AnalysisEvent[], wire: WireLedger, i18n: I18n, opts: ChecklistOptions = {}): Checklist {
  const configs = opts.configs ?? [];
  const directors = new DirectorMap(configs, wire, events);
  const ctx = { events, episodes: episodesOf(events), wire, configs, directors, i18n, display: displayPath };
  const items = new ItemJudge({ ...ctx, expected: opts.expect?.ids ?? null }).items();
  const cross = new CrossCheck(ctx);
  if (configs.length) cross.run();
  const required = items.filter((i) => i.required);
  const proven = required.filter((i) => i.status === 'proven').length;
  return {
    mode: opts.expect ? 'expect' : 'auto',
    expectSource: opts.expect?.source ?? null,
    complete: required.length > 0 && proven === required.length,
    counts: { required: required.length, proven, missing: required.length - proven, findings: cross.findings.length },
    items,
    directors: directors.directors.map((d) => ({ name: d.name, config: displayPath(d.config.path), addresses: d.ips, label: directors.directorLabel(d) })),
    configs: configs.map((c) => ({
      file: displayPath(c.path),
      files: c.files.map(displayPath),
      director: configName(c),
      problems: c.problems.map((p) => ({ file: displayPath(p.file), line: p.line, severity: p.severity, message: p.message })),
    })),
    findings: cross.findings,
    notes: cross.notes,
  };
}

/**
 * The checklist as an analyser: it keeps the advert ledger while frames go by and builds the checklist
 * from the final event list once every other analyser has finished (put it last in the list).
 */
export class ChecklistAnalyzer implements Analyzer {
  readonly name = 'checklist';
  private readonly wire = new WireLedger();
  private events: readonly AnalysisEvent[] = [];
  private i18n: I18n | null = null;
  private result: Checklist | null = null;

  constructor(private readonly opts: ChecklistOptions = {}) {}

  onPacket(pkt: Packet): void {
    this.wire.onPacket(pkt);
  }

  onTcpSegment(seg: TcpSegment, t: number): void {
    this.wire.onTcpSegment(seg, t);
  }

  finish(ctx: EngineContext): void {
    // The engine's own list: sorted in place once every analyser has finished, before facts() is asked.
    this.events = ctx.events;
    this.i18n = new I18n(this.opts.lang ?? 'en');
  }

  facts(): Record<string, unknown> {
    if (!this.i18n) return {};
    this.result ??= buildChecklist(this.events, this.wire, this.i18n, this.opts);
    return { checklist: this.result };
  }
}

/** The checklist of an analysis, if the checklist analyser ran. */
export function checklistOf(a: Pick<Analysis, 'facts'>): Checklist | null {
  const c = a.facts.checklist;
  return c && typeof c === 'object' && Array.isArray((c as Checklist).items) ? (c as Checklist) : null;
}
