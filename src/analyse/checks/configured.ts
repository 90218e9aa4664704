// What keepalived.conf declares about the checkers, when the user gives it (--config): facts the wire
// alone cannot tell. The analysis reads no configuration file: the command line turns the files into
// this list (config/checkers.ts), and the health-check analyser takes it as given.

import type { Checker } from './events.js';

/** A checker of a real server, as keepalived resolves it (keepalived-semantics.md §1.1, §2). */
export interface ConfiguredChecker {
  checker: Checker;
  /** Where its probes go: connect_ip, else the real server's address. */
  ip: string;
  /** connect_port, else the real server's port, else the virtual server's (null: none; PING_CHECK has none). */
  port: number | null;
  /** The real server it belongs to, ip:port as the events write it (keepalived's logs name it so: "[ip]:tcp:port"). */
  realServer: string;
  /** connect_timeout (checker → real_server → virtual_server → 5 s), seconds: how long keepalived waits for an answer. */
  connectTimeoutS: number;
  /** retry (checker → real_server → virtual_server → the type's default: 1, DNS_CHECK 3, MISC_CHECK 0). */
  retry: number;
}
