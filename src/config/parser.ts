// From statements to the keepalived model of model.ts: the keywords vrrpscope compares with a capture
// are read with their values checked as keepalived checks them (ranges of vrrp_parser.c and
// check_parser.c); the many keywords that do not show on the wire (notify scripts, SMTP alerts, …) are
// skipped quietly; any other keyword is reported once per block kind and skipped, never fatal.

import { lexConfig, type LexOptions, type Statement } from './lexer.js';
import {
  CHECKER_TYPES, type CheckerType, type ConfChecker, type ConfigProblem, type ConfRealServer, type ConfUrl,
  type ConfVirtualServer, type ConfVirtualServerGroup, type ConfVrrpInstance, type GarpSettings, type KeepalivedConfig,
  type Located, type Where,
} from './model.js';

/** Keywords keepalived knows that leave nothing vrrpscope can compare on the wire: skipped without a word. */
const QUIET: Record<string, string[]> = {
  root: [
    'vrrp_script', 'vrrp_track_file', 'track_file', 'vrrp_track_process', 'track_process', 'static_ipaddress', 'static_routes',
    'static_rules', 'linkbeat_interfaces', 'net_namespace', 'net_namespace_ipvs', 'instance', 'use_pid_dir', 'bfd_instance',
    'garp_group', 'child_wait_time', 'namespace_with_ipsets', 'vrrp_sync_group',
  ],
  global_defs: [
    'notification_email', 'notification_email_from', 'smtp_server', 'smtp_connect_timeout', 'smtp_helo_name', 'smtp_alert',
    'smtp_alert_vrrp', 'smtp_alert_checker', 'script_user', 'enable_script_security', 'vrrp_skip_check_adv_addr',
    'vrrp_check_unicast_src', 'vrrp_strict', 'vrrp_iptables', 'vrrp_ipsets', 'vrrp_nftables', 'vrrp_nftables_priority',
    'max_auto_priority', 'vrrp_priority', 'checker_priority', 'bfd_priority', 'vrrp_no_swap', 'checker_no_swap',
    'vrrp_rt_priority', 'checker_rt_priority', 'vrrp_cpu_affinity', 'checker_cpu_affinity', 'enable_traps', 'enable_snmp_vrrp',
    'enable_snmp_checker', 'enable_snmp_rfc', 'enable_snmp_rfcv2', 'enable_snmp_rfcv3', 'snmp_socket', 'dynamic_interfaces',
    'vrrp_mcast_group4', 'vrrp_mcast_group6', 'vrrp_garp_interval', 'vrrp_gna_interval', 'vrrp_lower_prio_no_advert',
    'vrrp_higher_prio_send_advert', 'vrrp_garp_lower_prio_repeat', 'vrrp_garp_lower_prio_delay', 'vrrp_min_garp',
    'vrrp_garp_extra_if', 'vrrp_netlink_cmd_rcv_bufs', 'vrrp_netlink_monitor_rcv_bufs', 'lvs_timeouts', 'lvs_flush',
    'lvs_flush_onstop', 'lvs_notify_fifo', 'lvs_notify_fifo_script', 'notify_fifo', 'notify_fifo_script', 'vrrp_notify_fifo',
    'vrrp_notify_fifo_script', 'vrrp_notify_priority_changes', 'default_interface', 'local_name', 'linkbeat_use_polling',
    'process_names', 'process_name', 'vrrp_process_name', 'checker_process_name', 'bfd_process_name', 'startup_script',
    'startup_script_timeout', 'shutdown_script', 'shutdown_script_timeout', 'umask', 'random_seed', 'reload_time_file',
    'reload_repeat', 'reload_file', 'config_save_dir', 'data_use_instance', 'json_version', 'disable_local_igmp',
    'vrrp_startup_delay', 'vrrp_log_unknown_vrids', 'vrrp_rx_bufs_policy', 'vrrp_rx_bufs_multiplier', 'checker_log_all_failures',
    'vrrp_dont_use_iptables', 'vrrp_iptables_outchain', 'rs_init_notifies', 'no_checker_emails', 'fifo_write_vrrp_states_on_reload',
    'vrrp_version', 'router_id', 'vrrp_garp_master_repeat', 'vrrp_garp_master_delay', 'vrrp_garp_master_refresh',
    'vrrp_garp_master_refresh_repeat', 'lvs_sync_daemon', 'lvs_sync_daemon_interface', 'vrrp_track_process', 'dbus',
    'dbus_service_name', 'script_security', 'vrrp_socket_rcv_buf', 'checker_socket_rcv_buf', 'bfd_socket_rcv_buf',
  ],
  vrrp_instance: [
    'notify', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify_deleted', 'notify_master_rx_lower_pri',
    'smtp_alert', 'use_vmac', 'vmac_xmit_base', 'use_ipvlan', 'native_ipv6', 'dont_track_primary', 'mcast_src_ip',
    'lvs_sync_daemon_interface', 'accept', 'no_accept', 'strict_mode', 'skip_check_adv_addr', 'check_unicast_src', 'debug',
    'virtual_ipaddress_excluded', 'virtual_routes', 'virtual_rules', 'garp_interval', 'gna_interval', 'garp_lower_prio_repeat',
    'garp_lower_prio_delay', 'lower_prio_no_advert', 'higher_prio_send_advert', 'unicast_ttl', 'old_unicast_checksum',
    'kernel_rx_buf_size', 'linkbeat_use_polling', 'down_timer_adverts', 'track_src_ip', 'vrrp_garp_interval',
    'unicast_fault_no_peer', 'notify_priority_changes', 'sync_group_tracking_weight', 'promote_secondaries',
    'ipsets', 'iptable', 'preempt', 'nopreempt', 'track_bfd',
  ],
  virtual_server: [
    'persistence_timeout', 'persistence_granularity', 'persistence_engine', 'ha_suspend', 'alpha', 'omega', 'quorum_up',
    'quorum_down', 'ops', 'one_packet_scheduling', 'retry', 'delay_before_retry', 'connect_timeout', 'warmup',
    'inhibit_on_failure', 'sorry_server_inhibit', 'sorry_server_lvs_method', 'ip_family', 'smtp_alert', 'lb_algo', 'lvs_sched',
    'lb_kind', 'lvs_method', 'lvs_flags', 'flag-1', 'flag-2', 'flag-3', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback',
    'tunnel_type', 'tunnel_port', 'tunnel_nocsum', 'tunnel_csum', 'tunnel_remcsum',
  ],
  real_server: [
    'inhibit_on_failure', 'notify_up', 'notify_down', 'uthreshold', 'lthreshold', 'retry', 'delay_before_retry',
    'connect_timeout', 'warmup', 'lvs_method', 'smtp_alert', 'alpha', 'tunnel_type', 'tunnel_port', 'tunnel_nocsum',
    'tunnel_csum', 'tunnel_remcsum', 'virtualhost',
  ],
  checker: [
    'bindto', 'bind_port', 'bind_if', 'fwmark', 'warmup', 'alpha', 'log_all_failures', 'http_protocol', 'enable_sni',
    'fast_recovery', 'tls_compliant', 'misc_timeout', 'misc_dynamic', 'user', 'payload', 'require_reply', 'min_reply_length',
    'max_reply_length', 'url', 'host', 'nb_get_retry', 'nb_sock_retry', 'ssl_get', 'connect_ip', 'connect_port',
    'connect_timeout', 'retry', 'delay_before_retry', 'delay_loop', 'virtualhost', 'helo_name', 'misc_path', 'type', 'name',
    'port', 'weight', 'bfd_name', 'file', 'path', 'default_up', 'digest', 'status_code', 'regex', 'regex_no_match',
    'regex_options', 'regex_stack', 'regex_min_offset', 'regex_max_offset', 'protocol', 'ip_family',
  ],
};

