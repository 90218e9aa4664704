// Literal frames for rule tests: keepalived-like VRRP adverts and ARP, built byte by byte.

import { checksum } from './build.js';
import { Frame } from '../../src/io/frame.js';
import { Say } from '../../src/present/say/index.js';
import { decodePacket } from '../../src/dissect/packet.js';
import { Engine, type Analyzer } from '../../src/analyse/engine.js';
import { I18n, type Lang } from '../../src/present/i18n/index.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';

const ip4 = (s: string) => s.split('.').map(Number);
const mac = (s: string) => s.split(':').map((x) => parseInt(x, 16));
export const macOf = (ip: string) => '02:00:' + ip4(ip).map((b) => b.toString(16).padStart(2, '0')).join(':');

export interface AdvertOpts {
  src: string;
  vrid?: number;
  priority?: number;
  vips?: string[];
  intervalS?: number;
  auth?: string | null;
  ttl?: number;
  dst?: string;
  version?: 2 | 3;
}

export function advert(o: AdvertOpts): Uint8Array {
  const vips = o.vips ?? ['10.0.0.100'];
  const v3 = o.version === 3;
  const len = 8 + 4 * vips.length + (v3 ? 0 : 8);
  const v = new Uint8Array(len);
  v[0] = v3 ? 0x31 : 0x21; v[1] = o.vrid ?? 51; v[2] = o.priority ?? 100; v[3] = vips.length;
  if (v3) { const cs = Math.round((o.intervalS ?? 1) * 100); v[4] = cs >> 8; v[5] = cs & 0xff; }
  else { v[4] = o.auth ? 1 : 0; v[5] = o.intervalS ?? 1; }
  vips.forEach((a, i) => v.set(ip4(a), 8 + 4 * i));
  if (!v3 && o.auth) v.set(Array.from(o.auth.slice(0, 8), (c) => c.charCodeAt(0)), 8 + 4 * vips.length);
  const dst = ip4(o.dst ?? '224.0.0.18');
  let sum: number;
  if (v3) {
    const pseudo = new Uint8Array(12 + len);
    pseudo.set(ip4(o.src), 0); pseudo.set(dst, 4); pseudo[9] = 112; pseudo[10] = len >> 8; pseudo[11] = len & 0xff;
    pseudo.set(v, 12);
    sum = checksum(pseudo);
  } else sum = checksum(v);
  v[6] = sum >> 8; v[7] = sum & 0xff;
  const ip = new Uint8Array(20);
  ip[0] = 0x45; ip[2] = (20 + len) >> 8; ip[3] = (20 + len) & 0xff; ip[8] = o.ttl ?? 255; ip[9] = 112;
  ip.set(ip4(o.src), 12); ip.set(dst, 16);
  const c = checksum(ip); ip[10] = c >> 8; ip[11] = c & 0xff;
  const dstMac = dst[0] >= 224 ? [0x01, 0x00, 0x5e, dst[1] & 0x7f, dst[2], dst[3]] : mac(macOf(o.dst!));
  return Uint8Array.from([...dstMac, ...mac(macOf(o.src)), 0x08, 0x00, ...ip, ...v]);
}

/** An ARP frame: a keepalived GARP by default (request, THA broadcast, to broadcast). */
export function arp(o: { senderIp: string; senderMac?: string; targetIp?: string; targetMac?: string; op?: 1 | 2; dstMac?: string }): Uint8Array {
  const sm = o.senderMac ?? macOf(o.senderIp);
  const op = o.op ?? 1;
  const body = [0, 1, 8, 0, 6, 4, 0, op, ...mac(sm), ...ip4(o.senderIp), ...mac(o.targetMac ?? 'ff:ff:ff:ff:ff:ff'), ...ip4(o.targetIp ?? o.senderIp)];
  return Uint8Array.from([...mac(o.dstMac ?? 'ff:ff:ff:ff:ff:ff'), ...mac(sm), 0x08, 0x06, ...body]);
}

export type Timed = [seconds: number, bytes: Uint8Array];

/**
 * Runs analysers over frames at the given times (seconds from 1795550000) and returns the events,
 * each with its sentence in `lang` (present/say), and the frames' notes in words.
 */
export function run(analyzers: Analyzer[], frames: Timed[], lang: Lang = 'en'): { events: (AnalysisEvent & { summary: string })[]; comments: Map<number, string>; engine: Engine } {
  const engine = new Engine(analyzers);
  let last = 0;
  frames.forEach(([t, bytes], i) => {
    const sec = 1795550000 + Math.floor(t);
    const f = Frame.of(bytes, 1, sec, Math.round((t - Math.floor(t)) * 1e9), i + 1);
    engine.noteFrame(f.fileIndex, 1795550000 + t);
    engine.onPacket(decodePacket(f));
    last = 1795550000 + t;
  });
  engine.finish(last);
  const say = new Say(lang, engine.events);
  const comments = new Map([...engine.frameNotes].map(([n, notes]) => [n, say.notes(notes)!]));
  return { events: engine.events.map((e) => ({ ...e, summary: say.summary(e) })), comments, engine };
}

/** Adverts every `every` seconds from `from` to `to` (inclusive-exclusive). */
export function adverts(o: AdvertOpts, from: number, to: number, every = o.intervalS ?? 1): Timed[] {
  const out: Timed[] = [];
  for (let t = from; t < to - 1e-9; t += every) out.push([Math.round(t * 1e6) / 1e6, advert(o)]);
  return out;
}

export const byTime = (a: Timed, b: Timed) => a[0] - b[0];
export const rel = (e: AnalysisEvent) => Math.round((e.time - 1795550000) * 1000) / 1000;

