// Message catalogues: every sentence a report says, in English and French, by key. A test fails if a
// key lacks a translation. Placeholders are {name}; values are formatted by the caller (see fmt).

import { en } from './en.js';
import { fr } from './fr.js';

export type Lang = 'en' | 'fr';
export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

export const catalogues: Record<Lang, Record<MessageKey, string>> = { en, fr };

/**
 * Templates split once into literal text and placeholders: a plain `{name}`, or a counted word
 * `{name|one|other}`, the form the language's plural rule picks for the number `name` (French puts 0
 * and 1 in the singular: « 0 connexion », « 1 connexion », « 2 connexions »; English "0 connections").
 */
interface Compiled { literals: string[]; slots: { name: string; one?: string; other?: string }[] }
const compiled = new Map<string, Compiled>();
const PLURAL_RULES: Record<Lang, Intl.PluralRules> = { en: new Intl.PluralRules('en-GB'), fr: new Intl.PluralRules('fr-FR') };

function compile(template: string): Compiled {
  const literals: string[] = [];
  const slots: Compiled['slots'] = [];
  const re = /\{(\w+)(?:\|([^{}|]*)\|([^{}|]*))?\}/g;
  let last = 0;
  for (const m of template.matchAll(re)) {
    literals.push(template.slice(last, m.index));
    slots.push(m[2] === undefined ? { name: m[1] } : { name: m[1], one: m[2], other: m[3] });
    last = m.index! + m[0].length;
  }
  literals.push(template.slice(last));
  return { literals, slots };
}

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = catalogues[lang][key] ?? en[key] ?? key;
  let parts = compiled.get(template);
  if (!parts) { parts = compile(template); compiled.set(template, parts); }
  let out = parts.literals[0];
  for (let i = 0; i < parts.slots.length; i++) {
    const { name, one, other } = parts.slots[i];
    let text: string;
    if (one !== undefined) {
      const n = Number(params[name]);
      text = name in params && Number.isFinite(n) ? (PLURAL_RULES[lang].select(n) === 'one' ? one : other!) : other!;
    } else text = name in params ? String(params[name]) : '{' + name + '}';
    out += text + parts.literals[i + 1];
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
  /** "1st", "2nd" / "1er" or "1re" (the French noun's gender: un test, une annonce), "2e". */
  ordinal(n: number, gender: 'm' | 'f' = 'f'): string {
    if (this.lang === 'fr') return n === 1 ? (gender === 'm' ? '1er' : '1re') : `${n}e`;
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
