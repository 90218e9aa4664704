// A ping cut before its identifier (issue #11, item 1): the decoders say the echo is missing, the frame
// gets a warning, and the report is written. Inputs: test/fixtures/regressions (copies of the shared
// regressions), so this runs on a plain clone.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { decodeIcmp } from '../../src/dissect/icmp.js';
import { decodeIcmpv6 } from '../../src/dissect/icmpv6.js';
import { runCli } from '../support/ours.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/regressions/${name}`, import.meta.url));

describe('a truncated ICMP echo', () => {
  it('decodes as an echo without identifier, with a problem', () => {
    const request = Uint8Array.from([8, 0, 0xf7, 0xff, 0x12, 0x34, 0x00, 0x07]);
    expect(decodeIcmp(request, 0, 8)).toMatchObject({ echo: { request: true, id: 0x1234, seq: 7 }, problem: null });
    const cut = decodeIcmp(request, 0, 6);
    expect(cut?.echo).toBeNull();
    expect(cut?.problem?.message).toBe('ICMP echo request truncated: 6 of 8 bytes');
    const reply = Uint8Array.from([129, 0, 0, 0, 0xab, 0xcd, 0x00, 0x01]);
    expect(decodeIcmpv6(reply, 0, 8)?.echo).toEqual({ request: false, id: 0xabcd, seq: 1 });
    const cut6 = decodeIcmpv6(reply, 0, 5);
    expect(cut6?.echo).toBeNull();
    expect(cut6?.problem?.message).toBe('ICMPv6 echo reply truncated: 5 of 8 bytes');
  });

  for (const [file, frame, what] of [
    ['hc-icmp-null-id.pcap', 2, 'request'], // from a director: the health-check analyser's ping probe
    ['hc-icmp-reply-null-id.pcap', 3, 'reply'], // while a DNS probe of the same director is pending
  ] as const) {
    it(`${file}: the report is written, with a warning for frame ${frame}, exit 0`, () => {
      const r = runCli(['report', fixture(file), '--format', 'json', '-o', '-']);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.status).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.warnings).toContainEqual({ frame, message: `malformed icmp: ICMP echo ${what} truncated: 4 of 8 bytes` });
    });
  }
});
