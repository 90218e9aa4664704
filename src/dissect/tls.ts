// TLS ClientHello / ServerHello at the start of a TCP payload (RFC 8446 §4.1.2, §4.1.3; RFC 5246 §7.4.1).
//
// keepalived's SSL_GET checker opens a TLS connection to the real server (SNI only with `enable_sni`)
// and sends the HTTP_GET request inside it, so the cleartext we can judge is the hello exchange:
// offered and negotiated version, SNI, chosen cipher. Field names follow Wireshark's tls.* fields.

import type { Problem } from './types.js';
import { hex16, type Field, type Note } from './fields.js';
import { registerTcpHeuristic, type PacketBase } from './registry.js';

export interface TlsHello {
  /** tls.handshake.type 1 or 2 */
  handshakeType: 'client-hello' | 'server-hello';
  /** tls.record.version, e.g. 0x0301 in a ClientHello record */
  recordVersion: number;
  /** tls.record.length (the record body; the record is 5 + recordLength bytes on the wire) */
  recordLength: number;
  /** tls.handshake.length */
  handshakeLength: number;
  /** tls.handshake.version (legacy_version: 0x0303 for TLS 1.2 and 1.3) */
  helloVersion: number;
  /** tls.handshake.extensions_server_name */
  sni?: string;
  /** tls.handshake.extensions.supported_version of a ClientHello (GREASE values removed) */
  supportedVersions?: number[];
  /** supported_versions of a ServerHello: the negotiated version (0x0304 = TLS 1.3) */
  selectedVersion?: number;
  /** ClientHello: number of offered cipher suites (tls.handshake.cipher_suites_length / 2) */
  cipherSuiteCount?: number;
  /** ServerHello: tls.handshake.ciphersuite */
  cipherSuite?: number;
  /** tls.handshake.extensions_alpn_str values */
  alpn?: string[];
  /** ServerHello whose random is the HelloRetryRequest value (RFC 8446 §4.1.3) */
  helloRetryRequest?: boolean;
  /** Effective version: ServerHello negotiated, ClientHello highest offered ("TLS 1.3", "TLS 1.2", ...) */
  versionName: string;
  /** False when the hello runs past the bytes given (split over TCP segments or records). */
  complete: boolean;
  problem?: Problem;
}

const CONTENT_HANDSHAKE = 22;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
const EXT_SUPPORTED_VERSIONS = 43;

// SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3
const HRR_RANDOM = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/** Name of a protocol version number as Wireshark prints it in the Protocol column. */
export function tlsVersionName(v: number): string {
  switch (v) {
    case 0x0300: return 'SSL 3.0';
    case 0x0301: return 'TLS 1.0';
    case 0x0302: return 'TLS 1.1';
    case 0x0303: return 'TLS 1.2';
    case 0x0304: return 'TLS 1.3';
  }
  if ((v & 0xff00) === 0x7f00) return `TLS 1.3 draft ${v & 0xff}`;
  return `unknown (0x${v.toString(16).padStart(4, '0')})`;
}

/** RFC 8701 GREASE values (0x0a0a, 0x1a1a, ... 0xfafa). */
function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

/** Cheap test: a TLS handshake record header at the start of a TCP payload. */
export function looksLikeTlsHandshake(bytes: Uint8Array, offset: number, end: number): boolean {
  if (offset < 0 || end > bytes.length || end - offset < 3) return false;
  return bytes[offset] === CONTENT_HANDSHAKE && bytes[offset + 1] === 3 && bytes[offset + 2] <= 4;
}

/**
 * Decodes the ClientHello or ServerHello in the TLS record at bytes[offset..end).
 * Returns null when the bytes are not a handshake record starting with one of those two messages.
 * A hello cut short (a ClientHello split over two TCP segments) gives complete: false and a problem.
 */
