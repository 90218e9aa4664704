// keepalived.conf as keepalived's own reader sees it (lib/parser.c: read_line, decomment,
// alloc_strvec, check_include): comments from `#` or `!` to the end of the line, anywhere outside
// double quotes (`\#` and `\!` are literal); a `\` at the end of a line continues it on the next one;
// words split on white space, "double" or 'single' quoted strings are one word; `{` and `}` are words of
// their own even when glued to another; `include PATTERN` reads the files a glob matches, relative to
// the including file's directory; `$NAME=value` defines a parameter used as `$NAME` or `${NAME}`;
// `@id` / `@^id` lines are kept only for keepalived's config id. What comes out is a tree of
// statements (keyword, arguments, optional block), each with its file and line. Nothing here throws:
// whatever is odd becomes a problem with a file and line, and reading goes on.

import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { globFiles } from './glob.js';
import type { ConfigProblem, Where } from './model.js';

export interface Statement extends Where {
  keyword: string;
  args: string[];
  /** Its { … } block, or null when it has none. */
  block: Statement[] | null;
}

export interface LexResult {
  statements: Statement[];
  files: string[];
  problems: ConfigProblem[];
}

interface Line extends Where {
  text: string;
}

const MAX_INCLUDE_DEPTH = 16;
const MAX_FILES = 512;
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_SUBSTITUTIONS = 64;

/** What the caller wants from keepalived's own options (`-i` config id). */
export interface LexOptions {
  /** keepalived's config id (`-i`, by default its host name): `@id` lines apply only when it matches. */
  configId?: string | null;
}

class Reader {
  readonly files: string[] = [];
  readonly problems: ConfigProblem[] = [];
  private readonly defs = new Map<string, string[]>();
  private readonly seenProblems = new Set<string>();
  private readonly stack: string[] = [];

  constructor(private readonly opts: LexOptions) {}

  problem(at: Where, severity: ConfigProblem['severity'], message: string, onceKey?: string): void {
    if (onceKey) {
      if (this.seenProblems.has(onceKey)) return;
      this.seenProblems.add(onceKey);
    }
    if (this.problems.length < 1000) this.problems.push({ file: at.file, line: at.line, severity, message });
  }

