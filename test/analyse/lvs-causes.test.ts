// What explains a pool change, as the LVS analyser's causes module reads it on its own: the health-check
// verdict of the same server and direction within its window, whether the verdict came before the
// change reached the wire or after it (keepalived emits a verdict once its retries have failed).

import { describe, expect, it } from 'vitest';
import { Causes } from '../../src/analyse/lvs/causes.js';
import { Network } from '../../src/analyse/lvs/network.js';
import { HealthChecks } from '../../src/analyse/checks/analyser.js';
import { TcpFlows } from '../../src/analyse/tcp/flows.js';
import type { HcState } from '../../src/analyse/checks/events.js';
import type { LvsRealServer } from '../../src/analyse/lvs/events.js';

function causes(): Causes {
  return new Causes(new Network(new HealthChecks(new TcpFlows())));
}

const verdict = (id: string, time: number, target: string, state: 'up' | 'down'): HcState => ({
  kind: 'hc.state', id, time, frames: [time * 10, time * 10 + 1, time * 10 + 2], severity: 'warning', target, state, checker: 'http', director: '10.1.0.11',
  reason: state === 'down' ? 'status 500' : 'status 200', othersUp: [], attempts: 3, spanMs: 2000, delayBeforeRetryMs: 1000, connectTimeoutMs: null, delayLoopMs: 3000,
});

const change = (id: string, time: number, realServer: string, state: 'in' | 'out'): LvsRealServer => ({
  kind: 'lvs.realserver', id, time, frames: [time * 10], severity: 'warning', realServer, state, service: '10.0.0.100:80', cause: 'none', checker: null, reason: null, related: null,
});

describe('LVS causes', () => {
  it('a verdict seen before the pool change explains it: same server, same direction, at most 15 s before', () => {
    const c = causes();
    c.event(verdict('e1', 100, '10.1.0.21:80', 'down'));
    c.event(verdict('e2', 101, '10.1.0.22:80', 'up'));
    expect(c.poolChange('10.1.0.21:80', 'out', 110)?.id).toBe('e1');
    expect(c.poolChange('10.1.0.21:80', 'in', 110)).toBeNull();
    expect(c.poolChange('10.1.0.22:80', 'out', 110)).toBeNull();
    expect(c.poolChange('10.1.0.21:80', 'out', 115.5)).toBeNull();
    // PING_CHECK names the address alone: it explains every port of that server.
    c.event(verdict('e3', 120, '10.1.0.23', 'down'));
    expect(c.poolChange('10.1.0.23:53', 'out', 121)?.id).toBe('e3');
  });

  it('a verdict that comes after the pool change is tied to it then, once; a change older than 30 s is forgotten', () => {
    const c = causes();
    const early = change('e1', 200, '10.1.0.21:80', 'out');
    const other = change('e2', 200, '10.1.0.22:80', 'out');
    c.unexplainedChange(early);
    c.unexplainedChange(other);
    c.event(verdict('e3', 200.3, '10.1.0.21:80', 'down'));
    expect(early).toMatchObject({ cause: 'hc', checker: 'http', reason: 'status 500', related: 'e3', frames: [2003, 2004, 2000] });
    expect(other.cause).toBe('none');
    // Already explained: a second verdict does not change it.
    c.event(verdict('e4', 200.4, '10.1.0.21:80', 'down'));
    expect(early.related).toBe('e3');
    c.forgetBefore(231);
    c.event(verdict('e5', 200.4, '10.1.0.22:80', 'down'));
    expect(other.cause).toBe('none');
  });
});
