// How the command sizes V8's heap. Left to its defaults, V8 lets a semi-space of the young generation
// grow to 16 MB and the old generation fill with promoted garbage up to several times what is live:
// 175 MB resident for a report whose live heap after a collection is 8 MB. These flags keep the young
// generation at its initial size and collect the old one once it has grown by half, so that peak
// memory stays under 150 MB whatever the capture (README, Benchmark). Both flags are read by V8 as it
// runs, so setting them here, at start, takes effect; heap sizes (--max-semi-space-size) would not.
// scripts/bundle.mjs sets the same flags before it makes the code cache: V8 accepts a cache only
// when the flags match those it was made with.

import v8 from 'node:v8';

export const HEAP_FLAGS = process.env.VRRPSCOPE_HEAP_FLAGS ?? '--semi-space-growth-factor=1 --heap-growing-percent=50';

export function sizeHeap(): void {
  v8.setFlagsFromString(HEAP_FLAGS);
}
