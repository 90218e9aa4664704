// The Markdown report (GitHub / GitLab flavour), for pasting into a lab write-up: the sections of the
// HTML report, a Mermaid sequence diagram instead of the SVG timelines, and the frame table. Templates
// are compiled without HTML escaping, so every text from the model is escaped for Markdown here first.

import type { Analysis } from '../pipeline.js';
import { I18n } from './i18n/index.js';
import { Say } from './say/index.js';
import { mdText } from './escape.js';
import { ReportFormat } from './format.js';
import { streamFrames } from './frames.js';
import { mermaidSequence } from './mermaid.js';
import { buildModel, FRAMES_SLOT, type ReportModel } from './model.js';
import type { OutputSink } from './sink.js';
import { TemplateSet } from './templates.js';
import type { PageOptions } from './html.js';

/** Keys whose values are link targets or generated syntax, never packet text. */
const RAW_KEYS = new Set(['href', 'anchor', 'mermaid', 'frames', 'id', 'cls', 'lang']);

/** A copy of a view object with every string escaped for Markdown (link targets and the diagram kept). */
export function mdView<T>(v: T, key = ''): T {
  if (typeof v === 'string') return (RAW_KEYS.has(key) || v === FRAMES_SLOT ? v : mdText(v)) as T;
  if (Array.isArray(v)) return (key === 'mermaid' ? v : v.map((x) => mdView(x))) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mdView(x, k);
    return out as T;
  }
  return v;
}

export function writeMarkdown(a: Analysis, sink: Pick<OutputSink, 'write'>, opts: PageOptions): ReportModel {
  const i18n = new I18n(a.lang);
  const fmt = new ReportFormat(i18n, a.start);
  const templates = new TemplateSet({ kind: 'md', i18n, fmt, dir: opts.templateDir, escape: mdText });
  const model = buildModel(a, i18n, opts);
  const view = { ...mdView(model), mermaid: mermaidSequence(a.events, i18n, fmt) };
  const { head, tail, hasFrames } = templates.renderAround('report', view);
  sink.write(head);
  if (hasFrames) {
    streamFrames(a, new Say(i18n, a.events), opts, (item) => {
      sink.write(item.frame ? templates.render('frame', mdView(item.frame)) : templates.render('run', mdView(item.run)));
    });
  }
  sink.write(tail);
  return model;
}
