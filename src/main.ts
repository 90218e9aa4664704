// vrrpscope command line (started by cli.ts). Errors end in one line on stderr and a non-zero exit,
// never a stack trace (set VRRPSCOPE_DEBUG=1 to see one). The HTML/Markdown renderers (handlebars),
// the pcapng writer and live mode are loaded only by the commands that use them: start-up is a good
// part of a small report.

import { basename, extname } from 'node:path';
import { analyzeFiles, NO_FRAME } from './pipeline.js';
import { CaptureError } from './io/reader.js';
import { distinctInputs, openErrorText, repeatedText } from './io/inputs.js';
import { writeJson } from './present/json.js';
import { buildModel } from './present/model.js';
import { OutputError, OutputSink, planOutput } from './present/sink.js';
import { TemplateError } from './present/template-error.js';
import { ReportFormat, plural } from './present/format.js';
import { colourLevel, Progress, summaryText } from './present/terminal.js';
import { terminalText } from './present/escape.js';
import { TOOL_VERSION } from './version.js';
import { I18n } from './present/i18n/index.js';
import { CHECK_HELP, CHECK_USAGE, isCheckInputError, reportAnalyzers, runCheck } from './cli/check.js';
import { forEachArg, isLiveReport } from './cli/args.js';

const OVERVIEW = `vrrpscope ${TOOL_VERSION}: commented frame reports of keepalived / VRRP / LVS captures

Usage:
  vrrpscope report FILE... [--format html|md|json|pcapng] [-o OUT|-] [--lang en|fr]
                           [--all-frames] [--template DIR] [--no-color]
                           [--config keepalived.conf]... [--expect LIST|FILE]
${CHECK_USAGE}
  vrrpscope live --iface IF [--filter BPF] [--write FILE.pcapng] [--duration S]
                 [--backend cap|tcpdump] [--format …] [-o OUT|-] [--lang en|fr] [--no-color]
  vrrpscope COMMAND --help   (one command's help)
  vrrpscope --version | --help`;

const REPORT_HELP = `report      Analyse one or more pcap/pcapng files (merged by time) and write a report.
  --format    html (default): one self-contained page (summary, incidents, timelines, checklist,
              events with Wireshark display filters, frames)
              md: GitHub/GitLab Markdown with a Mermaid diagram, for a lab write-up
              json: the events.md contract
              pcapng: the input frames, unchanged, with the comments as pcapng frame comments
  -o, --output OUT   file to write, or - for standard output. Without -o: json goes to standard
                     output; html and md go to standard output when it is redirected, else to
                     <first capture's name>.html / .md in the current directory; pcapng goes to
                     standard output only when it is redirected (give -o on a terminal)
  --all-frames       list every frame, not only commented ones (html, md, json); the HTML frames
                     appendix is printed only then
  --lang en|fr       report language (default from LC_ALL / LC_MESSAGES / LANG)
  --template DIR     html/md layout from DIR/html/*.hbs or DIR/md/*.hbs (missing files: built-in)
  --no-color         no colour in the summary on stderr (also NO_COLOR=1)
  --config, --expect the lab checklist's configuration cross-check and required behaviours (see check)`;

const LIVE_HELP = `live        Capture on an interface (root or CAP_NET_RAW), print each event as it is recognised;
            on Ctrl-C / SIGTERM / after --duration save the capture and write the report from it.
            \`report --iface IF\` is the same. Report options (--format, -o, --lang, --all-frames,
            --template, --config, --expect) as for report; the report goes next to the capture
            unless -o is given. An event recognised late (a silence, a split brain: a few advert
            intervals after it began) is printed with its own time and "(found at …)".
  --iface IF         interface to capture on (in the current network namespace)
  --filter BPF       capture filter (tcpdump syntax), e.g. "vrrp or arp"
  --write FILE       where to save the capture (pcapng; default: a new temporary directory)
  --duration S       stop after S seconds
  --backend B        cap (libpcap binding, optional npm module) or tcpdump; default: cap when it
                     loads, else tcpdump (VRRPSCOPE_TCPDUMP names another tcpdump)
  --lang en|fr       language of the events, status lines and report`;

