// What the command says on stderr when the report goes to a file: the five summary lines and where the
// report is, coloured when stderr is a terminal (never with NO_COLOR or --no-color); and a progress line
// while a long capture is read (terminal only, erased when done).

import { Chalk, supportsColorStderr } from 'chalk';
import type { I18n } from './i18n/index.js';
import type { ReportModel } from './model.js';
import { terminalText } from './escape.js';

export interface TerminalOptions {
  noColor: boolean;
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

/** Colour level for stderr: 0 when not a terminal, with NO_COLOR set (no-color.org) or --no-color. */
export function colourLevel(o: TerminalOptions): 0 | 1 | 2 | 3 {
  const stream = o.stream ?? process.stderr;
  const env = o.env ?? process.env;
  if (o.noColor || (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || !stream.isTTY) return 0;
  if (env.FORCE_COLOR === '0') return 0;
  return supportsColorStderr ? supportsColorStderr.level : 1;
}

export interface WrittenReport {
  format: string;
  path: string;
  /** Extra facts (e.g. commented frames of an annotated capture). */
  extra?: string[];
}

export function summaryText(model: ReportModel, i18n: I18n, out: WrittenReport, level: 0 | 1 | 2 | 3): string {
  const c = new Chalk({ level });
  // File names and packet text in the summary are escaped: a name with ESC in it must not drive the terminal.
  const lines = [c.bold(`vrrpscope: ${terminalText(i18n.t('term.wrote', { format: out.format, path: out.path }))}`)];
  model.overview.forEach((line, i) => {
    const plain = (x: string) => x;
    const paint = i === 4 && model.counts.outages > 0 ? c.red : i === 2 && model.counts.failovers > 0 ? c.yellow : i === 0 && model.counts.warnings > 0 ? c.yellow : plain;
    lines.push('  ' + paint(terminalText(line)));
  });
  for (const x of out.extra ?? []) lines.push('  ' + c.cyan(terminalText(x)));
  return lines.join('\n') + '\n';
}

/** A progress line on a terminal, rewritten in place; nothing at all elsewhere. */
export class Progress {
  private last = 0;
  private shown = false;
  constructor(private readonly i18n: I18n, private readonly stream: NodeJS.WriteStream = process.stderr, private readonly enabled = !!stream.isTTY) {}

  update = (read: number, total: number): void => {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const percent = total > 0 ? Math.min(100, Math.floor((read / total) * 100)) : 0;
    this.line(this.i18n.t('term.reading', { percent, read: mib(read), total: mib(total) }));
  };

  message(text: string): void {
    if (this.enabled) this.line(text);
  }

  private line(text: string): void {
    this.stream.write('\r\x1b[2K' + terminalText(text));
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1) + ' MiB';
}
