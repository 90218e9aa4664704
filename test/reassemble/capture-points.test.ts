// Several capture points of the same traffic (issue #14, point 11): a frame seen in two inputs is one
// fact. Made-up frames for the pairing rules; real lab captures (a bridge and a director's `-i any`)
// for the whole analysis, with the copies counted independently from tshark's header fields.

import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frame } from '../../src/io/frame.js';
import { CapturePoints, WINDOW } from '../../src/reassemble/capture-points.js';
import { analyzeFiles, type Analysis } from '../../src/pipeline.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { fixture } from '../support/captures.js';
import { HAVE_TSHARK } from '../support/tshark.js';
import { tsharkOut } from '../support/tshark-cache.js';
import { REASONS, skipUnless } from '../support/skip.js';
import { hex } from '../dissect/bytes/hex.js';

// keepalived's gratuitous ARP for 10.0.0.100 from 02:00:0a:00:00:0b (42 bytes; a bridge pads it to 60).
const GARP = 'ffffffffffff02000a00000b0806000108000604000102000a00000b0a000064ffffffffffff0a000064';
// A client's IPv4/ICMP echo request 10.0.0.50 → 10.0.0.100 (ip.len 28), sent from 02:00:0a:00:00:32 to d1.
const IP = '4500001c1234400040011c5a0a0000320a0000640800f7ff00000000';
const eth = (dst: string, src: string, type: string, payload: string, pad = 0) => hex(dst + src + type + payload + '00'.repeat(pad));
// Linux cooked v1 (what `tcpdump -i any` writes): packet type, ARPHRD_ETHER, address length 6, the sender's MAC.
const sll = (pktType: string, src: string, type: string, payload: string) => hex(pktType + '0001' + '0006' + src + '0000' + type + payload);

function frame(input: number, n: number, t: number, bytes: Uint8Array, linkType = 1): Frame {
  const f = new Frame(input, n, 0, linkType, Math.floor(t), Math.round((t % 1) * 1e9), bytes, 0, bytes.length, bytes.length, 0);
  f.n = n;
  return f;
}
const time = (f: Frame) => f.tsSec + f.tsNs / 1e9;

/** Frames through the pairing, each at its own time: what went on, in order, as [n, copy of n or 0]. */
function run(frames: Frame[]): [number, number][] {
  const out: [number, number][] = [];
  const p = new CapturePoints((h) => out.push([h.frame.n, h.copyOf?.n ?? 0]));
  for (const f of frames) p.push(f, time(f), `input${f.fileIndex}`);
  p.flush();
  return out;
}

describe('capture points: which frames are copies of one another', () => {
  it('a burst of identical gratuitous ARPs at two points pairs one to one, in order', () => {
    // The director's own capture (input 0) stamps them 0.2 ms before the bridge (input 1) does.
    const any = [1, 2, 3, 4, 5].map((n) => frame(0, n, 100 + n * 1e-5, sll('0004', '02000a00000b', '0806', GARP.slice(28)), 113));
    const bridge = [6, 7, 8, 9, 10].map((n) => frame(1, n, 100.0002 + n * 1e-5, eth('ffffffffffff', '02000a00000b', '0806', GARP.slice(28), 18)));
    // Padding on the bridge (60 bytes) and none on the host's own capture: the same ARP message.
    expect(run([...any, ...bridge])).toEqual([[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 1], [7, 2], [8, 3], [9, 4], [10, 5]]);
  });

  it('the copy of the input named first is the one analysed, whichever was stamped first', () => {
    const bridge = frame(0, 2, 100.0002, eth('ffffffffffff', '02000a00000b', '0806', GARP.slice(28), 18));
    const any = frame(1, 1, 100, sll('0004', '02000a00000b', '0806', GARP.slice(28)), 113);
    expect(run([any, bridge])).toEqual([[1, 2], [2, 0]]);
  });

  it('the same bytes twice in one input are two frames (a host does send a frame twice)', () => {
    expect(run([frame(0, 1, 10, hex(GARP)), frame(0, 2, 10.001, hex(GARP))])).toEqual([[1, 0], [2, 0]]);
  });

  it('an LVS-DR director re-sending the client\'s IP packet to a real server\'s MAC is not a copy', () => {
    const fromClient = frame(0, 1, 10, eth('02000a00000b', '02000a000032', '0800', IP));
    const fromDirector = frame(1, 2, 10.0001, eth('02000a000015', '02000a00000b', '0800', IP));
    // …while the client's frame seen at the director itself is.
    const atDirector = frame(1, 3, 10.0002, sll('0000', '02000a000032', '0800', IP), 113);
    expect(run([fromClient, fromDirector, atDirector])).toEqual([[1, 0], [2, 0], [3, 1]]);
  });

  it('a held frame keeps its bytes when the reader reuses its buffer', () => {
    // Readers hand out Node Buffers and refill them: a held frame must be a copy, not a view.
    const buf = Buffer.from(hex(GARP));
    const out: string[] = [];
    const p = new CapturePoints((h) => out.push(Buffer.from(h.frame.buf.subarray(h.frame.start, h.frame.start + h.frame.caplen)).toString('hex')));
    const f = frame(0, 1, 10, buf);
    p.push(f, 10, 'a');
    buf.fill(0);
    p.flush();
    expect(out).toEqual([GARP]);
  });

  it('copies further apart than the window are two frames', () => {
    expect(run([frame(0, 1, 10, hex(GARP)), frame(1, 2, 10 + WINDOW + 0.01, hex(GARP))])).toEqual([[1, 0], [2, 0]]);
  });
});

