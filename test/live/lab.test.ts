// vrrpscope live on the lab bridge through a scripted keepalived failover, once per backend, the two
// labs side by side (each under its own prefix) so the pair takes the time of one (see lab.ts).
// Needs root, keepalived, tcpdump, jq, ping; each backend is skipped with the reason otherwise.

import { rmSync } from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import type { BackendName } from '../../src/io/live.js';
import { checkLabRun, cleanupLabs, labSkipReason, runLab } from './lab.js';
import { skipUnless } from '../support/skip.js';

afterAll(cleanupLabs);

describe.concurrent('live on a real keepalived lab', () => {
  for (const backend of ['tcpdump', 'cap'] as BackendName[]) {
    const skip = labSkipReason(backend);
    it.skipIf(skipUnless(skip === null, `${backend} backend lab: ${skip}`))(`${backend} backend: the failover printed live, in the report, and a capture equal to the lab's own tcpdump${skip ? ` (skipped: ${skip})` : ''}`, async () => {
      const run = await runLab(backend);
      checkLabRun(run);
      rmSync(run.dir, { recursive: true, force: true }); // kept when a check fails, to look into
    }, 120_000);
  }
});
