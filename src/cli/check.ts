// `vrrpscope check FILE... [--config F]... [--expect LIST|FILE] [--lang en|fr] [--format text|json]`:
// the lab checklist alone. Exit status 0 when every required behaviour is proven, 1 when one is
// missing, 2 on usage or input errors (cli.ts turns the errors thrown here into one line on stderr).

import { basename } from 'node:path';
import { analyzeFiles } from '../pipeline.js';
import { defaultAnalyzers } from '../analyse/index.js';
import { mapStrings, terminalText } from '../present/escape.js';
import { ChecklistAnalyzer, checklistOf, ExpectError, parseExpect, type Expectation } from '../checklist/index.js';
import { checklistText } from '../checklist/text.js';
import { ConfigFileError, configuredCheckers, loadConfigs, problemLines, type KeepalivedConfig } from '../config/index.js';
import { I18n, type Lang } from '../present/i18n/index.js';
import type { Analyzer } from '../analyse/engine.js';
import { forEachArg } from './args.js';

export { ConfigFileError } from '../config/index.js';
export { ExpectError } from '../checklist/index.js';

/** A usage error of `check` (cli.ts reports it like its own: one line, exit status 2). */
export class CheckUsageError extends Error {}

export const CHECK_USAGE = `  vrrpscope check FILE... [--config keepalived.conf]... [--expect LIST|FILE] [--lang en|fr]
                          [--format text|json]`;

export const CHECK_HELP = `check       Print the lab checklist alone: each expected behaviour proven (with its frames) or
            not shown (with the step that would show it), and the configuration against the wire.
            Exit status 0 when every required behaviour is proven, 1 when one is missing.
  --config FILE      a director's keepalived.conf (repeat for each director; includes are followed)
  --expect LIST|FILE the required behaviours: ids separated by commas, or a file with one per line
                     (# comments; hc-* selects every checker). Ids: vrrp-election, vrrp-failover,
                     vrrp-preemption, vrrp-clean-stop, garp, hc-tcp, hc-http, hc-ssl, hc-smtp, hc-misc,
                     hc-ping, hc-udp, hc-dns, pool-out-in, sorry-server, ipvs-sync, lvs-nat, lvs-dr,
                     lvs-tun. Without --expect: the VRRP items when VRRP is seen or configured, each
                     checker configured or seen, and the LVS items configured or seen
  --format text|json text (default) or the checklist as JSON (the report's "checklist" field)
  (report takes --config and --expect as well: every format then carries the cross-check)`;

export interface ChecklistArgs {
  configs: string[];
  expect: string | null;
}

/** The checklist analyser for --config / --expect (configuration problems go to `warn`, one per line). */
export function checklistAnalyzer(args: ChecklistArgs, warn: (line: string) => void = () => {}, lang: Lang = 'en', configs: KeepalivedConfig[] = loadConfigs(args.configs)): ChecklistAnalyzer {
  let expect: Expectation | null = null;
  if (args.expect !== null) expect = parseExpect(args.expect);
  for (const line of problemLines(configs)) warn(line);
  return new ChecklistAnalyzer({ configs, expect, lang });
}

/**
 * Every analyser a report runs, the checklist last (it reads what the others found). The configurations
 * tell the health-check analyser what the wire cannot: whose PING_CHECK an echo is, each checker's
 * connect_timeout.
 */
export function reportAnalyzers(i18n: I18n, args: ChecklistArgs, warn?: (line: string) => void): Analyzer[] {
  const configs = loadConfigs(args.configs);
  return [...defaultAnalyzers({ checkers: configuredCheckers(configs) }), checklistAnalyzer(args, warn, i18n.lang, configs)];
}

interface CheckArgs extends ChecklistArgs {
  files: string[];
  lang: Lang;
  format: 'text' | 'json';
}

function parseCheckArgs(argv: string[], lang: Lang): CheckArgs {
  const a: CheckArgs = { files: [], configs: [], expect: null, lang, format: 'text' };
  forEachArg(argv, (message) => new CheckUsageError(message), (name, arg, value) => {
    switch (name) {
      case '--config': case '-c': a.configs.push(value()); break;
      case '--expect': case '-e': {
        if (a.expect !== null) throw new CheckUsageError('--expect given twice (name every behaviour in one list or file)');
        a.expect = value();
        break;
      }
      case '--lang': {
        const l = value();
        if (l !== 'en' && l !== 'fr') throw new CheckUsageError(`--lang takes en or fr, not "${l}"`);
        a.lang = l;
        break;
      }
      case '--format': case '-f': {
        const f = value();
        if (f !== 'text' && f !== 'json') throw new CheckUsageError(`check --format takes text or json, not "${f}"`);
        a.format = f;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new CheckUsageError(`unknown option ${arg} for check`);
        a.files.push(arg);
    }
  });
  if (!a.files.length) throw new CheckUsageError('check needs at least one capture file');
  return a;
}

/** Runs `check`; returns the exit status. Errors (usage, unreadable capture or config) are thrown. */
export function runCheck(argv: string[], defaultLang: Lang): number {
  const args = parseCheckArgs(argv, defaultLang);
  const i18n = new I18n(args.lang);
  const analyzers = reportAnalyzers(i18n, args, (line) => process.stderr.write(`vrrpscope: ${terminalText(line)}\n`));
  const analysis = analyzeFiles(args.files, { analyzers, lang: args.lang });
  const checklist = checklistOf(analysis)!;
  if (args.format === 'json') process.stdout.write(JSON.stringify(checklist, null, 2) + '\n');
  // Packet text (URIs, user agents, SNI…) and file names escaped: the text is read on a terminal.
  else process.stdout.write(checklistText(mapStrings(checklist, terminalText), i18n, { captures: args.files.map((f) => terminalText(basename(f))), colour: !!process.stdout.isTTY && !process.env.NO_COLOR }));
  return checklist.counts.missing > 0 ? 1 : 0;
}

/** Errors of this command that are the user's (exit status 2), for cli.ts. */
export function isCheckInputError(e: unknown): e is Error {
  return e instanceof CheckUsageError || e instanceof ConfigFileError || e instanceof ExpectError;
}
