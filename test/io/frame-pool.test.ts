// The first pass reuses frame objects (FramePool): what the readers hand out must be the same frames
// as without reuse, read at the time they are handed out, merged sources included; and an analysis
// must conclude the same with and without reuse (nothing downstream may keep a frame).

import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../src/pipeline.js';
import { defaultAnalyzers } from '../../src/analyse/index.js';
import { ChecklistAnalyzer } from '../../src/checklist/index.js';
import { I18n } from '../../src/present/i18n/index.js';
import { openCaptures } from '../../src/io/reader.js';
import { fixtureCaptures } from '../support/captures.js';

function rows(paths: string[], reuse: boolean): string[] {
  const { source } = openCaptures(paths);
  if (reuse) source.reuseFrames();
  const out: string[] = [];
  const seen = new Set<object>();
  try {
    for (let f = source.next(); f; f = source.next()) {
      seen.add(f);
      out.push([f.n, f.fileIndex, f.fileFrame, f.iface, f.linkType, f.tsSec, f.tsNs, f.caplen, f.origLen, f.offset, f.noTimestamp, JSON.stringify(f.comments), Buffer.from(f.data).toString('hex')].join(' '));
    }
  } finally {
    source.close();
  }
  // Per file: its first frame, then the pool's two.
  if (reuse && out.length > 10) expect(seen.size, 'frame objects').toBeLessThanOrEqual(3 * paths.length);
  return out;
}

const lab = fixtureCaptures('lab');

describe('frame objects reused by the first pass', () => {
  it('hand out the same frames as new objects would, pcap and pcapng, one file or several merged', () => {
    const cases = [
      ...fixtureCaptures('lab/healthcheck-mix').map((p) => [p]),
      fixtureCaptures('lab/director-failover'),
      ...fixtureCaptures('public/pcapng-test-generator').slice(0, 12).map((p) => [p]),
    ];
    for (const paths of cases) expect(rows(paths, true), paths.join(' + ')).toEqual(rows(paths, false));
  });

  it('leave the analysis of every lab capture unchanged', () => {
    const i18n = new I18n('en');
    const summary = (path: string, reuseFrames: boolean) => {
      const a = analyzeFiles([path], { reuseFrames, analyzers: [...defaultAnalyzers(), new ChecklistAnalyzer()] });
      return { events: a.events, comments: [...a.frameNotes], hosts: a.hosts, facts: a.facts, warnings: a.warnings, http: a.store.httpHeads(), captures: a.captures };
    };
    for (const path of lab) expect(summary(path, true), path).toEqual(summary(path, false));
  });
});
