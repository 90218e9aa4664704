// Health-check and LVS rules alone, on literal connections.

import { describe, expect, it } from 'vitest';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { I18n } from '../../src/present/i18n/index.js';
import { Engine } from '../../src/analyse/engine.js';
import { decodePacket } from '../../src/dissect/packet.js';
import { Frame } from '../../src/io/frame.js';
import { advert, adverts, byTime, connection, run, udp, type Timed } from '../support/frames.js';

const d1 = '10.1.0.11', rs1 = '10.1.0.21', rs2 = '10.1.0.22', client = '10.0.0.50', vip = '10.0.0.100';
const analyzers = () => defaultAnalyzers();
const httpProbe = (rs: string) => `GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: ${rs}:80\r\n\r\n`;
const ok = 'HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n';

/** A probe of `rs` from d1 every 2 s from `from` to `to`; `down` makes the ones in [downFrom, downTo) refused. */
function probes(kind: 'http' | 'tcp', rs: string, from: number, to: number, down?: [number, number]): Timed[] {
  const out: Timed[] = [];
  let port = 40000 + Number(rs.split('.')[3]) * 100;
  for (let t = from; t < to; t += 2) {
    const refused = !!down && t >= down[0] && t < down[1];
    if (kind === 'http') out.push(...connection({ client: d1, server: rs, cport: port++, sport: 80, at: t, request: httpProbe(rs), response: ok, refused }));
    if (kind === 'tcp') out.push(...connection({ client: d1, server: rs, cport: port++, sport: 80, at: t, refused }));
  }
  return out;
}