const QUIET_SETS = Object.fromEntries(Object.entries(QUIET).map(([k, v]) => [k, new Set(v)])) as Record<string, Set<string>>;
const CHECKER_SET = new Set<string>(CHECKER_TYPES);

class Interpreter {
  readonly problems: ConfigProblem[];
  private readonly unknown = new Set<string>();

  constructor(problems: ConfigProblem[]) {
    this.problems = problems;
  }

  problem(at: Where, severity: ConfigProblem['severity'], message: string): void {
    if (this.problems.length < 1000) this.problems.push({ file: at.file, line: at.line, severity, message });
  }

  /** An unknown keyword, reported once per block kind and keyword (keepalived: "Unknown keyword"). */
  unknownKeyword(s: Statement, context: string): void {
    const key = context + '|' + s.keyword;
    if (this.unknown.has(key)) return;
    this.unknown.add(key);
    this.problem(s, 'warning', `unknown keyword '${s.keyword}' in ${context === 'root' ? 'the top level' : context}: skipped`);
  }

  quiet(context: string, s: Statement): boolean {
    return QUIET_SETS[context]?.has(s.keyword) ?? false;
  }

  /** The first argument, or a problem if it is missing. */
  arg(s: Statement, what = 'a value'): string | null {
    if (s.args.length && s.args[0] !== '') return s.args[0];
    this.problem(s, 'error', `'${s.keyword}' needs ${what}`);
    return null;
  }

