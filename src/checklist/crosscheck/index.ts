// keepalived.conf against the wire. What a configuration says each director does, compared with what
// the capture shows it did, one module per domain over one shared context (context.ts): VRRP routers,
// configurations that disagree and nopreempt (vrrp.ts), gratuitous ARP after takeovers (garp.ts), the
// health checkers (checkers.ts), forwarding, real servers, sorry server and quorum (lvs.ts), IPVS sync
// (sync.ts). Each finding names the file and line and the frames.

import { crossCheckCheckers } from './checkers.js';
import { Report, type CrossCheckContext } from './context.js';
import { crossCheckGarp } from './garp.js';
import { crossCheckLvs } from './lvs.js';
import { crossCheckSync } from './sync.js';
import { crossCheckDisagreements, crossCheckNopreempt, crossCheckRouters } from './vrrp.js';

export type { CrossCheckContext } from './context.js';

export class CrossCheck extends Report {
  constructor(c: CrossCheckContext) {
    super(c);
  }

  /** Every check, in the order the findings are listed. */
  run(): void {
    if (this.c.directors.slots.length) {
      crossCheckRouters(this);
      crossCheckDisagreements(this);
      crossCheckNopreempt(this);
      crossCheckGarp(this);
    }
    crossCheckCheckers(this);
    crossCheckLvs(this);
    crossCheckSync(this);
  }
}
