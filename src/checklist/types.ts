// The checklist as every report carries it (JSON `checklist`, the html/md section, `vrrpscope check`).

import type { BehaviourId } from './behaviours.js';

export interface Evidence {
  /** The event that proves it (its id in the report) and what it says. */
  event: string;
  kind: string;
  time: number;
  frames: number[];
  summary: string;
}

export interface ChecklistItem {
  id: BehaviourId;
  title: string;
  required: boolean;
  /** Why it is required: named by --expect, VRRP seen, configured, seen… (one sentence). */
  why: string | null;
  status: 'proven' | 'missing';
  /** The events that prove it (proven), or partial evidence (missing: e.g. a server that left but never came back). */
  evidence: Evidence[];
  /** The frames of the evidence, in order, without duplicates. */
  frames: number[];
  /** For missing items: what the capture shows instead, when it shows something. */
  detail: string | null;
  /** For missing items: the concrete step that would show it. */
  step: string | null;
}

export interface FindingPlace {
  file: string;
  line: number | null;
}

export interface Finding {
  kind: string;
  severity: 'warning' | 'notice';
  /** The director (configuration) concerned, e.g. "d1 (10.0.0.11)". */
  director: string | null;
  message: string;
  where: FindingPlace[];
  frames: number[];
  /** Events behind it, when an event shows it. */
  events: string[];
}

export interface DirectorView {
  name: string;
  config: string;
  addresses: string[];
  label: string;
}

export interface ConfigView {
  file: string;
  files: string[];
  director: string;
  problems: { file: string; line: number; severity: string; message: string }[];
}

export interface Checklist {
  /** How required behaviours were chosen: named by --expect, or from what the capture and configuration show. */
  mode: 'expect' | 'auto';
  expectSource: string | null;
  /** Every required behaviour is proven. */
  complete: boolean;
  counts: { required: number; proven: number; missing: number; findings: number };
  items: ChecklistItem[];
  directors: DirectorView[];
  configs: ConfigView[];
  findings: Finding[];
  /** What the cross-check could not judge (e.g. the capture does not show the real servers' segment). */
  notes: string[];
}
