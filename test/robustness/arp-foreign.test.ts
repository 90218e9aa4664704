// An ARP whose lengths say Ethernet/IPv4 (6 and 4) but whose protocol type is another (here IPv6's
// 0x86dd) has no IPv4 addresses: the analysers must not bind a "null" address. Before the ARP decoder
// gave its addresses as one all-or-nothing value, two such replies from two MACs made an arp.conflict
// "null moves from 02:00:00:00:00:01 to 02:00:00:00:00:02".

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../../src/pipeline.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { decodeArp } from '../../src/dissect/arp.js';
import { decodePacket } from '../../src/dissect/packet.js';
import { summarize } from '../../src/dissect/summary.js';
import { Frame } from '../../src/io/frame.js';
import { I18n } from '../../src/present/i18n/index.js';
import { pcapBytes } from '../support/build.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-arp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A broadcast ARP reply, sender = target = 10.0.0.5 (a gratuitous reply's shape), protocol type `ptype`. */
function arpReply(mac: string, ptype: number): Uint8Array {
  const m = Buffer.from(mac.replace(/:/g, ''), 'hex');
  const arp = Buffer.concat([Buffer.from([0, 1, ptype >> 8, ptype & 0xff, 6, 4, 0, 2]), m, Buffer.from([10, 0, 0, 5]), Buffer.alloc(6, 0xff), Buffer.from([10, 0, 0, 5])]);
  return Buffer.concat([Buffer.alloc(6, 0xff), m, Buffer.from([0x08, 0x06]), arp]);
}

describe('ARP with a foreign protocol type', () => {
  it('has no Ethernet/IPv4 addresses', () => {
    const b = arpReply('02:00:00:00:00:01', 0x86dd).subarray(14);
    expect(decodeArp(b, 0, b.length)?.ethIpv4).toBeNull();
    const ok = arpReply('02:00:00:00:00:01', 0x0800).subarray(14);
    expect(decodeArp(ok, 0, ok.length)?.ethIpv4).toEqual({ senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.5', targetMac: 'ff:ff:ff:ff:ff:ff', targetIp: '10.0.0.5' });
  });

  it('is summarised by its protocol type, not as "null is at …"', () => {
    expect(summarize(decodePacket(Frame.of(arpReply('02:00:00:00:00:01', 0x86dd)))).info).toBe('ARP opcode 2 [protocol type 0x86dd, not IPv4]');
  });

  it('binds no address, so no conflict is reported', () => {
    const frames = [0, 1, 2, 3, 4, 5].map((i) => ({ sec: 1000 + 3 * i, frac: 0, data: arpReply(i % 2 ? '02:00:00:00:00:02' : '02:00:00:00:00:01', 0x86dd) }));
    const path = join(dir, 'arp-foreign.pcap');
    writeFileSync(path, pcapBytes(frames));
    const a = analyzeFiles([path], { analyzers: defaultAnalyzers(), lang: 'en' });
    expect(a.frames).toBe(6);
    expect(a.events.map((e) => e.kind)).toEqual([]);
    expect(a.hosts).toEqual([]);
  });
});
