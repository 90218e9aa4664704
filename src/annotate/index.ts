import type { Analyzer } from './engine.js';

/** The analysers a report runs, in order. */
export function defaultAnalyzers(): Analyzer[] {
  return [];
}
