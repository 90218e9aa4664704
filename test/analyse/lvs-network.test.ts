// What the LVS analyser learns of the network stays bounded: every IP-in-IP SYN names a VIP and a
// director, every ARP sender a MAC, so a long or crafted capture must not grow these tables without end.

import { describe, expect, it } from 'vitest';
import { Network } from '../../src/analyse/lvs/network.js';
import { HealthChecks } from '../../src/analyse/checks/analyser.js';
import { TcpFlows } from '../../src/analyse/tcp/flows.js';
import type { VrrpMaster, VrrpResign } from '../../src/analyse/vrrp/events.js';

const ip = (i: number, net = 10) => `${net}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('LVS network', () => {
  it('caps VIPs, directors and MACs; what it already holds still counts once the tables are full', () => {
    const n = new Network(new HealthChecks(new TcpFlows()));
    for (let i = 0; i < 10_000; i++) n.tunnel(ip(i, 172), ip(i));
    for (let i = 0; i < 100_000; i++) n.arpSender(ip(i, 192), `02:00:00:${((i >> 16) & 255).toString(16)}:${((i >> 8) & 255).toString(16)}:${(i & 255).toString(16)}`);
    expect(n.vips.size).toBe(4096);
    expect(n.macToIp.size).toBe(65_536);
    expect(n.isDirector(ip(0, 172))).toBe(true);
    expect(n.isDirector(ip(9999, 172))).toBe(false);
    expect(n.vips.has(ip(0))).toBe(true);
    // A known MAC that moves to another address is still followed.
    n.arpSender('192.168.200.1', '02:00:00:0:0:0');
    expect(n.macToIp.get('02:00:00:0:0:0')).toBe('192.168.200.1');
  });

  it('names the director that forwarded by its MAC and its tenure as master then (issue #15)', () => {
    const n = new Network(new HealthChecks(new TcpFlows()));
    let id = 0;
    const master = (router: string, mac: string, vrid: number, addresses: string[]): VrrpMaster =>
      ({ id: `m${++id}`, kind: 'vrrp.master', time: id, frames: [], severity: 'info', vrid, family: 4, router, mac, addresses } as unknown as VrrpMaster);
    const vip = '10.0.0.100', d1 = '02:00:0a:00:00:0b', d2 = '02:00:0a:00:00:0c', d2back = '02:00:0a:01:00:0c', vmac = '00:00:5e:00:01:33';
    const first = master('10.0.0.11', d1, 51, [vip]);
    n.master(first);
    expect(n.forwarder(vip, [d1])).toEqual({ director: '10.0.0.11', tenure: first });
    // A MAC no master advertised from: the VIP's master, as before.
    expect(n.forwarder(vip, ['02:00:0a:00:00:99'])).toEqual({ director: '10.0.0.11', tenure: first });
    // d2 takes over: a SYN still sent to d1's MAC is d1's, while it is no longer master.
    const second = master('10.0.0.12', d2, 51, [vip]);
    n.master(second);
    expect(n.forwarder(vip, [d1])).toEqual({ director: '10.0.0.11', tenure: null });
    expect(n.forwarder(vip, [null, d2])).toEqual({ director: '10.0.0.12', tenure: second });
    // On its other link (VRID 52, the servers' gateway) d2 is known by that link's MAC and master there.
    const back = master('10.1.0.12', d2back, 52, ['10.1.0.1']);
    n.master(back);
    expect(n.forwarder(vip, [d2back])).toEqual({ director: '10.1.0.12', tenure: back });
    expect(n.forwarder(null, [d2back])).toEqual({ director: '10.1.0.12', tenure: back });
    // Its priority 0 ends the tenure (keepalived leaves MASTER with it).
    n.stopped({ kind: 'vrrp.resign', vrid: 51, family: 4, router: '10.0.0.12' } as unknown as VrrpResign);
    expect(n.forwarder(vip, [d2])).toEqual({ director: '10.0.0.12', tenure: null });
    // A VRRP virtual MAC belongs to whichever router advertises from it last.
    n.master(master('10.0.0.11', vmac, 51, [vip]));
    const third = master('10.0.0.12', vmac, 51, [vip]);
    n.master(third);
    expect(n.forwarder(vip, [vmac])).toEqual({ director: '10.0.0.12', tenure: third });
  });
});
