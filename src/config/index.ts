// keepalived.conf, read for comparison with a capture. See lexer.ts (keepalived's reading rules),
// parser.ts (the keywords that matter here) and model.ts (what comes out).

import { existsSync, statSync } from 'node:fs';
import { parseKeepalivedConf } from './parser.js';
import type { KeepalivedConfig } from './model.js';

export * from './model.js';
export { parseKeepalivedConf } from './parser.js';
export { configuredCheckers } from './checkers.js';

/** A --config file that cannot be read at all (missing, a directory): a usage error, exit status 2. */
export class ConfigFileError extends Error {}

/** Reads each --config file; a file that does not exist or is not a file throws ConfigFileError. */
export function loadConfigs(paths: string[]): KeepalivedConfig[] {
  return paths.map((p) => {
    if (!existsSync(p)) throw new ConfigFileError(`--config ${p}: no such file`);
    if (!statSync(p).isFile()) throw new ConfigFileError(`--config ${p}: not a regular file`);
    return parseKeepalivedConf(p);
  });
}

/** "keepalived-d1.conf:12: error: …", one problem per line, for standard error. */
export function problemLines(configs: KeepalivedConfig[]): string[] {
  return configs.flatMap((c) => c.problems.map((p) => `${p.file}${p.line ? ':' + p.line : ''}: ${p.severity}: ${p.message}`));
}
