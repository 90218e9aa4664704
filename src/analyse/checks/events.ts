// What the health-check analyser finds: the probes of each director's checker on each real server, and
// the verdicts. Facts only: the words are in src/present/say/checks.ts.

import type { EventBase } from '../event-base.js';

export type Checker = 'tcp' | 'http' | 'ssl' | 'smtp' | 'ping' | 'udp' | 'dns' | 'misc';

/** A series of health-check probes from one director to one real server. */
export interface HcProbe extends EventBase {
  kind: 'hc.probe';
  checker: Checker;
  director: string;
  /** ip:port, or the IP for ping. */
  target: string;
  count: number;
  /** The observed delay_loop; null after one probe. */
  intervalMs: number | null;
  up: number;
  down: number;
  /** E.g. HTTP path and status; may be empty. */
  details: string;
  /** MD5 digests of the HTTP bodies, in order of appearance. */
  genhash?: string[];
}

/** Probe results of one target change. */
export interface HcState extends EventBase {
  kind: 'hc.state';
  target: string;
  state: 'up' | 'down';
  checker: Checker;
  director: string;
  /** e.g. `connected` · `refused` · `timeout` · `status 500` · `page changed`. */
  reason: string;
  /** Other checkers of the same server still passing when this one fails. */
  othersUp: Checker[];
}

export type CheckEvent = HcProbe | HcState;

export type CheckNote =
  | { note: 'hc.probe'; checker: Checker; director: string; target: string; verdict: 'up' | 'down'; reason: string; nth: number; digestChanged: { from: string; to: string } | null };