const LAB = fixture('lab/lvs-nat-basic');
const FRONT = join(LAB, 'lvs-nat-basic-front.pcap'), BACK = join(LAB, 'lvs-nat-basic-back.pcap'), ANY = join(LAB, 'lvs-nat-basic-d1-any.pcap');
const analyse = (files: string[]) => analyzeFiles(files, { analyzers: defaultAnalyzers(), lang: 'en' });
/**
 * What the events found, for comparing two analyses of the same traffic: without ids, frame lists and
 * links between events, in time order. Which capture point's copy is analysed changes times by
 * microseconds (a host stamps a frame it sends before the bridge does), so times are kept to the
 * millisecond and durations to 5 ms.
 */
const facts = (a: Analysis) => a.events.map(({ id: _id, frames: _frames, ...rest }) => rest as Record<string, unknown>)
  .sort((x, y) => (x.time as number) - (y.time as number) || String(x.kind).localeCompare(String(y.kind)))
  .map((e) => JSON.stringify(e, (k, v) => (k === 'related' || k === 'cause' || k === 'explains' ? undefined
    : k === 'time' || k === 'start' || k === 'end' ? Math.round(v * 1000) / 1000
      : typeof v === 'number' && k.endsWith('Ms') ? Math.round(v / 5) * 5 : v)));
const overlaps = (a: Analysis) => a.warnings.flatMap((w) => (w.note?.note === 'capture.overlap' ? [w.note] : []));

describe('capture points: a lab recorded on two bridges and inside a director (tcpdump -i any)', () => {
  it('the director\'s own capture adds no event: each frame is analysed once', () => {
    const twoBridges = analyse([FRONT, BACK]);
    const withAny = analyse([FRONT, BACK, ANY]);
    expect(twoBridges.events.length).toBeGreaterThan(10);
    expect(facts(withAny)).toEqual(facts(twoBridges));
    expect(overlaps(twoBridges)).toEqual([]);
    // Each event lists its frames at every point that saw them: the director's copies too.
    const files = new Set<number>();
    const firstOfAny = twoBridges.frames + 1;
    for (const e of withAny.events) for (const n of e.frames) files.add(n);
    expect(withAny.events.some((e) => e.kind === 'vrrp.master' && e.frames.length >= 2)).toBe(true);
    expect(withAny.frames).toBeGreaterThan(firstOfAny);
  });

  it('the same file under two names: the events of one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrrpscope-points-'));
    try {
      const copy = join(dir, 'copy.pcap');
      copyFileSync(FRONT, copy);
      const once = analyse([FRONT]), twice = analyse([FRONT, copy]);
      expect(facts(twice)).toEqual(facts(once));
      expect(overlaps(twice).map((o) => o.frames)).toEqual([once.frames]);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it.skipIf(skipUnless(HAVE_TSHARK, REASONS.noTshark))('the copies counted are those tshark\'s header fields pair', async () => {
    // (tshark on three files: a budget beyond vitest's default on a loaded machine.)
    // Independent of our byte hashing: a frame's identity from tshark's dissection (sender MAC, IP or ARP
    // header fields with checksums, transport checksums), paired across files within the window, in order.
    const fields = ['frame.time_epoch', 'eth.src', 'sll.src.eth', 'ip.id', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.len', 'ip.checksum',
      'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.checksum', 'udp.checksum', 'icmp.checksum', 'igmp.checksum', 'vrrp.checksum'];
    const read = async (file: string) => (await tsharkOut(['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], file)).split('\n').filter((line) => line !== '')
      .map((line) => { const v = line.split('\t'); return { t: Number(v[0]), key: [v[1] || v[2], ...v.slice(3)].join('|') }; });
    const files = [FRONT, BACK, ANY];
    const rows = (await Promise.all(files.map(read))).flatMap((list, input) => list.map((r) => ({ ...r, input })));
    rows.sort((a, b) => a.t - b.t || a.input - b.input);
    const pending: typeof rows = [];
    const count = new Map<string, number>();
    for (const r of rows) {
      while (pending.length && r.t - pending[0].t > WINDOW) pending.shift();
      const i = pending.findIndex((p) => p.key === r.key && p.input !== r.input);
      if (i >= 0) { const k = `${Math.min(pending[i].input, r.input)}:${Math.max(pending[i].input, r.input)}`; count.set(k, (count.get(k) ?? 0) + 1); pending.splice(i, 1); }
      else pending.push(r);
    }
    const ours = analyse(files);
    const expected = [...count].map(([k, n]) => { const [i, j] = k.split(':').map(Number); return [files[i].split('/').pop(), files[j].split('/').pop(), n]; });
    expect(expected.length).toBe(2);
    expect(overlaps(ours).map((o) => [o.files[0], o.files[1], o.frames])).toEqual(expected);
  }, 180_000);
});
