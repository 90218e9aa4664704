// Escaping of text that comes from packets (HTTP URIs, user agents, SMTP lines, auth strings...) for the
// places a report puts it. HTML is escaped by Handlebars ({{ }}); Markdown and Mermaid are not HTML, so
// their renderers escape here, before the text reaches a template.

/** Characters that act instead of showing: C0 and C1 controls, DEL, and the format characters
 *  (bidi embeddings, overrides and isolates, marks, zero-width joiners, BOM), plus the line and
 *  paragraph separators. In packet text they retitle or clear a terminal, or reorder what is read. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/** The same without tab, line feed and carriage return: plain whitespace in HTML (Markdown makes them spaces). */
const INVISIBLE_BUT_WHITESPACE = /(?![\t\n\r])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** `\x1b`, `\u202e`: the escape the decoders already use for bytes of a TLS SNI. */
function visibleEscape(c: string): string {
  const n = c.codePointAt(0) ?? 0;
  return n <= 0xff ? '\\x' + n.toString(16).padStart(2, '0') : '\\u' + n.toString(16).padStart(4, '0');
}

/** Packet or file text for a terminal: every control and format character shown as an escape, so
 *  none reaches the terminal (ESC ]0; … BEL retitles it, ESC [2J clears it, CR overwrites a line). */
export function terminalText(s: string): string {
  return s.replace(INVISIBLE, visibleEscape);
}

/** Packet text for a page (HTML, Markdown): controls and bidi overrides shown as escapes; tab, CR and
 *  LF kept (whitespace there). */
export function visibleText(s: string): string {
  return s.replace(INVISIBLE_BUT_WHITESPACE, visibleEscape);
}

/** What JSON.stringify leaves raw of INVISIBLE: DEL, C1 controls, format characters, separators. */
const JSON_RAW_INVISIBLE = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/**
 * JSON text (from JSON.stringify, which escapes only C0 controls) with the other invisible characters
 * as JSON `\uXXXX` escapes: the same JSON value, but text that cannot drive a terminal (C1 CSI,
 * bidi overrides) when the report is printed there. Outside strings JSON has only ASCII.
 */
export function jsonText(json: string): string {
  JSON_RAW_INVISIBLE.lastIndex = 0;
  return JSON_RAW_INVISIBLE.test(json) ? json.replace(JSON_RAW_INVISIBLE, (c) => {
    const n = c.codePointAt(0) ?? 0;
    // A format character above U+FFFF (tags, U+E0001…) as its UTF-16 surrogate pair.
    return n > 0xffff ? c.split('').map((u) => '\\u' + u.charCodeAt(0).toString(16).padStart(4, '0')).join('') : '\\u' + n.toString(16).padStart(4, '0');
  }) : json;
}

/** A copy of a view (objects, arrays) with `f` applied to every string but those under `rawKeys`. */
export function mapStrings<T>(v: T, f: (s: string) => string, rawKeys: ReadonlySet<string> = new Set(), key = ''): T {
  if (typeof v === 'string') return (rawKeys.has(key) ? v : f(v)) as T;
  if (Array.isArray(v)) return (rawKeys.has(key) ? v : v.map((x) => mapStrings(x, f, rawKeys))) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, f, rawKeys, k);
    return out as T;
  }
  return v;
}

/**
 * Text safe in a GitHub/GitLab Markdown paragraph or table cell: no HTML (entities for < > &), no
 * emphasis, code, link or table syntax (backslash escapes), one line.
 */
export function mdText(s: string): string {
  return s
    .replace(/\r\n|\r|\n|\t/g, ' ')
    .replace(INVISIBLE, visibleEscape) // before the backslash escapes below, which keep it visible
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Emphasis, code spans, links and images (`[`), table cells, strikethrough, GitLab math.
    .replace(/[\\`*_[\]|~$]/g, (c) => '\\' + c)
    // What only means something at the start of a line: headings, list items, setext rules.
    .replace(/^(#{1,6}|[-+=])(?=\s|$)/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
    // GFM turns "http://..." and "www...." into links even inside a cell; a zero-width non-joiner keeps
    // packet text from becoming a clickable link.
    .replace(/(https?|ftp):/gi, '$1\u200c:')
    .replace(/www\./gi, 'www\u200c.');
}

/**
 * Text inside a Mermaid sequence-diagram message, note or participant alias. Mermaid reads `;` as a
 * statement end, `#` as an entity start, `%%` as a comment, `:` in aliases, and renders `<` `>` `&` as HTML; anything
 * outside a plain set becomes a `#code;` entity, which Mermaid prints as the character.
 */
export function mermaidText(s: string, opts: { colon?: boolean } = {}): string {
  let out = '';
  for (const ch of terminalText(s.replace(/[\r\n\t\u00a0\u202f]+/g, ' '))) { // Mermaid would print an entity's control as such
    if (/[\p{L}\p{N} .,()+\-–→×/'’«»…=@]/u.test(ch) || (ch === ':' && opts.colon)) out += ch;
    else out += `#${ch.codePointAt(0)};`;
  }
  return out.trim() || '-';
}
