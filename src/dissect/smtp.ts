// SMTP command and reply lines (RFC 5321 §4.1, §4.2) from one TCP payload.
//
// keepalived's SMTP_CHECK (check_smtp.c) reads the banner and wants 220, sends
// `HELO <helo_name>` (default smtpchecker.keepalived.org), wants 250, sends `QUIT` and reads 221.
// The decoder is stateless: it cannot know that the client is inside DATA or an AUTH exchange, so
// client lines that do not start with a known command verb are returned as text only.
// Field names follow Wireshark: smtp.req.command, smtp.req.parameter, smtp.response.code.

import { latin1 } from './bytes.js';
import type { Problem } from './types.js';
import type { Field } from './fields.js';
import { registerTcpPort, tcpPorts, type PacketBase } from './registry.js';

export interface SmtpLine {
  /** Reply code (smtp.response.code), server lines only. */
  code?: number;
  /** True on a reply line that is followed by more lines of the same reply ("250-..."). */
  continued?: boolean;
  /** Command verb as sent (smtp.req.command), client lines that start with a known verb only. */
  command?: string;
  /** Everything after the verb and one space (smtp.req.parameter), e.g. "FROM:<a@b>". */
  argument?: string;
  /** Server: the text after the code (smtp.rsp.parameter). Client: the whole line. No CRLF. */
  text: string;
}

export interface SmtpLines {
  lines: SmtpLine[];
  problem?: Problem;
}

/** Cap on the bytes and lines looked at in one payload (a DATA segment can be long). */
const SCAN_LIMIT = 16 * 1024;
const MAX_LINES = 128;

// RFC 5321 verbs plus the common extensions (AUTH, STARTTLS, BDAT, ...) and Postfix's XCLIENT/XFORWARD.
const COMMANDS = new Set([
  'HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'QUIT',
  'AUTH', 'STARTTLS', 'BDAT', 'ETRN', 'ATRN', 'TURN', 'SEND', 'SOML', 'SAML', 'XCLIENT', 'XFORWARD', 'LHLO',
]);

const CR = 0x0d, LF = 0x0a, SP = 0x20, HT = 0x09;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function problem(message: string): Problem {
  return { layer: 'smtp', message };
}

/** True when b[s..e) is line text: no NUL and no control bytes other than tab. */
function isTextLine(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if ((c < 0x20 && c !== HT) || c === 0x7f) return false;
  }
  return true;
}

function isReplyLine(b: Uint8Array, s: number, e: number): boolean {
  return (
    e - s >= 3 && isDigit(b[s]) && isDigit(b[s + 1]) && isDigit(b[s + 2]) &&
    (e - s === 3 || b[s + 3] === SP || b[s + 3] === 0x2d)
  );
}

function decodeReplyLine(b: Uint8Array, s: number, e: number): SmtpLine {
  const line: SmtpLine = {
    code: (b[s] - 0x30) * 100 + (b[s + 1] - 0x30) * 10 + (b[s + 2] - 0x30),
    text: e - s > 4 ? latin1(b, s + 4, e) : '',
  };
  if (e - s >= 4 && b[s + 3] === 0x2d) line.continued = true;
  return line;
}

function decodeCommandLine(b: Uint8Array, s: number, e: number): SmtpLine {
  const line: SmtpLine = { text: latin1(b, s, e) };
  let v = s;
  while (v < e && v - s <= 8 && ((b[v] | 0x20) >= 0x61 && (b[v] | 0x20) <= 0x7a)) v++;
  if (v > s && (v === e || b[v] === SP)) {
    const verb = line.text.slice(0, v - s);
    if (COMMANDS.has(verb.toUpperCase())) {
      line.command = verb;
      if (v < e) line.argument = line.text.slice(v - s + 1);
    }
  }
  return line;
}

/**
 * Decodes the SMTP lines in bytes[offset..end): replies when `fromServer`, else commands.
 * Returns null when the first line is not SMTP (no reply code from a server, or binary data such as
 * TLS after STARTTLS).
 */