  /** The logical lines of a file and of what it includes, in keepalived's reading order. */
  readFile(path: string, from: Where | null, out: Line[]): void {
    const real = resolve(path);
    if (this.stack.includes(real)) {
      this.problem(from ?? { file: path, line: 0 }, 'error', `include loop: ${path} includes itself (through ${this.stack.join(' → ')})`);
      return;
    }
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      this.problem(from ?? { file: path, line: 0 }, 'error', `includes nested more than ${MAX_INCLUDE_DEPTH} deep; ${path} not read`);
      return;
    }
    if (this.files.length >= MAX_FILES) {
      this.problem(from ?? { file: path, line: 0 }, 'error', `more than ${MAX_FILES} configuration files; ${path} not read`, 'max-files');
      return;
    }
    let text: string;
    try {
      const st = statSync(path);
      if (!st.isFile()) {
        this.problem(from ?? { file: path, line: 0 }, 'error', `${path} is not a regular file`);
        return;
      }
      if (st.size > MAX_FILE_BYTES) {
        this.problem(from ?? { file: path, line: 0 }, 'error', `${path} is larger than ${MAX_FILE_BYTES} bytes; not read`);
        return;
      }
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      this.problem(from ?? { file: path, line: 0 }, 'error', `cannot read ${path} (${code})`);
      return;
    }
    this.files.push(path);
    this.stack.push(real);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const physical = text.split('\n');
    let segments: string[] = [];
    let startLine = 0;
    for (let i = 0; i < physical.length; i++) {
      const raw = physical[i].replace(/\r$/, '');
      if (raw.includes('\0')) this.problem({ file: path, line: i + 1 }, 'warning', 'NUL byte in the line (a binary file?)', `nul|${path}`);
      const { text: clean, continued, unterminated } = decomment(raw.replace(/\0/g, ' '));
      if (unterminated) this.problem({ file: path, line: i + 1 }, 'error', 'unterminated quote (a " without its closing ")');
      if (!segments.length) startLine = i + 1;
      if (clean !== '' || continued) segments.push(clean);
      if (continued && i + 1 < physical.length) continue;
      if (segments.length) this.logicalLine(segments, { file: path, line: startLine }, out);
      segments = [];
    }
    this.stack.pop();
  }

  private logicalLine(segments: string[], at: Where, out: Line[]): void {
    let text = segments.join(' ').trim();
    if (text === '') return;
    // @id / @^id: keepalived keeps the line only if its config id matches (or, with ^, does not).
    if (text[0] === '@') {
      const m = /^@(\^?)(\S*)\s*(.*)$/.exec(text)!;
      const id = this.opts.configId ?? null;
      const matches = id !== null && m[2] === id;
      if (!m[3] || matches === (m[1] === '^')) {
        if (id === null && m[1] !== '^') this.problem(at, 'note', `lines starting @${m[2]} are for keepalived started with -i ${m[2]}: skipped (as keepalived does without -i)`, `at|${m[2]}`);
        return;
      }
      text = m[3];
      segments = [text];
    }
    // $NAME=value defines a parameter; a value ending in \ continues on the next lines (multi-line).
    const def = /^\$([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(segments[0].trim());
    if (def) {
      this.defs.set(def[1], [def[2], ...segments.slice(1)].map((s) => s.trim()).filter((s) => s !== ''));
      return;
    }
    if (text.startsWith('~SEQ')) {
      this.problem(at, 'warning', '~SEQ(...) sequences are not expanded by vrrpscope: the line is skipped', `seq|${at.file}`);
      return;
    }
    const lines = this.defs.size && text.includes('$') ? this.substitute(text, at) : [text];
    for (const l of lines) {
      // keepalived looks for include before it splits a line at braces: `include {a,b}/*.conf` works.
      const words = splitWords(l, false);
      if (words.length === 2 && words[0].text === 'include' && !words[0].quoted) {
        this.include(words[1].text, at, out);
        continue;
      }
      out.push({ text: l, file: at.file, line: at.line });
    }
  }

  /** $NAME and ${NAME}; a multi-line parameter alone on its line gives several lines. */
  private substitute(text: string, at: Where): string[] {
    const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(text);
    if (whole && (this.defs.get(whole[1])?.length ?? 0) > 1) return this.defs.get(whole[1])!.flatMap((l) => this.substitute(l, at));
    let out = text;
    for (let n = 0; n < MAX_SUBSTITUTIONS && out.includes('$'); n++) {
      let changed = false;
      out = out.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string | undefined, b: string | undefined) => {
        const name = (a ?? b)!;
        if (name === '_PWD') { changed = true; return dirname(at.file); }
        const v = this.defs.get(name);
        if (!v) return m;
        changed = true;
        return v.join(' ');
      });
      if (!changed) break;
    }
    return [out];
  }

  private include(pattern: string, at: Where, out: Line[]): void {
    // keepalived changes into the including file's directory before reading it (read_conf_file).
    const abs = isAbsolute(pattern) ? pattern : resolve(dirname(at.file), pattern);
    const matches = globFiles(abs);
    if (!matches.length) {
      this.problem(at, 'warning', `include ${pattern}: no file matches ${abs} (keepalived logs "No config files matched" and goes on)`);
      return;
    }
    // Named as the including file is (relative stays relative), so findings read like the user's paths.
    for (const m of matches) this.readFile(isAbsolute(at.file) ? m : relative(process.cwd(), m) || m, at, out);
  }
}

/**
 * keepalived's decomment(): the text without its comment, whether it ends with a continuation `\`,
 * and whether a double quote was left open.
 */
