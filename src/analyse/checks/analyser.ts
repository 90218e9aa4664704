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
import type { Packet } from '../../dissect/packet.js';
import { decodeSmtpLine } from '../../dissect/smtp.js';
import { copyBytes } from '../../dissect/bytes.js';
import type { SegmentView } from '../../dissect/tcp-segment.js';
import { frameTime } from '../../io/frame.js';
import { PacketKind, type Analyzer, type EngineContext } from '../engine.js';
import type { AnalysisEvent } from '../events.js';
import type { Checker, HcProbe, HcState } from './events.js';
import type { ConfiguredChecker } from './configured.js';
import type { Flow, FlowListener, FlowSlot, TcpFlows } from '../tcp/flows.js';

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
  /** The dialogue is SMTP's (a 220 banner, or HELO from the client), whatever the port: SMTP_CHECK connects to
   *  the real server's port (check_smtp.c: co->dst = rs->addr), so the decoder's SMTP ports cannot tell. */
  smtp: boolean;
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
  /** When the attempt ended (the refusal, the reply, the close); null for a silence (no reply: it lasted connect_timeout). */
  end?: number | null;
  /** UDP_CHECK with no reply and no ICMP error: a success in keepalived unless require_reply (the spacing tells). */
  silent?: boolean;
  /** HTTP: the URL path (keepalived checks its url blocks in turn: one page each). */
  page?: string;
  frame: number;
  verdict: Verdict;
  /** Why down: refused, timeout, reset, status 503, no 220 banner…; for up, the HTTP status etc. */
  reason: string;
  /** genhash of the response body (HTTP_GET), when the response was seen whole. */
  md5?: string;
  frames: number[];
}

/** An ICMP echo / UDP / DNS probe awaiting its reply: `limit`, how long keepalived waits for it (connect_timeout), s. */
interface PendingProbe { time: number; frame: number; key: string; director: string; target: string; ip: string; checker: Checker; detail: string; limit: number }

/** keepalived's connect_timeout when neither the configuration nor the wire tells (check_data.c alloc_vs: 5 s). */
const DEFAULT_CONNECT_TIMEOUT_S = 5;

interface Series {
  key: string;
  director: string;
  target: string;
  /** The address probed. */
  ip: string;
  /** PING_CHECK: the real servers (ip:port) it may belong to (keepalived names it by its real server; the echo does not). */
  realServers: string[];
  /** Its hc.probe, once emitted (the LVS services seen at the end may still name its real servers). */
  probeEvent: HcProbe | null;
  checker: Checker;
  count: number;
  up: number;
  down: number;
  first: Probe;
  last: Probe;
  /** The last probe's verdict. */
  state: Verdict | null;
  /** keepalived's verdict as the attempts' spacing tells it (null: none seen yet). */
  verdict: Verdict | null;
  /** Failed (or silent) attempts since the last success while up: the retries being counted. */
  run: Probe[];
  /** Successes in a row while down (HTTP_GET/SSL_GET need 1 + N). */
  okRun: Probe[];
  /** start→start gaps between two successes (the healthy cadence: delay_loop + the probe's time). */
  okGaps: number[];
  /** Inferred, seconds: connect_timeout (from silences), delay_before_retry, retry. */
  ct: number | null;
  dbr: number | null;
  /** UDP_CHECK: a silence was retried, so it failed: require_reply is configured. */
  requireReply: boolean;
  /** While counting failed attempts: when a retry would have started by (see checkDeadlines). */
  deadline: number;
  retry: number | null;
  /** Pages seen (HTTP url blocks) and the first digest of each. */
  pages: Map<string, string>;
  /** Gaps between consecutive probe starts (ms), a bounded sample for the cadence. */
  gaps: number[];
  details: Set<string>;
  frames: number[];
  md5s: string[];
  stateEvents: AnalysisEvent[];
}

const KEEPALIVE_UA = 'KeepAliveClient';
/** The start of the buffer keepalived fills PING_CHECK's and UDP_CHECK's payloads with (layer4.c set_buf). */
const KEEPALIVED_BUF = 'keepalived check - ';
const NO_SERIES: readonly Series[] = Object.freeze([]);
/** Flow.probe of a probe that carried no data (TCP_CHECK, failed connections). */

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

