// What vrrpscope reads of a keepalived.conf: the parts a capture can confirm or contradict (VRRP
// instances, virtual servers, their real servers and checkers, the sync daemon). Every value keeps the
// file and line it came from, so that a finding can say where to look.

export interface Where {
  file: string;
  line: number;
}

export interface Located<T> {
  value: T;
  at: Where;
}

export type ProblemSeverity = 'error' | 'warning' | 'note';

/** A parse error, an unknown keyword (once per keyword and block), or something keepalived would refuse. */
export interface ConfigProblem extends Where {
  severity: ProblemSeverity;
  message: string;
}

export type CheckerType = 'TCP_CHECK' | 'HTTP_GET' | 'SSL_GET' | 'SMTP_CHECK' | 'MISC_CHECK' | 'PING_CHECK' | 'UDP_CHECK' | 'DNS_CHECK' | 'BFD_CHECK' | 'FILE_CHECK';

/** The hc.probe `checker` of each keepalived checker (BFD_CHECK and FILE_CHECK leave nothing on the wire to probe). */
export const CHECKER_KIND: Record<CheckerType, 'tcp' | 'http' | 'ssl' | 'smtp' | 'misc' | 'ping' | 'udp' | 'dns' | null> = {
  TCP_CHECK: 'tcp', HTTP_GET: 'http', SSL_GET: 'ssl', SMTP_CHECK: 'smtp', MISC_CHECK: 'misc',
  PING_CHECK: 'ping', UDP_CHECK: 'udp', DNS_CHECK: 'dns', BFD_CHECK: null, FILE_CHECK: null,
};

export const CHECKER_TYPES = Object.keys(CHECKER_KIND) as CheckerType[];

export interface ConfUrl {
  at: Where;
  path: Located<string> | null;
  digest: Located<string> | null;
  statusCode: Located<string> | null;
  virtualhost: Located<string> | null;
}

export interface ConfChecker {
  type: CheckerType;
  at: Where;
  connectIp: Located<string> | null;
  connectPort: Located<number> | null;
  connectTimeout: Located<number> | null;
  retry: Located<number> | null;
  delayBeforeRetry: Located<number> | null;
  /** A checker's own delay_loop (keepalived ≥ 2.0 lets a checker override the virtual server's). */
  delayLoop: Located<number> | null;
  urls: ConfUrl[];
  virtualhost: Located<string> | null;
  heloName: Located<string> | null;
  miscPath: Located<string> | null;
  dnsType: Located<string> | null;
  dnsName: Located<string> | null;
}

export interface ConfRealServer {
  at: Where;
  ip: string;
  port: number | null;
  weight: Located<number> | null;
  delayLoop: Located<number> | null;
  /** Defaults for its checkers (keepalived check_data.c: checker → real_server → virtual_server). */
  retry: Located<number> | null;
  delayBeforeRetry: Located<number> | null;
  connectTimeout: Located<number> | null;
  virtualhost: Located<string> | null;
  checkers: ConfChecker[];
}

export interface ConfVirtualServer {
  at: Where;
  /** `virtual_server IP PORT`, `virtual_server fwmark N` or `virtual_server group NAME`. */
  ip: string | null;
  port: number | null;
  fwmark: number | null;
  group: string | null;
  delayLoop: Located<number> | null;
  /** Defaults for the checkers of its real servers. */
  retry: Located<number> | null;
  delayBeforeRetry: Located<number> | null;
  connectTimeout: Located<number> | null;
  lbAlgo: Located<string> | null;
  lbKind: Located<string> | null;
  protocol: Located<string> | null;
  quorum: Located<number> | null;
  hysteresis: Located<number> | null;
  sorryServer: { ip: string; port: number | null; at: Where } | null;
  virtualhost: Located<string> | null;
  realServers: ConfRealServer[];
}

export interface ConfVirtualServerGroup {
  name: string;
  at: Where;
  entries: { ip: string | null; port: number | null; fwmark: number | null; at: Where }[];
}

export interface GarpSettings {
  masterRepeat: Located<number> | null;
  masterDelay: Located<number> | null;
  masterRefresh: Located<number> | null;
  masterRefreshRepeat: Located<number> | null;
  /** garp_interval / vrrp_garp_interval: GARPs spaced out (keepalived 2.2.7 then sends at most 2 per burst). */
  interval: Located<number> | null;
  /** vrrp_min_garp (global): one GARP, no second burst. */
  minGarp: Where | null;
}

// keepalived's GARP defaults (keepalived.conf(5)): 5 at the transition, 5 more 5 s later.
export const DEFAULT_GARP_MASTER_REPEAT = 5;
export const DEFAULT_GARP_MASTER_DELAY_S = 5;

export interface ConfVrrpInstance {
  name: string;
  at: Where;
  state: Located<string> | null;
  interface: Located<string> | null;
  vrid: Located<number> | null;
  priority: Located<number> | null;
  /** Seconds (keepalived accepts decimals for VRRPv3). */
  advertInt: Located<number> | null;
  auth: { at: Where; type: Located<string> | null; pass: Located<string> | null } | null;
  vips: Located<string>[];
  vipsAt: Where | null;
  nopreempt: Where | null;
  preemptDelay: Located<number> | null;
  unicastSrcIp: Located<string> | null;
  unicastPeers: Located<string>[];
  version: Located<number> | null;
  garp: GarpSettings;
  /** track_script / track_interface / track_process / track_file: the priority may move by their weights. */
  tracked: Where | null;
}

