// The oracle: tshark's view of a capture, frame by frame, for the fields of the JSON contract.

import { tsharkOut, tsharkVersion } from './tshark-cache.js';

export const HAVE_TSHARK = tsharkVersion() !== '';

export const ORACLE_FIELDS = [
  'frame.number', 'frame.time_epoch',
  'eth.src', 'eth.dst', 'eth.type',
  'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4',
  'ip.src', 'ip.dst', 'ip.proto', 'ip.ttl',
  'ipv6.src', 'ipv6.dst', 'ipv6.nxt', 'ipv6.hlim',
  'vrrp.version', 'vrrp.type', 'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.addr_count', 'vrrp.auth_type',
  'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.checksum.status', 'vrrp.ip_addr', 'vrrp.ipv6_addr',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw',
  'udp.srcport', 'udp.dstport',
  'http.request.method', 'http.request.uri', 'http.response.code', 'http.user_agent', 'http.host',
] as const;

export type OracleRow = Record<(typeof ORACLE_FIELDS)[number], string>;

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
    const row = {} as OracleRow;
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
