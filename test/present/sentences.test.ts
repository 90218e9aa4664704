// The events list tells each sentence once (present/sentences.ts): a row whose sentences an earlier row
// told names that row, with its time; references never repeat either.

import { describe, expect, it } from 'vitest';
import { SentenceLedger, sentencesOf } from '../../src/present/sentences.js';

const GARP = '5 gratuitous ARP requests from 02:00:0a:00:00:0b announce 10.0.0.100 right after 10.0.0.11 became master of VRID 51.';
const THEORY = 'A backup that outranks the master takes over when its own Master_Down_Interval runs out.';
const ledger = () => new SentenceLedger({
  same: (t) => `Same as event ${t.id}, at ${t.time}.`,
  like: (t) => `As event ${t.id}, at ${t.time}, except what follows.`,
  told: (t) => `As in event ${t.id}, at ${t.time}.`,
});
const row = (id: string) => ({ id, time: id.slice(1) + ' s' });

describe('sentences of a report text', () => {
  it('cuts after . ! ? but not after e.g. or p. ex.', () => {
    expect(sentencesOf('One two. three four! Five (six)? seven')).toEqual(['One two.', 'three four!', 'Five (six)?', 'seven']);
    expect(sentencesOf('18 connections, e.g. 10.0.0.50:1 → 10.0.0.100:80. Next one here.')).toEqual(['18 connections, e.g. 10.0.0.50:1 → 10.0.0.100:80.', 'Next one here.']);
    expect(sentencesOf('18 connexions, par ex. 10.0.0.50:1. Suite.')).toEqual(['18 connexions, par ex. 10.0.0.50:1.', 'Suite.']);
    expect(sentencesOf('took over 3.61 s after it.')).toEqual(['took over 3.61 s after it.']);
  });
});

describe('each sentence told once in a listing', () => {
  it('an identical row names the previous one, and the next names that one (no reference twice)', () => {
    const l = ledger();
    expect(l.tell(GARP, row('e4'))).toBe(GARP);
    expect(l.tell(GARP, row('e9'))).toBe('Same as event e4, at 4 s.');
    expect(l.tell(GARP, row('e20'))).toBe('Same as event e9, at 9 s.');
  });

  it('keeps what differs, naming the row that told the rest', () => {
    const l = ledger();
    const a = '10.1.0.11 (priority 150) preempts 10.1.0.12 (priority 100) as master of VRID 52.';
    const b = '10.0.0.11 (priority 150) preempts 10.0.0.12 (priority 100) as master of VRID 51.';
    expect(l.tell(`${a} ${THEORY} It came back at frame 1837 and took over 3.41 s later.`, row('e16'))).toContain(THEORY);
    // another VRID: its own first sentence, the theory named
    expect(l.tell(`${b} ${THEORY} It came back at frame 1836 and took over 3.41 s later.`, row('e17')))
      .toBe(`${b} As in event e16, at 16 s. It came back at frame 1836 and took over 3.41 s later.`);
    // the same preemption again: its first sentence and the theory are e16's
    expect(l.tell(`${a} ${THEORY} It came back at frame 4081 and took over 3.42 s later.`, row('e31')))
      .toBe('As event e16, at 16 s, except what follows. It came back at frame 4081 and took over 3.42 s later.');
  });

  it('leaves short pieces (labels, "On time.") alone', () => {
    const l = ledger();
    expect(l.tell('All passed. On time.', row('e1'))).toBe('All passed. On time.');
    expect(l.tell('All passed. On time.', row('e2'))).toBe('All passed. On time.');
  });

  it('never prints a sentence or a reference twice over many alike rows', () => {
    const l = ledger();
    const out: string[] = [];
    for (let i = 1; i <= 30; i++) out.push(l.tell(i % 3 ? `${GARP} ${THEORY}` : `Router ${i} did its own thing here today. ${THEORY}`, row('e' + i)));
    const seen = new Map<string, number>();
    for (const s of out.flatMap(sentencesOf)) if (s.split(/\s+/).length >= 6) seen.set(s, (seen.get(s) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  });
});
