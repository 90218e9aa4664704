// Message catalogues: every sentence a report says, in English and French, by key. A test fails if a
// key lacks a translation. Placeholders are {name}; values are formatted by the caller (see fmt).

import { en } from './en.js';
import { fr } from './fr.js';

export type Lang = 'en' | 'fr';
export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

export const catalogues: Record<Lang, Record<MessageKey, string>> = { en, fr };

/** Templates split once into literal text (even places) and placeholder names (odd places). */
const compiled = new Map<string, string[]>();

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = catalogues[lang][key] ?? en[key] ?? key;
  let parts = compiled.get(template);
  if (!parts) { parts = template.split(/\{(\w+)\}/); compiled.set(template, parts); }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    out += (name in params ? String(params[name]) : '{' + name + '}') + parts[i + 1];
  }
  return out;
}

/** Number and duration formatting in the report's language. */
export class Fmt {
  private readonly dec2: Intl.NumberFormat;
  private readonly dec3: Intl.NumberFormat;
  private readonly int: Intl.NumberFormat;
  constructor(readonly lang: Lang) {
    const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
    this.dec2 = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    this.dec3 = new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    this.int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  }
  /** "3.62 s" / "3,62 s" from milliseconds. */
  seconds(ms: number): string {
    return (Math.abs(ms) < 100 ? this.dec3 : this.dec2).format(ms / 1000) + '\u00a0s';
  }
  count(n: number): string {
    return this.int.format(n);
  }
  /** "1st", "2nd" / "1re", "2e". */
  ordinal(n: number): string {
    if (this.lang === 'fr') return n === 1 ? '1re' : `${n}e`;
    const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
    return `${n}${s}`;
  }
}

export class I18n {
  readonly fmt: Fmt;
  constructor(readonly lang: Lang) {
    this.fmt = new Fmt(lang);
  }
  t(key: MessageKey, params: Params = {}): string {
    return translate(this.lang, key, params);
  }
}