export function decomment(line: string): { text: string; continued: boolean; unterminated: boolean } {
  let out = '';
  let quote = false;
  let continued = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') { quote = !quote; out += c; continue; }
    if (c === '\\') {
      if (i + 1 >= line.length || /^\s*$/.test(line.slice(i + 1))) { continued = true; break; }
      const next = line[i + 1];
      if (!quote && (next === '#' || next === '!')) { out += next; i++; continue; }
      out += c + next;
      i++;
      continue;
    }
    if (!quote && (c === '#' || c === '!')) break;
    out += c;
  }
  return { text: out.trim(), continued, unterminated: quote };
}

export interface Word {
  text: string;
  quoted: boolean;
}

/** Words of a line: white space splits, quotes group (and are removed), braces stand alone (unless `braces` is false). */
export function splitWords(line: string, braces = true): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r' || c === '\n') { i++; continue; }
    if (braces && (c === '{' || c === '}')) { words.push({ text: c, quoted: false }); i++; continue; }
    let text = '';
    let quoted = false;
    while (i < line.length) {
      const d = line[i];
      if (d === '"' || d === "'") {
        const close = line.indexOf(d, i + 1);
        quoted = true;
        if (close < 0) { text += line.slice(i + 1); i = line.length; break; }
        text += line.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      if (d === '\\' && i + 1 < line.length) { text += line[i + 1]; i += 2; continue; }
      if (/\s/.test(d) || (braces && (d === '{' || d === '}'))) break;
      text += d;
      i++;
    }
    words.push({ text, quoted });
  }
  return words;
}

/** Reads a keepalived.conf (and its includes) into statements. Never throws. */
export function lexConfig(path: string, opts: LexOptions = {}): LexResult {
  const reader = new Reader(opts);
  const lines: Line[] = [];
  try {
    reader.readFile(path, null, lines);
  } catch (e) {
    // Defensive: lexing must not take the command down with it.
    reader.problem({ file: path, line: 0 }, 'error', `cannot read the configuration: ${(e as Error).message}`);
  }
  const statements = buildTree(lines, reader);
  return { statements, files: reader.files, problems: reader.problems };
}

/** Statements and blocks from the logical lines, braces matched across lines and included files. */
function buildTree(lines: Line[], reader: Reader): Statement[] {
  const root: Statement[] = [];
  const stack: { list: Statement[]; owner: Statement | null }[] = [{ list: root, owner: null }];
  let last: Statement | null = null;
  for (const line of lines) {
    const words = splitWords(line.text);
    let current: Statement | null = null;
    for (const w of words) {
      const top = stack[stack.length - 1];
      if (!w.quoted && w.text === '{') {
        const owner = current ?? last;
        if (owner && owner.block === null && top.list[top.list.length - 1] === owner) {
          owner.block = [];
          stack.push({ list: owner.block, owner });
        } else {
          reader.problem(line, 'error', `unexpected '{' (no keyword before it opens a block)`);
          const anonymous: Statement = { keyword: '{', args: [], block: [], file: line.file, line: line.line };
          top.list.push(anonymous);
          stack.push({ list: anonymous.block!, owner: anonymous });
        }
        current = null;
        last = null;
        continue;
      }
      if (!w.quoted && w.text === '}') {
        if (stack.length > 1) stack.pop();
        else reader.problem(line, 'error', `extra '}' (no block is open here)`);
        current = null;
        last = null;
        continue;
      }
      if (!current) {
        current = { keyword: w.text, args: [], block: null, file: line.file, line: line.line };
        top.list.push(current);
        last = current;
      } else current.args.push(w.text);
    }
  }
  for (let k = stack.length - 1; k > 0; k--) {
    const owner = stack[k].owner!;
    reader.problem(owner, 'error', `missing '}': the block of '${[owner.keyword, ...owner.args].join(' ')}' opened here is never closed`);
  }
  return root;
}
