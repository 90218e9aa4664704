// Issue #15: "a capture of plain routed traffic through a router pair produces no LVS event". A client's
// connection routed by the VRRP master looks like LVS at first sight: the client's SYN to the router's MAC,
// then the same SYN (same addresses, ports and sequence number, TTL one less) from the router's MAC to
// the server's. It is no virtual service: the destination is no VIP, nobody checks the server, no address
// is rewritten.
//
// captures/vrrp-routed-traffic (bash scripts/lab.sh record routed-traffic): d1 and d2 (keepalived, VRID
// 51) route the client's 36 HTTP connections to 192.168.60.60 (client.log: one line per connection),
// through d1, then d2 after d1's clean stop.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonOnce, type OurReport } from '../support/ours.js';

const DIR = fileURLToPath(new URL('../../captures/vrrp-routed-traffic', import.meta.url));
const PCAP = `${DIR}.pcap`;

describe('plain routed traffic through a VRRP router pair', () => {
  let doc!: OurReport;
  beforeAll(async () => { doc = await reportJsonOnce([PCAP], ['--all-frames']); }, 120_000);

  it('the recording has what the test is about: the client\'s connections, each SYN seen on both hops, through both routers', () => {
    const connections = readFileSync(`${DIR}/client.log`, 'utf8').trim().split('\n').filter((l) => / 200 \d+$/.test(l));
    expect(connections.length).toBe(36);
    const g = JSON.parse(readFileSync(`${DIR}/ground-truth.json`, 'utf8'));
    expect(new Set(g.vrrp_transitions.filter((x: { state: string }) => x.state === 'MASTER').map((x: { director: string }) => x.director))).toEqual(new Set(['d1', 'd2']));
    // Two SYNs per connection (client → router, router → server), by the frames' TCP flags and addresses.
    const syns = doc.frames.filter((f) => f.layers.tcp && f.layers.ip?.['ip.dst'] === '192.168.60.60' && f.layers.tcp['tcp.flags'] === '0x0002');
    expect(syns.length).toBe(2 * connections.length);
  });

  it('produces no LVS event (no forwarding, service, pool change, sync, takeover connections or outage)', () => {
    expect(doc.events.filter((e) => e.kind.startsWith('lvs.') || e.kind.startsWith('svc.')).map((e) => `${e.kind} ${e.vip ?? ''} ${e.realServer ?? ''}`)).toEqual([]);
    // (The routers are told as VRRP routers, nothing more.)
    expect(doc.events.filter((e) => e.kind === 'vrrp.master').map((e) => e.router)).toEqual(['10.0.0.11', '10.0.0.12']);
  });
});
