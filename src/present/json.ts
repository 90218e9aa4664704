// The JSON report: the contract of ../shared/spec/events.md. Written as a stream: frames go out as the
// second pass reads them, so --all-frames on a million frames stays in bounded memory. Times are
// written with every digit the capture has (JSON numbers are decimal text; JSON.stringify would round).

import type { Analysis, Warning } from '../pipeline.js';
import type { Tenure } from '../analyse/episodes.js';
import type { Incident } from '../analyse/incidents.js';
import { Say } from './say/index.js';
import { eventFilters } from './filters.js';
import { layersOf, notesOfPacket } from './layers.js';
import { summarize } from '../dissect/summary.js';
import { timeText, type Frame } from '../io/frame.js';
import type { OutputSink } from './sink.js';
import { jsonText } from './escape.js';
import { TOOL_VERSION } from '../version.js';

export interface JsonOptions {
  allFrames: boolean;
}

const TIME_SLOT = '@@time@@';
const END_SLOT = '@@end@@';

/** Puts the exact decimal time text where the placeholder is (the first "time" key of the object). */
function withTime(json: string, time: string): string {
  return json.replace('"' + TIME_SLOT + '"', time);
}

function timeNumber(sec: number, digits: number): string {
  // Analysis times are JS numbers (µs-exact for any epoch time); keep 6 digits, or 9 when the capture has them.
  return digits === 9 ? sec.toFixed(9) : sec.toFixed(6);
}

export function frameJson(f: Frame, layers: boolean, a: Analysis, say: Say, pktSummary: ReturnType<typeof summarize>, pkt: Parameters<typeof layersOf>[0]): string {
  const out: Record<string, unknown> = {
    n: f.n,
    time: TIME_SLOT,
    summary: `${pktSummary.protocol} ${pktSummary.src} → ${pktSummary.dst}: ${pktSummary.info}`,
    protocol: pktSummary.protocol,
    src: pktSummary.src,
    dst: pktSummary.dst,
    info: pktSummary.info,
    events: a.frameEvents.get(f.n) ?? [],
  };
  const comment = say.notes(a.frameNotes.get(f.n));
  if (comment) out.comment = comment;
  if (f.comments) out.captureComments = f.comments;
  if (a.captures.length > 1) { out.file = a.captures[f.fileIndex].file; out.fileFrame = f.fileFrame; }
  if (f.iface > 0) out.iface = f.iface;
  out.length = f.origLen;
  if (f.caplen !== f.origLen) out.captured = f.caplen;
  if (layers) {
    out.layers = layersOf(pkt);
    const notes = notesOfPacket(pkt);
    if (Object.keys(notes).length) out.notes = notes;
  }
  return withTime(JSON.stringify(out), f.noTimestamp ? 'null' : timeText(f.tsSec, f.tsNs, a.timeDigits));
}

export function writeJson(a: Analysis, out: OutputSink, opts: JsonOptions): void {
  // Packet text may hold C1 controls and bidi overrides: escaped, in case the JSON goes to a terminal.
  const sink = { write: (s: string): void => out.write(jsonText(s)) };
  const digits = a.timeDigits;
  const say = new Say(a.lang, a.events);
  sink.write('{\n"tool":' + JSON.stringify({ name: 'vrrpscope', version: TOOL_VERSION }) + ',\n');
  sink.write('"captures":[' + a.captures.map((c) => JSON.stringify({
    file: c.file, format: c.format, linkTypes: c.linkTypes, frames: c.frames,
    start: c.start === null ? null : Number(timeNumber(c.start, 6)),
    end: c.end === null ? null : Number(timeNumber(c.end, 6)),
  })).join(',') + '],\n');
  sink.write('"hosts":' + JSON.stringify(a.hosts) + ',\n');
  for (const [k, v] of Object.entries(a.facts)) sink.write(JSON.stringify(k) + ':' + JSON.stringify(v) + ',\n');
  sink.write('"masters":[' + a.episodes.tenures.map((t) => '\n' + tenureJson(t, digits)).join(',') + '],\n');
  sink.write('"incidents":[' + a.episodes.incidents.map((i) => '\n' + incidentJson(i)).join(',') + '],\n');
  // The summary is the presentation's sentence, after the facts (docs/events.md).
  // Each event's Wireshark display filters: the file is named only when there are several inputs.
  const filters = eventFilters(a);
  const filtersOf = (id: string) => (filters.get(id) ?? []).map((f) => (f.file === null ? { filter: f.filter } : { file: f.file, filter: f.filter }));
  sink.write('"events":[' + a.events.map((e) => '\n' + withTime(JSON.stringify({ ...e, time: TIME_SLOT, summary: say.summary(e), filters: filtersOf(e.id) }), timeNumber(e.time, digits))).join(',') + '],\n');
  sink.write('"frames":[');
  let first = true;
  const listed = opts.allFrames ? () => true : [...new Set([...a.frameEvents.keys(), ...a.frameNotes.keys()])].sort((x, y) => x - y);
  a.store.replay(listed, (f, pkt) => {
    sink.write((first ? '\n' : ',\n') + frameJson(f, true, a, say, summarize(pkt), pkt));
    first = false;
  });
  sink.write('],\n"warnings":' + JSON.stringify(a.warnings.map((w) => warningJson(w, say))));
  if (a.warningsDropped) sink.write(',\n"warningsDropped":' + a.warningsDropped);
  sink.write('\n}\n');
}

/** A master tenure as the contract shows it (docs/events.md), its times with the capture's digits. */
function tenureJson(t: Tenure, digits: number): string {
  const json = JSON.stringify({ vrid: t.vrid, family: t.family, router: t.router, start: TIME_SLOT, end: t.end === null ? null : END_SLOT, ended: t.ended, event: t.event.id });
  return json.replace('"' + TIME_SLOT + '"', timeNumber(t.start, digits)).replace('"' + END_SLOT + '"', t.end === null ? 'null' : timeNumber(t.end, digits));
}

const TIME_KEYS = new Set(['time', 'start', 'end']);

/** An incident as the contract shows it (docs/events.md): facts only, times to the microsecond. */
function incidentJson(i: Incident): string {
  return JSON.stringify(i, (k, v) => (TIME_KEYS.has(k) && typeof v === 'number' ? Number(v.toFixed(6)) : v));
}

/** A warning as the contract shows it: `message` in words, whether the reader or an analyser wrote it. */
export function warningJson(w: Warning, say: Say): Omit<Warning, 'note'> {
  const { note, ...rest } = w;
  return note ? { ...rest, message: say.note(note) } : rest;
}