  int(s: Statement, min: number, max: number, index = 0): Located<number> | null {
    const raw = index === 0 ? this.arg(s, 'a number') : s.args[index] ?? null;
    if (raw === null) return null;
    if (!/^[+-]?\d+$/.test(raw)) { this.problem(s, 'error', `'${s.keyword}': "${raw}" is not a whole number`); return null; }
    const v = Number(raw);
    if (v < min || v > max) { this.problem(s, 'error', `'${s.keyword} ${raw}': out of range [${min}, ${max}] (keepalived ignores it)`); return null; }
    return { value: v, at: where(s) };
  }

  decimal(s: Statement, min: number, max: number): Located<number> | null {
    const raw = this.arg(s, 'a number');
    if (raw === null) return null;
    if (!/^[+]?(\d+(\.\d*)?|\.\d+)$/.test(raw)) { this.problem(s, 'error', `'${s.keyword}': "${raw}" is not a number`); return null; }
    const v = Number(raw);
    if (v < min || v > max) { this.problem(s, 'error', `'${s.keyword} ${raw}': out of range [${min}, ${max}] (keepalived ignores it)`); return null; }
    return { value: v, at: where(s) };
  }

  text(s: Statement): Located<string> | null {
    const v = this.arg(s);
    return v === null ? null : { value: v, at: where(s) };
  }

  /** A statement that should open a block but has none. */
  needBlock(s: Statement): Statement[] {
    if (s.block) return s.block;
    this.problem(s, 'error', `'${s.keyword}' needs a { … } block`);
    return [];
  }

  garpKeyword(s: Statement, garp: GarpSettings, prefix: '' | 'vrrp_'): boolean {
    switch (s.keyword) {
      case `${prefix}garp_master_repeat`: garp.masterRepeat = this.int(s, 0, 65535); return true;
      case `${prefix}garp_master_delay`: garp.masterDelay = this.int(s, 0, 65535); return true;
      case `${prefix}garp_master_refresh`: garp.masterRefresh = this.int(s, 0, 65535); return true;
      case `${prefix}garp_master_refresh_repeat`: garp.masterRefreshRepeat = this.int(s, 0, 65535); return true;
      case `${prefix}garp_interval`: garp.interval = this.decimal(s, 0, 1000); return true;
      case 'vrrp_min_garp': if (prefix === 'vrrp_' && s.args[0] !== 'false') garp.minGarp = where(s); return true;
      default: return false;
    }
  }

  // --- global_defs ---

  globalDefs(s: Statement, c: KeepalivedConfig): void {
    for (const k of this.needBlock(s)) {
      if (this.garpKeyword(k, c.garp, 'vrrp_')) continue;
      switch (k.keyword) {
        case 'router_id': c.routerId = this.text(k); break;
        case 'vrrp_version': c.vrrpVersion = this.int(k, 2, 3); break;
        case 'lvs_sync_daemon': {
          // lvs_sync_daemon <IF> [inst] <VRRP_INSTANCE> [id <SYNC_ID>] [maxlen N] [port N] [ttl N] [group IP]
          if (!k.args.length) { this.problem(k, 'error', `'lvs_sync_daemon' needs an interface and a VRRP instance`); break; }
          let syncId: number | null = null;
          let instance: string | null = null;
          for (let i = 1; i < k.args.length; i++) {
            const a = k.args[i];
            if (a === 'id') { syncId = Number(k.args[++i]); if (!Number.isInteger(syncId) || syncId < 0 || syncId > 255) { this.problem(k, 'error', `lvs_sync_daemon: id must be 0-255`); syncId = null; } }
            else if (a === 'maxlen' || a === 'port' || a === 'ttl' || a === 'group') i++;
            else if (a === 'inst') continue;
            else if (instance === null) instance = a;
          }
          c.lvsSyncDaemon = { at: where(k), iface: k.args[0], instance, syncId };
          break;
        }
        case 'lvs_sync_daemon_interface':
          // Pre-1.2.20 form; keepalived now wants lvs_sync_daemon.
          if (!c.lvsSyncDaemon && k.args[0]) c.lvsSyncDaemon = { at: where(k), iface: k.args[0], instance: null, syncId: null };
          break;
        default:
          if (!this.quiet('global_defs', k)) this.unknownKeyword(k, 'global_defs');
      }
    }
  }

