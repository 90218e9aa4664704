import type { Analyzer } from './engine.js';
import type { I18n } from '../i18n/index.js';
import { VrrpAnalyzer } from './vrrp.js';
import { ArpAnalyzer } from './arp.js';

/** The analysers a report runs, in order. */
export function defaultAnalyzers(_i18n: I18n): Analyzer[] {
  return [new VrrpAnalyzer(), new ArpAnalyzer()];
}
