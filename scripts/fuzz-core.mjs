// The whole-analysis fuzzer, shared by test/robustness/fuzz-analysis.test.ts (a few seconds, from the
// TypeScript sources) and scripts/fuzz.mjs (millions of frames, from dist/). It takes real frames of the
// repository's own captures, mutates them, writes them as capture files (one per link type, merged by the
// reader as several inputs are) and runs what `vrrpscope report` runs: every analyser and the checklist,
// then the JSON (every frame's layers), HTML, Markdown and annotated-pcapng writers and the terminal
// summary. Anything thrown is a crash; the JSON must parse. Deterministic for a seed.
//
// The modules are passed in (`api`), so the same code drives the sources and the build.

import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32, as test/support/mutate.ts: a seed reproduces a run. */
export function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The repository's captures: captures/ (the labs) and test/fixtures (regressions, fuzz seeds). */
export function seedFiles(root) {
  const out = [];
  const walk = (d) => {
    let names;
    try { names = readdirSync(d); } catch { return; }
    for (const name of names.sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng)$/.test(name)) out.push(p);
    }
  };
  walk(join(root, 'captures'));
  walk(join(root, 'test/fixtures'));
  return out;
}

/** What a frame is, by its deepest decoded layer: seeds are drawn kind by kind, so one CARP frame
 *  is fuzzed as often as ten thousand TCP segments. */
function kindOf(pkt, linkType) {
  const link = linkType === 113 ? 'sll1:' : linkType === 276 ? 'sll2:' : '';
  for (const k of ['ipvsSync', 'hsrp', 'carp', 'dns', 'tls', 'smtp', 'http', 'vrrp', 'igmp', 'icmpv6', 'icmp', 'arp']) {
    if (pkt[k]) return link + k + (k === 'vrrp' ? `-v${pkt.vrrp.version}${pkt.ipv6 ? '-ip6' : ''}` : '') + (pkt.inner ? '-ipip' : '') + (pkt.quoted ? '-error' : '');
  }
  if (pkt.tcp) return link + (pkt.inner ? 'tcp-ipip' : 'tcp') + (pkt.tcp.payloadEnd > pkt.tcp.payloadAt ? '-data' : '');
  if (pkt.udp) return link + 'udp';
  return link + 'other';
}

/** Every frame of the seed files, copied, with its kind; and the frames of each file in order. */
export function loadSeeds(api, files) {
  const frames = [], runs = [];
  for (const path of files) {
    const { source } = api.openCaptures([path]);
    const run = [];
    let f;
    while ((f = source.next())) {
      if (f.linkType < 0) continue; // pcapng custom blocks: not frames
      const data = Uint8Array.from(f.data);
      const seed = { data, linkType: f.linkType, sec: f.tsSec, ns: f.tsNs, kind: kindOf(api.decodePacket(api.Frame.of(data, f.linkType)), f.linkType), run, i: run.length };
      frames.push(seed);
      run.push(seed);
    }
    source.close();
    if (run.length) runs.push(run);
  }
  const byKind = new Map();
  for (const s of frames) {
    if (!byKind.has(s.kind)) byKind.set(s.kind, []);
    byKind.get(s.kind).push(s);
  }
  return { frames, runs, kinds: [...byKind.keys()].sort(), byKind };
}

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];

/** One mutation of a frame's bytes: bit flips, a cut, hostile length-like values, noise, bytes spliced
 *  from another frame at the same offset, or junk appended. */