  // --- vrrp_instance ---

  vrrpInstance(s: Statement): ConfVrrpInstance {
    const name = s.args[0] ?? '';
    if (!name) this.problem(s, 'error', `'vrrp_instance' needs a name`);
    const inst: ConfVrrpInstance = {
      name, at: where(s), state: null, interface: null, vrid: null, priority: null, advertInt: null, auth: null, vips: [],
      vipsAt: null, nopreempt: null, preemptDelay: null, unicastSrcIp: null, unicastPeers: [], version: null,
      garp: { masterRepeat: null, masterDelay: null, masterRefresh: null, masterRefreshRepeat: null, interval: null, minGarp: null }, tracked: null,
    };
    for (const k of this.needBlock(s)) {
      if (this.garpKeyword(k, inst.garp, '')) continue;
      switch (k.keyword) {
        case 'state': {
          const v = this.text(k);
          if (v && !['MASTER', 'BACKUP'].includes(v.value.toUpperCase())) this.problem(k, 'error', `state must be MASTER or BACKUP, not "${v.value}"`);
          else inst.state = v && { value: v.value.toUpperCase(), at: v.at };
          break;
        }
        case 'interface': inst.interface = this.text(k); break;
        case 'virtual_router_id': inst.vrid = this.int(k, 1, 255); break;
        case 'priority': inst.priority = this.int(k, 1, 255); break;
        case 'advert_int': inst.advertInt = this.decimal(k, 0.01, 255); break;
        case 'version': inst.version = this.int(k, 2, 3); break;
        case 'nopreempt': inst.nopreempt = where(k); break;
        case 'preempt': inst.nopreempt = null; break;
        case 'preempt_delay': inst.preemptDelay = this.decimal(k, 0, 1000); break;
        case 'unicast_src_ip': inst.unicastSrcIp = this.text(k); break;
        case 'unicast_peer':
          for (const p of this.needBlock(k)) inst.unicastPeers.push({ value: p.keyword, at: where(p) });
          break;
        case 'virtual_ipaddress':
          inst.vipsAt = where(k);
          for (const v of this.needBlock(k)) inst.vips.push({ value: v.keyword.replace(/\/\d+$/, ''), at: where(v) });
          break;
        case 'authentication': {
          const auth: NonNullable<ConfVrrpInstance['auth']> = { at: where(k), type: null, pass: null };
          for (const a of this.needBlock(k)) {
            if (a.keyword === 'auth_type') {
              const t = this.text(a);
              if (t && !['PASS', 'AH'].includes(t.value.toUpperCase())) this.problem(a, 'error', `auth_type must be PASS or AH, not "${t.value}"`);
              else auth.type = t && { value: t.value.toUpperCase(), at: t.at };
            } else if (a.keyword === 'auth_pass') auth.pass = this.text(a);
            else this.unknownKeyword(a, 'authentication');
          }
          inst.auth = auth;
          break;
        }
        case 'track_script': case 'track_interface': case 'track_process': case 'track_file': case 'track_bfd':
          inst.tracked ??= where(k);
          break;
        default:
          if (!this.quiet('vrrp_instance', k)) this.unknownKeyword(k, 'vrrp_instance');
      }
    }
    if (!inst.vrid) this.problem(s, 'error', `vrrp_instance ${name}: no virtual_router_id (keepalived refuses the instance)`);
    if (inst.nopreempt && inst.state?.value === 'MASTER') {
      this.problem(inst.nopreempt, 'warning', `vrrp_instance ${name}: nopreempt with state MASTER is cleared by keepalived ("nopreempt will not work with initial state MASTER")`);
      inst.nopreempt = null;
    }
    return inst;
  }

  // --- virtual_server ---

