// HTTP/1.x message heads (request line or status line, then header fields) from a TCP payload.
//
// keepalived's HTTP_GET / SSL_GET checkers send `GET <path> HTTP/1.0`, `User-Agent: KeepAliveClient`
// and `Host: <rs-ip>:<port>` (check_http.c request_template); the verdict depends on the status code
// of the reply. Only the head is decoded: bodies (and the MD5 `digest` keepalived computes over them)
// are the caller's business. Field names follow Wireshark's http.* fields.

import { latin1 } from './bytes.js';
import type { Problem } from './types.js';
import type { Field } from './fields.js';
import type { IPv4 } from './ipv4.js';
import type { IPv6 } from './ipv6.js';
import { registerTcpHeuristic, type PacketBase } from './registry.js';
import type { Tcp, TcpStreams } from './tcp.js';

/** Heads bigger than this are not HTTP we care about (Wireshark's default is also in this range). */
export const HTTP_HEAD_SCAN_LIMIT = 16 * 1024;
/** Bound on decoded header fields, so a hostile head cannot make us allocate without limit. */
const MAX_HEADERS = 100;

export interface HttpHead {
  kind: 'request' | 'response';
  /** http.request.method */
  method?: string;
  /** http.request.uri */
  uri?: string;
  /** "HTTP/1.1" (http.request.version / http.response.version); '' when the first line was cut short. */
  version: string;
  /** http.response.code */
  status?: number;
  /** http.response.phrase */
  reason?: string;
  /** Header fields in order, names as sent, values without surrounding whitespace. */
  readonly headers: Array<[string, string]>;
  /** http.host: the first Host header value as sent (e.g. "10.1.0.21:80"). */
  host?: string;
  /** http.user_agent */
  userAgent?: string;
  /** http.content_length_header, when it is a plain decimal number. */
  contentLength?: number;
  /** http.connection */
  connection?: string;
  /** True when the empty line that ends the head was seen. */
  complete: boolean;
  /** Bytes up to and including the empty line, or the bytes examined when the head is incomplete. */
  headLength: number;
  problem?: Problem;
}

// RFC 9110 §9 methods plus PATCH (RFC 5789): what a load-balancer lab sees. The decoder also accepts
// other upper-case tokens when the line ends in " HTTP/x.y" (WebDAV and friends).
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];
const METHOD_BYTES: Uint8Array[] = METHODS.map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0)));
const HTTP_SLASH = Uint8Array.from('HTTP/', (c) => c.charCodeAt(0));

const CR = 0x0d, LF = 0x0a, SP = 0x20, HT = 0x09, COLON = 0x3a;

function startsWith(b: Uint8Array, o: number, end: number, lit: Uint8Array): boolean {
  if (end - o < lit.length) return false;
  for (let i = 0; i < lit.length; i++) if (b[o + i] !== lit[i]) return false;
  return true;
}

/** Length of a known method at `o` when it is followed by a space, else 0. */
function knownMethodLength(b: Uint8Array, o: number, end: number): number {
  for (const m of METHOD_BYTES) {
    if (startsWith(b, o, end, m) && o + m.length < end && b[o + m.length] === SP) return m.length;
  }
  return 0;
}

/**
 * Cheap test of the first bytes of a TCP payload: a known method followed by a space, or "HTTP/".
 * Used to decide whether a stream is worth buffering for reassembly.
 */
export function looksLikeHttpStart(bytes: Uint8Array, offset: number, end: number): boolean {
  if (offset < 0 || end > bytes.length || end - offset < 5) return false;
  if (startsWith(bytes, offset, end, HTTP_SLASH)) return true;
  return knownMethodLength(bytes, offset, end) > 0;
}

/**
 * True when bytes[offset..end) holds the empty line that ends a head (CRLF CRLF, or bare LF LF), looking
 * no further than HTTP_HEAD_SCAN_LIMIT. A cheap test to decide whether a head needs reassembly.
 */