describe('health checks', () => {
  it('HTTP_GET: cadence, verdicts and one transition each way', () => {
    const { events } = run(analyzers(), probes('http', rs1, 0, 30, [10, 18]).sort(byTime));
    const series = events.find((e) => e.kind === 'hc.probe')!;
    expect(series).toMatchObject({ checker: 'http', director: d1, target: `${rs1}:80`, count: 15, intervalMs: 2000, down: 4 });
    // probes every 2 s and no retry between them (retry 0): down at the first failure; HTTP_GET is back after
    // 1 + N successes (one url): the second, at 20 s (keepalived-semantics.md §1.2)
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => [e.state, Math.round(e.time - 1795550000), e.reason])).toEqual([['down', 10, 'refused'], ['up', 20, 'status 200']]);
  });

  it('genhash is the MD5 of the body, as keepalived --genhash computes it; a changed page fails a digest', () => {
    const page = (body: string) => `HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const frames: Timed[] = [];
    ['ok\n', 'ok\n', 'changed\n', 'ok\n', 'ok\n'].forEach((body, i) => frames.push(...connection({ client: d1, server: rs1, cport: 42000 + i, sport: 80, at: 2 * i, request: httpProbe(rs1), response: page(body) })));
    const { events } = run(analyzers(), frames);
    expect(events.find((e) => e.kind === 'hc.probe')!.genhash).toEqual(['eff5bc1ef8ec9d03e640fc4370f5eacd', 'ec1bebaea2c042beb68f7679ddd106a4']); // md5sum of "ok\n" and "changed\n"
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => [e.state, e.reason])).toEqual([['down', 'page changed'], ['up', 'status 200']]);
  });

  it('genhash keeps its own copy of the body: the reader reuses the buffers frames come in', () => {
    const engine = new Engine(analyzers());
    const frames = [0, 2, 4].flatMap((at, i) => connection({ client: d1, server: rs1, cport: 42100 + i, sport: 80, at, request: httpProbe(rs1), response: ok }));
    frames.forEach(([t, bytes], i) => {
      const buf = Buffer.from(bytes); // what the readers hand out
      engine.onPacket(decodePacket(Frame.of(buf, 1, 1795550000 + Math.floor(t), Math.round((t % 1) * 1e9), i + 1)));
      buf.fill(0x58); // the reader's next chunk lands in the same memory
    });
    engine.finish(1795550005);
    expect(engine.events.find((e) => e.kind === 'hc.probe')!.genhash).toEqual(['eff5bc1ef8ec9d03e640fc4370f5eacd']); // md5sum of "ok\n"
  });

  it('TCP_CHECK: connect then close, no data; a refusal is a failure', () => {
    const { events } = run(analyzers(), probes('tcp', rs2, 0, 20, [6, 10]).sort(byTime));
    expect(events.find((e) => e.kind === 'hc.probe')).toMatchObject({ checker: 'tcp', target: `${rs2}:80`, count: 10, down: 2 });
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => e.state)).toEqual(['down', 'up']);
  });

  it('a HTTP status outside 2xx is a failure', () => {
    // (a verdict needs the cadence: two passing probes before, two after as HTTP_GET needs 1 + N to come back)
    const frames = [0, 1, 2, 3, 4].flatMap((i) => connection({ client: d1, server: rs1, cport: 41000 + i, sport: 80, at: 2 * i, request: httpProbe(rs1),
      response: i === 2 ? 'HTTP/1.0 503 Busy\r\nContent-Length: 0\r\n\r\n' : ok }));
    const { events } = run(analyzers(), frames);
    expect(events.filter((e) => e.kind === 'hc.state').map((e) => [e.state, e.reason])).toEqual([['down', 'status 503'], ['up', 'status 200']]);
  });
});

describe('LVS-NAT', () => {
  it('matches the client\'s connection to the VIP with the director\'s to a real server, and sees rr', () => {
    const frames: Timed[] = [[0, advert({ src: '10.0.0.11', vips: [vip] })]];
    for (let i = 0; i < 8; i++) {
      const rs = i % 2 ? rs2 : rs1;
      const isn = 5000 + i;
      frames.push(...connection({ client, server: vip, cport: 50000 + i, sport: 80, at: 1 + i, isn, request: 'GET / HTTP/1.1\r\n\r\n', response: ok }));
      frames.push(...connection({ client, server: rs, cport: 50000 + i, sport: 80, at: 1 + i + 0.00005, isn, request: 'GET / HTTP/1.1\r\n\r\n', response: ok }));
    }
    const { events } = run(analyzers(), frames.sort(byTime));
    expect(events.filter((e) => e.kind === 'lvs.forward').map((e) => [e.method, e.vip, e.realServer, e.connections])).toEqual([
      ['nat', `${vip}:80`, `${rs1}:80`, 4], ['nat', `${vip}:80`, `${rs2}:80`, 4],
    ]);
    expect(events.find((e) => e.kind === 'lvs.service')).toMatchObject({ scheduling: 'rr', connections: 8 });
  });

  describe('connections open across a change of master', () => {
    /** A client connection through the director opened at 1 s, its request and close at 12 s. */
    function longConnection(): Timed[] {
      const legs = [vip, rs1].map((server) => connection({ client, server, cport: 51000, sport: 80, at: 1, isn: 7000, request: 'GET / HTTP/1.1\r\n\r\n', response: ok }));
      return legs.flatMap((leg) => leg.map(([t, b], i): Timed => [i < 3 ? t : t + 11, b]));
    }

    it('a backup taking over: were they kept or reset?', () => {
      const frames = [...adverts({ src: '10.0.0.11', priority: 150, vips: [vip] }, 0, 4), ...adverts({ src: '10.0.0.12', priority: 100, vips: [vip] }, 7.5, 15), ...longConnection()];
      const { events } = run(analyzers(), frames.sort(byTime));
      expect(events.find((e) => e.kind === 'lvs.failover-connections')).toMatchObject({ survived: 1, reset: 0 });
    });

    it('the same master advertising again after its own silence took nothing over', () => {
      const frames = [...adverts({ src: '10.0.0.11', priority: 150, vips: [vip] }, 0, 4), ...adverts({ src: '10.0.0.11', priority: 150, vips: [vip] }, 9, 15), ...longConnection()];
      const { events } = run(analyzers(), frames.sort(byTime));
      // Back on its own 1 s cadence after 6 s (adverts at 0-3 s, then 9 s on), nobody in between, no rejoin: its adverts were lost, it stayed master (vrrp.loss).
      expect(events.filter((e) => e.kind === 'vrrp.master').map((e) => [e.router, e.previous])).toEqual([['10.0.0.11', null]]);
      expect(events.filter((e) => e.kind === 'vrrp.loss').map((e) => [e.router, e.missing])).toEqual([['10.0.0.11', 5]]);
      expect(events.filter((e) => e.kind === 'lvs.failover-connections')).toEqual([]);
    });
  });

  it('UDP-NAT: a client\'s datagram to the VIP and the director\'s copy to a real server, either captured first; other DNS traffic is not LVS', () => {
    const rs4 = '10.1.0.24';
    const query = (id: number) => Uint8Array.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1]);
    const frames: Timed[] = [[0, advert({ src: '10.0.0.11', vips: [vip] })]];
    // Two queries forwarded (the second captured back side first), one to a DNS server outside LVS.
    frames.push([1, udp({ src: client, dst: vip, sport: 40001, dport: 53, payload: query(0x1234) })], [1.0004, udp({ src: client, dst: rs4, sport: 40001, dport: 53, payload: query(0x1234) })]);
    frames.push([3, udp({ src: client, dst: rs4, sport: 40002, dport: 53, payload: query(0x5678) })], [3.0002, udp({ src: client, dst: vip, sport: 40002, dport: 53, payload: query(0x5678) })]);
    frames.push([5, udp({ src: client, dst: '10.9.9.9', sport: 40003, dport: 53, payload: query(0x9abc) })]);
    // A second datagram of the first connection (same client port) is no new connection.
    frames.push([6, udp({ src: client, dst: vip, sport: 40001, dport: 53, payload: query(0x1235) })], [6.0004, udp({ src: client, dst: rs4, sport: 40001, dport: 53, payload: query(0x1235) })]);
    const { events, comments } = run(analyzers(), frames);
    expect(events.filter((e) => e.kind === 'lvs.forward').map((e) => [e.method, e.vip, e.realServer, e.connections])).toEqual([['nat', `${vip}:53/udp`, `${rs4}:53`, 2]]);
    expect(comments.get(3)).toMatch(/^LVS-NAT: the director forwards 10\.0\.0\.50:40001 → 10\.0\.0\.100:53\/udp to real server 10\.1\.0\.24:53 \(destination rewritten, same client port and the same datagram\)/);
  });
});