export function mutateBytes(data, rnd, other) {
  const b = Uint8Array.from(data);
  switch (Math.floor(rnd() * 8)) {
    case 0: { // bit flips
      const n = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < n && b.length; i++) b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
      return b;
    }
    case 1: return b.subarray(0, Math.floor(rnd() * b.length)); // truncation
    case 7: // truncation inside a header: just past a common header boundary (Ethernet, SLL, IPv4, IPv6,
      // options, transport), where a decoder has read a layer's type but not its fields
      return b.subarray(0, pick(rnd, [14, 16, 18, 20, 24, 34, 38, 42, 54, 58, 62]) + Math.floor(rnd() * 12));
    case 2: { // 16-bit length-like values
      for (let i = 0; i < 1 + Math.floor(rnd() * 3) && b.length > 2; i++) {
        const at = Math.floor(rnd() * (b.length - 1));
        const v = pick(rnd, [0, 1, 0xff, 0x100, 0x7fff, 0xffff, Math.floor(rnd() * 65536)]);
        b[at] = v >> 8; b[at + 1] = v & 0xff;
      }
      return b;
    }
    case 3: { // single bytes with meaning in these protocols: versions, types, lengths, counts
      for (let i = 0; i < 1 + Math.floor(rnd() * 4) && b.length; i++) b[Math.floor(rnd() * b.length)] = pick(rnd, [0, 1, 2, 3, 4, 6, 8, 0x0f, 0x10, 0x11, 0x21, 0x31, 0x3a, 0x45, 0x60, 0x70, 0x7f, 0x80, 0xfe, 0xff]);
      return b;
    }
    case 4: // noise
      for (let i = 0; i < b.length; i++) if (rnd() < 0.05) b[i] = Math.floor(rnd() * 256);
      return b;
    case 5: { // splice: another frame's bytes from some offset on (headers of one, payload of another)
      const at = Math.floor(rnd() * Math.min(b.length, other.length));
      const out = new Uint8Array(other.length);
      out.set(b.subarray(0, at));
      out.set(other.subarray(at), at);
      return out;
    }
    default: { // junk appended
      const extra = Math.floor(rnd() * 64);
      const out = new Uint8Array(b.length + extra);
      out.set(b);
      for (let i = b.length; i < out.length; i++) out[i] = Math.floor(rnd() * 256);
      return out;
    }
  }
}

/** A batch of frames: a stretch of one capture in order (so stateful analysers get somewhere), then
 *  frames drawn kind by kind, each after the few frames that came before it in its capture (a reply
 *  after its request, a probe after the advert that named its director); about half of them mutated;
 *  now and then a time moved. */
export function makeBatch(seeds, rnd, size) {
  const out = [];
  const run = pick(rnd, seeds.runs);
  const from = Math.floor(rnd() * run.length);
  for (let i = 0; i < size / 2 && from + i < run.length; i++) out.push(run[from + i]);
  while (out.length < size) {
    const s = pick(rnd, seeds.byKind.get(pick(rnd, seeds.kinds)));
    for (let i = Math.max(0, s.i - Math.floor(rnd() * 8)); i <= s.i && out.length < size; i++) out.push(s.run[i]);
  }
  return out.map((s) => {
    let { data, sec, ns } = s;
    if (rnd() < 0.5) data = mutateBytes(data, rnd, pick(rnd, seeds.frames).data);
    if (rnd() < 0.02) { sec = pick(rnd, [0, 1, sec - 3600, sec + 86400 * 365, 0xffffffff]); ns = Math.floor(rnd() * 1e9); }
    return { data, linkType: s.linkType, sec: sec >>> 0, ns, kind: s.kind };
  });
}

/** Classic pcap, nanosecond resolution, one link type. */
export function pcapBytes(frames, linkType) {
  let size = 24;
  for (const f of frames) size += 16 + f.data.length;
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(0xa1b23c4d, 0); buf.writeUInt16LE(2, 4); buf.writeUInt16LE(4, 6);
  buf.writeUInt32LE(262144, 16); buf.writeUInt32LE(linkType >>> 0, 20);
  let o = 24;
  for (const f of frames) {
    buf.writeUInt32LE(f.sec >>> 0, o); buf.writeUInt32LE(f.ns, o + 4);
    buf.writeUInt32LE(f.data.length, o + 8); buf.writeUInt32LE(f.data.length, o + 12);
    buf.set(f.data, o + 16);
    o += 16 + f.data.length;
  }
  return buf;
}