export function hasHeadEnd(bytes: Uint8Array, offset: number, end: number): boolean {
  const limit = Math.min(end, offset + HTTP_HEAD_SCAN_LIMIT, bytes.length);
  // Whether such a line exists at all, not where: a head has no empty line before its end, so any one
  // is it. Searched from the back, where it is in a request and a few body bytes away in a response.
  for (let i = limit - 1; i > offset; i--) {
    if (bytes[i] !== LF) continue;
    const p = bytes[i - 1];
    if (p === LF || (p === CR && i >= offset + 2 && bytes[i - 2] === LF)) return true;
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isUpperAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x5f; // A-Z, '-', '_'
}

/** True when b[o..o+8) is "HTTP/d.d". */
function isHttpVersion(b: Uint8Array, o: number, end: number): boolean {
  return (
    end - o >= 8 && startsWith(b, o, end, HTTP_SLASH) && isDigit(b[o + 5]) && b[o + 6] === 0x2e && isDigit(b[o + 7])
  );
}

function isOws(c: number): boolean {
  return c === SP || c === HT;
}

/** Latin-1 text of b[s..e) with leading and trailing spaces/tabs removed. */
function trimmed(b: Uint8Array, s: number, e: number): string {
  while (s < e && isOws(b[s])) s++;
  while (e > s && isOws(b[e - 1])) e--;
  return latin1(b, s, e);
}

/** Index of the line feed ending the line that starts at `s`, or -1 before `limit`. */
function findLf(b: Uint8Array, s: number, limit: number): number {
  for (let i = s; i < limit; i++) if (b[i] === LF) return i;
  return -1;
}

/** End of line content: strips the CR of a CRLF. */
function contentEnd(b: Uint8Array, lineStart: number, lf: number): number {
  return lf > lineStart && b[lf - 1] === CR ? lf - 1 : lf;
}

function problem(message: string): Problem {
  return { layer: 'http', message };
}

/**
 * Decodes the head of an HTTP/1.x message at the start of bytes[offset..end).
 * Returns null when the bytes do not start with a request line or a status line.
 */
export function decodeHttpHead(bytes: Uint8Array, offset: number, end: number): HttpHead | null {
  if (offset < 0 || end > bytes.length || end - offset < 5) return null;
  const b = bytes;
  const limit = Math.min(end, offset + HTTP_HEAD_SCAN_LIMIT);

  const isResponse = startsWith(b, offset, limit, HTTP_SLASH);
  let methodLen = isResponse ? 0 : knownMethodLength(b, offset, limit);
  if (!isResponse && methodLen === 0) {
    // An unlisted method is accepted only when the whole line is a well-formed request line.
    let i = offset;
    while (i < limit && i - offset < 24 && isUpperAlpha(b[i])) i++;
    if (i === offset || i >= limit || b[i] !== SP) return null;
    const lf = findLf(b, i, limit);
    if (lf < 0) return null;
    const ce = contentEnd(b, offset, lf);
    if (ce - 8 <= i || b[ce - 9] !== SP || !isHttpVersion(b, ce - 8, ce)) return null;
    methodLen = i - offset;
  }

  const head = new LazyHead(isResponse ? 'response' : 'request', b, limit - offset);
  const problems: string[] = [];

  // First line.
  const firstLf = findLf(b, offset, limit);
  const firstEnd = firstLf < 0 ? limit : contentEnd(b, offset, firstLf);
  if (isResponse) {
    // HTTP/x.y SP 3DIGIT SP reason-phrase (RFC 9112 §4); the reason may be empty.
    let p = offset;
    while (p < firstEnd && b[p] !== SP) p++;
    head.version = latin1(b, offset, p);
    if (!isHttpVersion(b, offset, p) || p - offset !== 8) problems.push('malformed HTTP version in status line');
    while (p < firstEnd && b[p] === SP) p++;
    const codeStart = p;
    while (p < firstEnd && isDigit(b[p]) && p - codeStart < 3) p++;
    if (p - codeStart === 3 && (p === firstEnd || b[p] === SP)) {
      head.status = (b[codeStart] - 0x30) * 100 + (b[codeStart + 1] - 0x30) * 10 + (b[codeStart + 2] - 0x30);
      head.reason = p < firstEnd ? latin1(b, p + 1, firstEnd) : '';
    } else if (firstLf >= 0 || firstEnd - codeStart >= 3) {
      problems.push('malformed status code in status line');
    }
  } else {
    head.method = latin1(b, offset, offset + methodLen);
    const uriStart = offset + methodLen + 1;
    // The URI runs to the last space of the line when a version follows it (tolerates spaces in the URI).
    let lastSp = -1;
    for (let i = firstEnd - 1; i >= uriStart; i--) {
      if (b[i] === SP) { lastSp = i; break; }
    }
    if (lastSp >= 0 && isHttpVersion(b, lastSp + 1, firstEnd) && firstEnd - lastSp - 1 === 8) {
      head.uri = latin1(b, uriStart, lastSp);
      head.version = latin1(b, lastSp + 1, firstEnd);
    } else if (firstLf < 0) {
      // Request line cut by the end of the segment: keep the URI seen so far.
      head.uri = latin1(b, uriStart, lastSp >= 0 ? lastSp : firstEnd);
    } else {
      head.uri = latin1(b, uriStart, firstEnd);
      problems.push('request line without HTTP version');
    }
  }

  if (firstLf < 0) {
    head.headLength = limit - offset;
    problems.unshift(headIncompleteMessage(limit - offset, end > limit));
    head.problem = problem(problems.join('; '));
    return head;
  }

  // Header fields.
  let lineStart = firstLf + 1;
  let badLines = 0;
  let dropped = 0;
  for (;;) {
    if (lineStart >= limit) break;
    const lf = findLf(b, lineStart, limit);
    if (lf < 0) break; // unterminated last line: may be cut mid-value, so it is not decoded
    const ce = contentEnd(b, lineStart, lf);
    if (ce === lineStart) {
      head.complete = true;
      head.headLength = lf + 1 - offset;
      break;
    }
    if (isOws(b[lineStart])) {
      // obs-fold (RFC 9112 §5.2): continuation of the previous field value.
      if (head.fieldCount > 0) head.spans.push(lineStart, -1, ce);
      else badLines++;
    } else {
      let colon = -1;
      for (let i = lineStart; i < ce; i++) {
        if (b[i] === COLON) { colon = i; break; }
      }
      if (colon <= lineStart) {
        badLines++;
      } else if (head.fieldCount >= MAX_HEADERS) {
        dropped++;
      } else {
        head.spans.push(lineStart, colon, ce);
        head.fieldCount++;
        noteWellKnown(head, b, lineStart, colon, ce, problems);
      }
    }
    lineStart = lf + 1;
  }

  if (!head.complete) problems.unshift(headIncompleteMessage(limit - offset, end > limit));
  if (badLines > 0) problems.push(`${badLines} malformed header line${badLines > 1 ? 's' : ''} (no field name)`);
  if (dropped > 0) problems.push(`${dropped} header fields beyond the first ${MAX_HEADERS} not decoded`);
  if (problems.length > 0) head.problem = problem(problems.join('; '));
  return head;
}

function headIncompleteMessage(seen: number, capped: boolean): string {
  return capped
    ? `HTTP head exceeds ${HTTP_HEAD_SCAN_LIMIT} bytes without an empty line`
    : `HTTP head incomplete: no empty line in ${seen} bytes (segment of a longer head?)`;
}

const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

/** Case-insensitive comparison of b[s..e) with a lower-case ASCII name. */
function nameIs(b: Uint8Array, s: number, e: number, name: string): boolean {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (lower(b[s + i]) !== name.charCodeAt(i)) return false;
  return true;
}

/**
 * The header fields the analysis reads are decoded at once; the others stay as byte spans until
 * someone asks for `headers` (most heads are never looked at field by field).
 */
function noteWellKnown(head: HttpHead, b: Uint8Array, s: number, colon: number, ce: number, problems: string[]): void {
  const len = colon - s;
  if (len !== 4 && len !== 10 && len !== 14) return;
  const which = nameIs(b, s, colon, 'host') ? 'host' : nameIs(b, s, colon, 'user-agent') ? 'user-agent'
    : nameIs(b, s, colon, 'connection') ? 'connection' : nameIs(b, s, colon, 'content-length') ? 'content-length' : '';
  if (!which) return;
  const value = trimmed(b, colon + 1, ce);
  switch (which) {
    case 'host':
      if (head.host === undefined) head.host = value;
      break;
    case 'user-agent':
      if (head.userAgent === undefined) head.userAgent = value;
      break;
    case 'connection':
      if (head.connection === undefined) head.connection = value;
      break;
    case 'content-length': {
      let n = 0;
      let ok = value.length > 0 && value.length <= 15;
      for (let i = 0; ok && i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x30 || c > 0x39) ok = false;
        else n = n * 10 + (c - 0x30);
      }
      if (!ok) problems.push(`invalid Content-Length "${value.slice(0, 40)}"`);
      else if (head.contentLength === undefined) head.contentLength = n;
      else if (head.contentLength !== n) problems.push('conflicting Content-Length headers');
      break;
    }
  }
}

