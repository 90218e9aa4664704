// What the html and md reports show of the checklist: plain data for the `checklist` partial of each
// template set, built from Analysis.facts.checklist alone (the renderers never recompute it). Frames
// and events become links through the renderer's own anchors (passed in, so this file knows nothing of
// the page).

import type { Analysis } from '../pipeline.js';
import type { I18n, MessageKey } from '../present/i18n/index.js';
import { checklistOf } from './index.js';
import type { Checklist, ChecklistItem } from './types.js';

/** Most frame links an item or finding shows; the rest are counted. */
const MAX_FRAME_LINKS = 24;

export interface ChecklistFrameLink { n: number; href: string | null }

export interface ChecklistItemView {
  id: string;
  anchor: string;
  title: string;
  /** proven, missing (required and not shown) or optional (not required, shown anyway). */
  status: 'proven' | 'missing' | 'optional';
  statusLabel: string;
  /** Badge class of the report's style sheet. */
  cls: string;
  why: string | null;
  /** Each proof once: its sentence and every event that says it, with its time (a GARP burst per takeover reads the same). */
  evidence: ChecklistProofView[];
  frames: ChecklistFrameLink[];
  moreFrames: string | null;
  detail: string | null;
  step: string | null;
}

export interface ChecklistProofView {
  summary: string;
  refs: { event: string; time: string; href: string | null }[];
}

export interface ChecklistFindingView {
  message: string;
  where: string;
  frames: ChecklistFrameLink[];
}

export interface ChecklistSectionView {
  /** How required items were chosen, how many are proven, and the verdict: one line each. */
  mode: string;
  counts: string;
  verdict: string;
  complete: boolean;
  items: ChecklistItemView[];
  hasConfig: boolean;
  directors: string[];
  problems: string[];
  findings: ChecklistFindingView[];
  /** "No difference…" or "No keepalived.conf given…" when there is no finding. */
  findingsNone: string | null;
  notes: string[];
}

export interface SectionLinks {
  /** Where a frame is in the page, or null when the page does not list it. */
  frameHref?: (n: number) => string | null;
  eventHref?: (id: string) => string | null;
  /** An event's time as the page shows times (relative to the capture's start); else its id stands for it. */
  time?: (epoch: number) => string;
}

/**
 * The checklist section of a report, or null when the analysis has no checklist (an analysis made
 * without the checklist analyser). Items shown: every required one, and the others the capture proves.
 */
export function checklistSection(a: Pick<Analysis, 'facts'>, i18n: I18n, links: SectionLinks = {}): ChecklistSectionView | null {
  const c = checklistOf(a);
  if (!c) return null;
  const t = (k: MessageKey, p: Record<string, string | number> = {}) => i18n.t(k, p);
  const frameLinks = (frames: number[]) => frames.slice(0, MAX_FRAME_LINKS).map((n) => ({ n, href: links.frameHref?.(n) ?? null }));
  const more = (frames: number[]) => (frames.length > MAX_FRAME_LINKS ? `+${frames.length - MAX_FRAME_LINKS}` : null);
  // Each proof is told once in the whole checklist: a sentence already shown for an earlier item (the
  // same event proving two items, two takeovers explained alike) is not repeated; its events' times are.
  const told = new Set<string>();
  const item = (i: ChecklistItem): ChecklistItemView => {
    const status = i.required ? i.status : 'optional';
    return {
      id: i.id,
      anchor: 'check-' + i.id,
      title: i.title,
      status,
      statusLabel: t(status === 'proven' ? 'check.status.proven' : status === 'missing' ? 'check.status.missing' : 'check.status.optional'),
      cls: status === 'proven' ? 'sev-info' : status === 'missing' ? 'sev-warning' : 'sev-notice',
      why: i.required ? i.why : null,
      evidence: proofs(i, links, told, t('check.evidence.told')),
      frames: frameLinks(i.frames),
      moreFrames: more(i.frames),
      detail: i.detail,
      step: i.step,
    };
  };
  const shown = c.items.filter((i) => i.required || i.status === 'proven');
  return {
    mode: modeLine(c, i18n),
    counts: t('check.counts', { proven: c.counts.proven, required: c.counts.required }),
    verdict: !c.counts.required ? t('check.none-required')
      : c.complete ? t('check.complete')
      : t('check.incomplete', { ids: c.items.filter((i) => i.required && i.status !== 'proven').map((i) => i.id).join(', ') }),
    complete: c.complete,
    items: [...shown.filter((i) => i.required), ...shown.filter((i) => !i.required)].map(item),
    hasConfig: c.configs.length > 0,
    directors: c.directors.map((d) => (d.addresses.length
      ? t('check.director.line', { name: d.name, config: d.config, addresses: d.addresses.join(', ') })
      : t('check.director.unmatched', { name: d.name, config: d.config }))),
    problems: c.configs.flatMap((x) => x.problems.map((p) => `${p.file}${p.line ? ':' + p.line : ''}: ${p.severity}: ${p.message}`)),
    findings: c.findings.map((f) => ({
      message: f.message,
      where: f.where.map((w) => (w.line ? `${w.file}:${w.line}` : w.file)).join(', '),
      frames: frameLinks(f.frames),
    })),
    findingsNone: c.findings.length ? null : t(c.configs.length ? 'check.findings.none' : 'check.findings.noconfig'),
    notes: c.notes,
  };
}

/**
 * An item's evidence with each summary once, in order of first appearance, and the events (times) behind
 * it. `told` holds the sentences shown so far in the checklist: those are left out of a later summary
 * (`toldAbove` when nothing is left; the times and links of its events still follow).
 */
function proofs(i: ChecklistItem, links: SectionLinks, told: Set<string>, toldAbove: string): ChecklistProofView[] {
  const bySentence = new Map<string, ChecklistProofView>();
  for (const e of i.evidence) {
    let p = bySentence.get(e.summary);
    if (!p) {
      const sentences = e.summary.split(/(?<=[.!?])\s+(?=\p{Lu})/u);
      const fresh = sentences.filter((x) => !told.has(x));
      for (const x of sentences) told.add(x);
      p = { summary: fresh.length ? fresh.join(' ') : toldAbove, refs: [] };
      bySentence.set(e.summary, p);
    }
    p.refs.push({ event: e.event, time: links.time && typeof e.time === 'number' ? links.time(e.time) : e.event, href: links.eventHref?.(e.event) ?? null });
  }
  return [...bySentence.values()];
}

/** Director addresses and their names from the configuration (router_id), when --config was given. */
export function directorNames(a: Pick<Analysis, 'facts'>): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of checklistOf(a)?.directors ?? []) for (const ip of d.addresses) m.set(ip, d.name);
  return m;
}

function modeLine(c: Checklist, i18n: I18n): string {
  if (c.mode === 'auto') return i18n.t('check.mode.auto');
  return c.expectSource ? i18n.t('check.mode.expect-file', { file: c.expectSource }) : i18n.t('check.mode.expect');
}
