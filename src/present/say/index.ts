// Sentences at the edge: the analysis hands out typed events and notes (src/analyse/events.ts,
// notes.ts); this turns them into words in the reader's language, once per output. One module per
// domain (arp.ts, vrrp.ts, checks.ts, lvs.ts, hsrp.ts); adding a language touches catalogues, not analysers.

import type { AnalysisEvent, EventKind, EventOf } from '../../analyse/events.js';
import type { Note, NoteKind, NoteOf } from '../../analyse/notes.js';
import { I18n, type Lang } from '../i18n/index.js';
import { arpEvents, arpNotes } from './arp.js';
import { tcpNotes } from './tcp.js';
import { captureNotes } from './capture.js';
import { checkEvents, checkNotes } from './checks.js';
import { lvsEvents, lvsNotes } from './lvs.js';
import { vrrpEvents, vrrpNotes } from './vrrp.js';
import { hsrpEvents, hsrpNotes } from './hsrp.js';

import type { EventSentences, NoteSentences, Say as Words } from './types.js';
export type { EventSentences, NoteSentences } from './types.js';

const EVENTS: EventSentences<EventKind> = { ...arpEvents, ...vrrpEvents, ...checkEvents, ...lvsEvents, ...hsrpEvents };
const NOTES: NoteSentences<NoteKind> = { ...arpNotes, ...vrrpNotes, ...checkNotes, ...tcpNotes, ...lvsNotes, ...captureNotes, ...hsrpNotes };

/**
 * `cite`: how a sentence names another event it leans on (an outage's cause). By default it tells that
 * event's whole sentence; the report's events list, where that event has its own row, names it instead.
 */
export interface SayOptions {
  cite?: (e: AnalysisEvent) => string;
}

export class Say implements Words {
  readonly i18n: I18n;
  private readonly byId = new Map<string, AnalysisEvent>();
  private indexed = 0;
  private readonly cache = new Map<string, string>();
  private quorum = false;
  private quorumChecked = 0;

  /** `events` may still grow (live mode): events emitted later are found too. */
  constructor(lang: Lang | I18n, private readonly events: readonly AnalysisEvent[] = [], private readonly opts: SayOptions = {}) {
    this.i18n = lang instanceof I18n ? lang : new I18n(lang);
  }

  get lang(): Lang {
    return this.i18n.lang;
  }

  /** Another event, by id (a sentence may tell what explains it). */
  event(id: string | null | undefined): AnalysisEvent | null {
    if (!id) return null;
    while (this.indexed < this.events.length) { const e = this.events[this.indexed++]; this.byId.set(e.id, e); }
    return this.byId.get(id) ?? null;
  }

  quorumSeen(): boolean {
    while (!this.quorum && this.quorumChecked < this.events.length) {
      const e = this.events[this.quorumChecked++];
      this.quorum = e.kind === 'lvs.sorry' || (e.kind === 'lvs.realserver' && e.cause === 'quorum');
    }
    return this.quorum;
  }

  /** The event's sentence: its `summary` in the JSON document. */
  summary(e: AnalysisEvent): string {
    const hit = this.cache.get(e.id);
    if (hit !== undefined) return hit;
    const say = EVENTS[e.kind] as ((e: AnalysisEvent, say: Say) => string) | undefined;
    // (An event of a kind this version does not know, e.g. read back from another version's JSON: its own words, or its kind.)
    const text = say ? say(e, this) : String((e as { summary?: unknown }).summary ?? (e as { kind: string }).kind);
    this.cache.set(e.id, text);
    return text;
  }

  /** Another event a sentence leans on: its sentence, or where the reader finds it (SayOptions.cite). */
  cite(e: AnalysisEvent): string {
    return this.opts.cite ? this.opts.cite(e) : this.summary(e);
  }

  note(n: Note): string {
    const say = NOTES[n.note] as ((n: Note, say: Say) => string) | undefined;
    return say ? say(n, this) : n.note;
  }

  /** A frame's notes, in order, as one comment. */
  notes(list: readonly Note[] | undefined): string | null {
    return list && list.length ? list.map((n) => this.note(n)).join('; ') : null;
  }

  seconds(ms: number): string {
    return this.i18n.fmt.seconds(ms);
  }

  ordinal(n: number, gender: 'm' | 'f' = 'f'): string {
    return this.i18n.fmt.ordinal(n, gender);
  }
}
