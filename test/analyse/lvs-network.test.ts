// What the LVS analyser learns of the network stays bounded: every IP-in-IP SYN names a VIP and a
// director, every ARP sender a MAC, so a long or crafted capture must not grow these tables without end.

import { describe, expect, it } from 'vitest';
import { Network } from '../../src/analyse/lvs/network.js';
import { HealthChecks } from '../../src/analyse/checks/analyser.js';
import { TcpFlows } from '../../src/analyse/tcp/flows.js';

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
});
