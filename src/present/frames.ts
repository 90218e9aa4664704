// The commented frame list, streamed from the second pass over the files (Analysis.store): the frames that
// events name or that the analysis commented are listed with their decoded fields; the frames between
// them are folded into counted runs ("frames 120–4567: 4,000 × VRRP from 10.0.0.11, …"), unless
// --all-frames lists everything. One row at a time, so a million-frame capture renders in bounded memory.

import type { Analysis } from '../pipeline.js';
import type { Packet } from '../dissect/packet.js';
import { summarize } from '../dissect/summary.js';
import type { Frame } from '../io/frame.js';
import type { I18n } from './i18n/index.js';
import { eventAnchor, frameAnchor, frameNote, isAnnotated } from './annotations.js';
import type { Say } from './say/index.js';
import { labelOf, plural, relativeFrameTime, utcText } from './format.js';
import { LAYER_CONTAINERS, layersOf, notesOfPacket, type Layers, type Notes } from './layers.js';
import { valueText } from './model.js';
import { rangeFilter, type DisplayFilter } from './filters.js';

/** A decoded field (Wireshark's name), or a group row (`group` set) before a container's layers. */
export interface FrameField { name: string; value: string; group?: string }
/** An event naming a frame: a link to its row in the events list (its sentence in the tooltip). */
export interface FrameEventLink { id: string; href: string; kindLabel: string; title: string }
export interface FrameRow {
  n: number;
  anchor: string;
  time: string;
  utc: string;
  src: string;
  dst: string;
  protocol: string;
  info: string;
  comment: string | null;
  events: FrameEventLink[];
  /** Comments the capture file itself carried (pcapng opt_comment). */
  captureComments: string[];
  /** "file.pcap #12" when several files were merged. */
  origin: string | null;
  length: string;
  fields: FrameField[];
  /** vrrpscope's notes on the decoded layers: not Wireshark fields, shown apart. */
  notes: FrameField[];
}
export interface RunRow {
  from: number; to: number; range: string; count: number; text: string; groups: string;
  /** Wireshark display filters selecting the run's frames: one per file, in that file's numbers. */
  filters: DisplayFilter[];
}
export type ListItem = { frame: FrameRow; run?: undefined } | { run: RunRow; frame?: undefined };

/** Distinct (protocol, source) groups a run counts before lumping the rest together. */
const MAX_RUN_GROUPS = 16;
/** Groups a run names. */
const SHOWN_RUN_GROUPS = 4;
const MAX_FIELDS = 400;
const MAX_VALUE = 400;

/** A cheap protocol name for folding (no HTTP head decoding, no info text). */
function runProtocol(p: Packet): string {
  if (p.frame.linkType === -1) return 'pcapng';
  if (p.vrrp) return 'VRRP';
  if (p.carp) return 'CARP';
  if (p.arp) return 'ARP';
  if (p.hsrp) return 'HSRP';
  if (p.ipvsSync) return 'IPVS sync';
  if (p.dns) return 'DNS';
  if (p.tls) return 'TLS';
  if (p.smtp) return 'SMTP';
  if (p.tcp) return 'TCP';
  if (p.udp) return 'UDP';
  if (p.icmp) return 'ICMP';
  if (p.icmpv6) return 'ICMPv6';
  if (p.igmp) return 'IGMP';
  if (p.ip) return 'IPv4';
  if (p.ipv6) return 'IPv6';
  if (p.eth) return 'Ethernet';
  return 'other';
}

function runSource(p: Packet): string {
  return p.ip?.src ?? p.ipv6?.src ?? p.eth?.src ?? p.cooked?.src ?? '?';
}

class Run {
  from = 0;
  to = 0;
  count = 0;
  groups = new Map<string, { protocol: string; src: string; count: number }>();
  other = 0;
  /** Per input file, the first and last of its own frame numbers in the run (consecutive there too: the run is). */
  files = new Map<number, [number, number]>();

  add(n: number, p: Packet): void {
    if (this.count === 0) this.from = n;
    this.to = n;
    this.count++;
    const span = this.files.get(p.frame.fileIndex);
    if (span) span[1] = p.frame.fileFrame;
    else this.files.set(p.frame.fileIndex, [p.frame.fileFrame, p.frame.fileFrame]);
    const protocol = runProtocol(p), src = runSource(p);
    const key = protocol + '\u0000' + src;
    const g = this.groups.get(key);
    if (g) g.count++;
    else if (this.groups.size < MAX_RUN_GROUPS) this.groups.set(key, { protocol, src, count: 1 });
    else this.other++;
  }