  virtualServer(s: Statement): ConfVirtualServer {
    const vs: ConfVirtualServer = {
      at: where(s), ip: null, port: null, fwmark: null, group: null, delayLoop: null, retry: null, delayBeforeRetry: null, connectTimeout: null,
      lbAlgo: null, lbKind: null, protocol: null,
      quorum: null, hysteresis: null, sorryServer: null, virtualhost: null, realServers: [],
    };
    const [a0, a1] = s.args;
    if (a0 === 'fwmark') vs.fwmark = Number(a1);
    else if (a0 === 'group') vs.group = a1 ?? null;
    else if (a0) { vs.ip = a0; vs.port = a1 !== undefined && /^\d+$/.test(a1) ? Number(a1) : null; }
    if (!a0 || (a0 === 'fwmark' && !Number.isInteger(vs.fwmark)) || (a0 === 'group' && !vs.group)) this.problem(s, 'error', `'virtual_server' needs IP PORT, fwmark N or group NAME`);
    for (const k of this.needBlock(s)) {
      switch (k.keyword) {
        case 'delay_loop': vs.delayLoop = this.decimal(k, 0.001, 86400 * 365); break;
        // check_parser.c vs_retry_handler takes 1 and more (a checker's own retry may be 0)
        case 'retry': vs.retry = this.int(k, 1, 1 << 30); break;
        case 'delay_before_retry': vs.delayBeforeRetry = this.decimal(k, 0, 86400); break;
        case 'connect_timeout': vs.connectTimeout = this.decimal(k, 0.000001, 86400); break;
        case 'lb_algo': case 'lvs_sched': vs.lbAlgo = this.text(k); break;
        case 'lb_kind': case 'lvs_method': {
          const v = this.text(k);
          if (v && !['NAT', 'DR', 'TUN'].includes(v.value.toUpperCase())) this.problem(k, 'error', `${k.keyword} must be NAT, DR or TUN, not "${v.value}"`);
          else vs.lbKind = v && { value: v.value.toUpperCase(), at: v.at };
          break;
        }
        case 'protocol': vs.protocol = this.text(k); break;
        case 'quorum': vs.quorum = this.int(k, 1, 1 << 30); break;
        case 'hysteresis': vs.hysteresis = this.int(k, 0, 1 << 30); break;
        case 'virtualhost': vs.virtualhost = this.text(k); break;
        case 'sorry_server': {
          const ip = this.arg(k, 'an address and a port');
          if (ip) vs.sorryServer = { ip, port: k.args[1] !== undefined && /^\d+$/.test(k.args[1]) ? Number(k.args[1]) : null, at: where(k) };
          break;
        }
        case 'real_server': vs.realServers.push(this.realServer(k)); break;
        default:
          if (!this.quiet('virtual_server', k)) this.unknownKeyword(k, 'virtual_server');
      }
    }
    return vs;
  }

  realServer(s: Statement): ConfRealServer {
    const rs: ConfRealServer = {
      at: where(s), ip: s.args[0] ?? '', port: null, weight: null, delayLoop: null, retry: null, delayBeforeRetry: null, connectTimeout: null, virtualhost: null, checkers: [],
    };
    if (!rs.ip) this.problem(s, 'error', `'real_server' needs an address and a port`);
    if (s.args[1] !== undefined) {
      if (/^\d+$/.test(s.args[1]) && Number(s.args[1]) <= 65535) rs.port = Number(s.args[1]);
      else this.problem(s, 'error', `real_server ${rs.ip}: "${s.args[1]}" is not a port`);
    }
    if (!s.block) return rs; // a real server without a block is allowed: always up, weight 1
    for (const k of s.block) {
      if (CHECKER_SET.has(k.keyword)) { rs.checkers.push(this.checker(k)); continue; }
      switch (k.keyword) {
        case 'weight': rs.weight = this.int(k, -65535, 65535); break;
        case 'delay_loop': rs.delayLoop = this.decimal(k, 0.001, 86400 * 365); break;
        case 'retry': rs.retry = this.int(k, 1, 1 << 30); break;
        case 'delay_before_retry': rs.delayBeforeRetry = this.decimal(k, 0, 86400); break;
        case 'connect_timeout': rs.connectTimeout = this.decimal(k, 0.000001, 86400); break;
        case 'virtualhost': rs.virtualhost = this.text(k); break;
        default:
          if (!this.quiet('real_server', k)) this.unknownKeyword(k, 'real_server');
      }
    }
    return rs;
  }