export function decodeTlsHandshake(bytes: Uint8Array, offset: number, end: number): TlsHello | null {
  if (offset < 0 || end > bytes.length || end - offset < 6) return null;
  const b = bytes;
  if (!looksLikeTlsHandshake(b, offset, end)) return null;
  const msgType = b[offset + 5];
  if (msgType !== 1 && msgType !== 2) return null;

  const recordVersion = (b[offset + 1] << 8) | b[offset + 2];
  const recordLength = (b[offset + 3] << 8) | b[offset + 4];
  const recordEnd = offset + 5 + recordLength;
  const isClient = msgType === 1;
  const hello: TlsHello = {
    handshakeType: isClient ? 'client-hello' : 'server-hello',
    recordVersion,
    recordLength,
    handshakeLength: 0,
    helloVersion: 0,
    versionName: '',
    complete: false,
  };
  const problems: string[] = [];
  if (recordLength > 16384 + 2048) problems.push(`record length ${recordLength} exceeds the TLS maximum`);

  // What we may read: the record body, as far as the bytes go.
  const avail = Math.min(end, recordEnd);
  let p = offset + 6;
  if (avail - p < 3) return finish(hello, problems, end, recordEnd, offset, true);
  hello.handshakeLength = (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
  p += 3;
  const msgEnd = p + hello.handshakeLength;
  const lim = Math.min(avail, msgEnd);
  // A field that does not fit: cut short by the bytes we have, or a length that lies.
  const stop = (): TlsHello => {
    if (avail >= msgEnd) problems.push('hello field runs past the end of the handshake message');
    return finish(hello, problems, end, recordEnd, offset, avail < msgEnd);
  };

  // legacy_version, random
  if (lim - p < 2) return stop();
  hello.helloVersion = (b[p] << 8) | b[p + 1];
  p += 2;
  if (lim - p < 32) return stop();
  if (!isClient) {
    let hrr = true;
    for (let i = 0; i < 32 && hrr; i++) if (b[p + i] !== HRR_RANDOM[i]) hrr = false;
    if (hrr) hello.helloRetryRequest = true;
  }
  p += 32;

  // legacy_session_id
  if (lim - p < 1) return stop();
  const sidLen = b[p];
  if (sidLen > 32) problems.push(`session id length ${sidLen} exceeds 32`);
  p += 1 + sidLen;

  if (isClient) {
    if (lim - p < 2) return stop();
    const csLen = (b[p] << 8) | b[p + 1];
    hello.cipherSuiteCount = csLen >> 1;
    if (csLen & 1) problems.push('odd cipher suites length');
    p += 2 + csLen;
    if (lim - p < 1) return stop();
    p += 1 + b[p]; // legacy_compression_methods
  } else {
    if (lim - p < 3) return stop();
    hello.cipherSuite = (b[p] << 8) | b[p + 1];
    p += 3; // cipher_suite, legacy_compression_method
  }

  // Extensions (absent in some pre-TLS 1.2 hellos).
  if (p < msgEnd) {
    if (lim - p < 2) return stop();
    const extTotal = (b[p] << 8) | b[p + 1];
    p += 2;
    const extEnd = p + extTotal;
    if (extEnd > msgEnd) problems.push('extensions run past the end of the hello');
    const extLim = Math.min(extEnd, lim);
    while (p < extEnd) {
      if (extLim - p < 4) break;
      const type = (b[p] << 8) | b[p + 1];
      const len = (b[p + 2] << 8) | b[p + 3];
      const d = p + 4;
      const dEnd = d + len;
      if (dEnd > extLim) {
        if (dEnd > extEnd) problems.push(`extension ${type} runs past the extensions block`);
        break;
      }
      readExtension(b, type, d, dEnd, isClient, hello, problems);
      p = dEnd;
    }
  }
  return finish(hello, problems, end, recordEnd, offset, avail < msgEnd);
}

function readExtension(
  b: Uint8Array, type: number, d: number, dEnd: number, isClient: boolean, hello: TlsHello, problems: string[],
): void {
  switch (type) {
    case EXT_SERVER_NAME: {
      // ServerNameList (RFC 6066 §3); a ServerHello may carry an empty one.
      if (dEnd - d < 2) return;
      const listEnd = Math.min(dEnd, d + 2 + ((b[d] << 8) | b[d + 1]));
      let q = d + 2;
      while (listEnd - q >= 3) {
        const nameType = b[q];
        const nameLen = (b[q + 1] << 8) | b[q + 2];
        q += 3;
        if (q + nameLen > listEnd) { problems.push('server_name extension truncated'); return; }
        if (nameType === 0 && hello.sni === undefined) hello.sni = hostName(b, q, q + nameLen);
        q += nameLen;
      }
      return;
    }
    case EXT_SUPPORTED_VERSIONS: {
      if (isClient) {
        if (dEnd - d < 1) return;
        const listEnd = Math.min(dEnd, d + 1 + b[d]);
        const versions: number[] = [];
        for (let q = d + 1; q + 1 < listEnd; q += 2) {
          const v = (b[q] << 8) | b[q + 1];
          if (!isGrease(v)) versions.push(v);
        }
        hello.supportedVersions = versions;
      } else if (dEnd - d >= 2) {
        hello.selectedVersion = (b[d] << 8) | b[d + 1];
      }
      return;
    }
    case EXT_ALPN: {
      if (dEnd - d < 2) return;
      const listEnd = Math.min(dEnd, d + 2 + ((b[d] << 8) | b[d + 1]));
      const names: string[] = [];
      for (let q = d + 2; q < listEnd && names.length < 16; ) {
        const n = b[q];
        if (q + 1 + n > listEnd) break;
        names.push(hostName(b, q + 1, q + 1 + n));
        q += 1 + n;
      }
      hello.alpn = names;
      return;
    }
  }
}

/** ASCII host name bytes; anything else escaped as \xNN so the result is always printable. */
function hostName(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e && i - s < 255; i++) {
    const c = b[i];
    out += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0');
  }
  return out;
}

