// Times and quantities as a report prints them, in the report's language. Relative times are seconds
// since the capture's first frame, as Wireshark's default Time column shows them, so a reader can find
// a line of the report in Wireshark.

import { catalogues, type I18n, type MessageKey } from './i18n/index.js';

export class ReportFormat {
  private readonly rel3: Intl.NumberFormat;

  constructor(readonly i18n: I18n, readonly start: number | null) {
    this.rel3 = new Intl.NumberFormat(i18n.lang === 'fr' ? 'fr-FR' : 'en-GB', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  }

  /** "13.013 s" after the first frame (millisecond precision: events are placed to the ms). */
  rel(epoch: number | null | undefined): string {
    if (epoch === null || epoch === undefined || this.start === null) return '—';
    return this.i18n.t('time.rel', { s: this.rel3.format(epoch - this.start) });
  }

  /** "2026-11-24 20:35:38.926 UTC". */
  utc(epoch: number | null | undefined, digits = 3): string {
    if (epoch === null || epoch === undefined || !Number.isFinite(epoch)) return '—';
    const sec = Math.floor(epoch);
    let frac = Math.round((epoch - sec) * 10 ** digits);
    let s = sec;
    if (frac >= 10 ** digits) { frac -= 10 ** digits; s += 1; }
    return utcText(s, String(frac).padStart(digits, '0'));
  }

  /** A duration from milliseconds: "3.62 s". */
  duration(ms: number | null | undefined): string {
    if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
    return this.i18n.fmt.seconds(ms);
  }

  count(n: number): string {
    return this.i18n.fmt.count(n);
  }
}

/** "2026-11-24 20:35:38" + "." + fraction + " UTC" from whole epoch seconds. */
export function utcText(sec: number, fraction: string): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return String(sec);
  const iso = d.toISOString(); // 2026-11-24T20:35:38.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? '.' + fraction : ''} UTC`;
}

/**
 * Exact time of a frame relative to a reference, from the integer seconds and nanoseconds the reader
 * gives (no float rounding, so a nanosecond capture keeps all nine digits).
 */
export function relativeFrameTime(sec: number, ns: number, refSec: number, refNs: number, digits: number): string {
  let total = (sec - refSec) * 1e9 + (ns - refNs);
  const neg = total < 0;
  if (neg) total = -total;
  const whole = Math.floor(total / 1e9);
  const frac = total - whole * 1e9;
  const fracText = digits === 9 ? String(frac).padStart(9, '0') : String(Math.floor(frac / 10 ** (9 - digits))).padStart(digits, '0');
  return (neg ? '-' : '') + whole + '.' + fracText;
}

/** The catalogue's word for an enumerated value (`reason.master-down`), or the value itself. */
export function labelOf(i18n: I18n, prefix: string, value: string): string {
  const key = prefix + value;
  return Object.prototype.hasOwnProperty.call(catalogues[i18n.lang], key) ? i18n.t(key as MessageKey) : value;
}

/**
 * A counted sentence: `base.one` or `base.other` by the language's plural rule (French puts 0 and 1 in
 * the singular), with {count} formatted.
 */
export function plural(i18n: I18n, base: string, n: number, params: Record<string, string | number> = {}): string {
  const form = new Intl.PluralRules(i18n.lang === 'fr' ? 'fr-FR' : 'en-GB').select(n) === 'one' ? 'one' : 'other';
  return i18n.t(`${base}.${form}` as MessageKey, { count: i18n.fmt.count(n), ...params });
}