/** An HttpHead whose `headers` list is built from byte spans on first use. */
class LazyHead implements HttpHead {
  method?: string;
  uri?: string;
  version = '';
  status?: number;
  reason?: string;
  host?: string;
  userAgent?: string;
  contentLength?: number;
  connection?: string;
  complete = false;
  problem?: Problem;
  /** Per field line: start, colon (or -1 for an obs-fold continuation), content end. */
  spans: number[] = [];
  fieldCount = 0;
  private list: Array<[string, string]> | null = null;

  constructor(readonly kind: 'request' | 'response', private readonly bytes: Uint8Array, public headLength: number) {}

  get headers(): Array<[string, string]> {
    if (this.list) return this.list;
    const out: Array<[string, string]> = [];
    const b = this.bytes, sp = this.spans;
    for (let i = 0; i < sp.length; i += 3) {
      if (sp[i + 1] < 0) {
        const last = out[out.length - 1];
        if (last) last[1] = (last[1] + ' ' + trimmed(b, sp[i], sp[i + 2])).trim();
      } else {
        out.push([latin1(b, sp[i], sp[i + 1]), trimmed(b, sp[i + 1] + 1, sp[i + 2])]);
      }
    }
    this.list = out;
    return out;
  }

  toJSON(): object {
    const { spans: _s, fieldCount: _f, list: _l, bytes: _b, ...rest } = this as unknown as Record<string, unknown>;
    return { ...rest, headers: this.headers };
  }
}

