// The HTML report: one self-contained file (no script, no external asset, a Content-Security-Policy
// that forbids both), readable in light and dark, printable. The page is rendered from the model, then
// the frame list is streamed into it row by row. Packet text only ever reaches the page through
// Handlebars' {{ }}, which escapes it; before that, controls and bidi overrides in it are made visible
// escapes (Handlebars passes them through, and a U+202E would reorder the line a reader sees).

import type { Analysis } from '../pipeline.js';
import { I18n } from './i18n/index.js';
import { Say } from './say/index.js';
import { mapStrings, visibleText } from './escape.js';
import { ReportFormat } from './format.js';
import { streamFrames } from './frames.js';
import { buildModel, type ReportModel } from './model.js';
import type { OutputSink } from './sink.js';
import { TemplateSet } from './templates.js';

export interface PageOptions {
  allFrames: boolean;
  /** --template DIR */
  templateDir?: string;
}

export function writeHtml(a: Analysis, sink: Pick<OutputSink, 'write'>, opts: PageOptions): ReportModel {
  const i18n = new I18n(a.lang);
  const templates = new TemplateSet({ kind: 'html', i18n, fmt: new ReportFormat(i18n, a.start), dir: opts.templateDir });
  const model = buildModel(a, i18n, opts);
  const { head, tail, hasFrames } = templates.renderAround('report', mapStrings(model, visibleText));
  sink.write(head);
  if (hasFrames) {
    streamFrames(a, new Say(i18n, a.events), opts, (item) => {
      sink.write(item.frame ? templates.render('frame', mapStrings(item.frame, visibleText)) : templates.render('run', mapStrings(item.run, visibleText)));
    });
  }
  sink.write(tail);
  return model;
}
