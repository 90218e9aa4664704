// Wireshark display filters that select exactly the frames an event names, so a reader can paste one in
// Wireshark's filter bar (or `tshark -Y`) and see the proof. Frame numbers are Wireshark's for one file;
// with several inputs each file has its own numbering, so an event gets one filter per file its frames
// come from, with that file's own numbers (what the student opens in Wireshark is the file).

import type { Analysis } from '../pipeline.js';
import type { AnalysisEvent } from '../analyse/events.js';

export interface DisplayFilter {
  /** The capture file the numbers are of; null when the report has one input. */
  file: string | null;
  filter: string;
}

/** `frame.number in {3, 7..9, 12}`: runs of consecutive numbers as ranges (commas: the set syntax of Wireshark 4.0 and later). */
export function framesFilter(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}..${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return `frame.number in {${parts.join(', ')}}`;
}

/** `frame.number in {lo..hi}` (or `{lo}`): a run of consecutive frames. */
export function rangeFilter(lo: number, hi: number): string {
  return `frame.number in {${lo === hi ? lo : `${lo}..${hi}`}}`;
}

/**
 * Each event's filters, by event id. One input: the merged numbers are the file's. Several: the
 * inputs are read once more (headers only, no decoding) to find each named frame's file and number there.
 */
export function eventFilters(a: Analysis, events: readonly AnalysisEvent[] = a.events): Map<string, DisplayFilter[]> {
  const out = new Map<string, DisplayFilter[]>();
  const framesOf = (e: AnalysisEvent): number[] => (Array.isArray(e.frames) ? e.frames : []);
  if (a.captures.length <= 1) {
    for (const e of events) { const f = framesOf(e); out.set(e.id, f.length ? [{ file: null, filter: framesFilter(f) }] : []); }
    return out;
  }
  const wanted = new Set<number>();
  for (const e of events) for (const n of framesOf(e)) wanted.add(n);
  const where = new Map<number, [number, number]>(); // merged number → [file index, its number in the file]
  if (wanted.size) {
    const source = a.store.raw();
    try {
      for (let f = source.next(); f && where.size < wanted.size; f = source.next()) if (wanted.has(f.n)) where.set(f.n, [f.fileIndex, f.fileFrame]);
    } finally {
      source.close();
    }
  }
  for (const e of events) {
    const byFile = new Map<number, number[]>();
    for (const n of framesOf(e)) {
      const w = where.get(n);
      if (!w) continue;
      const list = byFile.get(w[0]) ?? [];
      list.push(w[1]);
      byFile.set(w[0], list);
    }
    out.set(e.id, [...byFile].sort((x, y) => x[0] - y[0]).map(([i, nums]) => ({ file: a.captures[i]?.file ?? '?', filter: framesFilter(nums) })));
  }
  return out;
}