const FILES_AND_EXIT = `FILE may be - (standard input), a FIFO or <(command): streams are read once, and a copy kept in
$TMPDIR for the report's second pass. A file named twice is read once. -o is never an input (links
are followed); a report file is renamed into place only when complete. Files of several capture
points of the same traffic (front and back bridges, a director's -i any): a frame found in two of
them within 0.5 s is analysed once, from the file named first (name the bridge captures first).

Exit status: 0 on success (warnings about damaged input are in the report), 2 on usage errors,
unreadable input or an output that cannot be written.`;

const USAGE = `${OVERVIEW}

${REPORT_HELP}

${CHECK_HELP}

${LIVE_HELP}

${FILES_AND_EXIT}`;

/** `vrrpscope COMMAND --help`: that command's usage line and options. */
const COMMAND_HELP: Record<string, string> = {
  report: `Usage:
  vrrpscope report FILE... [--format html|md|json|pcapng] [-o OUT|-] [--lang en|fr]
                           [--all-frames] [--template DIR] [--no-color]
                           [--config keepalived.conf]... [--expect LIST|FILE]
  vrrpscope report --iface IF …   (live mode: see vrrpscope live --help)

${REPORT_HELP}

${FILES_AND_EXIT}`,
  check: `Usage:
${CHECK_USAGE}

${CHECK_HELP}

Exit status: 0 when every required behaviour is proven, 1 when one is missing, 2 on usage errors
or unreadable input.`,
  live: `Usage:
  vrrpscope live --iface IF [--filter BPF] [--write FILE.pcapng] [--duration S]
                 [--backend cap|tcpdump] [--format …] [-o OUT|-] [--lang en|fr] [--no-color]

${LIVE_HELP}

Exit status: 0 when the capture and the report were written, 1 when the capture failed or could
not be saved completely, 2 on usage errors or an interface or output that cannot be used.`,
};

/** Is help asked for among a command's arguments? */
function asksHelp(argv: string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

class UsageError extends Error {}

const FORMATS = ['html', 'md', 'json', 'pcapng'] as const;
type Format = (typeof FORMATS)[number];

interface ReportArgs {
  files: string[];
  format: Format;
  /** null: not given (the format's default applies). */
  output: string | null;
  allFrames: boolean;
  lang: 'en' | 'fr';
  templateDir?: string;
  noColor: boolean;
  configs: string[];
  expect: string | null;
}

function defaultLang(): 'en' | 'fr' {
  const l = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  return l.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function parseReportArgs(argv: string[]): ReportArgs {
  const a: ReportArgs = { files: [], format: 'html', output: null, allFrames: false, lang: defaultLang(), noColor: false, configs: [], expect: null };
  forEachArg(argv, (message) => new UsageError(message), (name, arg, value) => {
    switch (name) {
      case '--format': case '-f': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}" (${FORMATS.join(', ')})`);
        a.format = f as Format;
        break;
      }
      case '--output': case '-o': a.output = value(); break;
      case '--all-frames': a.allFrames = true; break;
      case '--template': a.templateDir = value(); break;
      case '--lang': {
        const l = value();
        if (l !== 'en' && l !== 'fr') throw new UsageError(`--lang takes en or fr, not "${l}"`);
        a.lang = l;
        break;
      }
      case '--no-color': case '--no-colour': a.noColor = true; break;
      case '--config': a.configs.push(value()); break;
      case '--expect': a.expect = value(); break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        a.files.push(arg);
    }
  });
  if (a.files.length === 0) throw new UsageError('report needs at least one capture file');
  if (a.templateDir !== undefined && a.format !== 'html' && a.format !== 'md') throw new UsageError(`--template applies to the html and md formats, not ${a.format}`);
  return a;
}

/** Where the report goes: a path, or '-' for standard output (see USAGE for the defaults). */
function outputPath(args: ReportArgs): string {
  if (args.output !== null) return args.output;
  if (args.format === 'json' || !process.stdout.isTTY) return '-';
  if (args.format === 'pcapng') throw new UsageError('an annotated pcapng is binary: give -o FILE (or redirect standard output)');
  const first = args.files[0] === '-' ? 'stdin' : basename(args.files[0]);
  return (extname(first) ? first.slice(0, -extname(first).length) : first) + '.' + args.format;
}