  row(i18n: I18n, files: readonly string[]): RunRow {
    const sorted = [...this.groups.values()].sort((a, b) => b.count - a.count);
    const parts = sorted.slice(0, SHOWN_RUN_GROUPS).map((g) => i18n.t('frames.run.group', { count: i18n.fmt.count(g.count), protocol: g.protocol, src: g.src }));
    const rest = this.other + sorted.slice(SHOWN_RUN_GROUPS).reduce((s, g) => s + g.count, 0);
    if (rest) parts.push(plural(i18n, 'frames.run.others', rest));
    const groups = parts.join(', ');
    const text = plural(i18n, 'frames.run', this.count, { from: this.from, to: this.to, groups });
    const filters = [...this.files].sort((x, y) => x[0] - y[0]).map(([i, [lo, hi]]) => ({
      file: files.length > 1 ? files[i] ?? '?' : null, filter: rangeFilter(lo, hi),
    }));
    const r = { from: this.from, to: this.to, range: this.from === this.to ? String(this.from) : `${this.from}–${this.to}`, count: this.count, text, groups, filters };
    this.count = 0;
    this.files.clear();
    this.groups.clear();
    this.other = 0;
    return r;
  }
}

/** A field value as Wireshark shows it: booleans True/False, several occurrences comma-separated. */
function fieldText(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return v.map(fieldText).join(',');
  return String(v);
}

function clip(value: string): string {
  return value.length > MAX_VALUE ? value.slice(0, MAX_VALUE - 1) + '…' : value;
}

/**
 * Decoded fields as "wireshark.name = value" rows; the layers of a container (an IP-in-IP inner
 * header, the packet an ICMP error quotes) follow a group row that says what they are.
 */
export function flattenLayers(layers: Layers, i18n: I18n): FrameField[] {
  const out: FrameField[] = [];
  const walk = (L: Layers, depth: number) => {
    for (const [k, v] of Object.entries(L)) {
      if ((LAYER_CONTAINERS as readonly string[]).includes(k)) {
        if (depth >= 3) continue;
        out.push({ name: '', value: '', group: i18n.t(k === 'inner' ? 'frames.fields.inner' : 'frames.fields.quoted') });
        walk(v as Layers, depth + 1);
        continue;
      }
      for (const [name, x] of Object.entries(v as Record<string, unknown>)) {
        if (out.length >= MAX_FIELDS) return;
        out.push({ name, value: clip(fieldText(x)) });
      }
    }
  };
  walk(layers, 0);
  return out;
}

/** vrrpscope's notes (not Wireshark fields) as "layer note = value" rows. */
export function flattenNotes(notes: Notes, i18n: I18n): FrameField[] {
  const out: FrameField[] = [];
  for (const [layer, o] of Object.entries(notes)) for (const [k, v] of Object.entries(o)) out.push({ name: `${layer} ${k}`, value: clip(valueText(v, i18n)) });
  return out;
}

export interface FrameListOptions {
  allFrames: boolean;
}

/**
 * Replays the capture and calls `each` with every listed frame and every run of folded frames, in
 * frame order.
 */
export function streamFrames(a: Analysis, say: Say, opts: FrameListOptions, each: (item: ListItem) => void): void {
  const i18n = say.i18n;
  const listed = (n: number) => opts.allFrames || isAnnotated(a, n);
  const run = new Run();
  const files = a.captures.map((c) => c.file);
  let ref: { sec: number; ns: number } | null = null;
  const several = a.captures.length > 1;
  a.store.replay(() => true, (f: Frame, pkt: Packet) => {
    if (!ref && !f.noTimestamp) ref = { sec: f.tsSec, ns: f.tsNs };
    if (!listed(f.n)) { run.add(f.n, pkt); return; }
    if (run.count) each({ run: run.row(i18n, files) });
    each({ frame: frameRow(a, say, f, pkt, ref, several) });
  });
  if (run.count) each({ run: run.row(i18n, files) });
}

function frameRow(a: Analysis, say: Say, f: Frame, pkt: Packet, ref: { sec: number; ns: number } | null, several: boolean): FrameRow {
  const i18n = say.i18n;
  const s = summarize(pkt);
  const note = frameNote(a, say, f.n);
  const digits = a.timeDigits;
  const frac = digits === 9 ? String(f.tsNs).padStart(9, '0') : String(Math.floor(f.tsNs / 1000)).padStart(6, '0');
  return {
    n: f.n,
    anchor: frameAnchor(f.n),
    time: f.noTimestamp || !ref ? '—' : relativeFrameTime(f.tsSec, f.tsNs, ref.sec, ref.ns, digits),
    utc: f.noTimestamp ? '—' : utcText(f.tsSec, frac),
    src: s.src,
    dst: s.dst,
    protocol: s.protocol,
    info: s.info,
    comment: note.comment,
    // A frame points at the events that name it; their sentences are told once, in the events list
    // (and in the link's tooltip), not again on each of their frames.
    events: note.events.map((e) => ({
      id: e.id,
      href: '#' + eventAnchor(e.id),
      kindLabel: labelOf(i18n, 'kind.', e.kind),
      title: say.summary(e),
    })),
    captureComments: f.comments ?? [],
    origin: several ? i18n.t('frames.origin', { file: a.captures[f.fileIndex]?.file ?? '?', n: f.fileFrame }) : null,
    length: f.caplen === f.origLen ? i18n.t('frames.length', { bytes: f.origLen }) : i18n.t('frames.lengthCut', { bytes: f.origLen, captured: f.caplen }),
    fields: flattenLayers(layersOf(pkt), i18n),
    notes: flattenNotes(notesOfPacket(pkt), i18n),
  };
}