  checker(s: Statement): ConfChecker {
    const ch: ConfChecker = {
      type: s.keyword as CheckerType, at: where(s), connectIp: null, connectPort: null, connectTimeout: null, retry: null,
      delayBeforeRetry: null, delayLoop: null, urls: [], virtualhost: null, heloName: null, miscPath: null, dnsType: null, dnsName: null,
    };
    for (const k of s.block ?? []) {
      switch (k.keyword) {
        case 'connect_ip': ch.connectIp = this.text(k); break;
        case 'connect_port': ch.connectPort = this.int(k, 1, 65535); break;
        case 'connect_timeout': ch.connectTimeout = this.decimal(k, 0, 86400); break;
        case 'retry': case 'nb_get_retry': case 'nb_sock_retry': ch.retry = this.int(k, 0, 1 << 20); break;
        case 'delay_before_retry': ch.delayBeforeRetry = this.decimal(k, 0, 86400); break;
        case 'delay_loop': ch.delayLoop = this.decimal(k, 0.001, 86400 * 365); break;
        case 'virtualhost': ch.virtualhost = this.text(k); break;
        case 'helo_name': ch.heloName = this.text(k); break;
        case 'misc_path': ch.miscPath = { value: k.args.join(' '), at: where(k) }; break;
        case 'type': if (s.keyword === 'DNS_CHECK') ch.dnsType = this.text(k); break;
        case 'name': if (s.keyword === 'DNS_CHECK') ch.dnsName = this.text(k); break;
        case 'url': ch.urls.push(this.url(k)); break;
        case 'host': {
          // SMTP_CHECK's old `host { connect_ip … connect_port … }` form.
          for (const h of k.block ?? []) {
            if (h.keyword === 'connect_ip') ch.connectIp ??= this.text(h);
            else if (h.keyword === 'connect_port') ch.connectPort ??= this.int(h, 1, 65535);
          }
          break;
        }
        default:
          if (!this.quiet('checker', k)) this.unknownKeyword(k, s.keyword);
      }
    }
    return ch;
  }

  url(s: Statement): ConfUrl {
    const u: ConfUrl = { at: where(s), path: null, digest: null, statusCode: null, virtualhost: null };
    for (const k of this.needBlock(s)) {
      switch (k.keyword) {
        case 'path': u.path = this.text(k); break;
        case 'digest': u.digest = this.text(k); if (u.digest) u.digest.value = u.digest.value.toLowerCase(); break;
        case 'status_code': u.statusCode = { value: k.args.join(' '), at: where(k) }; break;
        case 'virtualhost': u.virtualhost = this.text(k); break;
        default:
          if (!this.quiet('checker', k)) this.unknownKeyword(k, 'url');
      }
    }
    return u;
  }

  virtualServerGroup(s: Statement): ConfVirtualServerGroup {
    const g: ConfVirtualServerGroup = { name: s.args[0] ?? '', at: where(s), entries: [] };
    for (const k of this.needBlock(s)) {
      if (k.keyword === 'fwmark') g.entries.push({ ip: null, port: null, fwmark: Number(k.args[0]), at: where(k) });
      else g.entries.push({ ip: k.keyword, port: k.args[0] !== undefined && /^\d+$/.test(k.args[0]) ? Number(k.args[0]) : null, fwmark: null, at: where(k) });
    }
    return g;
  }
}

function where(s: Statement): Where {
  return { file: s.file, line: s.line };
}

/** Parses keepalived.conf at `path` (and what it includes). Never throws; problems are in the result. */
export function parseKeepalivedConf(path: string, opts: LexOptions = {}): KeepalivedConfig {
  const lexed = lexConfig(path, opts);
  const c: KeepalivedConfig = {
    path, files: lexed.files, routerId: null, vrrpVersion: null,
    garp: { masterRepeat: null, masterDelay: null, masterRefresh: null, masterRefreshRepeat: null, interval: null, minGarp: null },
    lvsSyncDaemon: null, instances: [], virtualServers: [], virtualServerGroups: [], problems: lexed.problems,
  };
  const it = new Interpreter(c.problems);
  for (const s of lexed.statements) {
    try {
      switch (s.keyword) {
        case 'global_defs': it.globalDefs(s, c); break;
        case 'vrrp_instance': c.instances.push(it.vrrpInstance(s)); break;
        case 'virtual_server': c.virtualServers.push(it.virtualServer(s)); break;
        case 'virtual_server_group': c.virtualServerGroups.push(it.virtualServerGroup(s)); break;
        case '{': break; // a stray block, already reported
        default:
          if (!it.quiet('root', s)) it.unknownKeyword(s, 'root');
      }
    } catch (e) {
      // Defensive: one odd statement must not lose the rest of the file.
      it.problem(s, 'error', `cannot read '${s.keyword}': ${(e as Error).message}`);
    }
  }
  c.problems.sort((a, b) => (a.file === b.file ? a.line - b.line : c.files.indexOf(a.file) - c.files.indexOf(b.file)));
  return c;
}
