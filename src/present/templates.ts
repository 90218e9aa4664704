// Handlebars templates: layout only. The built-in ones are in templates/<kind>/ (kind = html or md); a
// user's --template DIR with the same layout replaces any of them file by file (a school's own page).
// Every *.hbs of a kind is also a partial under its base name, so `{{> timeline}}` works in either.
// Formatting helpers are registered here, in code; templates get no logic beyond each/if.

import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { I18n, MessageKey } from './i18n/index.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { FRAMES_SLOT } from './model.js';
import { ReportFormat } from './format.js';

export type TemplateKind = 'html' | 'md';

/** templates/ of the package, from the modules and from the bundle alike. */
export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates');

import { TemplateError } from './template-error.js';

export { TemplateError };

export interface TemplateSetOptions {
  kind: TemplateKind;
  i18n: I18n;
  fmt: ReportFormat;
  /** --template DIR: its <kind>/*.hbs replace the built-in files of the same name. */
  dir?: string;
  /** Applied to every helper result in Markdown templates (compiled without HTML escaping). */
  escape?: (s: string) => string;
}

function templateFiles(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return m;
  for (const name of readdirSync(dir).sort()) if (name.endsWith('.hbs')) m.set(basename(name, '.hbs'), join(dir, name));
  return m;
}

export class TemplateSet {
  private readonly hb: typeof Handlebars;
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(readonly opts: TemplateSetOptions) {
    this.hb = Handlebars.create();
    const files = templateFiles(join(BUILTIN_TEMPLATES, opts.kind));
    if (opts.dir !== undefined) {
      if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) throw new TemplateError(`--template ${opts.dir}: not a directory`);
      const own = templateFiles(join(opts.dir, opts.kind));
      if (own.size === 0) throw new TemplateError(`--template ${opts.dir}: no ${opts.kind}/*.hbs in it (copy the package's templates/ directory and edit it)`);
      for (const [name, path] of own) files.set(name, path);
    }
    const compileOpts = opts.kind === 'md' ? { noEscape: true, strict: false } : { strict: false };
    for (const [name, path] of files) {
      let source: string;
      try {
        source = readFileSync(path, 'utf8');
      } catch (e) {
        throw new TemplateError(`cannot read template ${path}: ${(e as Error).message}`);
      }
      try {
        // Precompile now, so that a broken template is reported before any output is written.
        Handlebars.precompile(source, compileOpts);
      } catch (e) {
        throw new TemplateError(`template ${path}: ${(e as Error).message.split('\n')[0]}`);
      }
      this.hb.registerPartial(name, source);
      this.compiled.set(name, this.hb.compile(source, compileOpts));
    }
    this.registerHelpers();
  }

  private registerHelpers(): void {
    const { i18n, fmt } = this.opts;
    const esc = this.opts.escape ?? ((s: string) => s);
    type Opts = { hash?: Record<string, unknown> };
    const hashParams = (o: Opts) => {
      const p: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(o?.hash ?? {})) p[k] = typeof v === 'number' ? v : String(v ?? '');
      return p;
    };
    // {{t "section.events"}}, {{t "frames.count" count=12}}: a sentence of the catalogue.
    this.hb.registerHelper('t', (key: unknown, o: Opts) => esc(i18n.t(String(key) as MessageKey, hashParams(o))));
    // Helper names must not shadow the model's fields ({{utc}} would call a helper called utc).
    // {{number 12345}} → "12,345" / "12 345".
    this.hb.registerHelper('number', (n: unknown) => (typeof n === 'number' ? fmt.count(n) : esc(String(n ?? ''))));
    // {{seconds 3620}} (milliseconds) → "3.62 s".
    this.hb.registerHelper('seconds', (ms: unknown) => (typeof ms === 'number' ? fmt.duration(ms) : '—'));
    // {{reltime epoch}} → "13.013 s" after the first frame; {{utctime epoch}} → "2026-11-24 20:35:51.939 UTC".
    this.hb.registerHelper('reltime', (t: unknown) => (typeof t === 'number' ? fmt.rel(t) : '—'));
    this.hb.registerHelper('utctime', (t: unknown) => (typeof t === 'number' ? fmt.utc(t) : '—'));
  }

  has(name: string): boolean {
    return this.compiled.has(name);
  }

  render(name: string, context: unknown): string {
    const tpl = this.compiled.get(name);
    if (!tpl) throw new TemplateError(`no template ${this.opts.kind}/${name}.hbs`);
    try {
      return tpl(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (e) {
      throw new TemplateError(`template ${this.opts.kind}/${name}.hbs: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  /**
   * Renders the page template and splits it where the frame list goes ({{frames}} in the template),
   * so the frames can be streamed between the two halves.
   */
  renderAround(name: string, context: unknown): { head: string; tail: string; hasFrames: boolean } {
    const page = this.render(name, context);
    const at = page.indexOf(FRAMES_SLOT);
    if (at < 0) return { head: page, tail: '', hasFrames: false };
    return { head: page.slice(0, at), tail: page.slice(at + FRAMES_SLOT.length).split(FRAMES_SLOT).join(''), hasFrames: true };
  }
}
