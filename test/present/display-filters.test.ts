// Every Wireshark display filter a report offers selects exactly the frames its event names: each
// filter of every lab capture's JSON report (every capture alone, and the lab scenarios recorded on
// several interfaces given together, where numbers are per file) is run by tshark itself, and the
// frames it selects are compared with the event's. One tshark run per capture: a Lua script registers
// one tap per filter (a tap's filter is a display filter, compiled by tshark as -Y would) and prints
// the frames each one saw.

import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureCaptures, eventCaptures } from '../support/captures.js';
import { reportJsonOnce, reportText, type OurReport } from '../support/ours.js';
import { tsharkOut, tsharkVersion } from '../support/tshark-cache.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HAVE_TSHARK = tsharkVersion() !== '';

const SCRIPT = `-- For each display filter of a list (argument 1: a file of "id<TAB>filter" lines), the frames it selects.
local path = ({...})[1]
for line in io.lines(path) do
  local id, filter = line:match('^([^\\t]+)\\t(.*)$')
  if id then
    local hits = {}
    local ok, tap = pcall(Listener.new, 'frame', filter)
    if not ok then
      print(id .. '\\tERROR ' .. tostring(tap):gsub('\\n', ' '))
    else
      function tap.packet(pinfo) hits[#hits + 1] = pinfo.number end
      function tap.draw() print(id .. '\\t' .. table.concat(hits, ' ')) end
    end
  end
end
`;

/** A file in the temporary folder named by its content, so tshark's cache key (its arguments) changes with it. */
function byContent(ext: string, text: string): string {
  const dir = join(tmpdir(), 'vrrpscope-filters');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, createHash('sha256').update(text).digest('hex').slice(0, 24) + ext);
  writeFileSync(path, text);
  return path;
}

/** What each filter selects in `file`, by id ('ERROR …' when tshark rejects the filter). */
async function selected(file: string, filters: Map<string, string>): Promise<Map<string, string>> {
  const list = byContent('.txt', [...filters].map(([id, f]) => `${id}\t${f}\n`).join(''));
  const script = byContent('.lua', SCRIPT);
  const out = await tsharkOut(['-q', '-r', file, '-X', `lua_script:${script}`, '-X', `lua_script1:${list}`], file);
  const got = new Map<string, string>();
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) got.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return got;
}


/** The lab scenarios recorded on several interfaces: their captures given together. */
function severalInputs(): string[][] {
  const byDir = new Map<string, string[]>();
  for (const f of fixtureCaptures('lab')) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
  return [...byDir.values()].filter((l) => l.length > 1);
}

interface Claim { file: string; filter: string; frames: number[] }

/** Each filter of the report with the frames its event names, in the numbering of the file it is for. */
function claims(doc: OurReport, inputs: string[]): Claim[] {
  const several = inputs.length > 1;
  const origin = new Map<number, { file: string; n: number }>();
  for (const f of doc.frames) origin.set(f.n, several ? { file: String(f.file), n: Number(f.fileFrame) } : { file: inputs[0], n: f.n });
  const out: Claim[] = [];
  for (const e of doc.events) {
    const filters = e.filters as { file?: string; filter: string }[];
    expect(Array.isArray(filters), `${e.id} has filters`).toBe(true);
    expect(filters.length > 0, `${e.id} names frames, so it has a filter`).toBe(e.frames.length > 0);
    for (const f of filters) {
      expect(f.file !== undefined, `${e.id}: a filter names its file exactly when there are several inputs`).toBe(several);
      const path = several ? inputs.find((p) => basename(p) === basename(f.file!)) : inputs[0];
      expect(path, `${e.id}: ${f.file} is one of the inputs`).toBeDefined();
      const frames = (e.frames as number[]).map((n) => origin.get(n)!).filter((o) => basename(o.file) === basename(path!)).map((o) => o.n);
      out.push({ file: path!, filter: f.filter, frames: [...new Set(frames)].sort((a, b) => a - b) });
    }
  }
  return out;
}

/**
 * The filters of the Markdown report's runs of uncommented frames ("12 frames without comment (1–12)"),
 * with the frames of each run in each file's numbering (from the JSON report of every frame).
 */
async function runClaims(inputs: string[]): Promise<Claim[]> {
  const md = (await reportText(inputs, 'md')).stdout;
  const every = await reportJsonOnce(inputs, ['--all-frames']);
  const several = inputs.length > 1;
  const out: Claim[] = [];
  for (const row of md.split('\n').filter((l) => /^\| \d+(–\d+)? \| \| /.test(l))) {
    const [lo, hi = lo] = /^\| (\d+)(?:–(\d+))?/.exec(row)!.slice(1).filter(Boolean).map(Number);
    const filters = [...row.matchAll(/(?:<br>[^`<]*? (?:([^\s:]+\.pcapn?g?): )?)`([^`]+)`/g)].map((m) => ({ file: m[1], filter: m[2] }));
    expect(filters.length, `run ${lo}–${hi} has a filter`).toBeGreaterThan(0);
    for (const f of filters) {
      const path = several ? inputs.find((p) => basename(p) === f.file) : inputs[0];
      expect(path, `run ${lo}–${hi}: ${f.file}`).toBeDefined();
      const frames = every.frames.filter((x) => x.n >= lo && x.n <= hi && (!several || basename(String(x.file)) === f.file)).map((x) => (several ? Number(x.fileFrame) : x.n));
      out.push({ file: path!, filter: f.filter, frames });
    }
  }
  return out;
}

async function check(inputs: string[], runs = false): Promise<void> {
  const doc = await reportJsonOnce(inputs);
  const all = [...claims(doc, inputs), ...(runs ? await runClaims(inputs) : [])];
  expect(all.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const file of new Set(all.map((c) => c.file))) {
    const mine = all.filter((c) => c.file === file);
    const got = await selected(file, new Map(mine.map((c, i) => [String(i), c.filter])));
    mine.forEach((c, i) => {
      const sel = got.get(String(i));
      if (sel === undefined || sel.startsWith('ERROR')) { problems.push(`${basename(file)}: ${c.filter}: ${sel ?? 'no answer from tshark'}`); return; }
      const frames = sel === '' ? [] : sel.split(' ').map(Number);
      if (frames.join(' ') !== c.frames.join(' ')) problems.push(`${basename(file)}: ${c.filter} selects ${frames.join(' ')}, the event names ${c.frames.join(' ')}`);
    });
  }
  expect(problems).toEqual([]);
}

describe.skipIf(!HAVE_TSHARK)('display filters, through tshark', () => {
  for (const file of eventCaptures()) {
    it(`each filter of ${file.slice(ROOT.length)} selects exactly its event's frames`, () => check([file]), 120_000);
  }
  for (const inputs of severalInputs()) {
    it(`several inputs (${inputs.map((f) => basename(f)).join(', ')}): each file's filter, in that file's numbers (events and runs of frames)`, () => check(inputs, true), 120_000);
  }
  it('the runs of uncommented frames of a single capture: each filter selects its run', () => check([join(ROOT, 'captures/vrrp-failover.pcap')], true), 120_000);
});