const req = (h: HttpHead): boolean => h.kind === 'request';

/**
 * What HTTP asks of the stateful step TCP hands segments to (src/reassemble/reassembly.ts implements
 * it): to put a head split over several segments together, and to know a retransmitted head.
 */
export interface HeadStreams extends TcpStreams {
  isRepeatedHead(ip: IPv4 | IPv6, tcp: Tcp): boolean;
  startHead(pkt: PacketBase, ip: IPv4 | IPv6, tcp: Tcp, b: Uint8Array, at: number, end: number): void;
}

/** The packet view as the HTTP dissector fills it (dissect/packet.ts decodes a head when it is first read). */
export interface HttpSlot extends PacketBase {
  http: HttpHead | null;
  retransmittedHead: boolean;
  headSegment: boolean;
  setHttpBytes(bytes: Uint8Array, at: number, end: number): void;
}

/** First bytes that can start an HTTP head: the methods' initials and the H of "HTTP/". */
const HTTP_INITIAL = new Uint8Array(256);
for (const c of 'GHPDOCT') HTTP_INITIAL[c.charCodeAt(0)] = 1;

export const HeadKind = { NONE: 0, WHOLE: 1, PART: 2 } as const;

/** Whether a TCP payload starts an HTTP head, and whether the head ends in it (or needs the next segments). */
export function headKind(b: Uint8Array, at: number, end: number): number {
  if (HTTP_INITIAL[b[at]] !== 1 || !looksLikeHttpStart(b, at, end)) return HeadKind.NONE;
  return hasHeadEnd(b, at, end) ? HeadKind.WHOLE : HeadKind.PART;
}

registerTcpHeuristic('http', {
  dissect(pkt: HttpSlot, b, at, end, ip: IPv4 | IPv6, tcp: Tcp, streams: HeadStreams | undefined) {
    const kind = headKind(b, at, end);
    if (kind === HeadKind.NONE) return false;
    // A retransmitted head is the same message again; tshark does not dissect it twice either.
    if (streams && streams.isRepeatedHead(ip, tcp)) pkt.retransmittedHead = true;
    else if (kind === HeadKind.WHOLE) pkt.setHttpBytes(b, at, end);
    else if (streams) { streams.startHead(pkt, ip, tcp, b, at, end); pkt.headSegment = true; }
    else pkt.http = decodeHttpHead(b, at, end);
    return true;
  },
});

/** Wireshark's fields of an HTTP head (on the frame that completes it). */
export const httpFields: readonly Field<HttpHead>[] = [
  { name: 'http.request.method', value: (h) => h.method },
  { name: 'http.request.uri', value: (h) => h.uri },
  { name: 'http.request.version', value: (h) => (req(h) && h.version ? h.version : null) },
  { name: 'http.response.version', value: (h) => (!req(h) && h.version ? h.version : null) },
  { name: 'http.response.code', value: (h) => h.status },
  { name: 'http.response.phrase', value: (h) => h.reason },
  { name: 'http.host', value: (h) => h.host },
  { name: 'http.user_agent', value: (h) => h.userAgent },
  { name: 'http.content_length_header', value: (h) => (h.contentLength === undefined ? null : String(h.contentLength)) },
  { name: 'http.connection', value: (h) => h.connection },
];
