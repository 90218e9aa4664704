// A table from an exact number (an integer below 2^53) to a value, for entries that come and go by
// the thousand a second, such as a SYN waiting for its other side: open addressing over typed arrays
// with backward-shift deletion, so set and delete allocate nothing. (A Map rebuilds its backing store
// whenever it shrinks, which for a table that keeps emptying is nearly every delete.)

export class NumberTable<V> {
  private keys: Float64Array;
  private values: (V | undefined)[];
  private full: Uint8Array;
  private mask: number;
  size = 0;

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap);
    this.values = new Array(cap).fill(undefined);
    this.full = new Uint8Array(cap);
  }

  private home(k: number): number {
    const lo = k >>> 0, hi = (k / 4294967296) >>> 0;
    return (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca77) >>> 16) & this.mask;
  }

  private slot(k: number): number {
    for (let i = this.home(k); ; i = (i + 1) & this.mask) {
      if (!this.full[i]) return -1;
      if (this.keys[i] === k) return i;
    }
  }

  get(k: number): V | undefined {
    const i = this.slot(k);
    return i < 0 ? undefined : this.values[i];
  }

  set(k: number, v: V): void {
    let i = this.home(k);
    while (this.full[i] && this.keys[i] !== k) i = (i + 1) & this.mask;
    if (!this.full[i]) {
      if ((this.size + 1) * 2 > this.mask + 1) { this.grow(); this.set(k, v); return; }
      this.full[i] = 1;
      this.keys[i] = k;
      this.size++;
    }
    this.values[i] = v;
  }

  delete(k: number): boolean {
    let i = this.slot(k);
    if (i < 0) return false;
    this.full[i] = 0;
    this.values[i] = undefined;
    this.size--;
    // Backward shift: move later entries of the run into the hole when their home allows it.
    for (let j = (i + 1) & this.mask; this.full[j]; j = (j + 1) & this.mask) {
      const h = this.home(this.keys[j]);
      if (i <= j ? h <= i || h > j : h <= i && h > j) {
        this.keys[i] = this.keys[j]; this.values[i] = this.values[j]; this.full[i] = 1;
        this.full[j] = 0; this.values[j] = undefined;
        i = j;
      }
    }
    return true;
  }

  /** The keys whose entries pass `test` (collected first: the caller may then delete them). */
  keysWhere(test: (v: V, k: number) => boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i <= this.mask; i++) if (this.full[i] && test(this.values[i] as V, this.keys[i])) out.push(this.keys[i]);
    return out;
  }

  private grow(): void {
    const keys = this.keys, values = this.values, full = this.full;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap);
    this.values = new Array(cap).fill(undefined);
    this.full = new Uint8Array(cap);
    this.size = 0;
    for (let i = 0; i < full.length; i++) if (full[i]) this.set(keys[i], values[i] as V);
  }
}