async function runReport(argv: string[]): Promise<number> {
  const args = parseReportArgs(argv);
  const output = outputPath(args);
  // Before any capture is read: an -o that is an input (by any name) or cannot be written.
  const plan = planOutput(output, args.files);
  for (const r of distinctInputs(args.files).repeated) process.stderr.write(`vrrpscope: ${repeatedText(r)}\n`);
  const i18n = new I18n(args.lang);
  const html = args.format === 'html' ? await import('./present/html.js') : null;
  const md = args.format === 'md' ? await import('./present/markdown.js') : null;
  const pcapng = args.format === 'pcapng' ? await import('./present/pcapng.js') : null;
  // Broken templates are reported before the captures are read and before any output is written.
  if (html || md) {
    const { TemplateSet } = await import('./present/templates.js');
    new TemplateSet({ kind: args.format as 'html' | 'md', i18n, fmt: new ReportFormat(i18n, null), dir: args.templateDir });
  }
  const progress = new Progress(i18n);
  // An error (an unreadable capture) is printed on a line of its own: the progress line is cleared first.
  let analysis;
  try {
    analysis = analyzeFiles(args.files, { analyzers: reportAnalyzers(i18n, args, (line) => { progress.done(); process.stderr.write(`vrrpscope: ${terminalText(line)}\n`); }), lang: args.lang, progress: progress.update });
  } finally {
    progress.done();
  }
  for (const w of analysis.warnings) if (w.message === NO_FRAME) process.stderr.write(`vrrpscope: ${terminalText(w.file ?? "")}: ${NO_FRAME}\n`);
  const extra: string[] = [];
  if (output !== '-') progress.message(i18n.t('term.writing', { path: output }));
  const sink = new OutputSink(plan);
  try {
    switch (args.format) {
      case 'json': writeJson(analysis, sink, { allFrames: args.allFrames }); break;
      case 'html': html!.writeHtml(analysis, sink, { allFrames: args.allFrames, templateDir: args.templateDir }); break;
      case 'md': md!.writeMarkdown(analysis, sink, { allFrames: args.allFrames, templateDir: args.templateDir }); break;
      case 'pcapng': {
        const r = pcapng!.writeAnnotatedPcapng(analysis, (bytes) => sink.writeBytes(bytes));
        extra.push(plural(i18n, 'term.annotated', r.annotated));
        break;
      }
    }
    sink.finish();
  } catch (e) {
    sink.discard();
    throw e;
  } finally {
    progress.done();
  }
  if (output !== '-') {
    const model = buildModel(analysis, i18n, { allFrames: args.allFrames });
    process.stderr.write(summaryText(model, i18n, { format: args.format, path: output, extra }, colourLevel({ noColor: args.noColor })));
  }
  return 0;
}

/** The exit status, or null when live mode runs on and sets it when it ends. */
export async function main(argv: string[]): Promise<number | null> {
  try {
    const [cmd, ...rest] = argv;
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') { process.stdout.write(USAGE + '\n'); return cmd ? 0 : 2; }
    if (cmd === '--version' || cmd === '-V') { process.stdout.write(TOOL_VERSION + '\n'); return 0; }
    if ((cmd === 'report' || cmd === 'check' || cmd === 'live') && asksHelp(rest)) {
      process.stdout.write(COMMAND_HELP[cmd] + '\n');
      return 0;
    }
    if (cmd === 'live' || (cmd === 'report' && isLiveReport(rest))) {
      const { runLive } = await import('./cli/live.js');
      return runLive(rest, (argv) => main(['report', ...argv]));
    }
    if (cmd === 'report') return await runReport(rest);
    if (cmd === 'check') return runCheck(rest, defaultLang());
    throw new UsageError(`unknown command "${cmd}" (try vrrpscope --help)`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CaptureError || e instanceof OutputError || e instanceof TemplateError || isCheckInputError(e)) {
      process.stderr.write(`vrrpscope: ${terminalText(e.message)}\n`); // names a file: escaped
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') && err.path) {
      process.stderr.write(`vrrpscope: cannot open ${terminalText(err.path)}: ${openErrorText(err)}\n`);
      return 2;
    }
    process.stderr.write(`vrrpscope: internal error: ${err?.message ?? String(e)} (please report it with the capture; VRRPSCOPE_DEBUG=1 shows details)\n`);
    if (process.env.VRRPSCOPE_DEBUG) process.stderr.write(String(err?.stack) + '\n');
    return 70;
  }
}

/** Runs the command line of this process; its status becomes the exit code. */
export async function run(argv = process.argv.slice(2)): Promise<void> {
  const status = await main(argv);
  if (status !== null) process.exitCode = status;
}
