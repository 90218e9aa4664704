// What every event has (analyse/events.ts unites the kinds; each domain's events.ts extends this).

export type Severity = 'info' | 'notice' | 'warning';

/** What every event has. */
export interface EventBase {
  /** `e1`, `e2` … in the order the analysers emitted them. */
  id: string;
  /** Seconds since the epoch. */
  time: number;
  /** Frame numbers that show the event. */
  frames: number[];
  severity: Severity;
}