/** Writes a batch as one capture per link type; returns the paths. */
export function writeBatch(dir, batch) {
  mkdirSync(dir, { recursive: true });
  const byLink = new Map();
  for (const f of batch) {
    if (!byLink.has(f.linkType)) byLink.set(f.linkType, []);
    byLink.get(f.linkType).push(f);
  }
  const paths = [];
  for (const [linkType, frames] of [...byLink].sort((a, b) => a[0] - b[0])) {
    const p = join(dir, `link${linkType}.pcap`);
    writeFileSync(p, pcapBytes(frames, linkType));
    paths.push(p);
  }
  return paths;
}

/** A sink that keeps text (the renderers' OutputSink, in memory). */
class MemorySink {
  parts = [];
  bytes = 0;
  write(s) { this.parts.push(s); }
  writeBytes(b) { this.bytes += b.length; }
  flush() {}
  close() {}
  text() { return this.parts.join(''); }
}

/** What `vrrpscope report` does with these files, for every format; throws on any failure. */
export function analyseEverything(api, paths, lang, pages = true) {
  const i18n = new api.I18n(lang);
  const analysis = api.analyzeFiles(paths, { analyzers: api.reportAnalyzers(i18n, { configs: [], expect: null }), lang });
  const json = new MemorySink();
  api.writeJson(analysis, json, { allFrames: true });
  const doc = JSON.parse(json.text());
  if (doc.frames.length !== analysis.frames) throw new Error(`JSON lists ${doc.frames.length} of ${analysis.frames} frames`);
  // The page writers compile their templates on each call (~0.4 s): a long run renders pages every few batches.
  if (pages) {
    api.writeHtml(analysis, new MemorySink(), { allFrames: true });
    api.writeMarkdown(analysis, new MemorySink(), { allFrames: true });
  }
  api.writeAnnotatedPcapng(analysis, () => {});
  const model = api.buildModel(analysis, i18n, { allFrames: false });
  api.summaryText(model, i18n, { format: 'json', path: 'out.json' }, 0);
  const checklist = api.checklistOf(analysis);
  if (checklist) api.checklistText(checklist, i18n, { captures: paths });
  return analysis.frames;
}

/**
 * Runs `frames` mutated frames in batches of `batch`. Returns { frames, batches, crashes }; each crash
 * has the batch number, the error and the batch's frames (to minimise and replay). `stopAfter` crashes
 * end the run early; `keep(dir)` is called on a crashing batch's files before they are removed.
 */
export function fuzz(api, { root, seed, frames, batch = 400, pagesEvery = 1, dir, stopAfter = Infinity, onBatch = () => {}, seeds = loadSeeds(api, seedFiles(root)) }) {
  const rnd = prng(seed);
  const crashes = [];
  let done = 0, batches = 0;
  while (done < frames && crashes.length < stopAfter) {
    const size = Math.min(batch, frames - done);
    const b = makeBatch(seeds, rnd, size);
    const lang = rnd() < 0.5 ? 'en' : 'fr';
    const pages = batches % pagesEvery === 0;
    const bdir = join(dir, `batch-${batches}`);
    try {
      analyseEverything(api, writeBatch(bdir, b), lang, pages);
    } catch (e) {
      crashes.push({ batch: batches, lang, pages, error: e, frames: b });
    } finally {
      rmSync(bdir, { recursive: true, force: true });
    }
    done += size;
    batches++;
    onBatch(done, batches, crashes.length);
  }
  return { frames: done, batches, crashes, kinds: seeds.kinds };
}

/** The smallest set of a crashing batch's frames that still fails the same way (greedy: drops chunks,
 *  then single frames, while the error message stays the same). */
export function minimise(api, crash, dir) {
  const same = (frames) => {
    const d = join(dir, 'minimise');
    try { analyseEverything(api, writeBatch(d, frames), crash.lang, crash.pages); return false; } catch (e) { return e.message === crash.error.message; } finally { rmSync(d, { recursive: true, force: true }); }
  };
  let frames = crash.frames;
  for (let chunk = Math.ceil(frames.length / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (let i = 0; i < frames.length;) {
      const without = frames.slice(0, i).concat(frames.slice(i + chunk));
      if (without.length && same(without)) frames = without; else i += chunk;
    }
  }
  return frames;
}
