// Throughput of the reader alone and of reader + decoders, in this process.
// usage: node bench/decode.mjs FILE [read|decode|both]
import { openCaptures } from '../dist/io/reader.js';
import { decodePacket } from '../dist/dissect/packet.js';
import { HeadReassembler } from '../dist/reassemble/reassembly.js';

const file = process.argv[2];
const what = process.argv[3] ?? 'both';

function run(decode) {
  const t0 = process.hrtime.bigint();
  const { source } = openCaptures([file]);
  const streams = new HeadReassembler();
  let n = 0, bytes = 0, f, vrrp = 0, tcp = 0;
  while ((f = source.next())) {
    n++; bytes += f.caplen;
    if (decode) { const p = decodePacket(f, streams); if (p.vrrp) vrrp++; if (p.tcp) tcp++; }
  }
  source.close();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { frames: n, seconds: s, framesPerSecond: Math.round(n / s), vrrp, tcp };
}

const out = {};
if (what === 'read' || what === 'both') out.read = run(false);
if (what === 'decode' || what === 'both') out.decode = run(true);
out.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
