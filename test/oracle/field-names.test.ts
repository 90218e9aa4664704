// Every field name a report can show is one Wireshark knows: the names of the decoders' field tables,
// and the names actually shown in the HTML frame details and in JSON --all-frames `layers` of the
// bundled capture and fixtures with each decoded protocol, are fed to tshark as a display filter
// (`-Y 'a || b || …'`), which refuses the whole filter when one name is unknown and names it.
// (The Markdown frame table shows no decoded fields.)

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIELD_NAMES } from '../../src/present/layers.js';
import { FIXTURES } from '../support/captures.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { tshark } from '../support/tshark-cache.js';
import { reportJsonOnce, reportText } from '../support/ours.js';

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
async function filterError(names: readonly string[]): Promise<string | null> {
  const r = await tshark(['-n', '-r', CAPTURE, '-Y', names.join(' || ')], CAPTURE);
  return r.status === 0 ? null : r.stderr.replace(/^Running as user.*\n/m, '').trim();
}

/** The names the HTML frame details and the JSON layers show (reports made in this process). */
async function shownNames(file: string): Promise<Set<string>> {
  const names = new Set<string>();
  const html = await reportText([file], 'html', ['--all-frames']);
  expect(html.status, html.stderr).toBe(0);
  for (const table of html.stdout.matchAll(/<table class="fields">([\s\S]*?)<\/table>/g))
    for (const m of table[1].matchAll(/<tr><th>([^<]*)<\/th><td>/g)) names.add(m[1]);
  const json = await reportJsonOnce([file], ['--all-frames']);
  const walk = (L: Record<string, any>) => {
    for (const [k, v] of Object.entries(L)) {
      if (k === 'inner' || k === 'quoted') walk(v);
      else for (const name of Object.keys(v)) names.add(name);
    }
  };
  for (const f of json.frames) walk(f.layers);
  return names;
}

describe.skipIf(skipUnless(HAVE_TSHARK, REASONS.tshark))('every field name a report shows is a Wireshark display-filter field', () => {
  it('tshark refuses an OR of names when one of them is unknown, and names it', async () => {
    expect(await filterError(['vrrp.prio', 'eth.type'])).toBeNull();
    expect(await filterError(['vrrp.prio', 'vrrp.priority', 'eth.type'])).toMatch(/vrrp\.priority is neither a field nor a protocol name/);
  });

  // One test per capture: each a few reports made in this process, with a turn of the event loop between.
  const shown = new Set<string>();
  for (const file of SHOWN_FROM) {
    it(`${file.slice(ROOT.length + 1)}: its reports show only names of the field tables`, async () => {
      const names = await shownNames(file);
      expect(names.size).toBeGreaterThan(0);
      for (const n of names) shown.add(n);
      expect([...names].filter((n) => !FIELD_NAMES.includes(n))).toEqual([]);
    }, 120_000);
  }

  it('tshark accepts every one of them', async () => {
    expect(shown.size, 'names shown by the reports above').toBeGreaterThan(80);
    const names = [...new Set([...FIELD_NAMES, ...shown])];
    expect(names.length).toBeGreaterThan(100);
    const err = await filterError(names);
    const unknown = [...(err ?? '').matchAll(/^tshark: (\S+) is neither a field nor a protocol name/gm)].map((m) => m[1]);
    expect({ unknown, err }).toEqual({ unknown: [], err: null });
  });
});
