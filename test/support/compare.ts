// Our JSON frame as tshark -T fields -E occurrence=f would print it, so the two compare field by field.
// No mapping of names here: `layers` is keyed by Wireshark's names already (the decoders' field tables).

import type { OurFrame } from './ours.js';
import { ORACLE_FIELDS, type OracleRow } from './tshark.js';

const CONTAINERS = new Set(['inner', 'quoted']);

/**
 * Layers vrrpscope decodes only in part, where tshark follows the session: TLS (we read the hellos only;
 * tshark also the records after them, and after an SMTP STARTTLS) and SMTP (tshark tracks AUTH and DATA).
 * Their fields are compared where we show them; tshark showing more of them is not a difference.
 */
const PARTIAL_LAYERS = /^(tls|smtp)\./;

/** A value as tshark prints it: booleans 1/0, the first of several occurrences. */
function tsharkText(v: unknown): string {
  if (Array.isArray(v)) return v.length ? tsharkText(v[0]) : '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return v === null || v === undefined ? '' : String(v);
}

/**
 * Each field's first occurrence in tree order (a tunnel's outer header before its inner one, an ICMP
 * error's fields before the packet it quotes), and the set of names that came from a quoted packet.
 */
export function ourRow(f: OurFrame): { row: Partial<OracleRow>; quoted: Set<string> } {
  const row: Partial<OracleRow> = { 'frame.number': String(f.n) };
  const quoted = new Set<string>();
  const walk = (L: Record<string, any>, inQuoted: boolean) => {
    for (const [k, v] of Object.entries(L)) {
      if (CONTAINERS.has(k)) { walk(v, inQuoted || k === 'quoted'); continue; }
      for (const [name, x] of Object.entries(v as Record<string, unknown>)) {
        if (name in row) continue;
        row[name] = tsharkText(x);
        if (inQuoted) quoted.add(name);
      }
    }
  };
  walk(f.layers ?? {}, false);
  return { row, quoted };
}

export interface FieldDiff { frame: number; field: string; tshark: string; ours: string }

/** Differences between tshark's rows and ours, field by field (time compared to the microsecond). */
export function diffRows(theirs: OracleRow[], ours: OurFrame[], skip: Set<string> = new Set()): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  const n = Math.max(theirs.length, ours.length);
  for (let i = 0; i < n; i++) {
    const t = theirs[i], o = ours[i];
    if (!t || !o) { diffs.push({ frame: i + 1, field: 'frame', tshark: t ? 'present' : 'missing', ours: o ? 'present' : 'missing' }); continue; }
    const { row: mine, quoted } = ourRow(o);
    for (const field of ORACLE_FIELDS) {
      if (skip.has(field)) continue;
      if (field === 'frame.time_epoch') {
        const tt = t[field] === '' ? null : Number(t[field]);
        if ((tt === null) !== (o.time === null) || (tt !== null && Math.abs(tt - (o.time as number)) > 1e-6)) diffs.push({ frame: o.n, field, tshark: t[field], ours: String(o.time) });
        continue;
      }
      const theirs1 = t[field] ?? '', ours1 = mine[field] ?? '';
      // tshark decodes a quoted packet only as far as the quote goes: it may print the ports and
      // nothing more of it; what it does print must agree.
      if (quoted.has(field) && theirs1 === '') continue;
      if (PARTIAL_LAYERS.test(field) && ours1 === '') continue;
      if (theirs1 !== ours1) diffs.push({ frame: o.n, field, tshark: theirs1, ours: ours1 });
    }
  }
  return diffs;
}
