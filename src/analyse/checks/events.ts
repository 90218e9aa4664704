// What the health-check analyser finds: the probes of each director's checker on each real server, and
// the verdicts. Facts only: the words are in src/present/say/checks.ts.

import type { EventBase } from '../event-base.js';

export type Checker = 'tcp' | 'http' | 'ssl' | 'smtp' | 'ping' | 'udp' | 'dns' | 'misc';

/** A series of health-check probes from one director to one real server. */
export interface HcProbe extends EventBase {
  kind: 'hc.probe';
  checker: Checker;
  director: string;
  /** ip:port; for ping, the real server (ip:port) the configuration says it belongs to, else the address. */
  target: string;
  /** ping only: the real servers (ip:port) it may belong to, from the configuration or else the LVS services seen at
   *  that address; several when the wire cannot tell (keepalived 2.2.7's echo ids are per probe); [] when none told. */
  realServers?: string[];
  count: number;
  /** The observed delay_loop; null after one probe. */
  intervalMs: number | null;
  up: number;
  down: number;
  /** E.g. HTTP path and status; may be empty. */
  details: string;
  /** MD5 digests of the HTTP bodies, in order of appearance. */
  genhash?: string[];
  /** Inferred from the attempts' spacing (null when no failure showed it): retries before keepalived gave up. */
  retry: number | null;
  /** Inferred delay_before_retry (the shortest wait between a failed attempt's end and the next attempt), ms. */
  delayBeforeRetryMs: number | null;
  /** Inferred connect_timeout (from attempts that got no answer: how long keepalived waited), ms. */
  connectTimeoutMs: number | null;
}

/** keepalived's verdict on one target (what its log says as "Removing service" / "Adding service"), at the
 *  moment it decided: the end of the last failed attempt (retry + 1 of them, delay_before_retry apart), or the
 *  success that puts the server back (HTTP_GET/SSL_GET: the last of 1 + N, one per url block). */
export interface HcState extends EventBase {
  kind: 'hc.state';
  target: string;
  /** ping only: as HcProbe.realServers. */
  realServers?: string[];
  state: 'up' | 'down';
  checker: Checker;
  director: string;
  /** e.g. `connected` · `refused` · `timeout` · `status 500` · `page changed`. */
  reason: string;
  /** Other checkers of the same server still passing when this one fails. */
  othersUp: Checker[];
  /** The attempts behind the verdict: failed attempts (down), successes in a row (up). */
  attempts: number;
  /** From the first of them to the verdict, ms. */
  spanMs: number;
  /** down: the retries that failed too (attempts − 1). */
  retry?: number;
  /** down: decided by keepalived's start-up rule (the first failed attempt right after keepalived started takes the
   *  server out, whatever retry says: check_data.c, recorded in captures/ivs4/checks-defaults). */
  startup?: true;
  /** What the spacing of the attempts showed so far, ms (null when not seen). */
  delayBeforeRetryMs: number | null;
  connectTimeoutMs: number | null;
  /** The healthy cadence (delay_loop plus a probe's time). */
  delayLoopMs: number | null;
}

export type CheckEvent = HcProbe | HcState;

export type CheckNote =
  | { note: 'hc.probe'; checker: Checker; director: string; target: string; verdict: 'up' | 'down'; reason: string; nth: number; digestChanged: { from: string; to: string } | null };
