// Sentences of a report's text, so that a listing tells each one once: an event whose sentence an
// earlier row already told names that row instead ("Same as event e12, at 14.200 s"). A sentence ends
// with . ! or ? before a space ("genhash of the page: …" starts one in lower case); "e.g." and "p. ex."
// end none. Pieces shorter than six words (a label, "On time.") are not counted as sentences.

const END = /(?<=[.!?])\s+/u;
const ABBREVIATION = /(?:\be\.g|\bi\.e|\bex|\bcf|\betc)\.$/i;
const MIN_WORDS = 6;

/** The text cut into its sentences (joined with one space, they give the text back, spaces aside). */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(END)) {
    const prev = out.length ? out[out.length - 1] : null;
    if (prev !== null && ABBREVIATION.test(prev)) out[out.length - 1] = prev + ' ' + piece;
    else out.push(piece);
  }
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Whether a piece is long enough to read as a sentence a reader would notice twice. */
export function isSentence(piece: string): boolean {
  return piece.split(/\s+/).length >= MIN_WORDS;
}

export interface Teller { id: string; time: string }

export interface References {
  /** The whole text is that row's: "Same as event e12, at 14.200 s." */
  same: (t: Teller) => string;
  /** Its first sentence is that row's, the differences follow: "As event e12, at 14.200 s, except what follows." */
  like: (t: Teller) => string;
  /** A run of sentences further on is that row's: "As in event e12, at 14.200 s." */
  told: (t: Teller) => string;
}

/**
 * Rewrites texts in reading order so that no sentence is told twice: a text whose every sentence one
 * earlier row already told becomes `same(row)`; one whose first sentence was told starts `like(row)` and
 * keeps what differs; elsewhere each run of sentences told before becomes one `told(row)`. The row named
 * is the latest that said the sentence, so references name different rows (three identical GARP bursts
 * read "…", "same as the 1st", "same as the 2nd"); where a reference was already printed in the list (two
 * rows leaning on one), an earlier teller is named, else the sentence is kept.
 */
export class SentenceLedger {
  /** Per sentence, the rows that said it, oldest first. */
  private readonly tellers = new Map<string, Teller[]>();
  private readonly printed = new Set<string>();

  constructor(private readonly refs: References) {}

  tell(text: string, self: Teller): string {
    const sentences = sentencesOf(text);
    const before = sentences.map((s) => (isSentence(s) ? [...(this.tellers.get(s) ?? [])] : []));
    for (const s of sentences) {
      if (!isSentence(s)) continue;
      const list = this.tellers.get(s);
      if (list) { if (list[list.length - 1] !== self) list.push(self); } else this.tellers.set(s, [self]);
    }
    if (before.every((t) => t.length === 0)) return text;
    const latest = (list: Teller[]) => [...list].reverse();
    const common = latest(before[0].filter((t) => before.every((list) => list.includes(t))));
    const same = this.first(common.map((t) => this.refs.same(t)));
    if (same !== null) return same;

    const out: string[] = [];
    const named = new Set<string>();
    let run: Teller | null = null;
    for (let i = 0; i < sentences.length; i++) {
      const tellers = before[i];
      if (!tellers.length) { out.push(sentences[i]); run = null; continue; }
      if (run !== null && tellers.includes(run)) continue;
      const covered = latest(tellers).find((t) => named.has(t.id));
      if (covered) { run = covered; continue; }
      const wording = i === 0 ? this.refs.like : this.refs.told;
      const pick = latest(tellers).find((t) => !this.printed.has(wording(t)));
      if (!pick) { out.push(sentences[i]); run = null; continue; }
      this.printed.add(wording(pick));
      named.add(pick.id);
      out.push(wording(pick));
      run = pick;
    }
    return out.join(' ');
  }

  /** The first of the wordings not yet printed in this list (then printed), or null. */
  private first(wordings: string[]): string | null {
    const w = wordings.find((x) => !this.printed.has(x));
    if (w === undefined) return null;
    this.printed.add(w);
    return w;
  }
}
