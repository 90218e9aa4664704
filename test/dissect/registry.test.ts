// The dispatch tables (src/dissect/registry.ts): each protocol module registers itself for the numbers
// that carry it (expected below from the protocols' assignments: IANA link types, EtherTypes, IP
// protocol numbers, ports), nothing else is registered, and a number nobody registered ends the
// walk cleanly: the layers decoded so far, no problem, no exception.

import { describe, expect, it, vi } from 'vitest';
import { Frame } from '../../src/io/frame.js';
import { decodePacket } from '../../src/dissect/packet.js';

type TableName = 'linkTypes' | 'etherTypes' | 'ipProtocols' | 'udpPorts' | 'tcpPorts';
interface Registered { tables: Partial<Record<TableName, number[]>>; transportHeuristics?: number[]; tcpHeuristic?: boolean }

/** Module → what it registers, and under which Wireshark protocol name. */
const EXPECTED: Record<string, Registered & { name: string }> = {
  'ethernet.ts': { name: 'eth', tables: { linkTypes: [1] } },
  'sll.ts': { name: 'sll', tables: { linkTypes: [113, 276] } },
  'loopback.ts': { name: 'null', tables: { linkTypes: [0, 108] } },
  'raw-ip.ts': { name: 'raw', tables: { linkTypes: [12, 14, 101, 228, 229] } },
  'arp.ts': { name: 'arp', tables: { etherTypes: [0x0806] } },
  'ipv4.ts': { name: 'ip', tables: { etherTypes: [0x0800], ipProtocols: [4] } },
  'ipv6.ts': { name: 'ipv6', tables: { etherTypes: [0x86dd], ipProtocols: [41] } },
  'icmp.ts': { name: 'icmp', tables: { ipProtocols: [1] } },
  'igmp.ts': { name: 'igmp', tables: { ipProtocols: [2] } },
  'tcp.ts': { name: 'tcp', tables: { ipProtocols: [6] } },
  'udp.ts': { name: 'udp', tables: { ipProtocols: [17] } },
  'icmpv6.ts': { name: 'icmpv6', tables: { ipProtocols: [58] } },
  'vrrp.ts': { name: 'vrrp', tables: { ipProtocols: [112] } },
  'carp.ts': { name: 'carp', tables: {}, transportHeuristics: [112] },
  'hsrp.ts': { name: 'hsrp', tables: { udpPorts: [1985, 2029] } },
  'dns.ts': { name: 'dns', tables: { udpPorts: [53, 5353] } },
  'ipvs-sync.ts': { name: 'ipvs', tables: { udpPorts: [8848] } },
  'smtp.ts': { name: 'smtp', tables: { tcpPorts: [25, 587, 2525] } },
  'tls.ts': { name: 'tls', tables: {}, tcpHeuristic: true },
  'http.ts': { name: 'http', tables: {}, tcpHeuristic: true },
};
const TABLES: TableName[] = ['linkTypes', 'etherTypes', 'ipProtocols', 'udpPorts', 'tcpPorts'];

type Registry = typeof import('../../src/dissect/registry.js');

/** Everything registered, as `table key name` lines. */
function registeredIn(r: Registry): string[] {
  const out: string[] = [];
  for (const t of TABLES) for (const { key, name } of r[t].list()) out.push(`${t} ${key} ${name}`);
  const h = r.heuristics();
  for (const { key, names } of h.transport) for (const n of names) out.push(`transportHeuristics ${key} ${n}`);
  for (const n of h.tcp) out.push(`tcpHeuristic ${n}`);
  return out.sort();
}

function expectedOf(e: Registered & { name: string }): string[] {
  const out: string[] = [];
  for (const t of TABLES) for (const k of e.tables[t] ?? []) out.push(`${t} ${k} ${e.name}`);
  for (const k of e.transportHeuristics ?? []) out.push(`transportHeuristics ${k} ${e.name}`);
  if (e.tcpHeuristic) out.push(`tcpHeuristic ${e.name}`);
  return out;
}

describe('the dispatch tables', () => {
  it('hold exactly what the protocol modules register, once packet.ts is loaded', async () => {
    const r = await import('../../src/dissect/registry.js');
    expect(registeredIn(r)).toEqual(Object.values(EXPECTED).flatMap(expectedOf).sort());
  });

  it('are empty until a protocol module loads', async () => {
    vi.resetModules();
    const r = await import('../../src/dissect/registry.js');
    expect(registeredIn(r)).toEqual([]);
  });

  for (const [module, e] of Object.entries(EXPECTED)) {
    it(`${module} registers its own entries when it loads, alone`, async () => {
      vi.resetModules();
      const r = await import('../../src/dissect/registry.js');
      await import(`../../src/dissect/${module.replace(/\.ts$/, '.js')}`);
      expect(registeredIn(r)).toEqual(expect.arrayContaining(expectedOf(e)));
    });
  }

  it('refuse a second dissector for a number already taken', async () => {
    vi.resetModules();
    await import('../../src/dissect/packet.js');
    const r = await import('../../src/dissect/registry.js');
    expect(() => r.registerEtherType([0x0800], 'other', { dissect() {} })).toThrow(/registered over ip/);
  });
});

