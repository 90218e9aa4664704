// What a report says about one frame: the per-frame comment of the analysis and the summary of every
// event that names the frame. Every renderer (HTML, Markdown, annotated pcapng, JSON's "events" ids)
// reads the same two maps of the Analysis, so they list the same frames.

import type { Analysis } from '../pipeline.js';
import type { VrrpscopeEvent } from '../analyse/events.js';

export type EventIndex = Map<string, VrrpscopeEvent>;

export function indexEvents(events: readonly VrrpscopeEvent[]): EventIndex {
  const m: EventIndex = new Map();
  for (const e of events) m.set(e.id, e);
  return m;
}

/** A frame is annotated when an event names it or the analysis commented it. */
export function isAnnotated(a: Pick<Analysis, 'frameEvents' | 'frameComments'>, n: number): boolean {
  return a.frameEvents.has(n) || a.frameComments.has(n);
}

export interface FrameNote {
  comment: string | null;
  events: VrrpscopeEvent[];
}

export function frameNote(a: Pick<Analysis, 'frameEvents' | 'frameComments'>, byId: EventIndex, n: number): FrameNote {
  const events: VrrpscopeEvent[] = [];
  for (const id of a.frameEvents.get(n) ?? []) {
    const e = byId.get(id);
    if (e) events.push(e);
  }
  return { comment: a.frameComments.get(n) ?? null, events };
}

/** The comment texts of a frame, in order: its own comment, then each naming event's summary. */
export function noteTexts(note: FrameNote): string[] {
  const out: string[] = [];
  if (note.comment) out.push(note.comment);
  for (const e of note.events) if (e.summary) out.push(e.summary);
  return out;
}

/** An id usable in an HTML id attribute and a URL fragment whatever the event id holds. */
export function eventAnchor(id: string): string {
  return 'event-' + id.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function frameAnchor(n: number): string {
  return 'frame-' + n;
}

// Typed reads of an event's kind-specific fields (events.md): events are open records.
export function str(e: VrrpscopeEvent, k: string): string | null {
  const v = e[k];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

export function num(e: VrrpscopeEvent, k: string): number | null {
  const v = e[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function strs(e: VrrpscopeEvent, k: string): string[] {
  const v = e[k];
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}
