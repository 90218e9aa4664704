#!/usr/bin/env node
// A stand-in for `tcpdump -U -w - -i IF` (VRRPSCOPE_TCPDUMP=this file) that needs no privilege: it says
// what tcpdump says on stderr and replays a capture file on stdout in small chunks, so the tcpdump
// backend, the live pipeline and the CLI's stop paths can be tested as an unprivileged user.
//
//   FAKE_PCAP=FILE        the capture to replay (pcap or pcapng); default: nothing
//   FAKE_CHUNK=N          bytes per write (default 61)
//   FAKE_DELAY_MS=N       pause between writes (default 0: next tick of the event loop)
//   FAKE_FAIL=permission|nodevice|filter   fail as tcpdump does, before "listening on"
//   FAKE_IGNORE_INT=1     ignore SIGINT (a stuck capture program)
//   FAKE_DIE=1            exit 1 after the replay, as when the interface disappears

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write('tcpdump version 4.99.3-fake\nlibpcap version 1.10.3 (with TPACKET_V3)\n');
  process.exit(0);
}
const iface = args[args.indexOf('-i') + 1] ?? 'any';
const env = process.env;

switch (env.FAKE_FAIL) {
  case 'permission':
    process.stderr.write(`tcpdump: ${iface}: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n`);
    process.exit(1);
  case 'nodevice':
    process.stderr.write(`tcpdump: ${iface}: No such device exists\n(No such device exists)\n`);
    process.exit(1);
  case 'filter':
    process.stderr.write('tcpdump: can\'t parse filter expression: syntax error\n');
    process.exit(1);
}

const bytes = env.FAKE_PCAP ? readFileSync(env.FAKE_PCAP) : Buffer.alloc(0);
const frames = countPcapFrames(bytes);
const chunk = Number(env.FAKE_CHUNK ?? 61);
const delay = Number(env.FAKE_DELAY_MS ?? 0);

const stats = () => process.stderr.write(`${frames} packets captured\n${frames} packets received by filter\n0 packets dropped by kernel\n`);
process.on('SIGINT', () => {
  if (env.FAKE_IGNORE_INT) return;
  stats();
  process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));

process.stderr.write(`tcpdump: listening on ${iface}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n`);
let off = 0;
const next = () => {
  if (off >= bytes.length) {
    process.stderr.write(`tcpdump: WARNING: fake replay done (${frames} frames)\n`);
    if (env.FAKE_DIE) {
      process.stderr.write('tcpdump: pcap_loop: The interface disappeared\n');
      stats();
      process.exit(1);
    }
    setInterval(() => {}, 1 << 30); // then wait for a signal, as tcpdump on a quiet link
    return;
  }
  const end = Math.min(bytes.length, off + chunk);
  process.stdout.write(bytes.subarray(off, end), () => (delay ? setTimeout(next, delay) : setImmediate(next)));
  off = end;
};
next();

function countPcapFrames(b) {
  if (b.length < 24) return 0;
  const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
  let n = 0;
  for (let p = 24; p + 16 <= b.length; n++) p += 16 + (le ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8));
  return n;
}
