// The event vocabulary (../shared/spec/events.md). Fields may be added; these keep their names.

export type Severity = 'info' | 'notice' | 'warning';

export interface VrrpscopeEvent {
  id: string;
  kind: string;
  /** Seconds since the epoch. */
  time: number;
  /** Frame numbers that show the event. */
  frames: number[];
  severity: Severity;
  /** One human sentence in the report's language. */
  summary: string;
  [field: string]: unknown;
}
