// The oracle: tshark's view of a capture, frame by frame, for every field the report shows. The field
// NAMES are the decoders' own field tables (src/dissect/*.ts, gathered in src/present/layers.ts): one
// source of truth, proven to be Wireshark's names by test/oracle/field-names.test.ts. The VALUES come
// from tshark alone.

import { FIELD_NAMES } from '../../src/present/layers.js';
import { tsharkOut, tsharkVersion } from './tshark-cache.js';

export const HAVE_TSHARK = tsharkVersion() !== '';

export const ORACLE_FIELDS: readonly string[] = ['frame.number', 'frame.time_epoch', ...FIELD_NAMES];

export type OracleRow = Record<string, string>;

/**
 * Runs tshark with default preferences except http.desegment_body off: vrrpscope reports an HTTP head
 * on the frame that completes the head, not on the frame that completes the body.
 * First occurrence of each field (the outer header of a tunnel or of an ICMP error).
 */
export async function tsharkRows(file: string, extraArgs: string[] = []): Promise<OracleRow[]> {
  const args = ['-r', file, '-n', '-o', 'http.desegment_body:FALSE', '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=\t', ...extraArgs];
  for (const f of ORACLE_FIELDS) args.push('-e', f);
  const out = await tsharkOut(args, file);
  const rows: OracleRow[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    const row: OracleRow = {};
    ORACLE_FIELDS.forEach((f, i) => { row[f] = cols[i] ?? ''; });
    rows.push(row);
  }
  return rows;
}

/** All values of a field (occurrence=a), for multi-valued fields such as vrrp.ip_addr. */
export async function tsharkAll(file: string, field: string): Promise<string[]> {
  const out = await tsharkOut(['-r', file, '-n', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', field], file);
  return out.split('\n').slice(0, -1);
}
