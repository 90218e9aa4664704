// The words of the LVS facts (src/present/say/lvs.ts): the sorry server is never called a real server.

import { describe, expect, it } from 'vitest';
import { Say } from '../../src/present/say/index.js';
import type { AnalysisEvent } from '../../src/analyse/events.js';

const forward = (sorry: boolean, method: 'nat' | 'dr' | 'tun'): AnalysisEvent => ({
  id: `e-${method}-${sorry}`, kind: 'lvs.forward', time: 1, frames: [3], severity: 'info',
  method, vip: '10.0.0.100:80', realServer: sorry ? '10.1.0.99:80' : '10.1.0.21:80', director: '10.0.0.11', connections: 4, sorry,
});

describe('LVS sentences', () => {
  for (const lang of ['en', 'fr'] as const) {
    const say = new Say(lang);
    const real = lang === 'en' ? 'real server' : 'serveur réel';
    const sorry = lang === 'en' ? 'sorry server 10.1.0.99:80' : '(« sorry server ») 10.1.0.99:80';
    for (const method of ['nat', 'dr', 'tun'] as const) {
      it(`${lang}: forwarding to the sorry server (${method}) names it the sorry server, not a real server`, () => {
        const text = say.summary(forward(true, method));
        expect(text).toContain(sorry);
        expect(text).not.toContain(`${real} 10.1.0.99`);
        expect(say.summary(forward(false, method))).toContain(`${real} 10.1.0.21:80`);
      });
    }
    it(`${lang}: a frame forwarded to the sorry server says so`, () => {
      const note = { note: 'lvs.forward', method: 'nat-udp', client: '10.0.0.50:4000', service: '10.0.0.100:53/udp', server: '10.1.0.99:53', sorry: true } as const;
      expect(say.note(note)).toContain(lang === 'en' ? 'LVS-NAT: the director sends' : 'LVS-NAT : le directeur envoie');
      expect(say.note(note)).toContain(sorry.replace('10.1.0.99:80', '10.1.0.99:53'));
      expect(say.note({ ...note, sorry: false })).toContain(`${real} 10.1.0.99:53`);
    });
  }
});
