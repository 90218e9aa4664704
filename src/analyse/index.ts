import type { Analyzer } from './engine.js';
import { VrrpAnalyzer } from './vrrp/analyser.js';
import { ArpAnalyzer } from './arp/analyser.js';
import { TcpFlows } from './tcp/flows.js';
import { HealthChecks } from './checks/analyser.js';
import type { ConfiguredChecker } from './checks/configured.js';
import { LvsAnalyzer } from './lvs/analyser.js';
import { HsrpAnalyzer } from './hsrp/analyser.js';

/**
 * The analysers a report runs, in order. Flow-based analysers subscribe to the one flow tracker. `checkers`:
 * what keepalived.conf declares of the health checkers, when given (whose PING_CHECK, connect_timeout).
 */
export function defaultAnalyzers(opts: { checkers?: readonly ConfiguredChecker[] } = {}): Analyzer[] {
  const flows = new TcpFlows();
  const checks = new HealthChecks(flows, opts.checkers);
  return [flows, new VrrpAnalyzer(), new ArpAnalyzer(), checks, new LvsAnalyzer(flows, checks), new HsrpAnalyzer()];
}