export interface KeepalivedConfig {
  /** The file as given (--config). */
  path: string;
  /** Every file read, the main one first, then includes in the order keepalived reads them. */
  files: string[];
  routerId: Located<string> | null;
  vrrpVersion: Located<number> | null;
  garp: GarpSettings;
  lvsSyncDaemon: { at: Where; iface: string; instance: string | null; syncId: number | null } | null;
  instances: ConfVrrpInstance[];
  virtualServers: ConfVirtualServer[];
  virtualServerGroups: ConfVirtualServerGroup[];
  problems: ConfigProblem[];
}

// keepalived's defaults (keepalived.conf(5); vrrp_parser.c, check_parser.c).
export const DEFAULT_PRIORITY = 100;
export const DEFAULT_ADVERT_INT_S = 1;
export const DEFAULT_VRRP_VERSION = 2;
export const DEFAULT_DELAY_LOOP_S = 60;
export const DEFAULT_HELO_NAME = 'smtpchecker.keepalived.org';
/** VRRPv2 simple-text passwords are 8 bytes on the wire (keepalived VRRP_AUTH_LEN): longer ones are cut. */
export const VRRP_AUTH_LEN = 8;

/** The VRRP version an instance speaks: its own `version`, else global_defs `vrrp_version`, else 2. */
export function instanceVersion(c: KeepalivedConfig, i: ConfVrrpInstance): Located<number> | null {
  return i.version ?? c.vrrpVersion;
}

/** The delay_loop a checker runs at, and where it is set (checker, then real server, then virtual server). */
export function effectiveDelayLoop(vs: ConfVirtualServer, rs: ConfRealServer, ch: ConfChecker): { seconds: number; at: Where } {
  const own = ch.delayLoop ?? rs.delayLoop ?? vs.delayLoop;
  return own ? { seconds: own.value, at: own.at } : { seconds: DEFAULT_DELAY_LOOP_S, at: vs.at };
}

/** A checker setting as keepalived resolves it: its value and the line that sets it (null: keepalived's default). */
export interface Resolved { value: number; at: Where | null }

// keepalived 2.2.7's per-checker defaults, read in its source: check_api.c queue_checker sets default_retry 1 and
// default_delay_before_retry 1 s for every checker; check_http.c http_get_handler (HTTP_GET and SSL_GET) sets
// delay_before_retry 3 s; check_misc.c misc_check_handler retry 0; check_dns.c dns_check_handler retry 3
// (check_dns.h DNS_DEFAULT_RETRY) and delay_before_retry 0, which means delay_loop (check_data.c below).
// connect_timeout: check_data.c alloc_vs connection_to = 5 s.
const DEFAULT_RETRY: Partial<Record<CheckerType, number>> = { MISC_CHECK: 0, DNS_CHECK: 3 };
const DEFAULT_DELAY_BEFORE_RETRY_S: Partial<Record<CheckerType, number>> = { HTTP_GET: 3, SSL_GET: 3, DNS_CHECK: 0 };
export const DEFAULT_CONNECT_TIMEOUT_S = 5;

/**
 * retry, delay_before_retry and connect_timeout of a checker as keepalived 2.2.7 resolves them (check_data.c
 * validate_check_config: "Take default values from virtual server" into each real server, then "from real
 * server" into each checker): the checker's own, else its real server's, else its virtual server's, else the
 * checker type's default; a delay_before_retry default of 0 means delay_loop.
 */
export function checkerTiming(vs: ConfVirtualServer, rs: ConfRealServer, ch: ConfChecker): { retry: Resolved; delayBeforeRetry: Resolved; connectTimeout: Resolved; delayLoop: Resolved } {
  const pick = (own: Located<number> | null, dflt: number): Resolved => (own ? { value: own.value, at: own.at } : { value: dflt, at: null });
  const loop = ch.delayLoop ?? rs.delayLoop ?? vs.delayLoop;
  const delayLoop = pick(loop, DEFAULT_DELAY_LOOP_S);
  const dbr = DEFAULT_DELAY_BEFORE_RETRY_S[ch.type] ?? 1;
  return {
    retry: pick(ch.retry ?? rs.retry ?? vs.retry, DEFAULT_RETRY[ch.type] ?? 1),
    delayBeforeRetry: pick(ch.delayBeforeRetry ?? rs.delayBeforeRetry ?? vs.delayBeforeRetry, dbr || delayLoop.value),
    connectTimeout: pick(ch.connectTimeout ?? rs.connectTimeout ?? vs.connectTimeout, DEFAULT_CONNECT_TIMEOUT_S),
    delayLoop,
  };
}

/**
 * The priority an instance starts with: its own, else 255 for `state MASTER` (the address owner) and 100
 * otherwise (vrrp.c vrrp_complete_instance: "If no priority has been set, derive it from the initial state").
 */
export function instancePriority(i: ConfVrrpInstance): number {
  if (i.priority) return i.priority.value;
  return i.state?.value.toUpperCase() === 'MASTER' ? OWNER_PRIORITY : DEFAULT_PRIORITY;
}
export const OWNER_PRIORITY = 255;

/** A name for a configuration: its router_id, else the file's base name without .conf. */
export function configName(c: KeepalivedConfig): string {
  if (c.routerId) return c.routerId.value;
  const base = c.path.split('/').pop() ?? c.path;
  return base.replace(/\.conf$/, '');
}
