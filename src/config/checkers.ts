// The configured checkers as the health-check analyser takes them (analyse/checks/configured.ts): the
// real server each one belongs to and its connect_timeout, resolved as keepalived 2.2.7 does.

import type { ConfiguredChecker } from '../analyse/checks/configured.js';
import { CHECKER_KIND, checkerTiming, type KeepalivedConfig } from './model.js';

export function configuredCheckers(configs: readonly KeepalivedConfig[]): ConfiguredChecker[] {
  const out: ConfiguredChecker[] = [];
  const seen = new Set<string>();
  for (const c of configs) for (const vs of c.virtualServers) for (const rs of vs.realServers) for (const ch of rs.checkers) {
    const checker = CHECKER_KIND[ch.type];
    if (!checker || !rs.ip) continue;
    const rsPort = rs.port ?? vs.port;
    const ip = ch.connectIp?.value ?? rs.ip;
    const port = checker === 'ping' ? null : ch.connectPort?.value ?? rsPort;
    const realServer = rsPort === null ? rs.ip : `${rs.ip}:${rsPort}`;
    const timing = checkerTiming(vs, rs, ch);
    const connectTimeoutS = timing.connectTimeout.value, retry = timing.retry.value;
    // both directors usually carry the same configuration: one entry per checker
    const key = `${checker}|${ip}|${port}|${realServer}|${connectTimeoutS}|${retry}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ checker, ip, port, realServer, connectTimeoutS, retry });
  }
  return out;
}