export interface TcpOpts { src: string; dst: string; sport: number; dport: number; flags: string; seq?: number; ack?: number; payload?: string; srcMac?: string; dstMac?: string }

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

/** An Ethernet/IPv4/TCP frame; flags as letters, e.g. 'S', 'SA', 'A', 'PA', 'FA', 'R'. */
export function tcp(o: TcpOpts): Uint8Array {
  const payload = Buffer.from(o.payload ?? '', 'latin1');
  const t = new Uint8Array(20 + payload.length);
  t[0] = o.sport >> 8; t[1] = o.sport & 255; t[2] = o.dport >> 8; t[3] = o.dport & 255;
  const seq = (o.seq ?? 1000) >>> 0, ack = (o.ack ?? 0) >>> 0;
  t[4] = seq >>> 24; t[5] = (seq >>> 16) & 255; t[6] = (seq >>> 8) & 255; t[7] = seq & 255;
  t[8] = ack >>> 24; t[9] = (ack >>> 16) & 255; t[10] = (ack >>> 8) & 255; t[11] = ack & 255;
  t[12] = 5 << 4;
  t[13] = [...o.flags].reduce((a, c) => a | (FLAG_BITS[c] ?? 0), 0);
  t[14] = 0xff; t[15] = 0xff;
  t.set(payload, 20);
  const ip = new Uint8Array(20);
  ip[0] = 0x45; ip[2] = (20 + t.length) >> 8; ip[3] = (20 + t.length) & 255; ip[8] = 64; ip[9] = 6;
  ip.set(ip4(o.src), 12); ip.set(ip4(o.dst), 16);
  const c = checksum(ip); ip[10] = c >> 8; ip[11] = c & 255;
  return Uint8Array.from([...mac(o.dstMac ?? macOf(o.dst)), ...mac(o.srcMac ?? macOf(o.src)), 0x08, 0x00, ...ip, ...t]);
}

/** An Ethernet/IPv4/UDP frame (checksum 0: not computed, as IPv4 allows). */
export function udp(o: { src: string; dst: string; sport: number; dport: number; payload: Uint8Array | string }): Uint8Array {
  const payload = typeof o.payload === 'string' ? Buffer.from(o.payload, 'latin1') : o.payload;
  const u = new Uint8Array(8 + payload.length);
  u[0] = o.sport >> 8; u[1] = o.sport & 255; u[2] = o.dport >> 8; u[3] = o.dport & 255; u[4] = u.length >> 8; u[5] = u.length & 255;
  u.set(payload, 8);
  const ip = new Uint8Array(20);
  ip[0] = 0x45; ip[2] = (20 + u.length) >> 8; ip[3] = (20 + u.length) & 255; ip[8] = 64; ip[9] = 17;
  ip.set(ip4(o.src), 12); ip.set(ip4(o.dst), 16);
  const c = checksum(ip); ip[10] = c >> 8; ip[11] = c & 255;
  return Uint8Array.from([...mac(macOf(o.dst)), ...mac(macOf(o.src)), 0x08, 0x00, ...ip, ...u]);
}

/**
 * A whole TCP connection as frames from `at`: handshake, the client's request, the server's answer,
 * then the close. `refused` answers the SYN with RST; `unanswered` sends SYNs only.
 */
export function connection(o: { client: string; server: string; cport: number; sport: number; at: number; request?: string; response?: string; refused?: boolean; unanswered?: boolean; clientCloses?: boolean; isn?: number }): Timed[] {
  const c = { src: o.client, dst: o.server, sport: o.cport, dport: o.sport };
  const s = { src: o.server, dst: o.client, sport: o.sport, dport: o.cport };
  const cisn = o.isn ?? 1000 + o.cport, sisn = 90000 + o.cport;
  const out: Timed[] = [[o.at, tcp({ ...c, flags: 'S', seq: cisn })]];
  if (o.unanswered) { out.push([o.at + 1, tcp({ ...c, flags: 'S', seq: cisn })], [o.at + 3, tcp({ ...c, flags: 'S', seq: cisn })]); return out; }
  if (o.refused) { out.push([o.at + 0.0001, tcp({ ...s, flags: 'RA', seq: 0, ack: cisn + 1 })]); return out; }
  let t = o.at + 0.0001, cs = cisn + 1, ss = sisn + 1;
  out.push([t, tcp({ ...s, flags: 'SA', seq: sisn, ack: cs })], [t += 0.0001, tcp({ ...c, flags: 'A', seq: cs, ack: ss })]);
  if (o.request) { out.push([t += 0.001, tcp({ ...c, flags: 'PA', seq: cs, ack: ss, payload: o.request })]); cs += o.request.length; }
  if (o.response) { out.push([t += 0.001, tcp({ ...s, flags: 'PA', seq: ss, ack: cs, payload: o.response })]); ss += o.response.length; }
  if (o.clientCloses ?? true) {
    out.push([t += 0.001, tcp({ ...c, flags: 'FA', seq: cs, ack: ss })], [t += 0.0001, tcp({ ...s, flags: 'FA', seq: ss, ack: cs + 1 })], [t += 0.0001, tcp({ ...c, flags: 'A', seq: cs + 1, ack: ss + 1 })]);
  } else {
    out.push([t += 0.001, tcp({ ...s, flags: 'FA', seq: ss, ack: cs })], [t += 0.0001, tcp({ ...c, flags: 'FA', seq: cs, ack: ss + 1 })], [t += 0.0001, tcp({ ...s, flags: 'A', seq: ss + 1, ack: cs + 1 })]);
  }
  return out;
}
