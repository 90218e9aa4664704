// keepalived's health checkers as the wire shows them (keepalived/check/*.c; protocol-notes §3.5):
// per director × real server × checker, the probes, their cadence (the observed delay_loop), each
// probe's verdict and the transitions. Both directors check: their series are kept apart. A server
// with several checkers is down as soon as one fails (keepalived's rule); the event says which.
//
// Recognised: TCP_CHECK (handshake, then the checker closes at once, no data), HTTP_GET (GET <path>
// HTTP/1.x, User-Agent KeepAliveClient, status), SSL_GET (periodic TLS from the director), SMTP_CHECK
// (220 → HELO → 250 → QUIT), MISC_CHECK (periodic probes of another kind from the director: curl…),
// PING_CHECK (ICMP echo), DNS_CHECK (SOA query), UDP_CHECK (datagram, reply or port unreachable).

import { createHash } from 'node:crypto';
import { isSmtpPort, type Packet } from '../../dissect/packet.js';
import { copyBytes } from '../../dissect/bytes.js';
import type { SegmentView } from '../../dissect/tcp-segment.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { AnalysisEvent } from '../events.js';
import type { Checker, HcState } from './events.js';
import type { Flow, FlowListener, TcpFlows } from '../tcp/flows.js';

export type { Checker } from './events.js';
export type Verdict = 'up' | 'down';

const MAX_SERIES = 4096;
const MAX_BODY = 256 * 1024;
const MAX_EVENT_FRAMES = 40;

/** What one probe connection showed (kept only for flows that may be probes). */
interface ProbeObservation {
  kind: Checker | null;
  method?: string;
  path?: string;
  userAgent?: string;
  host?: string;
  status?: number;
  helo?: string;
  smtpCodes: number[];
  tls: boolean;
  sni?: string;
  tlsVersion?: string;
  /** Server bytes after the HTTP head, in sequence order, for the genhash MD5. */
  body: { seq: number; bytes: Uint8Array }[];
  bodyBytes: number;
  headEndSeq: number | null;
  contentLength?: number;
  /** Client data segments so far, and server data segments after the client's second (its request). */
  clientDataSegments: number;
  serverDataAfterRequest: number;
}

export interface Probe {
  time: number;
  frame: number;
  verdict: Verdict;
  /** Why down: refused, timeout, reset, status 503, no 220 banner…; for up, the HTTP status etc. */
  reason: string;
  /** genhash of the response body (HTTP_GET), when the response was seen whole. */
  md5?: string;
  frames: number[];
}

interface Series {
  key: string;
  director: string;
  target: string;
  checker: Checker;
  count: number;
  up: number;
  down: number;
  first: Probe;
  last: Probe;
  state: Verdict | null;
  /** Gaps between consecutive probe starts (ms), a bounded sample for the cadence. */
  gaps: number[];
  details: Set<string>;
  frames: number[];
  md5s: string[];
  stateEvents: AnalysisEvent[];
}

const KEEPALIVE_UA = 'KeepAliveClient';
const NO_SERIES: readonly Series[] = Object.freeze([]);
/** Flow.probe of a probe that carried no data (TCP_CHECK, failed connections). */
const PROBE_WITHOUT_DATA = Object.freeze({ kind: 'tcp' });