// Frames built from their headers: Ethernet II, IPv4 (20 bytes, no options), UDP or TCP (20 bytes).
const MAC = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
const ethernet = (type: number, payload: number[]) => [...MAC, type >> 8, type & 0xff, ...payload];
function ipv4(proto: number, payload: number[]): number[] {
  const len = 20 + payload.length;
  return [0x45, 0, len >> 8, len & 0xff, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, ...payload];
}
const udp = (src: number, dst: number, payload: number[]) =>
  [src >> 8, src & 0xff, dst >> 8, dst & 0xff, 0, 8 + payload.length, 0, 0, ...payload];
const tcp = (src: number, dst: number, payload: number[]) =>
  [src >> 8, src & 0xff, dst >> 8, dst & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0, ...payload];
const decode = (bytes: number[], linkType = 1) => decodePacket(Frame.of(Uint8Array.from(bytes), linkType, 1795550000, 0, 1));
const text = (s: string) => [...Buffer.from(s, 'latin1')];

/** The layers a packet has (its non-null slots among the decoded ones). */
function layers(p: ReturnType<typeof decode>): string[] {
  const slots = ['eth', 'cooked', 'arp', 'ip', 'ipv6', 'inner', 'icmp', 'icmpv6', 'igmp', 'tcp', 'udp', 'vrrp', 'carp', 'hsrp', 'ipvsSync', 'dns', 'tls', 'smtp', 'http'] as const;
  return slots.filter((s) => p[s] !== null);
}

describe('a number nobody registered ends the walk cleanly', () => {
  it('a link type: an empty packet', () => {
    const p = decode(ethernet(0x0800, ipv4(17, udp(1, 2, []))), 147);
    expect(layers(p)).toEqual([]);
    expect(p.problems).toBe(null);
  });

  it('an EtherType (LLDP): Ethernet only', () => {
    const p = decode(ethernet(0x88cc, [2, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(layers(p)).toEqual(['eth']);
    expect(p.problems).toBe(null);
  });

  it('an IP protocol (GRE): IPv4 only', () => {
    const p = decode(ethernet(0x0800, ipv4(47, [0, 0, 0x08, 0, 1, 2, 3, 4])));
    expect(layers(p)).toEqual(['eth', 'ip']);
    expect(p.problems).toBe(null);
  });

  it('UDP ports: UDP only', () => {
    const p = decode(ethernet(0x0800, ipv4(17, udp(40000, 9999, text('hello')))));
    expect(layers(p)).toEqual(['eth', 'ip', 'udp']);
    expect(p.problems).toBe(null);
  });

  it('TCP ports and bytes no heuristic knows: TCP only', () => {
    const p = decode(ethernet(0x0800, ipv4(6, tcp(40000, 7000, text('hello there')))));
    expect(layers(p)).toEqual(['eth', 'ip', 'tcp']);
    expect(p.problems).toBe(null);
  });
});

describe('the walk goes to the registered dissector', () => {
  it('by TCP port (SMTP on 25) before the heuristics (an HTTP-looking line)', () => {
    const p = decode(ethernet(0x0800, ipv4(6, tcp(40000, 25, text('GET / HTTP/1.0\r\n\r\n')))));
    expect(layers(p)).toEqual(['eth', 'ip', 'tcp', 'smtp']);
  });

  it('by a TCP heuristic on any port (an HTTP head)', () => {
    const p = decode(ethernet(0x0800, ipv4(6, tcp(40000, 7000, text('GET / HTTP/1.0\r\nHost: a\r\n\r\n')))));
    expect(layers(p)).toEqual(['eth', 'ip', 'tcp', 'http']);
    expect(p.http?.method).toBe('GET');
  });

  it('by UDP port, the better ranked of two registered ports: IPVS sync over DNS, HSRP over mDNS', () => {
    const viaUdp = (src: number, dst: number, payload: number[]) => decode(ethernet(0x0800, ipv4(17, udp(src, dst, payload))));
    expect(viaUdp(53, 8848, [0, 0, 0, 0]).ipvsSync).not.toBe(null);
    expect(viaUdp(8848, 53, [0, 0, 0, 0]).ipvsSync).not.toBe(null);
    expect(viaUdp(8848, 53, [0, 0, 0, 0]).dns).toBe(null);
    // An HSRP v0 hello (RFC 2281 §5): version 0, op 0, state 16 (active), hello 3, hold 10, priority 100, group 1.
    const hsrp = viaUdp(5353, 1985, [0, 0, 16, 3, 10, 100, 1, 0, ...text('cisco\0\0\0'), 10, 0, 0, 9]);
    expect(hsrp.hsrp).not.toBe(null);
    expect(hsrp.dns).toBe(null);
  });

  it('by IP protocol 112 to CARP when its heuristic knows the bytes, else to VRRP', () => {
    const carp = [0x21, 1, 0, 7, 0, 1, 0, 0, ...new Array(28).fill(0)];
    expect(layers(decode(ethernet(0x0800, ipv4(112, carp))))).toEqual(['eth', 'ip', 'carp']);
    const vrrp = [0x21, 1, 100, 1, 0, 1, 0, 0, 10, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(layers(decode(ethernet(0x0800, ipv4(112, vrrp))))).toEqual(['eth', 'ip', 'vrrp']);
  });
});
