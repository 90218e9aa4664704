// The findings contract: every event the analysis can emit, as a discriminated union of typed kinds,
// each declared next to the analyser that emits it (vrrp/events.ts, arp/events.ts, checks/events.ts,
// lvs/events.ts, hsrp/events.ts). An event holds facts only — addresses, times, counts, reason codes —
// never a sentence: the words are chosen at the edge, in the reader's language (src/present/say). The JSON
// document (docs/events.md) is these objects plus the `summary` the presentation renders.

import type { VrrpEvent } from './vrrp/events.js';
import type { ArpEvent } from './arp/events.js';
import type { CheckEvent } from './checks/events.js';
import type { LvsEvent } from './lvs/events.js';
import type { HsrpEvent } from './hsrp/events.js';

export type { EventBase, Severity } from './event-base.js';

export type AnalysisEvent = VrrpEvent | ArpEvent | CheckEvent | LvsEvent | HsrpEvent;
export type EventKind = AnalysisEvent['kind'];
export type EventOf<K extends EventKind> = Extract<AnalysisEvent, { kind: K }>;

/** Omit over each member of a union (the built-in Omit would merge them). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as an analyser emits it: the engine gives it its id. */
export type NewEvent = DistributiveOmit<AnalysisEvent, 'id'>;

/** Narrows an event to one kind. */
export function isKind<K extends EventKind>(e: AnalysisEvent, kind: K): e is EventOf<K> {
  return e.kind === kind;
}

/** The events of one kind, typed. */
export function ofKind<K extends EventKind>(events: readonly AnalysisEvent[], kind: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}
