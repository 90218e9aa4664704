// The shape of one domain's words (say/arp.ts, say/vrrp.ts …): a sentence per event kind and per note.

import type { EventKind, EventOf } from '../../analyse/events.js';
import type { NoteKind, NoteOf } from '../../analyse/notes.js';
import type { AnalysisEvent } from '../../analyse/events.js';
import type { Note } from '../../analyse/notes.js';
import type { I18n, Lang } from '../i18n/index.js';

/** What a domain's sentences may ask of the presentation (say/index.ts Say implements it). */
export interface Say {
  readonly i18n: I18n;
  readonly lang: Lang;
  /** Another event, by id (a sentence may tell what explains it). */
  event(id: string | null | undefined): AnalysisEvent | null;
  summary(e: AnalysisEvent): string;
  /** Another event a sentence leans on (an outage's cause): its sentence, or a reference to its row. */
  cite(e: AnalysisEvent): string;
  /** Whether the events show a virtual service's quorum at work (a sorry server, a pool change for the quorum). */
  quorumSeen(): boolean;
  note(n: Note): string;
  seconds(ms: number): string;
  /** `gender`: of the French noun it qualifies (le 1er test, la 1re annonce). */
  ordinal(n: number, gender?: 'm' | 'f'): string;
}

/** How one domain says its events: a sentence per kind. */
export type EventSentences<K extends EventKind> = { [P in K]: (e: EventOf<P>, say: Say) => string };
/** How one domain says its notes. */
export type NoteSentences<K extends NoteKind> = { [P in K]: (n: NoteOf<P>, say: Say) => string };