/** b[at..at+4) is a reply code and a space or a dash ("220 ", "554-"): how an SMTP server starts. */
function isReplyCode(b: Uint8Array, at: number): boolean {
  return b[at] >= 0x32 && b[at] <= 0x35 && b[at + 1] >= 0x30 && b[at + 1] <= 0x39 && b[at + 2] >= 0x30 && b[at + 2] <= 0x39
    && (b[at + 3] === 0x20 || b[at + 3] === 0x2d);
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
  private readonly pending = new Map<string, PendingProbe>();
  private lastTime = 0;

  /** Series counting failed attempts, with the time by which a retry would have started. */
  private readonly waiting = new Set<Series>();

  /** Per flow (declared slots of the flow table): what the probe showed (undefined = not decided yet, null = not a probe), and the first SMTP reply code the server sent (its banner, seen before the client's first data). */
  private readonly probe: FlowSlot<ProbeObservation | null>;
  private readonly banner: FlowSlot<number>;
  /** Flows judged as probes (a TCP_CHECK carries no observation): other analysers ask isProbe. */
  private readonly judged: FlowSlot<true>;

  /** From the configuration (--config), when given: the real servers whose PING_CHECK probes each address. */
  private readonly pingOwners = new Map<string, string[]>();
  /** From the configuration: connect_timeout per checker and destination (`checker|ip|port`), s. */
  private readonly timeouts = new Map<string, number>();
  /** From the configuration: retry per checker and destination (`checker|ip|port`; one value when all agree, else absent). */
  private readonly retries = new Map<string, number | null>();
  /** When each director's keepalived was seen starting (its first VRRP master state, reason `initial`). */
  private readonly startedAt = new Map<string, number>();
  /** PING series whose real server neither the configuration nor the LVS services told yet, by address. */
  private readonly unowned = new Map<string, Series[]>();

  constructor(private readonly flows: TcpFlows, configured: readonly ConfiguredChecker[] = []) {
    for (const c of configured) {
      if (c.checker === 'ping') {
        const owners = this.pingOwners.get(c.ip) ?? [];
        if (!owners.includes(c.realServer)) owners.push(c.realServer);
        this.pingOwners.set(c.ip, owners);
      }
      const k = `${c.checker}|${c.ip}|${c.port ?? ''}`;
      // two directors configured differently: the longer wait (a reply within it answered one of them)
      this.timeouts.set(k, Math.max(this.timeouts.get(k) ?? 0, c.connectTimeoutS));
      const r = this.retries.get(k);
      this.retries.set(k, r === undefined || r === c.retry ? c.retry : null);
    }
    flows.subscribe(this);
    this.probe = flows.declareSlot<ProbeObservation | null>('checks.probe');
    this.banner = flows.declareSlot<number>('checks.smtp-banner');
    this.judged = flows.declareSlot<true>('checks.judged');
  }

  onEvent(e: AnalysisEvent): void {
    if (e.kind === 'vrrp.master' && typeof e.router === 'string') {
      this.directors.add(e.router);
      if (e.reason === 'initial' && !this.startedAt.has(e.router) && this.startedAt.size < MAX_SERIES) this.startedAt.set(e.router, e.time);
    }
    // The LVS services seen name the real servers at an address whose PING_CHECK the configuration did not tell:
    // the ping belongs to one of them (several: the wire cannot tell which, keepalived 2.2.7's echo ids are per probe).
    else if ((e.kind === 'lvs.forward' && !e.sorry) || e.kind === 'lvs.realserver') this.lvsRealServer(e.realServer);
  }

  private lvsRealServer(server: string): void {
    const sep = server.lastIndexOf(':');
    const list = sep > 0 ? this.unowned.get(server.slice(0, sep)) : undefined;
    if (!list) return;
    for (const s of list) {
      if (s.realServers.includes(server) || s.realServers.length >= 16) continue;
      s.realServers.push(server);
      s.realServers.sort();
      // its events are the same objects until the analysis ends (the engine allows updates until finish)
      if (s.probeEvent) s.probeEvent.realServers = [...s.realServers];
      for (const e of s.stateEvents) if (e.kind === 'hc.state') e.realServers = [...s.realServers];
    }
  }

  // --- TCP probes ---

  onSegment(flow: Flow, seg: SegmentView, fromClient: boolean, ctx: EngineContext): void {
    const at = seg.payloadAt, end = seg.payloadEnd;
    const len = end - at;
    let obs = this.probe.get(flow);
    const banner = this.banner.get(flow) ?? 0;
    if (obs === undefined) {
      // Decide once per flow, on its first data segment from the client, whether it may be a probe.
      if (len === 0) return;
      if (!fromClient) {
        // A server that speaks first with a reply code: an SMTP banner, on any port.
        if (!banner && len >= 4 && isReplyCode(seg.frame.buf, at)) {
          const code = decodeSmtpLine(seg.frame.buf, at, end, true)?.lines[0]?.code;
          if (code) this.banner.set(flow, code);
        }
        return;
      }
      const b = seg.frame.buf;
      const fromDirector = this.directors.has(flow.clientIp);
      const keepaliveHttp = contains(b, at, end, KEEPALIVE_UA);
      const smtpHelo = len >= 5 && b[at] === 0x48 && contains(b, at, Math.min(end, at + 5), 'HELO ');
      if (!fromDirector && !keepaliveHttp && !smtpHelo) { this.probe.set(flow, null); return; }
      if (keepaliveHttp || smtpHelo) this.directors.add(flow.clientIp);
      obs = { kind: null, smtp: smtpHelo || banner > 0, smtpCodes: [], tls: false, body: [], bodyBytes: 0, headEndSeq: null, clientDataSegments: 0, serverDataAfterRequest: 0 };
      this.probe.set(flow, obs);
      if (banner) obs.smtpCodes.push(banner);
    }
    if (obs === null) return;
    if (len === 0) return;
    if (fromClient) obs.clientDataSegments++;
    else if (obs.clientDataSegments >= 2) obs.serverDataAfterRequest++;
    // A probe's segments: what they carry, decoded.
    const pkt = seg.packet();
    // SMTP off the decoder's ports (25/587/2525): the lines read here, once the dialogue has shown it is SMTP.
    const smtp = pkt.smtp ?? (obs.smtp ? decodeSmtpLine(seg.frame.buf, at, end, !fromClient) : null);
    if (fromClient) {
      const h = pkt.http;
      if (h && h.kind === 'request' && !obs.method) {
        obs.method = h.method; obs.path = h.uri; obs.userAgent = h.userAgent; obs.host = h.host;
        obs.kind = h.userAgent === KEEPALIVE_UA ? 'http' : 'misc';
      } else if (pkt.tls && pkt.tls.handshakeType === 'client-hello') {
        obs.tls = true; obs.sni = pkt.tls.sni;
        if (!obs.kind) obs.kind = 'ssl';
      } else if (smtp) {
        for (const l of smtp.lines) if (l.command?.toUpperCase() === 'HELO') { obs.helo = l.argument; obs.kind = 'smtp'; }
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
      } else if (smtp) {
        for (const l of smtp.lines) if (l.code !== undefined && !l.continued) obs.smtpCodes.push(l.code);
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
    const obs = this.probe.get(flow);
    const banner = this.banner.get(flow) ?? 0;
    const fromDirector = this.directors.has(flow.clientIp);
    // The target's text only for a flow that may be a probe (most flows of a busy capture are not).
    const target = obs || fromDirector || banner || flow.ended === 'refused' || flow.ended === 'unanswered' || (flow.clientBytes === 0 && flow.finFrom === 'client')
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
    } else if (!obs && flow.established && flow.clientBytes === 0 && banner && banner !== 220
      && this.hasSeries(flow.clientIp, target, 'smtp')) {
      // SMTP_CHECK reads the banner and, when it is not 220, ends the connection without a word (check_smtp.c
      // smtp_get_status → smtp_final): a failed attempt of that checker, not a TCP_CHECK.
      checker = 'smtp';
      verdict = 'down';
      reason = `banner ${banner}, not 220`;
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
    // A connection that got no answer lasted connect_timeout: its end is not on the wire.
    const end = flow.ended === 'unanswered' ? null : flow.lastTime;
    this.record(flow.clientIp, target, flow.serverIp, checker, { time, end, page: obs?.path, frame: frames[0], verdict, reason, md5, frames }, this.detailOf(checker, obs), ctx);
    // A probe, for the other analysers (isProbe).
    this.judged.set(flow, true);
  }

  /** Whether a TCP connection is a health-check probe (what the checks saw on it): LVS does not count it as a client's. */
  isProbe(flow: Flow): boolean {
    return !!this.probe.get(flow) || this.judged.get(flow) === true;
  }

  private judge(checker: Checker, obs: ProbeObservation, flow: Flow): { verdict: Verdict; reason: string; md5?: string } {
    if (checker === 'http' || (checker === 'misc' && obs.method)) {
      if (obs.status === undefined) return { verdict: 'down', reason: flow.rstFrom ? 'reset before a response' : 'no response' };
      // A digest is HTTP_GET's (url { digest }): a MISC_CHECK script that fetches a page judges by its exit code,
      // so a page that changes fails nothing there (check_misc.c: the script's exit status only).
      const md5 = checker === 'http' ? this.genhash(obs) : undefined;
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

  private hasSeries(director: string, target: string, checker?: Checker): boolean {
    return (this.byTarget.get(target) ?? NO_SERIES).some((s) => s.director === director && (!checker || s.checker === checker));
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
    if (this.waiting.size) this.checkDeadlines(t, ctx);
    if (this.pending.size && (pkt.icmp || pkt.icmpv6 || pkt.udp)) this.matchReply(pkt, t, ctx);
    const net = pkt.net;
    if (!net) return;
    const echo = pkt.icmp?.echo ?? pkt.icmpv6?.echo;
    if (!this.directors.has(net.src)) {
      // A director that was never master checks too (keepalived's checkers run on every director, whatever its
      // VRRP state): its probes are known by keepalived's own payloads.
      if (!this.isKeepalivedProbe(pkt, net.payloadAt, net.payloadEnd, echo?.request === true)) return;
      this.directors.add(net.src);
    }
    if (echo?.request) {
      // PING_CHECK belongs to a real server (ip:port): the configuration names it; the echo carries the address only.
      const owners = this.pingOwners.get(net.dst);
      this.expect(`echo|${net.dst}|${net.src}|${echo.id}|${echo.seq}`, net.src, owners?.length === 1 ? owners[0] : net.dst, net.dst, 'ping', t, pkt.frame.n, 'ICMP echo', null, ctx);
    } else if (pkt.udp && !pkt.ipvsSync && !pkt.hsrp) {
      const u = pkt.udp;
      if (u.dstPort === 8848 || net.isMulticast) return;
      const checker: Checker = pkt.dns && !pkt.dns.qr ? 'dns' : 'udp';
      const q = checker === 'dns' ? pkt.dns?.question : null;
      const detail = q ? `${q.typeName} ${q.name}`.trim() : checker === 'dns' ? '' : `UDP ${u.dstPort}`;
      this.expect(`udp|${net.dst}|${u.dstPort}|${net.src}|${u.srcPort}`, net.src, `${net.dst}:${u.dstPort}`, net.dst, checker, t, pkt.frame.n, detail, u.dstPort, ctx);
    }
    this.expire(t, ctx);
  }

  /**
   * keepalived's own probe payloads: PING_CHECK's echo data and UDP_CHECK's default datagram are "keepalived check - "
   * repeated (layer4.c set_buf, ICMP_BUFSIZE 128 / UDP_BUFSIZE 32; checks-variant: every echo request of d1).
   * DNS_CHECK's default query (SOA of the root, RD, no EDNS: check_dns.c dns_make_query) is no proof: the
   * checks-variant client sends the very same query through LVS-NAT (31 of them reach rs4 from 10.0.0.50). A DNS_CHECK,
   * or a UDP_CHECK with its own payload, counts once its director is known by another probe.
   */
  private isKeepalivedProbe(pkt: Packet, transportAt: number, transportEnd: number, echoRequest: boolean): boolean {
    const b = pkt.frame.buf;
    if (echoRequest) {
      const at = transportAt + 8;
      return contains(b, at, Math.min(transportEnd, at + KEEPALIVED_BUF.length), KEEPALIVED_BUF);
    }
    const u = pkt.udp;
    if (!u || pkt.dns) return false;
    return u.payloadEnd - u.payloadAt >= KEEPALIVED_BUF.length && contains(b, u.payloadAt, u.payloadAt + KEEPALIVED_BUF.length, KEEPALIVED_BUF);
  }

  private expect(replyKey: string, director: string, target: string, ip: string, checker: Checker, t: number, n: number, detail: string, port: number | null, ctx: EngineContext): void {
    const key = `${director}|${target}|${checker}`;
    // One attempt at a time per checker (keepalived starts the next when the last ended, by its answer or its
    // connect_timeout): an earlier probe of this series still unanswered got no answer. Not for a PING series
    // that may be several checkers (two real servers at one address: their echoes are not told apart).
    if (!(checker === 'ping' && target === ip && (this.pingOwners.get(ip)?.length ?? 0) > 1)) {
      // (Older than half a second: a host's own lookups go out together, A and AAAA within a millisecond.)
      for (const [k, p] of this.pending) if (p.key === key && t - p.time > 0.5) { this.pending.delete(k); this.noReply(p, ctx); }
    }
    if (this.pending.size > 10_000) return;
    const configured = this.timeouts.get(`${checker}|${ip}|${port ?? ''}`);
    const inferred = this.series.get(key)?.ct;
    // connect_timeout: the configuration's; else the one the series' silences showed (rounded to 0.1 s); else keepalived's default
    const limit = configured ?? (inferred != null ? inferred + 0.1 : DEFAULT_CONNECT_TIMEOUT_S);
    this.pending.set(replyKey, { time: t, frame: n, key, director, target, ip, checker, detail, limit });
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
    // keepalived stopped waiting at connect_timeout: an answer after it is no answer to the checker
    if (t - p.time > p.limit) { this.noReply(p, ctx); return; }
    if (pkt.dns && pkt.dns.rcode !== 0) { verdict = 'down'; reason = `DNS ${pkt.dns.rcodeName}`; }
    this.record(p.director, p.target, p.ip, p.checker, { time: p.time, end: t, frame: p.frame, verdict, reason, frames: [p.frame, pkt.frame.n] }, p.detail, ctx);
  }

  /** Probes with no reply within their connect_timeout (configured, else inferred, else keepalived's 5 s). */
  private expire(t: number, ctx: EngineContext, all = false): void {
    for (const [k, p] of this.pending) {
      if (!all && t - p.time <= p.limit) continue;
      this.pending.delete(k);
      this.noReply(p, ctx);
    }
  }

  private noReply(p: PendingProbe, ctx: EngineContext): void {
    // UDP_CHECK: silence until connect_timeout is a success unless require_reply (the spacing of the next
    // attempts tells, see resolve); PING_CHECK and DNS_CHECK fail on it.
    const silent = p.checker === 'udp';
    this.record(p.director, p.target, p.ip, p.checker, {
      time: p.time, end: null, silent, frame: p.frame, verdict: silent ? 'up' : 'down', reason: 'no reply', frames: [p.frame],
    }, p.detail, ctx);
  }

  // --- series and transitions ---

  /** The real servers whose PING_CHECK probes `ip`, as the configuration says ([] when not given or not there). */
  private pingOwnersOf(target: string, ip: string): string[] {
    const owners = this.pingOwners.get(ip);
    return owners ? [...owners].sort() : target === ip ? [] : [target];
  }

  private record(director: string, target: string, ip: string, checker: Checker, probe: Probe, detail: string, ctx: EngineContext): void {
    const key = `${director}|${target}|${checker}`;
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= MAX_SERIES) return;
      s = {
        key, director, target, ip, realServers: checker === 'ping' ? this.pingOwnersOf(target, ip) : [], probeEvent: null, checker, count: 0, up: 0, down: 0, first: probe, last: probe, state: null, verdict: null, run: [], okRun: [], okGaps: [],
        ct: null, dbr: null, requireReply: false, deadline: 0, retry: null, pages: new Map(), gaps: [], details: new Set(), frames: [], md5s: [], stateEvents: [],
      };
      this.series.set(key, s);
      const list = this.byTarget.get(target);
      if (list) list.push(s); else this.byTarget.set(target, [s]);
      ctx.host(director, null, 'director');
      ctx.host(ip, null, 'real-server');
      // a PING series of an address the configuration did not tell: the LVS services seen may (onEvent)
      if (checker === 'ping' && target === ip && !s.realServers.length) {
        const list = this.unowned.get(ip);
        if (list) list.push(s); else if (this.unowned.size < MAX_SERIES) this.unowned.set(ip, [s]);
      }
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
    // Only pages served with success count: an error page differs from the page by nature. Each url block
    // is its own page (keepalived checks them in turn): a digest is compared with that URL's only.
    if (probe.md5 && probe.verdict === 'up') {
      const page = probe.page ?? '';
      const reference = s.pages.get(page);
      if (reference === undefined) { if (s.pages.size < 32) s.pages.set(page, probe.md5); }
      else if (reference !== probe.md5) {
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
    if (s.state === 'up' && probe.verdict === 'up' && !probe.silent && !s.last.silent && s.okGaps.length < 64) s.okGaps.push(probe.time - s.last.time);
    s.state = probe.silent ? s.state : probe.verdict;
    s.last = probe;
    this.step(s, probe, ctx);
  }

  // --- keepalived's verdict (keepalived-semantics.md §1): retry + 1 failed attempts, delay_before_retry apart,
  // take a server out; one success (HTTP_GET/SSL_GET: 1 + N, one per url block, delay_loop apart) puts it back.
  // The analysis has no configuration: the spacing of the attempts tells where keepalived gave up (retries come
  // delay_before_retry after the previous attempt ended, checks delay_loop after).

  /** The healthy cadence (s): delay_loop plus a successful probe's time; null before two successes in a row. */
  private cadence(s: Series): number | null {
    return s.okGaps.length ? median(s.okGaps) : null;
  }

  private endOf(s: Series, p: Probe): number | null {
    if (p.end !== undefined && p.end !== null) return p.end;
    return s.ct === null ? null : p.time + s.ct;
  }

  private step(s: Series, p: Probe, ctx: EngineContext): void {
    if (s.verdict === 'down') {
      if (p.silent) return;
      if (p.verdict === 'down') { s.okRun.length = 0; return; }
      s.okRun.push(p);
      if (s.okRun.length >= this.successesNeeded(s)) {
        const ok = s.okRun;
        s.okRun = [];
        s.verdict = 'up';
        this.transition(s, 'up', p.end ?? p.time, ok, p.reason, ctx);
      }
      return;
    }
    if (p.verdict === 'up' && !p.silent) {
      if (s.run.length) this.resolve(s, p, ctx);
      s.run.length = 0;
      if ((s.verdict as Verdict | null) === 'down') { this.step(s, p, ctx); return; }
      s.verdict = 'up';
      return;
    }
    // keepalived's start-up rule (alpha off, check_data.c: "For non alpha mode, one failure is enough initially"):
    // a checker's first attempt failing right after keepalived started takes the server out, whatever retry says
    // (checks-defaults: TCP_CHECK retry 3, "TCP_CHECK … failed." and "Removing service" on the first refusal).
    if (s.verdict === null && s.count === 1 && !p.silent && this.startingUp(s.director, p.time)) {
      const end = this.endOf(s, p) ?? p.time;
      this.giveUp(s, [p], end, ctx, true);
      return;
    }
    if (s.run.length < 64) s.run.push(p);
    this.resolve(s, null, ctx);
  }

  /** Did this director's keepalived start just before `t` (its checkers' first attempts come within delay_loop + 1 s)? */
  private startingUp(director: string, t: number): boolean {
    const at = this.startedAt.get(director);
    // the first checks may precede the first master state (the initial wait), or come up to a delay_loop after it
    return at !== undefined && t >= at - 10 && t <= at + 65;
  }

  /**
   * Where the attempts' spacing cannot tell retries from checks, the retry count: DNS_CHECK retries
   * delay_before_retry = delay_loop apart by default (check_dns.c; checks-defaults: "… after 3 retries", four
   * queries 3 s apart), MISC_CHECK has retry 0 (check_misc.c: "timed out with retry disabled"). The configuration's
   * retry when given; keepalived's default while no shorter retry gap was seen; else null (the spacing tells).
   */
  private retryByCount(s: Series): number | null {
    if (s.checker !== 'dns' && s.checker !== 'misc') return null;
    const port = s.target.slice(s.target.lastIndexOf(':') + 1);
    const configured = this.retries.get(`${s.checker}|${s.ip}|${port}`);
    if (typeof configured === 'number') return configured;
    if (s.dbr !== null) return null;
    return s.checker === 'dns' ? 3 : 0;
  }

  /** 1 + N successes for HTTP_GET/SSL_GET (N url blocks: the pages seen; SSL hides them: 1), one for the others. */
  private successesNeeded(s: Series): number {
    if (s.checker === 'http') return 1 + Math.max(1, s.details.size);
    if (s.checker === 'ssl') return 2;
    return 1;
  }

  /**
   * Looks for the point where keepalived gave up in the run of failed attempts, given the attempt that
   * follows it (`next`, a success) or the run alone: a gap after a failed attempt of about delay_loop (not
   * delay_before_retry) means no retry was left.
   */
  private resolve(s: Series, next: Probe | null, ctx: EngineContext): void {
    const run = s.run;
    const seq = next ? [...run, next] : run;
    if (!seq.length) return;
    const H = this.cadence(s);
    // a retry gap shorter than a check's shows delay_before_retry: the spacing tells from then on
    if ((s.checker === 'dns' || s.checker === 'misc') && s.dbr === null && H !== null) {
      for (let i = 0; i + 1 < seq.length; i++) {
        const end = this.endOf(s, seq[i]);
        if (end !== null && seq[i + 1].time - end < H - 0.5) { s.dbr = Math.max(0, Math.round((seq[i + 1].time - end) * 10) / 10); break; }
      }
    }
    const byCount = this.retryByCount(s);
    if (byCount !== null) {
      if (run.length < byCount + 1) return; // still counting (a success next: the retries were not used up)
      const failed = run.slice(0, byCount + 1), last = failed[failed.length - 1];
      this.giveUp(s, failed, this.endOf(s, last) ?? last.time, ctx);
      for (const later of run.slice(byCount + 1)) this.step(s, later, ctx);
      return;
    }
    // connect_timeout from silences: a silent attempt followed by a check lasts delay_loop + connect_timeout.
    if (s.ct === null && H !== null) {
      const silentGaps: number[] = [];
      for (let i = 0; i + 1 < seq.length; i++) if (seq[i].end == null) silentGaps.push(seq[i + 1].time - seq[i].time);
      if (silentGaps.length >= 2) {
        const hi = Math.max(...silentGaps), lo = Math.min(...silentGaps);
        // two spacings: the longer is a check; all alike over three gaps: checks only (no retry between)
        if ((hi - lo >= 0.5 || silentGaps.length >= 3) && hi - H > 0.2) s.ct = Math.round((hi - H) * 10) / 10;
      }
    }
    for (let i = 0; i + 1 < seq.length; i++) {
      const a = seq[i], b = seq[i + 1];
      const end = this.endOf(s, a);
      if (end === null || H === null) return; // not decidable yet
      const idle = b.time - end;
      const isRetry = idle < H - 0.5;
      if (isRetry) {
        // a retry after a silence: that silence failed, so the UDP_CHECK has require_reply
        if (a.silent) s.requireReply = true;
        if (s.dbr === null || s.dbr > idle) s.dbr = Math.max(0, Math.round(idle * 10) / 10);
        continue;
      }
      // a check gap after attempt i: keepalived gave up there (or a silent UDP probe succeeded)
      const failed = seq.slice(0, i + 1);
      if (failed.length === 1 && failed[0].silent && !s.requireReply) {
        // UDP_CHECK: a silence not followed by a retry was a success (keepalived's default, no require_reply)
        s.run = run.slice(i + 1);
        this.resolve(s, next, ctx);
        return;
      }
      this.giveUp(s, failed, end, ctx);
      // the attempts after the verdict are probes of a server keepalived has taken out
      for (const later of seq.slice(i + 1)) if (later !== next) this.step(s, later, ctx);
      return;
    }
    // Still counting: once delay_loop has nearly passed since the last failed attempt with no retry started,
    // keepalived gave up there (decided without waiting for the next check, for the analysers that read it).
    const last = run[run.length - 1];
    const end = last ? this.endOf(s, last) : null;
    if (!next && end !== null && H !== null && this.waiting.size < MAX_SERIES) {
      s.deadline = end + H - 0.5;
      this.waiting.add(s);
      ctx.wakeAt(this, s.deadline);
    }
  }

  private giveUp(s: Series, failed: Probe[], end: number, ctx: EngineContext, startup = false): void {
    s.retry = failed.length - 1;
    s.verdict = 'down';
    s.okRun = [];
    s.run = [];
    this.waiting.delete(s);
    this.transition(s, 'down', end, failed, failed[failed.length - 1].reason, ctx, startup);
  }

  /** Series whose last failed attempt had no retry within delay_loop: keepalived gave up at its end. */
  private checkDeadlines(t: number, ctx: EngineContext): void {
    for (const s of this.waiting) {
      if (!s.run.length || s.verdict === 'down') { this.waiting.delete(s); continue; }
      if (t < s.deadline) continue;
      const last = s.run[s.run.length - 1];
      const end = this.endOf(s, last);
      if (end === null) { this.waiting.delete(s); continue; }
      // an attempt started since but not ended yet (its flow still open, its reply still awaited): wait for it
      if (this.inFlight(s, last.time)) { s.deadline = t + 0.5; ctx.wakeAt(this, s.deadline); continue; }
      this.waiting.delete(s);
      if (s.run.length === 1 && last.silent && !s.requireReply) { s.run = []; continue; } // a silence that passed
      this.giveUp(s, s.run, end, ctx);
    }
  }

  private inFlight(s: Series, after: number): boolean {
    for (const p of this.pending.values()) if (p.key === s.key && p.time > after) return true;
    if (s.checker === 'ping' || s.checker === 'udp' || s.checker === 'dns') return false;
    let found = false;
    const sep = s.target.lastIndexOf(':');
    const ip = s.target.slice(0, sep), port = Number(s.target.slice(sep + 1));
    this.flows.forEachOpen((f) => { if (!found && f.clientIp === s.director && f.serverIp === ip && f.serverPort === port && f.firstTime > after) found = true; });
    return found;
  }

  tick(t: number, ctx: EngineContext): void {
    if (this.waiting.size) this.checkDeadlines(t, ctx);
  }

  private transition(s: Series, state: Verdict, time: number, attempts: Probe[], reason: string, ctx: EngineContext, startup = false): void {
    // keepalived's rule: a real server is down as soon as one of its checkers fails.
    const others = [...this.series.values()].filter((o) => o !== s && o.director === s.director && o.target === s.target);
    const frames: number[] = [];
    for (const a of attempts) for (const f of a.frames) if (frames.length < MAX_EVENT_FRAMES) frames.push(f);
    const H = this.cadence(s);
    const e = ctx.emit<Omit<HcState, 'id'>>({
      kind: 'hc.state', time, frames, severity: state === 'down' ? 'warning' : 'notice',
      target: s.target, state, checker: s.checker, director: s.director, reason,
      othersUp: others.filter((o) => o.verdict !== 'down' && o.state === 'up').map((o) => o.checker),
      attempts: attempts.length, spanMs: Math.round((time - attempts[0].time) * 1000),
      ...(state === 'down' ? { retry: attempts.length - 1 } : {}),
      ...(startup ? { startup: true as const } : {}),
      delayBeforeRetryMs: s.dbr === null ? null : Math.round(s.dbr * 1000),
      connectTimeoutMs: s.ct === null ? null : Math.round(s.ct * 1000),
      delayLoopMs: H === null ? null : Math.round(H * 1000),
      ...(s.checker === 'ping' ? { realServers: [...s.realServers] } : {}),
    });
    s.stateEvents.push(e);
  }

  finish(ctx: EngineContext, lastTime: number): void {
    this.expire(lastTime, ctx, true);
    for (const s of this.series.values()) {
      // One probe is no series (a lone connection of the right shape may be anything).
      if (s.count < 2 && s.stateEvents.length === 0) continue;
      const intervalMs = s.gaps.length ? Math.round(median(s.gaps)) : null;
      s.probeEvent = ctx.emit<Omit<HcProbe, 'id'>>({
        kind: 'hc.probe', time: s.first.time, frames: s.frames, severity: 'info',
        checker: s.checker, director: s.director, target: s.target, count: s.count, intervalMs, up: s.up, down: s.down,
        details: [...s.details].join('; '), ...(s.md5s.length ? { genhash: s.md5s } : {}),
        retry: s.retry, delayBeforeRetryMs: s.dbr === null ? null : Math.round(s.dbr * 1000), connectTimeoutMs: s.ct === null ? null : Math.round(s.ct * 1000),
        ...(s.checker === 'ping' ? { realServers: [...s.realServers] } : {}),
      });
    }
  }

  /** A host that runs health checks (a director), as far as the capture shows. */
  isDirector(ip: string): boolean {
    return this.directors.has(ip);
  }

  /** The state of every series of a real server ip:port (for LVS pool-change correlation). */
  seriesOf(target: string): readonly { checker: Checker; director: string; state: Verdict | null; stateEvents: AnalysisEvent[] }[] {
    const withPort = this.byTarget.get(target);
    // A PING_CHECK belongs to one real server: the configuration names it (its series is then keyed by it). A
    // series keyed by the address alone stands for every real server there it may belong to.
    const bare = this.byTarget.get(target.slice(0, target.lastIndexOf(':')))?.filter((s) => !s.realServers.length || s.realServers.includes(target));
    if (!bare?.length) return withPort ?? NO_SERIES;
    return withPort ? [...withPort, ...bare] : bare;
  }

  /** Is any director's check of this target failing now? */
  isFailing(target: string): boolean {
    for (const s of this.seriesOf(target)) if (s.state === 'down') return true;
    return false;
  }
}
