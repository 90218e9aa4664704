// Every field name a report can show is one Wireshark knows: the names of the decoders' field tables,
// and the names actually shown in the HTML frame details and in JSON --all-frames `layers` of the
// bundled capture and fixtures with each decoded protocol, are fed to tshark as a display filter
// (`-Y 'a || b || …'`), which refuses the whole filter when one name is unknown and names it.
// (The Markdown frame table shows no decoded fields.)

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIELD_NAMES } from '../../src/present/layers.js';
import { FIXTURES } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { runCli } from '../support/ours.js';

const ROOT = join(FIXTURES, '..', '..');
const CAPTURE = join(ROOT, 'captures', 'vrrp-failover.pcap');
const SHOWN_FROM = [
  CAPTURE, // VRRP, ARP, ICMP, IGMP
  join(ROOT, 'captures', 'vrrp-v3-ipv6.pcap'), // IPv6, ICMPv6, VRRPv3
  join(ROOT, 'captures', 'vrrp-unicast.pcap'), // an ICMP error quoting a packet
  join(FIXTURES, 'public/tcpdump/HSRP_coup.pcap'),
  join(FIXTURES, 'public/tcpdump/arp-too-long-tha.pcap'), // 802.1ad
  join(FIXTURES, 'public/tcpdump/ipv4_tcp_http_xml.pcap'), // 802.1Q, HTTP
  join(FIXTURES, 'public/zeek/linuxsll-arp.pcap'), // Linux cooked
  join(FIXTURES, 'public/zeek/smtp.pcap'), // SMTP, TLS, DNS
  join(FIXTURES, 'lab/healthcheck-mix/healthcheck-mix.pcapng'), // TCP, HTTP, DNS, TLS, SMTP
  join(FIXTURES, 'lab/lvs-nat-basic/lvs-nat-basic-d1-any.pcap'), // IPVS sync, SLL2
];

/** tshark's verdict on a display filter: null when accepted, else its message. */
function filterError(names: readonly string[]): string | null {
  const r = spawnSync('tshark', ['-n', '-r', CAPTURE, '-Y', names.join(' || ')], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  return r.status === 0 ? null : r.stderr.replace(/^Running as user.*\n/m, '').trim();
}

function shownNames(file: string): Set<string> {
  const names = new Set<string>();
  const html = runCli(['report', file, '--format', 'html', '--all-frames', '-o', '-']);
  expect(html.status).toBe(0);
  for (const table of html.stdout.matchAll(/<table class="fields">([\s\S]*?)<\/table>/g))
    for (const m of table[1].matchAll(/<tr><th>([^<]*)<\/th><td>/g)) names.add(m[1]);
  const json = runCli(['report', file, '--format', 'json', '--all-frames', '-o', '-']);
  expect(json.status).toBe(0);
  const walk = (L: Record<string, any>) => {
    for (const [k, v] of Object.entries(L)) {
      if (k === 'inner' || k === 'quoted') walk(v);
      else for (const name of Object.keys(v)) names.add(name);
    }
  };
  for (const f of JSON.parse(json.stdout).frames) walk(f.layers);
  return names;
}

describe.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('every field name a report shows is a Wireshark display-filter field', () => {
  it('tshark refuses an OR of names when one of them is unknown, and names it', () => {
    expect(filterError(['vrrp.prio', 'eth.type'])).toBeNull();
    expect(filterError(['vrrp.prio', 'vrrp.priority', 'eth.type'])).toMatch(/vrrp\.priority is neither a field nor a protocol name/);
  });

  const shown = new Set<string>();
  it('the reports of the bundled capture and the fixtures show only names of the field tables', () => {
    for (const file of SHOWN_FROM) for (const n of shownNames(file)) shown.add(n);
    expect(shown.size).toBeGreaterThan(80);
    expect([...shown].filter((n) => !FIELD_NAMES.includes(n))).toEqual([]);
  }, 120_000);

  it('tshark accepts every one of them', () => {
    const names = [...new Set([...FIELD_NAMES, ...shown])];
    expect(names.length).toBeGreaterThan(100);
    const err = filterError(names);
    const unknown = [...(err ?? '').matchAll(/^tshark: (\S+) is neither a field nor a protocol name/gm)].map((m) => m[1]);
    expect({ unknown, err }).toEqual({ unknown: [], err: null });
  });
});