function finish(
  hello: TlsHello, problems: string[], end: number, recordEnd: number, offset: number, cut: boolean,
): TlsHello {
  const recordCut = end < recordEnd;
  hello.complete = !cut && !recordCut;
  if (recordCut) {
    problems.unshift(
      `TLS record truncated: ${end - offset} of ${recordEnd - offset} bytes (hello split over TCP segments?)`,
    );
  } else if (cut) {
    problems.unshift('TLS hello continues past the end of its record (fragmented over records)');
  }
  let effective = hello.helloVersion;
  if (hello.selectedVersion !== undefined) effective = hello.selectedVersion;
  else if (hello.supportedVersions && hello.supportedVersions.length > 0) {
    effective = 0;
    for (const v of hello.supportedVersions) if (v > effective && v <= 0x0304) effective = v;
    if (effective === 0) effective = hello.supportedVersions[0];
  }
  hello.versionName = effective ? tlsVersionName(effective) : hello.helloVersion ? tlsVersionName(hello.helloVersion) : '';
  if (hello.versionName === '') hello.versionName = tlsVersionName(hello.recordVersion);
  if (problems.length > 0) hello.problem = { layer: 'tls', message: problems.join('; ') };
  return hello;
}

/** The packet view as the TLS dissector fills it. */
export interface TlsSlot extends PacketBase { tls: TlsHello | null }

// A payload starting with a handshake record's type is TLS's, decoded when the record header is sane.
registerTcpHeuristic('tls', {
  dissect(pkt: TlsSlot, b, at, end) {
    if (b[at] !== CONTENT_HANDSHAKE) return false;
    if (looksLikeTlsHandshake(b, at, end)) pkt.tls = decodeTlsHandshake(b, at, end);
    return true;
  },
});

/** Wireshark's fields of a TLS ClientHello / ServerHello (the first record). */
export const tlsFields: readonly Field<TlsHello>[] = [
  { name: 'tls.record.version', value: (h) => hex16(h.recordVersion) },
  { name: 'tls.record.length', value: (h) => h.recordLength },
  { name: 'tls.handshake.type', value: (h) => (h.handshakeType === 'client-hello' ? 1 : 2) },
  { name: 'tls.handshake.length', value: (h) => h.handshakeLength },
  { name: 'tls.handshake.version', value: (h) => hex16(h.helloVersion) },
  { name: 'tls.handshake.cipher_suites_length', value: (h) => (h.cipherSuiteCount === undefined ? null : h.cipherSuiteCount * 2) },
  { name: 'tls.handshake.ciphersuite', value: (h) => (h.cipherSuite === undefined ? null : hex16(h.cipherSuite)) },
  { name: 'tls.handshake.extensions_server_name', value: (h) => h.sni },
  { name: 'tls.handshake.extensions.supported_version', value: (h) => (h.selectedVersion !== undefined ? [hex16(h.selectedVersion)] : h.supportedVersions?.map(hex16)) },
  { name: 'tls.handshake.extensions_alpn_str', value: (h) => h.alpn },
];

/** vrrpscope's reading of the hello: the version it amounts to, and a HelloRetryRequest. */
export const tlsNotes: readonly Note<TlsHello>[] = [
  { key: 'version', value: (h) => h.versionName },
  { key: 'helloRetryRequest', value: (h) => (h.helloRetryRequest ? true : null) },
];
