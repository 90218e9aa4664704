// The checklist as plain text, for `vrrpscope check` on a terminal or in a hand-in.

import type { I18n, MessageKey } from '../present/i18n/index.js';
import type { Checklist, ChecklistItem } from './types.js';

const MAX_FRAMES_SHOWN = 16;

function framesText(frames: number[]): string {
  const shown = frames.slice(0, MAX_FRAMES_SHOWN);
  return shown.join(', ') + (frames.length > shown.length ? `, … (+${frames.length - shown.length})` : '');
}

export interface TextOptions {
  /** Capture file names, for the heading. */
  captures: string[];
  /** ANSI colour for the status marks. */
  colour?: boolean;
}

export function checklistText(c: Checklist, i18n: I18n, opts: TextOptions): string {
  const t = (k: MessageKey, p: Record<string, string | number> = {}) => i18n.t(k, p);
  const paint = (code: string, s: string) => (opts.colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  lines.push(`${t('check.heading')} — ${opts.captures.join(', ')}`);
  lines.push(c.mode === 'expect' ? (c.expectSource ? t('check.mode.expect-file', { file: c.expectSource }) : t('check.mode.expect')) : t('check.mode.auto'));
  lines.push('');
  const width = Math.max(...c.items.map((i) => i.id.length));
  const statusWidth = Math.max(...(['check.status.proven', 'check.status.missing', 'check.status.optional'] as const).map((k) => t(k).length)) + 2;
  const item = (i: ChecklistItem, status: string, colour: string) => {
    lines.push(`${paint(colour, `[${status}]`.padEnd(statusWidth))} ${i.id.padEnd(width)}  ${i.title}`);
    const indent = ' '.repeat(statusWidth + width + 3);
    if (i.why && i.required) lines.push(`${indent}${t('check.label.why')} ${i.why}`);
    if (i.status === 'proven') {
      lines.push(`${indent}${t('check.label.frames')} ${framesText(i.frames)}`);
      for (const e of i.evidence.slice(0, 4)) lines.push(`${indent}- ${e.summary}`);
      if (i.evidence.length > 4) lines.push(`${indent}- …`);
    } else {
      if (i.detail) lines.push(`${indent}${t('check.label.seen')} ${i.detail}${i.frames.length ? ` (${t('check.label.frames')} ${framesText(i.frames)})` : ''}`);
      if (i.step) lines.push(`${indent}${t('check.label.step')} ${i.step}`);
    }
  };
  const required = c.items.filter((i) => i.required);
  for (const i of required) item(i, t(i.status === 'proven' ? 'check.status.proven' : 'check.status.missing'), i.status === 'proven' ? '32' : '31');
  const extra = c.items.filter((i) => !i.required && i.status === 'proven');
  if (extra.length) {
    lines.push('');
    for (const i of extra) item(i, t('check.status.optional'), '36');
  }
  if (!required.length) lines.push(t('check.none-required'));

  if (c.configs.length) {
    lines.push('', t('check.heading.directors'));
    for (const d of c.directors) {
      lines.push('  ' + (d.addresses.length
        ? t('check.director.line', { name: d.name, config: d.config, addresses: d.addresses.join(', ') })
        : t('check.director.unmatched', { name: d.name, config: d.config })));
    }
    const problems = c.configs.flatMap((x) => x.problems);
    if (problems.length) {
      lines.push('', t('check.heading.problems'));
      for (const p of problems) lines.push(`  ${p.file}${p.line ? ':' + p.line : ''}: ${p.severity}: ${p.message}`);
    }
  }
  lines.push('', t('check.heading.findings'));
  if (!c.configs.length) lines.push('  ' + t('check.findings.noconfig'));
  else if (!c.findings.length) lines.push('  ' + t('check.findings.none'));
  for (const f of c.findings) {
    const where = f.where.map((w) => (w.line ? `${w.file}:${w.line}` : w.file)).join(', ');
    lines.push(`  - ${f.message}${where ? ` [${where}]` : ''}`);
  }
  for (const n of c.notes) lines.push(`  (${n})`);
  lines.push('');
  lines.push(t('check.counts', { proven: c.counts.proven, required: c.counts.required }) + ' '
    + (c.complete ? t('check.complete') : c.counts.missing ? t('check.incomplete', { ids: required.filter((i) => i.status !== 'proven').map((i) => i.id).join(', ') }) : ''));
  return lines.join('\n').trimEnd() + '\n';
}
