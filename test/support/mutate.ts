// Shared by the decoder robustness tests: a deterministic PRNG, and "every prefix, then mutations".

/** mulberry32: deterministic, so a failure reproduces. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `run` on every prefix of `sample`, then on 2000 mutations: random bytes and the protocol's
 * interesting bytes written at random places, and random start and end offsets. `run` must not throw.
 */
export function robust(sample: Uint8Array, run: (b: Uint8Array, o: number, e: number) => unknown, seed: number, opts: { special: number[]; maxEdits: number }): void {
  for (let len = 0; len <= sample.length; len++) run(sample, 0, len);
  const rnd = prng(seed);
  const special = opts.special;
  for (let i = 0; i < 2000; i++) {
    const b = Uint8Array.from(sample);
    const edits = 1 + Math.floor(rnd() * opts.maxEdits);
    for (let k = 0; k < edits; k++) {
      const pos = Math.floor(rnd() * b.length);
      b[pos] = rnd() < 0.5 ? special[Math.floor(rnd() * special.length)] : Math.floor(rnd() * 256);
    }
    const start = rnd() < 0.1 ? Math.floor(rnd() * b.length) : 0;
    const end = rnd() < 0.3 ? start + Math.floor(rnd() * (b.length - start + 1)) : b.length;
    run(b, start, end);
  }
}
