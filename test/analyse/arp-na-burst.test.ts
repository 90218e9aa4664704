// Unsolicited neighbour advertisements that a host repeats (a second or so apart) are one burst, not an
// event each; announcements far apart stay separate; keepalived's NDP bursts of a takeover keep their shape.

import { describe, expect, it } from 'vitest';
import { ArpAnalyzer } from '../../src/analyse/arp/analyser.js';
import { run, type Timed } from '../support/frames.js';

/** An Ethernet/IPv6 unsolicited NA (Override set, to all nodes) for `target` from `mac`. */
function na(target: number[], mac: number[]): Uint8Array {
  const icmp = new Uint8Array(32);
  icmp[0] = 136; icmp[4] = 0x20; // Override, not Solicited
  icmp.set(target, 8);
  icmp[24] = 2; icmp[25] = 1; icmp.set(mac, 26); // target link-layer address
  const ip = new Uint8Array(40);
  ip[0] = 0x60; ip[4] = 0; ip[5] = icmp.length; ip[6] = 58; ip[7] = 255;
  ip[8] = 0xfe; ip[9] = 0x80; ip.set(mac, 18);
  ip.set([0xff, 0x02, ...new Array(13).fill(0), 1], 24);
  return Uint8Array.from([0x33, 0x33, 0, 0, 0, 1, ...mac, 0x86, 0xdd, ...ip, ...icmp]);
}

const HOST = [0x02, 0, 0, 0, 0, 0x05];
const ADDR = [0xfd, 0, 0, 0x10, ...new Array(11).fill(0), 5];
const garps = (frames: Timed[]) => run([new ArpAnalyzer()], frames).events.filter((e) => e.kind === 'arp.garp');

describe('unsolicited neighbour advertisements of one host', () => {
  it('repeated one second apart: one burst with their count and frames', () => {
    const frames: Timed[] = [0, 1, 2, 3.1, 4].map((t) => [10 + t, na(ADDR, HOST)]);
    const events = garps(frames);
    expect(events.map((e) => [e.count, e.frames])).toEqual([[5, [1, 2, 3, 4, 5]]]);
  });

  it('announcements far apart (10 s) are separate bursts', () => {
    const frames: Timed[] = [[10, na(ADDR, HOST)], [10.8, na(ADDR, HOST)], [20.8, na(ADDR, HOST)]];
    expect(garps(frames).map((e) => [e.count, e.frames])).toEqual([[2, [1, 2]], [1, [3]]]);
  });

  it('two hosts, or two addresses, are not merged', () => {
    const other = [0x02, 0, 0, 0, 0, 0x06];
    const addr2 = [...ADDR.slice(0, 15), 6];
    const frames: Timed[] = [[10, na(ADDR, HOST)], [10.2, na(ADDR, other)], [10.4, na(addr2, HOST)], [11, na(ADDR, HOST)]];
    expect(garps(frames).map((e) => [e.ip, e.mac, e.count]).sort()).toEqual([
      ['fd00:10::5', '02:00:00:00:00:05', 2],
      ['fd00:10::5', '02:00:00:00:00:06', 1],
      ['fd00:10::6', '02:00:00:00:00:05', 1],
    ]);
  });
});
