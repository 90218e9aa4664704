import type { Analyzer } from './engine.js';
import type { I18n } from '../i18n/index.js';

/** The analysers a report runs, in order. */
export function defaultAnalyzers(_i18n: I18n): Analyzer[] {
  return [];
}
