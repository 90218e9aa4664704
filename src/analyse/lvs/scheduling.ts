// The scheduler a virtual service's choices of real server show (rr, wrr, one server, or spread).

/**
 * rr when servers take turns: between two connections to one server, every other server in the pool
 * got at most one (this holds whatever the pool size, so servers leaving and joining the pool do not
 * hide it); wrr when they take turns in a longer fixed cycle (IPVS wrr with weights 2:1 gives
 * A A B A A B…: a cycle of 3 over 2 servers) or when their shares are uneven; else "spread".
 */
export function scheduling(choices: string[]): { scheduler: 'rr' | 'wrr' | 'single' | 'spread'; cycle: number } {
  const servers = [...new Set(choices)];
  if (servers.length <= 1) return { scheduler: 'single', cycle: 0 };
  const k = servers.length;
  if (choices.length > 2 * k && turnsRatio(choices) >= 0.9) return { scheduler: 'rr', cycle: k };
  for (let p = k + 1; p <= 4 * k && 2 * p < choices.length; p++) if (cycleRatio(choices, p) > 0.8) return { scheduler: 'wrr', cycle: p };
  const counts = servers.map((s) => choices.filter((c) => c === s).length);
  const max = Math.max(...counts), min = Math.min(...counts);
  return { scheduler: max >= 1.5 * min ? 'wrr' : 'spread', cycle: 0 };
}

/** Share of repeat choices of a server between which no other server was chosen twice. */
function turnsRatio(choices: string[]): number {
  const last = new Map<string, number>();
  let judged = 0, fair = 0;
  for (let i = 0; i < choices.length; i++) {
    const j = last.get(choices[i]);
    if (j !== undefined) {
      judged++;
      const between = choices.slice(j + 1, i);
      if (new Set(between).size === between.length) fair++;
    }
    last.set(choices[i], i);
  }
  return judged ? fair / judged : 0;
}

/** Share of choices equal to the one `period` choices before. */
function cycleRatio(choices: string[], period: number): number {
  if (choices.length <= period) return 0;
  let same = 0;
  for (let i = period; i < choices.length; i++) if (choices[i] === choices[i - period]) same++;
  return same / (choices.length - period);
}
