// What a report says about one frame: the analysis's notes on it and the summary of every event that
// names the frame, in words (say/). Every renderer (HTML, Markdown, annotated pcapng, JSON's "events"
// ids) reads the same two maps of the Analysis, so they list the same frames.

import type { Analysis } from '../pipeline.js';
import type { AnalysisEvent } from '../analyse/events.js';
import type { Say } from './say/index.js';

/** A frame is annotated when an event names it or the analysis commented it. */
export function isAnnotated(a: Pick<Analysis, 'frameEvents' | 'frameNotes'>, n: number): boolean {
  return a.frameEvents.has(n) || a.frameNotes.has(n);
}

export interface FrameNote {
  comment: string | null;
  events: AnalysisEvent[];
}

export function frameNote(a: Pick<Analysis, 'frameEvents' | 'frameNotes'>, say: Say, n: number): FrameNote {
  const events: AnalysisEvent[] = [];
  for (const id of a.frameEvents.get(n) ?? []) {
    const e = say.event(id);
    if (e) events.push(e);
  }
  return { comment: say.notes(a.frameNotes.get(n)), events };
}

/** The comment texts of a frame, in order: its own comment, then each naming event's summary. */
export function noteTexts(note: FrameNote, say: Say): string[] {
  const out: string[] = [];
  if (note.comment) out.push(note.comment);
  for (const e of note.events) out.push(say.summary(e));
  return out;
}

/** An id usable in an HTML id attribute and a URL fragment whatever the event id holds. */
export function eventAnchor(id: string): string {
  return 'event-' + id.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function frameAnchor(n: number): string {
  return 'frame-' + n;
}

/** A time, count or duration that is a finite number, else null (events read back from JSON may lack one). */
export function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
