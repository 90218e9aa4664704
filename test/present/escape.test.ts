// Escaping of packet text for Markdown and Mermaid (HTML is Handlebars' {{ }}; see renderers and browser tests).

import { describe, expect, it } from 'vitest';
import { jsonText, mdText, mermaidText } from '../../src/present/escape.js';

describe('mdText', () => {
  it('neutralises table, code, emphasis, link and HTML syntax', () => {
    expect(mdText('a|b')).toBe('a\\|b');
    expect(mdText('`x`')).toBe('\\`x\\`');
    expect(mdText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mdText('*a* _b_ ~c~ $d$')).toBe('\\*a\\* \\_b\\_ \\~c\\~ \\$d\\$');
    expect(mdText('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(mdText('&amp;')).toBe('&amp;amp;');
    expect(mdText('a\\|b')).toBe('a\\\\\\|b');
  });

  it('keeps one line and keeps ordinary text readable', () => {
    expect(mdText('GET /\r\nHost: x\n')).toBe('GET / Host: x ');
    expect(mdText('10.0.0.11 → 10.0.0.12 (3.61 s)')).toBe('10.0.0.11 → 10.0.0.12 (3.61 s)');
    expect(mdText('# title')).toBe('\\# title');
    expect(mdText('1. item')).toBe('1\\. item');
    expect(mdText('- item')).toBe('\\- item');
    expect(mdText('a\u0000b')).toBe('a\\\\x00b'); // shown as an escape (its backslash escaped for Markdown)
  });

  it('keeps packet URLs from becoming links', () => {
    expect(mdText('http://evil.example/x')).toBe('http\u200c://evil.example/x');
    expect(mdText('see www.evil.example')).toBe('see www\u200c.evil.example');
  });
});

describe('mermaidText', () => {
  it('encodes what Mermaid would read as syntax', () => {
    expect(mermaidText('a;b#c%%d<e>f&g"h')).toBe('a#59;b#35;c#37;#37;d#60;e#62;f#38;g#34;h');
    expect(mermaidText('a:b')).toBe('a#58;b');
    expect(mermaidText('a:b', { colon: true })).toBe('a:b');
    expect(mermaidText('line\nbreak')).toBe('line break');
    expect(mermaidText('3,62\u00a0s maître')).toBe('3,62 s maître');
    expect(mermaidText('')).toBe('-');
  });
});

describe('jsonText', () => {
  it('escapes what JSON.stringify leaves raw (DEL, C1, bidi, separators), and keeps the JSON value', () => {
    const value = { uri: '/a\u009b2J\u007f\u202egnp.exe\u2066x\u2028y\u{E0041}', plain: 'maître ’ é → ok' };
    const raw = JSON.stringify(value);
    expect(raw).toMatch(/[\u009b\u202e]/); // what reached a terminal before
    const safe = jsonText(raw);
    expect(safe).not.toMatch(/[\u007f-\u009f\p{Cf}\u2028\u2029]/u);
    expect(safe).toContain('\\u009b');
    expect(safe).toContain('\\u202e');
    expect(safe).toContain('\\udb40\\udc41');
    expect(safe).toContain('maître ’ é → ok');
    expect(JSON.parse(safe)).toEqual(value);
  });
});
