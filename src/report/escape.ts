// Escaping of text that comes from packets (HTTP URIs, user agents, SMTP lines, auth strings...) for the
// places a report puts it. HTML is escaped by Handlebars ({{ }}); Markdown and Mermaid are not HTML, so
// their renderers escape here, before the text reaches a template.

/**
 * Text safe in a GitHub/GitLab Markdown paragraph or table cell: no HTML (entities for < > &), no
 * emphasis, code, link or table syntax (backslash escapes), one line.
 */
export function mdText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/\r\n|\r|\n|\t/g, ' ')
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
  for (const ch of s.replace(/[\r\n\t\u00a0\u202f]+/g, ' ')) {
    if (/[\p{L}\p{N} .,()+\-–→×/'’«»…=@]/u.test(ch) || (ch === ':' && opts.colon)) out += ch;
    else out += `#${ch.codePointAt(0)};`;
  }
  return out.trim() || '-';
}
