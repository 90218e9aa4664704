import type { Analyzer } from './engine.js';
import { VrrpAnalyzer } from './vrrp/analyser.js';
import { ArpAnalyzer } from './arp/analyser.js';
import { TcpFlows } from './tcp/flows.js';
import { HealthChecks } from './checks/analyser.js';
import { LvsAnalyzer } from './lvs/analyser.js';
import { HsrpAnalyzer } from './hsrp/analyser.js';

/** The analysers a report runs, in order. Flow-based analysers subscribe to the one flow tracker. */
export function defaultAnalyzers(): Analyzer[] {
  const flows = new TcpFlows();
  const checks = new HealthChecks(flows);
  return [flows, new VrrpAnalyzer(), new ArpAnalyzer(), checks, new LvsAnalyzer(flows, checks), new HsrpAnalyzer()];
}
