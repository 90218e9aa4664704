// Between two tests, a turn of the event loop. Most tests here are synchronous (execFileSync of the
// command or of tshark); vitest runs the tests of a file back to back through promises only, so a file
// of such tests can keep its worker from reading the main process's replies for minutes, and vitest's
// 60 s RPC timeout then fails the run ("[vitest-worker]: Timeout calling onTaskUpdate") though every
// test passed. A macrotask between tests lets the replies in.

import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
