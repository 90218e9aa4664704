// How the command sizes V8's heap. Left to its defaults, V8 lets a semi-space of the young generation
// grow to 16 MB and the old generation fill with promoted garbage up to several times what is live:
// 175 MB resident for a report whose live heap after a collection is 8 MB. These flags keep the young
// generation at its initial size (1 MB a semi-space) and collect the old one once it has grown by half,
// so that peak memory stays under 150 MB whatever the capture (README, Memory): 12 M frames, json,
// 175 → 88 MB, no slower (each flag alone: 106 and 150 MB). V8 reads both flags as it runs, so setting
// them at start takes effect; heap sizes (--max-semi-space-size) would not, and --max-old-space-size
// would turn a capture that needs more into a crash.
// scripts/bundle.mjs sets the same flags before it makes the code cache: V8 accepts a cache only
// when the flags match those it was made with.

import v8 from 'node:v8';

export const HEAP_FLAGS = '--semi-space-growth-factor=1 --heap-growing-percent=50';

export function sizeHeap(): void {
  v8.setFlagsFromString(HEAP_FLAGS);
}
