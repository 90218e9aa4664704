// The behaviours a keepalived / LVS lab is expected to show (the course: election, failover and
// preemption of the directors, gratuitous ARP, each health checker, a real server leaving and rejoining
// the pool, the sorry server under the quorum, IPVS connection sync, the forwarding method), with
// stable ids a teacher can hand out. Each is proven by events of ../shared/spec/events.md, never by
// looking at packets again.

import type { Checker } from '../analyse/checks/events.js';

export const BEHAVIOURS = [
  'vrrp-election',
  'vrrp-failover',
  'vrrp-preemption',
  'vrrp-clean-stop',
  'garp',
  'hc-tcp',
  'hc-http',
  'hc-ssl',
  'hc-smtp',
  'hc-misc',
  'hc-ping',
  'hc-udp',
  'hc-dns',
  'pool-out-in',
  'sorry-server',
  'ipvs-sync',
  'lvs-nat',
  'lvs-dr',
  'lvs-tun',
] as const;

export type BehaviourId = (typeof BEHAVIOURS)[number];

export const VRRP_BEHAVIOURS: BehaviourId[] = ['vrrp-election', 'vrrp-failover', 'vrrp-preemption', 'vrrp-clean-stop', 'garp'];

/** The checkers keepalived has, as the health-check events name them. */
export type CheckerKind = Checker;

/** The behaviour of one checker: `hc-tcp` … */
export type CheckerBehaviour = `hc-${CheckerKind}`;

/** The checker each checker behaviour is about. */
const CHECKER_OF: Record<CheckerBehaviour, CheckerKind> = {
  'hc-tcp': 'tcp', 'hc-http': 'http', 'hc-ssl': 'ssl', 'hc-smtp': 'smtp', 'hc-misc': 'misc', 'hc-ping': 'ping', 'hc-udp': 'udp', 'hc-dns': 'dns',
};

export function isCheckerBehaviour(id: BehaviourId): id is CheckerBehaviour {
  return Object.prototype.hasOwnProperty.call(CHECKER_OF, id);
}

export function checkerOf(id: CheckerBehaviour): CheckerKind {
  return CHECKER_OF[id];
}

/** keepalived's name of each checker, for the sentences. */
export const CHECKER_NAME: Record<CheckerKind, string> = {
  tcp: 'TCP_CHECK', http: 'HTTP_GET', ssl: 'SSL_GET', smtp: 'SMTP_CHECK', misc: 'MISC_CHECK', ping: 'PING_CHECK', udp: 'UDP_CHECK', dns: 'DNS_CHECK',
};
