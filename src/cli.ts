#!/usr/bin/env node
// vrrpscope command line. Errors end in one line on stderr and a non-zero exit, never a stack trace
// (set VRRPSCOPE_DEBUG=1 to see one).

import { analyzeFiles } from './analyze.js';
import { CaptureError } from './io/reader.js';
import { writeJson } from './report/json.js';
import { OutputSink } from './report/sink.js';
import { TOOL_VERSION } from './version.js';
import { defaultAnalyzers } from './annotate/index.js';
import { I18n } from './i18n/index.js';

const USAGE = `vrrpscope ${TOOL_VERSION}: commented frame reports of keepalived / VRRP / LVS captures

Usage:
  vrrpscope report FILE... [--format json] [-o OUT|-] [--lang en|fr] [--all-frames]
  vrrpscope --version | --help

report      Analyse one or more pcap/pcapng files (merged by time) and write a report.
  --format    json (the events.md contract). html, md and pcapng are not available yet.
  -o, --output OUT   file to write, or - for standard output (default: standard output)
  --all-frames       list every frame with its decoded layers, not only annotated ones
  --lang en|fr       report language (default from LANG)

Exit status: 0 on success (warnings about damaged input are in the report), 2 on usage errors or
unreadable input.`;

class UsageError extends Error {}

interface ReportArgs {
  files: string[];
  format: string;
  output: string;
  allFrames: boolean;
  lang: 'en' | 'fr';
}

function defaultLang(): 'en' | 'fr' {
  const l = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  return l.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function parseReportArgs(argv: string[]): ReportArgs {
  const a: ReportArgs = { files: [], format: 'json', output: '-', allFrames: false, lang: defaultLang() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const eq = arg.indexOf('=');
      if (arg.startsWith('--') && eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    const name = arg.startsWith('--') && arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    switch (name) {
      case '--format': case '-f': a.format = value(); break;
      case '--output': case '-o': a.output = value(); break;
      case '--all-frames': a.allFrames = true; break;
      case '--lang': {
        const l = value();
        if (l !== 'en' && l !== 'fr') throw new UsageError(`--lang takes en or fr, not "${l}"`);
        a.lang = l;
        break;
      }
      case '--no-color': break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        a.files.push(arg);
    }
  }
  if (a.files.length === 0) throw new UsageError('report needs at least one capture file');
  if (a.format !== 'json') {
    if (['html', 'md', 'pcapng'].includes(a.format)) throw new UsageError(`--format ${a.format} is not available in this version yet; use --format json`);
    throw new UsageError(`unknown format "${a.format}" (json)`);
  }
  return a;
}

function runReport(argv: string[]): number {
  const args = parseReportArgs(argv);
  const i18n = new I18n(args.lang);
  const analysis = analyzeFiles(args.files, { analyzers: defaultAnalyzers(i18n), lang: args.lang });
  const sink = new OutputSink(args.output);
  try {
    writeJson(analysis, sink, { allFrames: args.allFrames });
  } finally {
    sink.close();
  }
  if (args.output !== '-') {
    const w = analysis.warnings.length + analysis.warningsDropped;
    process.stderr.write(`vrrpscope: ${analysis.frames} frames, ${analysis.events.length} events${w ? `, ${w} warnings` : ''} → ${args.output}\n`);
  }
  return 0;
}

export function main(argv: string[]): number {
  try {
    const [cmd, ...rest] = argv;
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') { process.stdout.write(USAGE + '\n'); return cmd ? 0 : 2; }
    if (cmd === '--version' || cmd === '-V') { process.stdout.write(TOOL_VERSION + '\n'); return 0; }
    if (cmd === 'report') return runReport(rest);
    throw new UsageError(`unknown command "${cmd}" (try vrrpscope --help)`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CaptureError) {
      process.stderr.write(`vrrpscope: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') && err.path) {
      process.stderr.write(`vrrpscope: cannot write ${err.path}: ${err.code}\n`);
      return 2;
    }
    process.stderr.write(`vrrpscope: internal error: ${err?.message ?? String(e)} (please report it with the capture; VRRPSCOPE_DEBUG=1 shows details)\n`);
    if (process.env.VRRPSCOPE_DEBUG) process.stderr.write(String(err?.stack) + '\n');
    return 70;
  }
}

process.exitCode = main(process.argv.slice(2));
