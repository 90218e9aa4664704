// Issue #15: a director's own health-check connections to the real servers are no virtual service. They
// look like the back side of LVS-NAT (a SYN to a real server from an address that is no VIP), so without
// knowing the directors the analysis told "virtual service ?:80 forwarded by ?" made of them.
//
// Real frames: the IPVS labs' server-side captures cut down to the directors' own traffic (every frame to
// or from one of their addresses, VRRP adverts and IPVS sync aside, so that nothing but their checks
// shows them as directors), and, as a control, the same captures whole, whose clients' connections the
// directors did forward.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { Engine } from '../../src/analyse/engine.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';
import { decodePacket } from '../../src/dissect/packet.js';
import { Frame } from '../../src/io/frame.js';
import { fixture } from '../support/captures.js';

const root = (rel: string) => fileURLToPath(new URL(`../../${rel}`, import.meta.url));
const LABS = [
  fixture('lab/lvs-nat-basic'),
  root('captures/ivs/checks-variant'),
  root('captures/ivs3/failover-clients'),
  root('captures/ivs3/udp-check'),
];

/** The records of a classic pcap file (microsecond or nanosecond, either byte order): time and bytes. */
function pcapRecords(path: string): { sec: number; ns: number; bytes: Uint8Array }[] {
  const b = readFileSync(path);
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const out: { sec: number; ns: number; bytes: Uint8Array }[] = [];
  for (let o = 24; o + 16 <= b.length;) {
    const caplen = u32(o + 8);
    out.push({ sec: u32(o), ns: nano ? u32(o + 4) : u32(o + 4) * 1000, bytes: new Uint8Array(b.subarray(o + 16, o + 16 + caplen)) });
    o += 16 + caplen;
  }
  return out;
}

/** The events of the default analysers over the frames `keep` accepts. */
function analyse(path: string, keep: (src: string, dst: string, vrrpOrSync: boolean) => boolean): AnalysisEvent[] {
  const engine = new Engine(defaultAnalyzers());
  let n = 0, last = 0;
  for (const r of pcapRecords(path)) {
    const probe = decodePacket(Frame.of(r.bytes, 1, r.sec, r.ns, 1));
    const net = probe.net;
    if (!net || !keep(net.src, net.dst, !!probe.vrrp || !!probe.ipvsSync)) continue;
    const f = Frame.of(r.bytes, 1, r.sec, r.ns, ++n);
    last = r.sec + r.ns / 1e9;
    engine.noteFrame(f.fileIndex, last);
    engine.onPacket(decodePacket(f));
  }
  engine.finish(last);
  return engine.events;
}

describe('no virtual service from the directors\' own health checks', () => {
  for (const dir of LABS.filter((d) => existsSync(join(d, 'ground-truth.json')))) {
    const lab = dir.split('/').slice(-2).join('/');
    const g = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
    const back = join(dir, `${g.scenario}-back.pcap`);
    const hosts = g.topology.hosts as Record<string, Record<string, string[]>>;
    const directors = new Set(Object.entries(hosts).filter(([h]) => /^d\d/.test(h)).flatMap(([, ifs]) => Object.values(ifs).flatMap((a) => a.slice(0, -1))));

    it(`${lab}: the directors' own traffic alone gives their checks and no LVS forwarding, service or pool change`, () => {
      const events = analyse(back, (src, dst, vrrpOrSync) => !vrrpOrSync && (directors.has(src) || directors.has(dst)));
      // The checks are there (both directors check the real servers over the server-side link)...
      expect(events.filter((e) => e.kind === 'hc.probe').length).toBeGreaterThan(0);
      // ...and nothing of LVS is made of them.
      expect(events.filter((e) => e.kind.startsWith('lvs.')).map((e) => e.kind)).toEqual([]);
    });

    it(`${lab}: the whole capture: the clients' connections are forwarded, none of the directors' checks is counted`, () => {
      const events = analyse(back, () => true);
      const forwards = events.filter((e) => e.kind === 'lvs.forward');
      expect(forwards.length).toBeGreaterThan(0);
      // The connections forwarded are the clients' (ground truth: the client's new connections; every
      // director check would add one per delay_loop per real server and director).
      const ours = forwards.reduce((s, e) => s + (e as { connections: number }).connections, 0);
      const client = g.client.requests_list.filter((r: { kind: string }) => r.kind !== 'keepalive').length + (g.client.by_kind.keepalive?.tcp_connections_used?.length ?? 0);
      expect(ours).toBeLessThanOrEqual(client);
    });
  }
});