export function decodeSmtpLine(
  bytes: Uint8Array, offset: number, end: number, fromServer: boolean,
): SmtpLines | null {
  if (offset < 0 || end > bytes.length || end <= offset) return null;
  const b = bytes;
  const limit = Math.min(end, offset + SCAN_LIMIT);
  const result: SmtpLines = { lines: [] };
  const problems: string[] = [];

  let s = offset;
  while (s < limit) {
    let lf = -1;
    for (let i = s; i < limit; i++) {
      if (b[i] === LF) { lf = i; break; }
    }
    const terminated = lf >= 0;
    const e = terminated ? (lf > s && b[lf - 1] === CR ? lf - 1 : lf) : limit;
    const first = result.lines.length === 0;

    if (!isTextLine(b, s, e)) {
      if (first) return null;
      problems.push('binary data after the SMTP lines');
      break;
    }
    if (result.lines.length >= MAX_LINES) {
      problems.push(`more than ${MAX_LINES} lines, the rest not decoded`);
      break;
    }
    if (fromServer) {
      if (isReplyLine(b, s, e)) {
        result.lines.push(decodeReplyLine(b, s, e));
      } else if (first) {
        // A partial first line such as "22" may still be the start of a reply.
        if (terminated || e - s >= 3 || !isDigitPrefix(b, s, e)) return null;
        result.lines.push({ text: latin1(b, s, e) });
      } else {
        result.lines.push({ text: latin1(b, s, e) });
        problems.push('server line without a reply code');
      }
    } else {
      result.lines.push(decodeCommandLine(b, s, e));
    }
    if (!terminated) {
      problems.push(end > limit ? `line longer than ${SCAN_LIMIT} bytes` : 'last line not terminated by CRLF (segment cut?)');
      break;
    }
    if (lf === e) problems.push('line terminated by LF without CR');
    s = lf + 1;
  }

  if (end > limit && s >= limit) problems.push(`only the first ${SCAN_LIMIT} bytes decoded`);
  if (fromServer) checkMultiline(result.lines, problems);
  if (problems.length > 0) result.problem = problem(dedupe(problems).join('; '));
  return result;
}

function isDigitPrefix(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isDigit(b[i])) return false;
  return true;
}

/** RFC 5321 §4.2.1: every line of a multi-line reply carries the same code. */
function checkMultiline(lines: SmtpLine[], problems: string[]): void {
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1];
    const cur = lines[i];
    if (prev.continued && cur.code !== undefined && prev.code !== cur.code) {
      problems.push(`multi-line reply changes code from ${prev.code} to ${cur.code}`);
      return;
    }
  }
}

function dedupe(list: string[]): string[] {
  return list.filter((m, i) => list.indexOf(m) === i);
}

const cmds = (s: SmtpLines) => s.lines.filter((l) => l.command !== undefined);
const replies = (s: SmtpLines) => s.lines.filter((l) => l.code !== undefined);

/** The packet view as the SMTP dissector fills it. */
export interface SmtpSlot extends PacketBase { smtp: SmtpLines | null }

const smtp = {
  dissect(pkt: SmtpSlot, b: Uint8Array, at: number, end: number, srcPort: number) {
    pkt.smtp = decodeSmtpLine(b, at, end, isSmtpPort(srcPort));
  },
};
// smtp, submission, and the common alternative.
registerTcpPort([25, 587, 2525], 'smtp', smtp);

/** The ports SMTP is decoded on. */
export const isSmtpPort = (p: number): boolean => tcpPorts.get(p) === smtp;

/** Wireshark's fields of the SMTP lines of a segment: one occurrence per command or reply line. */
export const smtpFields: readonly Field<SmtpLines>[] = [
  { name: 'smtp.req.command', value: (s) => cmds(s).map((l) => l.command!) },
  { name: 'smtp.req.parameter', value: (s) => cmds(s).filter((l) => l.argument !== undefined).map((l) => l.argument!) },
  { name: 'smtp.response.code', value: (s) => replies(s).map((l) => l.code!) },
  { name: 'smtp.rsp.parameter', value: (s) => replies(s).map((l) => l.text) },
];