/** Does b[at..end) contain the ASCII text `s`? (A bounded search, no allocation.) */
function contains(b: Uint8Array, at: number, end: number, s: string): boolean {
  const c0 = s.charCodeAt(0);
  outer: for (let i = at; i + s.length <= end; i++) {
    if (b[i] !== c0) continue;
    for (let j = 1; j < s.length; j++) if (b[i + j] !== s.charCodeAt(j)) continue outer;
    return true;
  }
  return false;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

export class HealthChecks implements Analyzer, FlowListener {
  readonly name = 'health-checks';
  /** TCP probes come through the flow table; ICMP, UDP and DNS ones as packets. */
  readonly wants = PacketKind.ICMP | PacketKind.ICMPV6 | PacketKind.UDP;
  private readonly directors = new Set<string>();
  private readonly series = new Map<string, Series>();
  /** Series by target (ip:port), for the LVS analyser's per-connection questions. */
  private readonly byTarget = new Map<string, Series[]>();
  /** Pending ICMP echo / UDP / DNS probes: key → sent time and frame. */
  private readonly pending = new Map<string, { time: number; frame: number; key: string; checker: Checker; detail: string }>();
  private lastTime = 0;

  constructor(flows: TcpFlows) {
    flows.subscribe(this);
  }

  onEvent(e: AnalysisEvent): void {
    if (e.kind === 'vrrp.master' && typeof e.router === 'string') this.directors.add(e.router);
  }

  // --- TCP probes ---

  onSegment(flow: Flow, seg: SegmentView, fromClient: boolean, ctx: EngineContext): void {
    const at = seg.payloadAt, end = seg.payloadEnd;
    const len = end - at;
    let obs = flow.probe as ProbeObservation | null | undefined;
    if (obs === undefined) {
      // Decide once per flow, on its first data segment from the client, whether it may be a probe.
      if (len === 0) return;
      if (!fromClient) {
        if (!flow.serverSmtpBanner && (isSmtpPort(seg.srcPort) || isSmtpPort(seg.dstPort))) {
          const code = seg.packet().smtp?.lines[0]?.code;
          if (code) flow.serverSmtpBanner = code;
        }
        return;
      }
      const b = seg.frame.buf;
      const fromDirector = this.directors.has(flow.clientIp);
      const keepaliveHttp = contains(b, at, end, KEEPALIVE_UA);
      const smtpHelo = len >= 5 && b[at] === 0x48 && contains(b, at, Math.min(end, at + 5), 'HELO ');
      if (!fromDirector && !keepaliveHttp && !smtpHelo) { flow.probe = null; return; }
      if (keepaliveHttp || smtpHelo) this.directors.add(flow.clientIp);
      obs = { kind: null, smtpCodes: [], tls: false, body: [], bodyBytes: 0, headEndSeq: null, clientDataSegments: 0, serverDataAfterRequest: 0 };
      flow.probe = obs;
      if (flow.serverSmtpBanner) obs.smtpCodes.push(flow.serverSmtpBanner);
    }
    if (obs === null) return;
    if (len === 0) return;
    if (fromClient) obs.clientDataSegments++;
    else if (obs.clientDataSegments >= 2) obs.serverDataAfterRequest++;
    // A probe's segments: what they carry, decoded.
    const pkt = seg.packet();
    if (fromClient) {
      const h = pkt.http;
      if (h && h.kind === 'request' && !obs.method) {
        obs.method = h.method; obs.path = h.uri; obs.userAgent = h.userAgent; obs.host = h.host;
        obs.kind = h.userAgent === KEEPALIVE_UA ? 'http' : 'misc';
      } else if (pkt.tls && pkt.tls.handshakeType === 'client-hello') {
        obs.tls = true; obs.sni = pkt.tls.sni;
        if (!obs.kind) obs.kind = 'ssl';
      } else if (pkt.smtp) {
        for (const l of pkt.smtp.lines) if (l.command?.toUpperCase() === 'HELO') { obs.helo = l.argument; obs.kind = 'smtp'; }
      }
    } else {
      const h = pkt.http;
      if (h && h.kind === 'response' && obs.status === undefined) {
        obs.status = h.status;
        obs.contentLength = h.contentLength;
        obs.headEndSeq = (seg.seq + h.headLength) >>> 0;
        if (h.headLength < len) this.keepBody(obs, seg.seq + h.headLength, seg.frame.buf, at + h.headLength, end);
      } else if (obs.headEndSeq !== null) {
        this.keepBody(obs, seg.seq, seg.frame.buf, at, end);
      } else if (pkt.smtp) {
        for (const l of pkt.smtp.lines) if (l.code !== undefined && !l.continued) obs.smtpCodes.push(l.code);
      } else if (pkt.tls?.handshakeType === 'server-hello') {
        obs.tlsVersion = pkt.tls.versionName;
      }
    }
    void ctx;
  }

  private keepBody(obs: ProbeObservation, seq: number, b: Uint8Array, at: number, end: number): void {
    if (obs.bodyBytes + (end - at) > MAX_BODY) return;
    // Copied: the frame's buffer is reused by the reader.
    obs.body.push({ seq: seq >>> 0, bytes: copyBytes(b, at, end) });
    obs.bodyBytes += end - at;
  }

  onFlowEnd(flow: Flow, ctx: EngineContext): void {
    const obs = flow.probe as ProbeObservation | null | undefined;
    const fromDirector = this.directors.has(flow.clientIp);
    // The target's text only for a flow that may be a probe (most flows of a busy capture are not).
    const target = obs || fromDirector || flow.ended === 'refused' || flow.ended === 'unanswered' || (flow.clientBytes === 0 && flow.finFrom === 'client')
      ? `${flow.serverIp}:${flow.serverPort}` : '';
    let checker: Checker | null = obs?.kind ?? null;
    let verdict: Verdict, reason: string;
    let md5: string | undefined;
    if (flow.ended === 'refused' || flow.ended === 'unanswered') {
      // A failed connection: probe of whichever checker this director runs against the target.
      if (!fromDirector && !this.hasSeries(flow.clientIp, target)) return;
      verdict = 'down';
      reason = flow.ended === 'refused' ? 'refused' : flow.syns > 1 ? `timeout (${flow.syns} SYNs)` : 'timeout';
      checker = this.checkerFor(flow.clientIp, target, flow.synTime);
      if (!checker) checker = 'tcp';
    } else if (obs) {
      checker ??= flow.clientBytes === 0 ? 'tcp' : 'misc';
      ({ verdict, reason, md5 } = this.judge(checker, obs, flow));
    } else if (flow.sawSyn && flow.established && flow.clientBytes === 0 && flow.finFrom === 'client' && flow.duration < 5
      && (fromDirector || this.hasSeries(flow.clientIp, target))) {
      // TCP_CHECK: connect, then close at once (check_tcp.c), no data from the checker.
      checker = 'tcp';
      verdict = 'up';
      reason = 'connected';
    } else if (flow.sawSyn && flow.established && flow.clientBytes === 0 && flow.finFrom === 'client' && flow.duration < 5) {
      // Shape of a TCP_CHECK from a host not known as director yet: count it, it may become a series.
      checker = 'tcp'; verdict = 'up'; reason = 'connected';
    } else {
      return;
    }
    if (flow.ended === 'open') return; // the capture ended in the middle of it
    const time = flow.sawSyn ? flow.synTime : flow.firstTime;
    const frames = [flow.synFrame || flow.firstFrame, flow.firstClientDataFrame, flow.firstServerDataFrame, flow.rstFrame || flow.finFrame].filter((n) => n > 0);
    this.record(flow.clientIp, target, checker, { time, frame: frames[0], verdict, reason, md5, frames }, this.detailOf(checker, obs), ctx);
    // Marks the flow as a probe for the other analysers (a TCP_CHECK carries no observation).
    if (!flow.probe) flow.probe = PROBE_WITHOUT_DATA;
  }

  private judge(checker: Checker, obs: ProbeObservation, flow: Flow): { verdict: Verdict; reason: string; md5?: string } {
    if (checker === 'http' || (checker === 'misc' && obs.method)) {
      if (obs.status === undefined) return { verdict: 'down', reason: flow.rstFrom ? 'reset before a response' : 'no response' };
      const md5 = this.genhash(obs);
      // keepalived's default status_code is any 2xx (check_http.c).
      return { verdict: obs.status >= 200 && obs.status < 300 ? 'up' : 'down', reason: `status ${obs.status}`, md5 };
    }
    if (checker === 'smtp') {
      const [banner, helo] = obs.smtpCodes;
      if (banner !== 220) return { verdict: 'down', reason: banner ? `banner ${banner}, not 220` : 'no banner' };
      if (helo !== undefined && helo !== 250) return { verdict: 'down', reason: `HELO answered ${helo}, not 250` };
      return helo === 250 ? { verdict: 'up', reason: '220, 250' } : { verdict: 'down', reason: 'no answer to HELO' };
    }
    if (checker === 'ssl') {
      // The request and its status travel encrypted: the server answering the request (data after the
      // client's second flight) is all the wire can tell. A RST after that is the usual TLS close race.
      if (!flow.established) return { verdict: 'down', reason: 'no connection' };
      if (flow.serverBytes === 0) return { verdict: 'down', reason: 'no TLS answer' };
      if (obs.serverDataAfterRequest === 0) return { verdict: 'down', reason: flow.rstFrom === 'server' ? 'reset by the server before answering' : 'no answer to the request' };
      return { verdict: 'up', reason: obs.tlsVersion ?? 'TLS' };
    }
    return flow.established ? { verdict: 'up', reason: 'connected' } : { verdict: 'down', reason: 'no connection' };
  }

  /** MD5 of the response body as keepalived's genhash computes it (the value for `digest`). */
  private genhash(obs: ProbeObservation): string | undefined {
    if (obs.headEndSeq === null) return undefined;
    const parts = [...obs.body].sort((a, b) => ((a.seq - b.seq) | 0));
    const hash = createHash('md5');
    let next = obs.headEndSeq, total = 0;
    for (const p of parts) {
      const skip = (next - p.seq) | 0;
      if (skip < 0) return undefined; // a hole: part of the body was not captured
      if (skip >= p.bytes.length) continue; // retransmission
      hash.update(p.bytes.subarray(skip));
      total += p.bytes.length - skip;
      next = (p.seq + p.bytes.length) >>> 0;
    }
    if (obs.contentLength !== undefined && total !== obs.contentLength) return undefined;
    return hash.digest('hex');
  }

  private detailOf(checker: Checker, obs: ProbeObservation | null | undefined): string {
    if (!obs) return '';
    if (checker === 'http' || (checker === 'misc' && obs.method)) return `${obs.method} ${obs.path}${checker === 'misc' && obs.userAgent ? ` (${obs.userAgent})` : ''}${obs.host && checker === 'http' ? `, Host ${obs.host}` : ''}`;
    if (checker === 'smtp') return obs.helo ? `HELO ${obs.helo}` : '';
    if (checker === 'ssl') return (obs.tlsVersion ?? 'TLS') + (obs.sni ? `, SNI ${obs.sni}` : '');
    return '';
  }

  private hasSeries(director: string, target: string): boolean {
    return (this.byTarget.get(target) ?? NO_SERIES).some((s) => s.director === director);
  }

  /** The checker whose next probe was due closest to `time` (a failed connection carries no signature). */
  private checkerFor(director: string, target: string, time: number): Checker | null {
    let best: Series | null = null, bestErr = Infinity;
    for (const s of this.byTarget.get(target) ?? NO_SERIES) {
      if (s.director !== director) continue;
      const cadence = s.gaps.length ? median(s.gaps) / 1000 : 0;
      const err = cadence ? Math.abs(((time - s.last.time) % cadence + cadence) % cadence - 0) : Math.abs(time - s.last.time);
      const e2 = cadence ? Math.min(err, cadence - err) : err;
      if (e2 < bestErr) { bestErr = e2; best = s; }
    }
    return best?.checker ?? null;
  }

  // --- ICMP / UDP / DNS probes ---

  onPacket(pkt: Packet, ctx: EngineContext): void {
    if (pkt.tcp || pkt.frame.noTimestamp || (!pkt.icmp && !pkt.icmpv6 && !pkt.udp)) return;
    const t = frameTime(pkt.frame);
    this.lastTime = t;
    if (this.pending.size && (pkt.icmp || pkt.icmpv6 || pkt.udp)) this.matchReply(pkt, t, ctx);
    const net = pkt.net;
    if (!net || !this.directors.has(net.src)) return;
    const echo = pkt.icmp?.echo ?? pkt.icmpv6?.echo;
    if (echo?.request) {
      this.expect(`echo|${net.dst}|${net.src}|${echo.id}|${echo.seq}`, `${net.src}|${net.dst}|ping`, 'ping', t, pkt.frame.n, 'ICMP echo');
    } else if (pkt.udp && !pkt.ipvsSync && !pkt.hsrp) {
      const u = pkt.udp;
      if (u.dstPort === 8848 || net.isMulticast) return;
      const checker: Checker = pkt.dns && !pkt.dns.qr ? 'dns' : 'udp';
      const q = checker === 'dns' ? pkt.dns?.question : null;
      const detail = q ? `${q.typeName} ${q.name}`.trim() : checker === 'dns' ? '' : `UDP ${u.dstPort}`;
      this.expect(`udp|${net.dst}|${u.dstPort}|${net.src}|${u.srcPort}`, `${net.src}|${net.dst}:${u.dstPort}|${checker}`, checker, t, pkt.frame.n, detail);
    }
    this.expire(t, ctx);
  }

  private expect(replyKey: string, seriesKey: string, checker: Checker, t: number, n: number, detail: string): void {
    if (this.pending.size > 10_000) return;
    this.pending.set(replyKey, { time: t, frame: n, key: seriesKey, checker, detail });
  }

  private matchReply(pkt: Packet, t: number, ctx: EngineContext): void {
    const net = pkt.net;
    if (!net) return;
    let key: string | null = null;
    let verdict: Verdict = 'up', reason = 'reply';
    const echo = pkt.icmp?.echo ?? pkt.icmpv6?.echo;
    const quotedNet = pkt.quoted?.net, quotedUdp = pkt.quoted?.udp;
    if (echo) {
      if (!echo.request) key = `echo|${net.src}|${net.dst}|${echo.id}|${echo.seq}`;
    } else if (pkt.udp) key = `udp|${net.src}|${pkt.udp.srcPort}|${net.dst}|${pkt.udp.dstPort}`;
    else if (quotedNet && quotedUdp && (pkt.icmp?.type === 3 || pkt.icmpv6?.type === 1)) {
      key = `udp|${quotedNet.dst}|${quotedUdp.dstPort}|${quotedNet.src}|${quotedUdp.srcPort}`;
      verdict = 'down'; reason = 'ICMP unreachable';
    }
    if (!key) return;
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    if (pkt.dns && pkt.dns.rcode !== 0) { verdict = 'down'; reason = `DNS ${pkt.dns.rcodeName}`; }
    const [director, target] = p.key.split('|');
    this.record(director, target, p.checker, { time: p.time, frame: p.frame, verdict, reason, frames: [p.frame, pkt.frame.n] }, p.detail, ctx);
    void t;
  }

  /** Probes with no reply within 3 s (keepalived's default connect_timeout is 5 s; pings wait 1-3 s). */
  private expire(t: number, ctx: EngineContext, all = false): void {
    for (const [k, p] of this.pending) {
      if (!all && t - p.time < 3) continue;
      this.pending.delete(k);
      const [director, target] = p.key.split('|');
      this.record(director, target, p.checker, { time: p.time, frame: p.frame, verdict: 'down', reason: 'no reply', frames: [p.frame] }, p.detail, ctx);
    }
  }

  // --- series and transitions ---

  private record(director: string, target: string, checker: Checker, probe: Probe, detail: string, ctx: EngineContext): void {
    const key = `${director}|${target}|${checker}`;
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= MAX_SERIES) return;
      s = { key, director, target, checker, count: 0, up: 0, down: 0, first: probe, last: probe, state: null, gaps: [], details: new Set(), frames: [], md5s: [], stateEvents: [] };
      this.series.set(key, s);
      const list = this.byTarget.get(target);
      if (list) list.push(s); else this.byTarget.set(target, [s]);
      ctx.host(director, null, 'director');
      // PING_CHECK's target is a bare address; the others are address:port.
      ctx.host(checker === 'ping' ? target : target.slice(0, target.lastIndexOf(':')), null, 'real-server');
    } else {
      const gap = (probe.time - s.last.time) * 1000;
      if (gap > 0) { if (s.gaps.length < 512) s.gaps.push(gap); else s.gaps[s.count % 512] = gap; }
    }
    s.count++;
    if (probe.verdict === 'up') s.up++; else s.down++;
    if (detail && s.details.size < 8) s.details.add(detail);
    if (s.frames.length < MAX_EVENT_FRAMES) s.frames.push(probe.frame);
    // A page that differs from the one the series started with, while the status stays 2xx: the cause
    // of digest failures (the digest configured is the genhash of the page as it was).
    let digestChanged: { from: string; to: string } | null = null;
    // Only pages served with success count: an error page differs from the page by nature.
    if (probe.md5 && probe.verdict === 'up') {
      const reference = s.md5s[0];
      if (reference && reference !== probe.md5) {
        digestChanged = { from: reference, to: probe.md5 };
        probe.verdict = 'down'; probe.reason = 'page changed'; s.up--; s.down++;
      }
      if (!s.md5s.includes(probe.md5) && s.md5s.length < 32) s.md5s.push(probe.md5);
    }
    if (probe.verdict === 'down' || ctx.routineComments) {
      ctx.comment(probe.frame, {
        note: 'hc.probe', checker, director, target, verdict: probe.verdict, reason: probe.reason, nth: s.count, digestChanged,
      }, probe.verdict === 'up');
    } else ctx.comment(probe.frame, null, true);
    if (probe.verdict !== s.state) {
      if (s.state !== null || probe.verdict === 'down') this.transition(s, probe, ctx);
      s.state = probe.verdict;
    }
    s.last = probe;
  }

  private transition(s: Series, probe: Probe, ctx: EngineContext): void {
    // keepalived's rule: a real server is down as soon as one of its checkers fails.
    const others = [...this.series.values()].filter((o) => o !== s && o.director === s.director && o.target === s.target);
    const e = ctx.emit<Omit<HcState, 'id'>>({
      kind: 'hc.state', time: probe.time, frames: probe.frames, severity: probe.verdict === 'down' ? 'warning' : 'notice',
      target: s.target, state: probe.verdict, checker: s.checker, director: s.director, reason: probe.reason,
      othersUp: others.filter((o) => o.state === 'up').map((o) => o.checker),
    });
    s.stateEvents.push(e);
  }

  finish(ctx: EngineContext, lastTime: number): void {
    this.expire(lastTime, ctx, true);
    for (const s of this.series.values()) {
      // One probe is no series (a lone connection of the right shape may be anything).
      if (s.count < 2 && s.stateEvents.length === 0) continue;
      const intervalMs = s.gaps.length ? Math.round(median(s.gaps)) : null;
      ctx.emit({
        kind: 'hc.probe', time: s.first.time, frames: s.frames, severity: 'info',
        checker: s.checker, director: s.director, target: s.target, count: s.count, intervalMs, up: s.up, down: s.down,
        details: [...s.details].join('; '), ...(s.md5s.length ? { genhash: s.md5s } : {}),
      });
    }
  }

  /** A host that runs health checks (a director), as far as the capture shows. */
  isDirector(ip: string): boolean {
    return this.directors.has(ip);
  }

  /** The state of every series (for LVS pool-change correlation). */
  seriesOf(target: string): readonly { checker: Checker; director: string; state: Verdict | null; stateEvents: AnalysisEvent[] }[] {
    const withPort = this.byTarget.get(target);
    // PING_CHECK probes an address, not a port: it checks every real server at that address.
    const bare = this.byTarget.get(target.slice(0, target.lastIndexOf(':')));
    if (!bare) return withPort ?? NO_SERIES;
    return withPort ? [...withPort, ...bare] : bare;
  }

  /** Is any director's check of this target failing now? */
  isFailing(target: string): boolean {
    for (const s of this.seriesOf(target)) if (s.state === 'down') return true;
    return false;
  }
}
