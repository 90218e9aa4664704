#!/usr/bin/env bash
# vrrpscope lab: real keepalived (VRRP only) in Linux network namespaces,
# captured with tcpdump on the lab bridge.
#
#   bash scripts/lab.sh list                      scenarios
#   bash scripts/lab.sh up [SCENARIO]             build the topology only (no keepalived)
#   bash scripts/lab.sh down                      tear everything down (idempotent, never fails)
#   bash scripts/lab.sh record SCENARIO [OUTDIR]  up + play SCENARIO under capture + down
#   bash scripts/lab.sh rebuild SCENARIO [OUTDIR] recompute ground-truth.json + README.md of a recording
#   bash scripts/lab.sh play SCENARIO OUTDIR      play SCENARIO on a lab that is up (tests, demos: see cmd_play)
#
# record writes OUTDIR/vrrp-SCENARIO.pcap and OUTDIR/vrrp-SCENARIO/ (events.jsonl,
# ground-truth.json, README.md, keepalived-d?.log, conf/keepalived-d?.conf, ...).
# OUTDIR defaults to the repository's captures/ directory.
#
# Topology (namespace names carry the prefix $VS_LAB_PREFIX, default "vs-"):
#
#   vs-sw: bridge br0 (no STP, forward_delay 0, multicast snooping off)
#     port p-d1 <-> vs-d1 eth0 10.0.0.11/24  02:00:0a:00:00:0b  keepalived prio 150 MASTER
#     port p-d2 <-> vs-d2 eth0 10.0.0.12/24  02:00:0a:00:00:0c  keepalived prio 100 BACKUP
#     port p-cl <-> vs-cl eth0 10.0.0.50/24  02:00:0a:00:00:32  client (ping to the VIP)
#   VIP 10.0.0.100/24, vrrp_instance VI_1, VRID 51, advert_int 1.
#
# Environment:
#   VS_LAB_PREFIX   namespace prefix (default "vs-"); use different prefixes to run labs in parallel
#   VS_LAB_RUNDIR   state directory (pid files), default /run/vrrpscope-lab/<prefix>
#   VS_LAB_PING_INTERVAL  client ping interval in seconds (default 0.5)
#
# Adding a scenario: write a function sc_<name> (dashes in the name become
# underscores), optionally sc_<name>_topo to change the settings of reset_defaults (IPv6,
# hosts, VRRP version, extra keepalived lines, needed tools) and readme_<name> for its
# README.md, and register it with `scenario <name> "one-line description"` next to the others.
# Building blocks: ka_conf, ka_start, start_d1_master, ka_wait_state/expect_state/not_in_log, ka_sigkill, crash, reboot_back, ka_sigterm,
# ka_reload, port_down/port_up, nft_drop_vrrp_in/nft_clear, ping_start (several per node: TAG),
# wait_dad, cap_start (also starts the neighbour watch of WATCH_NEIGH), mark. Several instances
# (e.g. IPv4 + IPv6): KA_INSTANCES; per-director settings: KA_PRIO, KA_STATE, KA_ADVERT,
# KA_INST_EXTRA, KA_GLOBAL_EXTRA_D. scripts/lab/verify.py checks a recording against its capture.

set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
P=${VS_LAB_PREFIX:-vs-}
if ! [[ $P =~ ^[A-Za-z0-9_.-]{1,24}$ ]]; then
  echo "lab.sh: bad VS_LAB_PREFIX '$P' (letters, digits, _ . - only, at most 24 chars)" >&2
  exit 2
fi
RUN=${VS_LAB_RUNDIR:-/run/vrrpscope-lab/$P}
PING_INTERVAL=${VS_LAB_PING_INTERVAL:-0.5}

# ------------------------------------------------------------------ scenario registry
SCENARIOS=()
declare -A SC_DESC=()
scenario() { SCENARIOS+=("$1"); SC_DESC[$1]=$2; }

scenario failover "VRRPv2 d1 (150, MASTER) / d2 (100): d1 crashes (SIGKILL + port down), d2 takes over after the master-down interval, d1 returns and preempts, d1 stops cleanly (priority-0 advert), d2 takes over after its skew time. Client pings the VIP throughout."
scenario split-brain "VRRPv2 as in failover, then nftables in d2 drops IP protocol 112 (VRRP) on input: d2 no longer hears d1 and also becomes MASTER (two masters, both advertising, GARP war); rule removed, d2 steps down."
scenario v3 "VRRPv3 over IPv4 (vrrp_version 3, max advert interval 100 cs): election, d1 clean stop (priority 0) and restart with preemption."
scenario v3-ipv6 "VRRPv3 over IPv6 (VI_6, VRID 61, VIPs fe80::100 + fd00:10::100, adverts from the link-local address to ff02::12, unsolicited NAs) next to VRRPv3 over IPv4 (VI_1, VRID 51, 10.0.0.100): d1 crash (SIGKILL + port down), d2 takes over, d1 returns and preempts, d1 clean stop. Client pings both VIPs."
scenario unicast "VRRPv2 with unicast_peer (adverts sent to the peer's address, not 224.0.0.18): election, d1 crash (SIGKILL + port down) and return with preemption, d1 clean stop."
scenario mismatch "VRRPv2 auth_type PASS with different passwords (d1 vs-one, d2 vs-two): each discards the other's adverts (invalid passwd), both MASTER; d2's password fixed and reloaded (SIGHUP): d2 steps down."
scenario interval-mismatch "VRRPv2 with advert_int 1 (d1) vs 2 (d2): each discards the other's adverts (advertisement interval mismatch), both MASTER; d2's advert_int fixed and reloaded (SIGHUP): d2 steps down."
scenario link-down "VRRPv2: the master's own interface goes down (ip link set eth0 down in d1, keepalived keeps running): d1 enters FAULT, d2 takes over after the master-down interval; link up: d1 preempts."
scenario ttl "VRRPv2: nftables in d1 rewrites the TTL of its adverts to 64; d2 discards them (invalid TTL/HL) and becomes MASTER too; rule removed: d2 steps down."
scenario garp-variant "VRRPv2 with non-default GARP settings (vrrp_garp_master_repeat 3, vrrp_garp_master_delay 6, vrrp_garp_master_refresh 9, vrrp_garp_master_refresh_repeat 2): d1 master for ~19 s, clean stop, d2 master for ~20 s."
scenario track-weight "VRRPv2, d1 (150, MASTER) tracks a file with weight -60 (track_file): the file is set to 1, d1's effective priority drops to 90 (carried by its next regular advert), d2 (100) discards the lower adverts and takes over after its master-down interval; the file is set back to 0, d1 (150 again) preempts."
scenario preempt-delay "VRRPv2, d1 (150, state BACKUP, preempt_delay 5) / d2 (100): d1 crashes (SIGKILL + port down), d2 takes over; d1 returns, accepts d2's lower-priority adverts for 5 s, then preempts after its master-down interval."
scenario nopreempt "VRRPv2, both state BACKUP, d1 (150) with nopreempt / d2 (100): d1 wins the start-up election, stops cleanly, d2 takes over; d1 restarts and stays BACKUP under the lower-priority master; d2 stops cleanly, d1 takes over."
scenario unicast-peer-down "VRRPv2 with unicast_peer: the backup d2's interface goes down (FAULT); the master d1 keeps its state, but its adverts to d2 go to the stale MAC, then stop on the wire while d1's kernel broadcasts unanswered ARP requests for 10.0.0.12; link up: d2 BACKUP, adverts return."
scenario lossy "VRRPv2: nftables on the bridge (prerouting) drops ~40 % of the VRRP packets at random (numgen random mod 100 < 40), so the capture and both directors miss the same adverts; d2 takes over whenever it misses 3 in a row, d1 preempts back; rule removed."
scenario two-clusters "VRRPv2: two independent keepalived pairs on one link with the same VRID 51 and different VIPs: VI_A d1 (150) / d2 (100) for 10.0.0.100 and VI_B d3 (120) / d4 (90) for 10.0.0.200; each cluster discards the other's adverts (VIP not in the advert), but a master's advert timer is re-armed by every advert for its VRID."
scenario late-start "VRRPv2 as in failover, but the capture starts 8 s after d1 became MASTER (no election in the capture): d1 crashes (SIGKILL + port down), d2 takes over, d1 returns and preempts."
scenario equal-prio "VRRPv2, d1 and d2 both priority 100, state BACKUP: d1 is MASTER, d2 starts and stays BACKUP (no preemption at equal priority); nftables makes d2 deaf to VRRP: d2 becomes MASTER and d1, hearing the same priority from a higher address (10.0.0.12), steps down; rule removed, nothing changes; d2 stops cleanly, d1 takes over."
scenario track-interface "VRRPv2, d1 (150, MASTER) with track_interface on a local veth interface trk0 (peer trk1, both in d1): trk0 goes down, d1 enters FAULT (priority-0 adverts), d2 takes over after its skew time; trk0 up: d1 BACKUP, then preempts."
scenario vmac "VRRPv2 with use_vmac on both directors (the VIP on a macvlan vrrp.51 with MAC 00:00:5e:00:01:33, adverts and GARPs from that MAC): d1 crashes (SIGKILL + port down), d2 takes over, d1 returns and preempts, d1 stops cleanly."
scenario three-routers "VRRPv2 with three routers d1 (150) / d2 (100) / d3 (50): d1 crashes (SIGKILL + port down), d2 (shorter skew) takes over while d3 stays BACKUP; d2 stops cleanly, d3 takes over; d1 returns and preempts d3."
scenario advert-int-3 "VRRPv2 with advert_int 3 on both directors: d1 crashes (SIGKILL + port down), d2 takes over after 3 x 3 s + skew 0.61 s; d1 returns and preempts after 3 x 3 s + 0.41 s; d1 stops cleanly."
scenario loaded-master "VRRPv2, advert_int 1: as soon as d1 is MASTER its keepalived is frozen (SIGSTOP) 1.6 s out of every 2.4 s for 45 s, a host too loaded to keep its timer: its adverts come about every 2.4 s instead of 1 s, under d2's Master_Down_Interval (3.61 s), so d2 stays BACKUP; then d1 runs freely again and stops cleanly."
scenario garp-blocked "VRRPv2 as failover, but the switch drops the gratuitous ARPs d2 sends for the VIP (nftables bridge rule on p-d2, as an ARP inspection would): d1 crashes (SIGKILL + port down), d2 takes over and its 5 + 5 GARPs never reach the wire; the client keeps d1's MAC until its neighbour entry times out."
scenario active-active "VRRPv2, two instances without a sync group: VI_1 (VRID 51, 10.0.0.100) d1 150 MASTER / d2 100, VI_2 (VRID 52, 10.0.0.200) d2 150 MASTER / d1 100: d1 crashes (SIGKILL + port down), d2 takes VRID 51 over after its master-down interval (it already holds 52); d1 returns and preempts VRID 51 only; d2 stops cleanly, d1 takes VRID 52 over after its skew time."
scenario sync-group "VRRPv2, vrrp_sync_group VG1 { VI_1 VI_2 } (VRIDs 51 and 52, VIPs 10.0.0.100 and 10.0.0.200), d1 150 MASTER of both, both instances of d1 track a local interface trk0: trk0 down, the whole group of d1 enters FAULT (priority-0 adverts for both VRIDs), d2 takes both over after its skew time; trk0 up, d1 preempts both; then d1 crashes (SIGKILL + port down) and d2 takes both over after its master-down interval."
scenario fast-advert "VRRPv3 with advert_int 0.25 (25 centiseconds) on both directors: d1 crashes (SIGKILL + port down), d2 takes over after 3 x 0.25 s + skew 0.15 s; d1 returns and preempts; d1 stops cleanly."
scenario garp-refresh-first "VRRPv2 with vrrp_garp_master_refresh 2 (below the default vrrp_garp_master_delay 5; refresh_repeat 1): d1 master for ~12 s, its refresh GARPs (every ~2 s) come before the delayed burst at +5 s; clean stop, d2 master for ~12 s."
scenario vmac-xmit-base "VRRPv2 with use_vmac and vmac_xmit_base on both directors: the VIP on the macvlan vrrp.51 (00:00:5e:00:01:33) but adverts sent on eth0 from the physical MAC; d1 master, clean stop, d2 takes over."
scenario fault-unicast "VRRPv2 with unicast_peer: the master d1's own interface goes down (ip link set eth0 down in d1): FAULT, d2 takes over after the master-down interval; link up: d1 leaves FAULT, sends one GARP for its unicast_src_ip 10.0.0.11, then preempts."
scenario vmac-ipv6 "VRRPv3 over IPv6 with use_vmac on both directors (VI_6, VRID 61, VIPs fe80::100 + fd00:10::100 on a macvlan with MAC 00:00:5e:00:02:3d, adverts and unsolicited NAs from it): d1 master, clean stop, d2 takes over."
scenario routed-traffic "VRRPv2 router pair, no LVS: d1 and d2 route (ip_forward, no ICMP redirects) to 192.168.60.0/24 via a server sv (10.0.0.60, 192.168.60.60 on lo); the client's gateway for it is the VIP. The client fetches http://192.168.60.60:8080/ every 0.5 s (a new TCP connection each), through d1, then through d2 after d1's clean stop: plain routed traffic, each SYN seen twice (client -> router MAC, router -> server MAC, same IP packet), which must not be told as LVS."

# ------------------------------------------------------------------ defaults (per scenario)
reset_defaults() {
  NODES="sw d1 d2 cl"                     # namespaces (without prefix); sw holds the bridge
  HOSTS="d1:10.0.0.11 d2:10.0.0.12 cl:10.0.0.50"   # node:IPv4 (eth0 on br0, /24)
  DIRECTORS="d1 d2"
  IPV6=0                                  # 1: keep IPv6 enabled on every interface
  VIP=10.0.0.100
  VIP_CIDR=10.0.0.100/24
  VRID=51
  ADVERT_INT=1
  VRRP_VERSION=2
  INSTANCE=VI_1                           # the primary instance (VRID, VIP_CIDR above)
  KA_INSTANCES=()                         # all instances as "NAME|VRID|VIP_CIDR[,VIP_CIDR...]"; empty: the primary only
  HOSTS6=""                               # node:IPv6 (eth0, /64) when IPV6=1
  NEEDS=""                                # extra commands the scenario needs (checked before anything starts)
  KA_GLOBAL_EXTRA=""                      # extra global_defs lines (';'-separated)
  declare -gA KA_INST_EXTRA=()            # per director: extra vrrp_instance lines (';'-separated)
  declare -gA KA_PRIO=([d1]=150 [d2]=100)
  declare -gA KA_STATE=([d1]=MASTER [d2]=BACKUP)
  declare -gA KA_ADVERT=()                # per director advert_int override (default ADVERT_INT)
  declare -gA KA_GLOBAL_EXTRA_D=()        # per director extra global_defs lines (';'-separated)
  declare -gA KA_TOP_EXTRA_D=()           # per director extra top-level lines after global_defs, e.g. a track_file block (';'-separated)
  declare -gA KA_INST_D=()                # per director: the instance names (of KA_INSTANCES) it runs, space-separated; unset: all
  declare -gA KA_PRIO_I=()                # per director and instance ("d1:VI_2"): priority override (default KA_PRIO)
  declare -gA KA_STATE_I=()               # per director and instance ("d1:VI_2"): state override (default KA_STATE)
  WATCH_NEIGH=""                          # nodes whose neighbour table changes are logged (neigh-NODE.log)
}

# after the scenario's _topo function: fill in the derived settings
finish_defaults() {
  [ ${#KA_INSTANCES[@]} -gt 0 ] || KA_INSTANCES=("$INSTANCE|$VRID|$VIP_CIDR")
}

# ------------------------------------------------------------------ small helpers
say() { printf '[lab %s] %s\n' "$(date +%T.%3N)" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
ns() { printf '%s%s' "$P" "$1"; }
nsx() { local n=$1; shift; ip netns exec "$P$n" "$@"; }
ipn() { local n=$1; shift; ip -n "$P$n" "$@"; }
now() { printf '%s' "$EPOCHREALTIME"; }          # epoch seconds, microseconds (bash 5)
mac_of() { local a b c d; IFS=. read -r a b c d <<< "$1"; printf '02:00:%02x:%02x:%02x:%02x' "$a" "$b" "$c" "$d"; }
addr_of() { local h; for h in $HOSTS; do [ "${h%%:*}" = "$1" ] && { printf '%s' "${h#*:}"; return 0; }; done; return 1; }
addr6_of() { local h; for h in $HOSTS6; do [ "${h%%:*}" = "$1" ] && { printf '%s' "${h#*:}"; return 0; }; done; return 1; }
json_str() { # json_str STRING -> JSON string literal
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; s=${s//$'\r'/\\r}
  printf '"%s"' "$s"
}
need() { local c; for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "$c not found (apt-get install -y keepalived tcpdump nftables iproute2 jq)"; done; }
ts_lines() { # prefix every stdin line with the epoch time it was read
  local l
  while IFS= read -r l || [ -n "$l" ]; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done
}

# events.jsonl: one line per action of the script
mark() { # mark EVENT [DETAIL]
  printf '{"t": %s, "event": %s, "detail": %s}\n' "$(now)" "$(json_str "$1")" "$(json_str "${2:-}")" >> "$S_DIR/events.jsonl"
  say "MARK $1 ${2:-}"
}

# our namespaces: prefix + a dash-free node name (so prefix "vs-" never matches "vs-a-sw")
our_namespaces() {
  local n rest
  while read -r n _; do
    [ -n "$n" ] || continue
    [[ $n == "$P"* ]] || continue
    rest=${n#"$P"}
    [[ $rest =~ ^[a-z0-9]+$ ]] && printf '%s\n' "$n"
  done < <(ip netns list 2>/dev/null)
  return 0
}

# ------------------------------------------------------------------ topology
topo_check_free() {
  local n
  for n in $NODES; do
    if [ -e "/run/netns/$P$n" ]; then die "namespace $P$n exists; run: bash scripts/lab.sh down"; fi
  done
}

topo_up() {
  local n h a port
  topo_check_free
  mkdir -p "$RUN"
  for n in $NODES; do
    ip netns add "$P$n"
    ipn "$n" link set lo up
    if [ "$IPV6" != 1 ] || [ "$n" = sw ]; then
      # (the switch never needs IPv6: the bridge forwards IPv6 frames anyway, and stays silent)
      nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    else
      # IPv6 on, but no router solicitations (there is no router; only noise in the capture).
      # DAD stays on (default): it is done before the capture starts, see below.
      nsx "$n" sysctl -qw net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0
    fi
  done
  ipn sw link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
  ipn sw link set br0 address 02:01:00:00:00:01
  for h in $HOSTS; do
    n=${h%%:*}; a=${h#*:}; port=p-$n
    # both ends are created directly inside their namespaces: no name clash with parallel labs
    ip link add "$port" netns "$(ns sw)" type veth peer name eth0 netns "$(ns "$n")"
    ipn "$n" link set eth0 address "$(mac_of "$a")"
    ipn sw link set "$port" address "$(mac_of "$a" | sed 's/^02:00/02:01/')"
    ipn "$n" addr add "$a/24" dev eth0
    if [ "$IPV6" = 1 ] && a=$(addr6_of "$n"); then ipn "$n" addr add "$a/64" dev eth0; fi
    ipn "$n" link set eth0 up
    ipn sw link set "$port" master br0 up
  done
  ipn sw link set br0 up
  if [ "$IPV6" = 1 ]; then topo_wait_dad; fi
}

topo_wait_dad() { # wait until no IPv6 address is tentative (DAD done), then let the MLD reports settle
  local n h left
  for _ in $(seq 1 100); do
    left=0
    for h in $HOSTS; do
      n=${h%%:*}
      [ -n "$(ipn "$n" -6 addr show dev eth0 tentative 2>/dev/null)" ] && left=1
    done
    [ $left = 0 ] && break
    sleep 0.1
  done
  [ $left = 0 ] || die "IPv6 DAD did not finish within 10 s"
  sleep 2
}

# down: kill every process in our namespaces, delete them, remove the state dir. Never fails.
down() {
  set +e
  local n p pids=()
  for n in $(our_namespaces); do
    for p in $(ip netns pids "$n" 2>/dev/null); do pids+=("$p"); done
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null
    for _ in $(seq 1 30); do
      local alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null
  fi
  # processes may have been started meanwhile: one more pass
  for n in $(our_namespaces); do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$n" 2>/dev/null
  done
  rm -rf "$RUN" 2>/dev/null
  set -e
  return 0
}

# ------------------------------------------------------------------ keepalived
ka_conf() { # ka_conf NODE [PEER...] -> $S_DIR/conf/keepalived-NODE.conf ; peers given = unicast
  local n=$1; shift
  local l g me peers=("$@") i name vrid vip
  me=$(addr_of "$n")
  {
    echo "# vrrpscope lab ($SCEN): keepalived on $n ($me), generated by scripts/lab.sh"
    echo "global_defs {"
    echo "   router_id $n"
    echo "   # no scripts are configured; root silences the 'default user keepalived_script' warning"
    echo "   script_user root"
    echo "   enable_script_security"
    echo "   vrrp_version $VRRP_VERSION"
    for g in "$KA_GLOBAL_EXTRA" "${KA_GLOBAL_EXTRA_D[$n]:-}"; do
      [ -n "$g" ] || continue
      while IFS= read -r l; do [ -n "$l" ] && echo "   $l"; done <<< "${g//;/$'\n'}"
    done
    echo "}"
    if [ -n "${KA_TOP_EXTRA_D[$n]:-}" ]; then
      echo
      while IFS= read -r l; do [ -n "$l" ] && echo "$l"; done <<< "${KA_TOP_EXTRA_D[$n]//;/$'\n'}"
    fi
    for i in "${KA_INSTANCES[@]}"; do
      IFS='|' read -r name vrid vip <<< "$i"
      if [ -n "${KA_INST_D[$n]:-}" ] && [[ " ${KA_INST_D[$n]} " != *" $name "* ]]; then continue; fi
      echo
      echo "vrrp_instance $name {"
      echo "   state ${KA_STATE_I[$n:$name]:-${KA_STATE[$n]}}"
      echo "   interface eth0"
      echo "   virtual_router_id $vrid"
      echo "   priority ${KA_PRIO_I[$n:$name]:-${KA_PRIO[$n]}}"
      echo "   advert_int ${KA_ADVERT[$n]:-$ADVERT_INT}"
      if [ ${#peers[@]} -gt 0 ]; then
        echo "   unicast_src_ip $me"
        echo "   unicast_peer {"
        for l in "${peers[@]}"; do echo "      $l"; done
        echo "   }"
      fi
      if [ -n "${KA_INST_EXTRA[$n]:-}" ]; then
        while IFS= read -r l; do [ -n "$l" ] && echo "   $l"; done <<< "${KA_INST_EXTRA[$n]//;/$'\n'}"
      fi
      echo "   virtual_ipaddress {"
      for l in ${vip//,/ }; do echo "      $l dev eth0"; done
      echo "   }"
      echo "}"
    done
  } > "$S_DIR/conf/keepalived-$n.conf"
}

ka_start() { # ka_start NODE : keepalived --vrrp in the foreground of a background job, log with epoch prefixes
  local n=$1
  mark keepalived_start "$n priority ${KA_PRIO[$n]} state ${KA_STATE[$n]}"
  # (exec ...) &: the background job *is* keepalived (pid in $!), not a shell waiting for it
  ( exec ip netns exec "$(ns "$n")" keepalived --vrrp -n -l -D -G \
      -f "$S_DIR/conf/keepalived-$n.conf" \
      -p "$RUN/ka-$n.pid" -r "$RUN/ka-$n-vrrp.pid" -c "$RUN/ka-$n-check.pid" \
  ) > >(ts_lines >> "$S_DIR/keepalived-$n.log") 2>&1 < /dev/null &
  echo $! > "$RUN/job-ka-$n"
}

ka_pids() { # all keepalived processes in NODE's namespace
  local p
  for p in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = keepalived ] && printf '%s ' "$p"
  done
  return 0
}

ka_wait_state() { # ka_wait_state NODE STATE TIMEOUT_S [SKIP [INST]] : wait for the log line "(INST) Entering STATE STATE" after line SKIP (INST default: the primary instance)
  local n=$1 st=$2 to=$3 skip=${4:-0} inst=${5:-$INSTANCE}
  for _ in $(seq 1 $((to * 10))); do
    if log_since "$n" "$skip" 2>/dev/null | grep -F "($inst) Entering $st STATE" > /dev/null; then
      return 0
    fi
    sleep 0.1
  done
  die "$n did not enter $st state ($inst) within $to s"
}
log_lines() { if [ -e "$S_DIR/keepalived-$1.log" ]; then wc -l < "$S_DIR/keepalived-$1.log"; else echo 0; fi; }
log_since() { tail -n +"$(($2 + 1))" "$S_DIR/keepalived-$1.log"; }       # log_since NODE SKIP
expect_state() { ka_wait_state "$1" "$2" 1 "$3" "${4:-}"; }              # expect_state NODE STATE SKIP [INST]
not_in_log() { # not_in_log NODE SKIP TEXT : die if TEXT was logged by NODE after line SKIP
  if log_since "$1" "$2" | grep -F -- "$3" > /dev/null; then die "$1 logged '$3' (unexpected)"; fi
}

ka_sigkill() { # hard crash: SIGKILL every keepalived process of NODE at once (no priority-0 advert, VIP stays)
  local n=$1 p
  p=$(ka_pids "$n")
  [ -n "$p" ] || die "no keepalived running in $n"
  mark keepalived_sigkill "$n pids ${p% }"
  # Freeze all of them first: the VRRP child has PR_SET_PDEATHSIG=SIGTERM, so if the parent
  # died first the child could still run its SIGTERM handler and send a priority-0 advert
  # (seen in testing: the backup then took over after 0.6 s instead of 3.6 s).
  # Stopped processes run no handlers; the pending SIGTERM is discarded by SIGKILL.
  # (stderr off: no "Killed ..." job notice from bash)
  # shellcheck disable=SC2086
  { kill -STOP $p; kill -KILL $p; ka_reap "$n"; } 2>/dev/null
}

ka_sigterm() { # clean stop: SIGTERM to the parent -> priority-0 advert, VIP removed
  local n=$1 p
  p=$(cat "$RUN/ka-$n.pid" 2>/dev/null || cat "$RUN/job-ka-$n")
  mark keepalived_sigterm "$n pid $p"
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do [ -z "$(ka_pids "$n")" ] && break; sleep 0.1; done
  ka_reap "$n"
}

ka_reap() {
  local j
  j=$(cat "$RUN/job-ka-$1" 2>/dev/null) || return 0
  wait "$j" 2>/dev/null || true
  rm -f "$RUN/job-ka-$1" "$RUN/ka-$1.pid" "$RUN/ka-$1-vrrp.pid" "$RUN/ka-$1-check.pid"
}

# ------------------------------------------------------------------ capture and client
cap_start() { # tcpdump on br0 inside sw
  # --immediate-mode: without it libpcap (TPACKET_V3) hands packets over in blocks with a 1 s
  # timeout, and the frames of the last block before SIGINT never reach the file (-U only
  # flushes the file per packet)
  ( exec ip netns exec "$(ns sw)" tcpdump -i br0 -n -U --immediate-mode -Z root -w "$PCAP" ) 2> "$S_DIR/tcpdump.log" < /dev/null &
  echo $! > "$RUN/job-tcpdump"
  for _ in $(seq 1 100); do grep -q "listening on" "$S_DIR/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$S_DIR/tcpdump.log" || die "tcpdump did not start: $(cat "$S_DIR/tcpdump.log")"
  mark capture_start "tcpdump -i br0 -U --immediate-mode -w $(basename "$PCAP") in $(ns sw)"
  local n
  for n in $WATCH_NEIGH; do neigh_watch_start "$n"; done
}
cap_stop() {
  local j
  j=$(cat "$RUN/job-tcpdump" 2>/dev/null) || return 0
  mark capture_stop "tcpdump SIGINT"
  kill -INT "$j" 2>/dev/null || true
  wait "$j" 2>/dev/null || true
  rm -f "$RUN/job-tcpdump"
}

ping_start() { # ping_start NODE TARGET [TAG] : continuous ping, log ping-TAG.log (TAG default NODE) with ping's own epoch stamps (-D)
  local tag=${3:-$1}
  mark client_ping_start "$1 ping -i $PING_INTERVAL $2"
  ( exec ip netns exec "$(ns "$1")" ping -D -O -n -i "$PING_INTERVAL" -W 1 "$2" ) > "$S_DIR/ping-$tag.log" 2>&1 < /dev/null &
  echo $! > "$RUN/job-ping-$tag"
}
ping_stop() { # ping_stop TAG
  local j
  j=$(cat "$RUN/job-ping-$1" 2>/dev/null) || return 0
  mark client_ping_stop "$1"
  kill -INT "$j" 2>/dev/null || true
  wait "$j" 2>/dev/null || true
  rm -f "$RUN/job-ping-$1"
}
ping_stop_all() { local f; for f in "$RUN"/job-ping-*; do [ -e "$f" ] && ping_stop "${f##*/job-ping-}"; done; return 0; }

neigh_watch_start() { # log NODE's neighbour table changes (ip monitor neigh), epoch-prefixed, to neigh-NODE.log
  ( exec ip netns exec "$(ns "$1")" ip monitor neigh ) > >(ts_lines >> "$S_DIR/neigh-$1.log") 2>&1 < /dev/null &
  echo $! > "$RUN/job-neigh-$1"
}
neigh_watch_stop_all() {
  local f j
  for f in "$RUN"/job-neigh-*; do
    [ -e "$f" ] || continue
    j=$(cat "$f"); kill -TERM "$j" 2>/dev/null || true; wait "$j" 2>/dev/null || true; rm -f "$f"
  done
  return 0
}

port_down() { mark link_down "$1 switch port p-$1 down (cable pulled / host dead)"; ipn sw link set "p-$1" down; }
port_up() { mark link_up "$1 switch port p-$1 up"; ipn sw link set "p-$1" up; }

start_d1_master() { # configure and start keepalived on d1 and d2 under capture; return once d1 is MASTER
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
}
crash() { # crash NODE : hard crash, the host disappears from the segment with the VIP it still holds
  ka_sigkill "$1"                        # SIGKILL every keepalived process at once: no priority-0 advert
  port_down "$1"
}
reboot_back() { # reboot_back NODE [CIDR...] : NODE's port comes back as after a reboot: the stale VIPs the killed keepalived left on eth0 (default $VIP_CIDR) are gone
  local n=$1 c; shift
  [ $# -gt 0 ] || set -- "$VIP_CIDR"
  mark host_reboot "$n stale VIP $(printf '%s, ' "$@" | sed 's/, $//') removed from eth0 (fresh boot)"
  for c in "$@"; do ipn "$n" addr del "$c" dev eth0 2>/dev/null || true; done
  port_up "$n"
}
nft_drop_vrrp_in() { # nft_drop_vrrp_in NODE : drop incoming IP protocol 112 in NODE
  mark nft_drop_vrrp "$1 nftables: input ip protocol 112 drop"
  nsx "$1" nft -f - <<'EOF'
table inet vslab {
  chain input {
    type filter hook input priority 0; policy accept;
    ip protocol 112 counter drop
    ip6 nexthdr 112 counter drop
  }
}
EOF
}
d1_link_down_up() { # d1_link_down_up HOLD_S : d1's own eth0 down (keepalived keeps running: FAULT), d2 takes over, up HOLD_S later; sets the caller's s1/s2 to d1's/d2's log lines at the link up
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark host_link_down "d1 ip link set eth0 down (inside d1)"
  ipn d1 link set eth0 down
  ka_wait_state d1 FAULT 5 "$s1"
  ka_wait_state d2 MASTER 10 "$s2"
  sleep "$1"
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark host_link_up "d1 ip link set eth0 up (inside d1)"
  ipn d1 link set eth0 up
}
bridge_vrrp_loss() { # bridge_vrrp_loss PCT SECONDS : the switch drops PCT % of VRRP packets at random (before br0 and its capture) for SECONDS
  local pct=$1 secs=$2
  mark nft_loss "sw nftables: bridge prerouting ip protocol 112 numgen random mod 100 < $pct drop (before br0 and its capture)"
  nsx sw nft -f - <<EOF
table bridge vslab_loss {
  chain prerouting {
    type filter hook prerouting priority 0; policy accept;
    ip protocol 112 numgen random mod 100 < $pct counter drop
  }
}
EOF
  sleep "$secs"
  mark nft_clear "sw nftables table bridge vslab_loss deleted ($(nsx sw nft list table bridge vslab_loss | grep -o 'packets [0-9]* bytes [0-9]*') dropped)"
  nsx sw nft delete table bridge vslab_loss
}
nft_clear() { mark nft_clear "$1 nftables table inet vslab deleted"; nsx "$1" nft delete table inet vslab; }

# ------------------------------------------------------------------ scenarios
# Each sc_NAME runs with: S_DIR (output folder), PCAP (capture file), topology up,
# scenario_begin marked. It writes configs, starts the capture, plays, and returns;
# record() then ends the scenario (ping stop, capture stop 1 s later, teardown).

sc_failover() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 6                               # steady state; d1's delayed GARP burst (+5 s) shows here
  # crash of d1: all keepalived processes SIGKILLed and its switch port down, i.e. the host
  # disappears from the segment together with the VIP it still holds
  s2=$(log_lines d2)
  crash d1
  sleep 6                               # d2: master-down interval 3 x 1 s + skew 0.61 s
  expect_state d2 MASTER "$s2"
  if log_since d2 "$s2" | grep -F "priority 0" > /dev/null; then die "d2 saw a priority-0 advert after the SIGKILL of d1"; fi
  # d1 comes back as after a reboot: the stale VIP that the killed keepalived left on eth0 is gone
  reboot_back d1
  s1=$(log_lines d1)
  ka_start d1                           # preempts after ~3.4 s (priority 150 > 100)
  sleep 10
  expect_state d1 MASTER "$s1"
  s2=$(log_lines d2)
  ka_sigterm d1                         # priority-0 advert; d2 takes over after skew 0.61 s
  sleep 7
  expect_state d2 MASTER "$s2"
}

# issue #15: plain routed traffic through the router pair (one-armed: in and out of eth0), no IPVS anywhere
sc_routed_traffic_topo() { NODES="sw d1 d2 cl sv"; HOSTS="d1:10.0.0.11 d2:10.0.0.12 cl:10.0.0.50 sv:10.0.0.60"; NEEDS="python3 curl"; }
sc_routed_traffic() {
  local n s2
  for n in d1 d2; do
    nsx "$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0
    ipn "$n" route add 192.168.60.0/24 via 10.0.0.60
  done
  ipn sv addr add 192.168.60.60/32 dev lo
  ipn cl route add 192.168.60.0/24 via "$VIP"
  mkdir -p "$RUN/www" && echo ok > "$RUN/www/index.html"   # a 3-byte page: the capture stays small
  ( cd "$RUN/www" && exec ip netns exec "$(ns sv)" python3 -m http.server 8080 --bind 192.168.60.60 ) > "$S_DIR/sv-http.log" 2>&1 < /dev/null &
  echo $! > "$RUN/job-sv-http"
  start_d1_master
  sleep 1
  mark client_start "cl: curl http://192.168.60.60:8080/ every 0.5 s, 36 times"
  ( exec ip netns exec "$(ns cl)" sh -c 'for i in $(seq 1 36); do printf "%s " "$(date +%s.%N)"; curl -s -m 2 -o /dev/null -w "%{http_code} %{local_port}\n" http://192.168.60.60:8080/; sleep 0.5; done' ) > "$S_DIR/client.log" 2>&1 < /dev/null &
  echo $! > "$RUN/job-client"
  sleep 10
  s2=$(log_lines d2)
  ka_sigterm d1                         # priority-0 advert; d2 takes over after skew 0.61 s
  sleep 14
  expect_state d2 MASTER "$s2"
  mark client_end "$(wc -l < "$S_DIR/client.log") requests"
}

sc_split_brain_topo() { NEEDS=nft; WATCH_NEIGH=cl; }
sc_split_brain() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 4
  s1=$(log_lines d1); s2=$(log_lines d2)
  nft_drop_vrrp_in d2                    # d2 goes deaf: master-down 3 x 1 s + skew 0.61 s later it is MASTER too
  ka_wait_state d2 MASTER 10 "$s2"
  sleep 10                               # both MASTER: d1 hears d2's lower priority and answers with adverts + GARPs
  not_in_log d1 "$s1" "Entering BACKUP"
  s2=$(log_lines d2)
  nft_clear d2
  ka_wait_state d2 BACKUP 10 "$s2"
  sleep 6
  not_in_log d1 "$s1" "Entering BACKUP"
}

sc_v3_topo() { VRRP_VERSION=3; }
sc_v3() {
  start_d1_master
  ping_start cl "$VIP"
  sleep 4
  ka_sigterm d1
  sleep 5
  ka_start d1
  sleep 8
}

# VRRPv3 for IPv6 (VI_6, VRID 61, fd00:10::100) and IPv4 (VI_1, VRID 51, 10.0.0.100) side by side
vi6_topo() { # VRRPv3 over IPv6: VI_6, VRID 61, fe80::100 + fd00:10::100, hosts on fd00:10::/64
  IPV6=1
  VRRP_VERSION=3
  HOSTS6="d1:fd00:10::11 d2:fd00:10::12 cl:fd00:10::50"
  # RFC 5798 5.2.9: in IPv6 adverts the first address is the virtual router's link-local address
  # (keepalived warns "the first IPv6 VIP address should be link local" otherwise)
  INSTANCE=VI_6; VRID=61; VIP=fd00:10::100; VIP_CIDR=fe80::100/64,fd00:10::100/64
  KA_INSTANCES=("VI_6|61|fe80::100/64,fd00:10::100/64")
  WATCH_NEIGH=cl
}
sc_v3_ipv6_topo() { vi6_topo; KA_INSTANCES+=("VI_1|51|10.0.0.100/24"); }
sc_v3_ipv6() {
  local s1 s2 i
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15 0 VI_6; ka_wait_state d1 MASTER 5 0 VI_1
  ping_start cl fd00:10::100 cl-v6
  ping_start cl 10.0.0.100 cl-v4
  sleep 6                               # the delayed NA/GARP bursts (+5 s) show here
  s2=$(log_lines d2)
  crash d1
  sleep 6
  for i in VI_6 VI_1; do expect_state d2 MASTER "$s2" "$i"; done
  not_in_log d2 "$s2" "priority 0"
  reboot_back d1 fe80::100/64 fd00:10::100/64 10.0.0.100/24
  wait_dad d1                            # carrier back: the kernel redoes DAD for d1's own addresses
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1                            # preempts after its master-down interval (3 x 1 s + skew 0.41 s)
  sleep 8
  for i in VI_6 VI_1; do expect_state d1 MASTER "$s1" "$i"; expect_state d2 BACKUP "$s2" "$i"; done
  s2=$(log_lines d2)
  ka_sigterm d1                          # clean stop: priority-0 adverts for both instances
  sleep 5
  for i in VI_6 VI_1; do expect_state d2 MASTER "$s2" "$i"; done
}
wait_dad() { # wait_dad NODE : until no address of NODE's eth0 is tentative
  for _ in $(seq 1 50); do
    [ -z "$(ipn "$1" -6 addr show dev eth0 tentative 2>/dev/null)" ] && { mark dad_done "$1 IPv6 DAD finished"; return 0; }
    sleep 0.1
  done
  die "$1: IPv6 DAD did not finish"
}

sc_unicast() {
  local s1 s2
  ka_conf d1 "$(addr_of d2)"; ka_conf d2 "$(addr_of d1)"
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 6
  s2=$(log_lines d2)
  crash d1
  sleep 6
  expect_state d2 MASTER "$s2"
  not_in_log d2 "$s2" "priority 0"
  reboot_back d1
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1
  sleep 8
  expect_state d1 MASTER "$s1"; expect_state d2 BACKUP "$s2"
  s2=$(log_lines d2)
  ka_sigterm d1
  sleep 4
  expect_state d2 MASTER "$s2"
}

ka_reload() { # ka_reload NODE WHAT : SIGHUP to keepalived's parent (re-reads conf/keepalived-NODE.conf)
  local p
  p=$(cat "$RUN/ka-$1.pid")
  mark keepalived_reload "$1 pid $p SIGHUP: $2"
  kill -HUP "$p"
}

# same VRID, different PASS passwords: each drops the other's adverts -> two masters; fixed by a reload
sc_mismatch_topo() {
  KA_INST_EXTRA[d1]="authentication {;   auth_type PASS;   auth_pass vs-one;}"
  KA_INST_EXTRA[d2]="authentication {;   auth_type PASS;   auth_pass vs-two;}"
  WATCH_NEIGH=cl
}
sc_mismatch() {
  local s1 s2
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 2
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d2                            # hears only adverts with the wrong password: MASTER after 3 x 1 s + 0.61 s
  ka_wait_state d2 MASTER 10 "$s2"
  sleep 10
  not_in_log d1 "$s1" "Entering BACKUP"
  cp "$S_DIR/conf/keepalived-d2.conf" "$S_DIR/conf/keepalived-d2.initial.conf"
  mark config_fix "d2 conf: auth_pass vs-two -> vs-one"
  sed -i 's/auth_pass vs-two/auth_pass vs-one/' "$S_DIR/conf/keepalived-d2.conf"
  s2=$(log_lines d2)
  ka_reload d2 "auth_pass now vs-one"
  ka_wait_state d2 BACKUP 10 "$s2"
  sleep 6
}

# VRRPv2, advert_int 1 (d1) vs 2 (d2): each drops the other's adverts -> two masters; fixed by a reload
sc_interval_mismatch_topo() { KA_ADVERT[d2]=2; WATCH_NEIGH=cl; }
sc_interval_mismatch() {
  local s1 s2
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 2
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d2                            # master-down interval 3 x 2 s + skew 0.61 s
  ka_wait_state d2 MASTER 12 "$s2"
  sleep 10
  not_in_log d1 "$s1" "Entering BACKUP"
  cp "$S_DIR/conf/keepalived-d2.conf" "$S_DIR/conf/keepalived-d2.initial.conf"
  mark config_fix "d2 conf: advert_int 2 -> 1"
  sed -i 's/advert_int 2/advert_int 1/' "$S_DIR/conf/keepalived-d2.conf"
  s2=$(log_lines d2)
  ka_reload d2 "advert_int now 1"
  ka_wait_state d2 BACKUP 10 "$s2"
  sleep 6
}

# the master's own interface goes down (not a crash): FAULT state, backup takes over, link up: preemption
sc_link_down_topo() { WATCH_NEIGH=cl; }
sc_link_down() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 6
  d1_link_down_up 5
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 6
}

# d1's adverts leave with TTL 64 (nftables mangles its output): d2 discards them ("invalid TTL/HL")
sc_ttl_topo() { NEEDS=nft; WATCH_NEIGH=cl; }
sc_ttl() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 4
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark nft_ttl_set "d1 nftables: output ip protocol 112 ip ttl set 64"
  nsx d1 nft -f - <<'EOF'
table ip vslab_ttl {
  chain output {
    type filter hook output priority 0; policy accept;
    ip protocol 112 counter ip ttl set 64
  }
}
EOF
  ka_wait_state d2 MASTER 10 "$s2"
  sleep 8
  not_in_log d1 "$s1" "Entering BACKUP"
  s2=$(log_lines d2)
  mark nft_clear "d1 nftables table ip vslab_ttl deleted"
  nsx d1 nft delete table ip vslab_ttl
  ka_wait_state d2 BACKUP 10 "$s2"
  sleep 4
}

# non-default GARP timing: 3 per burst, second burst 6 s after the transition, refresh every 9 s (2 GARPs).
# (no vrrp_garp_interval: with it, keepalived 2.2.7 sends at most 2 GARPs per burst whatever the repeat count)
sc_garp_variant_topo() {
  KA_GLOBAL_EXTRA="vrrp_garp_master_repeat 3;vrrp_garp_master_delay 6;vrrp_garp_master_refresh 9;vrrp_garp_master_refresh_repeat 2"
  WATCH_NEIGH=cl
}
sc_garp_variant() {
  local s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 19.3                             # d1: burst at +0, delayed burst at +6, refreshes at +9 and +18
  s2=$(log_lines d2)
  ka_sigterm d1                          # resignation: d2 takes over after its skew time
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 19
}

# ---- scenarios of issue #14 (behaviours the analysis does not model yet)

# d1 tracks a file with weight -60: echo 1 > file lowers its effective priority to 90, below d2's 100
sc_track_weight_topo() {
  KA_TOP_EXTRA_D[d1]="track_file tw_d1 {;   file \"$RUN/track-d1\";   weight -60;   init_file 0 overwrite;}"
  KA_INST_EXTRA[d1]="track_file {;   tw_d1;}"
  WATCH_NEIGH=cl
}
sc_track_weight() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 5
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark track_file_set "d1 echo 1 > $RUN/track-d1 (weight -60: effective priority 150 -> 90)"
  echo 1 > "$RUN/track-d1"
  ka_wait_state d2 MASTER 10 "$s2"
  ka_wait_state d1 BACKUP 5 "$s1"
  sleep 6
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark track_file_clear "d1 echo 0 > $RUN/track-d1 (effective priority back to 150)"
  echo 0 > "$RUN/track-d1"
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 5
}

sc_preempt_delay_topo() { KA_STATE[d1]=BACKUP; KA_INST_EXTRA[d1]="preempt_delay 5"; WATCH_NEIGH=cl; }
sc_preempt_delay() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 4
  s2=$(log_lines d2)
  crash d1
  ka_wait_state d2 MASTER 8 "$s2"
  sleep 3
  reboot_back d1
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1                            # accepts d2's adverts for preempt_delay 5 s, then 3 x 1 s + skew 0.41 s
  ka_wait_state d1 BACKUP 5 "$s1"
  ka_wait_state d1 MASTER 15 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 5
}

sc_nopreempt_topo() { KA_STATE[d1]=BACKUP; KA_STATE[d2]=BACKUP; KA_INST_EXTRA[d1]="nopreempt"; WATCH_NEIGH=cl; }
sc_nopreempt() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 4
  s2=$(log_lines d2)
  ka_sigterm d1                          # priority 0: d2 takes over after its skew time
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 2
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1                            # nopreempt: stays BACKUP under d2 (100)
  ka_wait_state d1 BACKUP 5 "$s1"
  sleep 12
  not_in_log d1 "$s1" "Entering MASTER"
  not_in_log d2 "$s2" "Entering BACKUP"
  s1=$(log_lines d1)
  ka_sigterm d2                          # priority 0: d1 takes over after its skew time
  ka_wait_state d1 MASTER 5 "$s1"
  sleep 4
}

sc_unicast_peer_down_topo() { WATCH_NEIGH="d1 cl"; }
sc_unicast_peer_down() {
  local s1 s2
  ka_conf d1 "$(addr_of d2)"; ka_conf d2 "$(addr_of d1)"
  # a shorter neighbour REACHABLE time on d1 (15..45 s by default): its entry for d2 goes STALE
  # (then DELAY 5 s, 3 unicast probes, FAILED) within the link-down window
  mark sysctl "d1 net.ipv4.neigh.eth0.base_reachable_time_ms=4000 (default 30000)"
  nsx d1 sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=4000
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 5
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark host_link_down "d2 ip link set eth0 down (inside d2)"
  ipn d2 link set eth0 down
  ka_wait_state d2 FAULT 5 "$s2"
  sleep 24                               # d1: adverts to the stale MAC, unicast probes, then broadcast ARP only
  not_in_log d1 "$s1" "Entering"
  s2=$(log_lines d2)
  mark host_link_up "d2 ip link set eth0 up (inside d2)"
  ipn d2 link set eth0 up
  ka_wait_state d2 BACKUP 10 "$s2"
  sleep 8
  not_in_log d1 "$s1" "Entering"
  not_in_log d2 "$s2" "Entering MASTER"
}

sc_lossy_topo() { NEEDS=nft; WATCH_NEIGH=cl; }
sc_lossy() {
  start_d1_master
  ping_start cl "$VIP"
  sleep 3
  bridge_vrrp_loss 40 45
  sleep 6
}

sc_two_clusters_topo() {
  NODES="sw d1 d2 d3 d4 cl"
  HOSTS="d1:10.0.0.11 d2:10.0.0.12 d3:10.0.0.13 d4:10.0.0.14 cl:10.0.0.50"
  DIRECTORS="d1 d2 d3 d4"
  INSTANCE=VI_A; VIP=10.0.0.100; VIP_CIDR=10.0.0.100/24
  KA_INSTANCES=("VI_A|51|10.0.0.100/24" "VI_B|51|10.0.0.200/24")
  KA_INST_D=([d1]=VI_A [d2]=VI_A [d3]=VI_B [d4]=VI_B)
  KA_PRIO=([d1]=150 [d2]=100 [d3]=120 [d4]=90)
  KA_STATE=([d1]=MASTER [d2]=BACKUP [d3]=MASTER [d4]=BACKUP)
  WATCH_NEIGH=cl
}
sc_two_clusters() {
  local d
  for d in $DIRECTORS; do ka_conf "$d"; done
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15 0 VI_A
  ping_start cl 10.0.0.100 cl-a
  sleep 3
  ka_start d3; ka_start d4               # the second pair: same VRID, other VIP
  sleep 6
  ping_start cl 10.0.0.200 cl-b
  sleep 24
}

sc_late_start_topo() { WATCH_NEIGH=cl; }
sc_late_start() {
  local s1 s2
  ka_conf d1; ka_conf d2
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 8                                # the election and both GARP bursts of d1 happen before the capture
  cap_start
  sleep 5
  s2=$(log_lines d2)
  crash d1
  ka_wait_state d2 MASTER 8 "$s2"
  sleep 3
  reboot_back d1
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 5
}

sc_equal_prio_topo() { NEEDS=nft; KA_PRIO=([d1]=100 [d2]=100); KA_STATE=([d1]=BACKUP [d2]=BACKUP); WATCH_NEIGH=cl; }
sc_equal_prio() {
  local s1 s2
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  s2=$(log_lines d2)
  ka_start d2                            # equal priority: a BACKUP never preempts it, whatever the addresses
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 6
  not_in_log d2 "$s2" "Entering MASTER"
  s1=$(log_lines d1); s2=$(log_lines d2)
  nft_drop_vrrp_in d2                    # d2 deaf: MASTER after 3 x 1 s + skew; d1 hears it: same priority, higher address
  ka_wait_state d2 MASTER 10 "$s2"
  ka_wait_state d1 BACKUP 5 "$s1"
  sleep 4
  s2=$(log_lines d2)
  nft_clear d2                           # d1 stays BACKUP (it accepts an equal priority), d2 stays MASTER
  sleep 5
  not_in_log d2 "$s2" "Entering BACKUP"
  s1=$(log_lines d1)
  ka_sigterm d2
  ka_wait_state d1 MASTER 5 "$s1"
  sleep 4
}

sc_track_interface_topo() { KA_INST_EXTRA[d1]="track_interface {;   trk0;}"; WATCH_NEIGH=cl; }
sc_track_interface() {
  local s1 s2
  mark tracked_add "d1 ip link add trk0 type veth peer name trk1; both up (the tracked interface; no dummy module here)"
  ipn d1 link add trk0 type veth peer name trk1
  ipn d1 link set trk1 up
  ipn d1 link set trk0 up
  start_d1_master
  ping_start cl "$VIP"
  sleep 6
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark tracked_down "d1 ip link set trk0 down"
  ipn d1 link set trk0 down
  ka_wait_state d1 FAULT 5 "$s1"
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 5
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark tracked_up "d1 ip link set trk0 up"
  ipn d1 link set trk0 up
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 6
}

sc_vmac_topo() { KA_INST_EXTRA[d1]="use_vmac"; KA_INST_EXTRA[d2]="use_vmac"; WATCH_NEIGH=cl; }
sc_vmac() { # as sc_failover; the reboot also removes the VMAC interface the killed keepalived left behind
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 6
  s2=$(log_lines d2)
  crash d1
  ka_wait_state d2 MASTER 8 "$s2"
  sleep 3
  mark host_reboot "d1 stale VMAC interface vrrp.51 (with VIP $VIP_CIDR) deleted (fresh boot)"
  ipn d1 link del vrrp.51 2>/dev/null || true
  port_up d1
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 6
  s2=$(log_lines d2)
  ka_sigterm d1
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 5
}

sc_three_routers_topo() {
  NODES="sw d1 d2 d3 cl"
  HOSTS="d1:10.0.0.11 d2:10.0.0.12 d3:10.0.0.13 cl:10.0.0.50"
  DIRECTORS="d1 d2 d3"
  KA_PRIO=([d1]=150 [d2]=100 [d3]=50)
  KA_STATE=([d1]=MASTER [d2]=BACKUP [d3]=BACKUP)
  WATCH_NEIGH=cl
}
sc_three_routers() {
  local s1 s2 s3
  ka_conf d1; ka_conf d2; ka_conf d3
  cap_start
  ka_start d1; ka_start d2; ka_start d3
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 4
  s2=$(log_lines d2); s3=$(log_lines d3)
  crash d1
  ka_wait_state d2 MASTER 8 "$s2"          # skew 0.61 s < d3's 0.80 s
  sleep 4
  not_in_log d3 "$s3" "Entering MASTER"
  s3=$(log_lines d3)
  ka_sigterm d2                            # priority 0: d3 takes over after its skew time
  ka_wait_state d3 MASTER 5 "$s3"
  sleep 3
  reboot_back d1
  s1=$(log_lines d1); s3=$(log_lines d3)
  ka_start d1
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d3 BACKUP 5 "$s3"
  sleep 4
}

sc_active_active_topo() {
  KA_INSTANCES=("VI_1|51|10.0.0.100/24" "VI_2|52|10.0.0.200/24")
  KA_PRIO_I=([d1:VI_2]=100 [d2:VI_2]=150)
  KA_STATE_I=([d1:VI_2]=BACKUP [d2:VI_2]=MASTER)
  WATCH_NEIGH=cl
}
sc_active_active() {
  local s1 s2
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15 0 VI_1; ka_wait_state d2 MASTER 15 0 VI_2
  ping_start cl 10.0.0.100 cl-51
  ping_start cl 10.0.0.200 cl-52
  sleep 6
  s2=$(log_lines d2)
  crash d1
  ka_wait_state d2 MASTER 8 "$s2" VI_1      # 3 x 1 s + skew 0.61 s after d1's last advert
  sleep 4
  reboot_back d1
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1                                # preempts VI_1 after 3 x 1 s + 0.41 s; stays BACKUP of VI_2
  ka_wait_state d1 MASTER 10 "$s1" VI_1
  ka_wait_state d2 BACKUP 5 "$s2" VI_1
  sleep 4
  not_in_log d1 "$s1" "(VI_2) Entering MASTER"
  s1=$(log_lines d1)
  ka_sigterm d2                              # priority 0 for VI_2 (and none for VI_1, d2 is its backup)
  ka_wait_state d1 MASTER 5 "$s1" VI_2
  sleep 4
}

sc_sync_group_topo() {
  KA_INSTANCES=("VI_1|51|10.0.0.100/24" "VI_2|52|10.0.0.200/24")
  KA_TOP_EXTRA_D=([d1]="vrrp_sync_group VG1 {;   group {;      VI_1;      VI_2;   };}" [d2]="vrrp_sync_group VG1 {;   group {;      VI_1;      VI_2;   };}")
  KA_INST_EXTRA[d1]="track_interface {;   trk0;}"
  WATCH_NEIGH=cl
}
sc_sync_group() {
  local s1 s2 i
  mark tracked_add "d1 ip link add trk0 type veth peer name trk1; both up (tracked by d1's instances)"
  ipn d1 link add trk0 type veth peer name trk1
  ipn d1 link set trk1 up
  ipn d1 link set trk0 up
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15 0 VI_1; ka_wait_state d1 MASTER 5 0 VI_2
  ping_start cl 10.0.0.100 cl-51
  ping_start cl 10.0.0.200 cl-52
  sleep 6
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark tracked_down "d1 ip link set trk0 down"
  ipn d1 link set trk0 down
  for i in VI_1 VI_2; do ka_wait_state d1 FAULT 5 "$s1" $i; ka_wait_state d2 MASTER 5 "$s2" $i; done
  sleep 5
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark tracked_up "d1 ip link set trk0 up"
  ipn d1 link set trk0 up
  for i in VI_1 VI_2; do ka_wait_state d1 MASTER 10 "$s1" $i; ka_wait_state d2 BACKUP 5 "$s2" $i; done
  sleep 6
  s2=$(log_lines d2)
  crash d1
  for i in VI_1 VI_2; do ka_wait_state d2 MASTER 8 "$s2" $i; done
  sleep 5
}

sc_fast_advert_topo() { VRRP_VERSION=3; ADVERT_INT=0.25; WATCH_NEIGH=cl; }
sc_fast_advert() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 4
  s2=$(log_lines d2)
  crash d1
  ka_wait_state d2 MASTER 5 "$s2"            # 3 x 0.25 s + skew (256 - 100) x 0.25 / 256 = 0.15 s
  sleep 3
  reboot_back d1
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 3
  s2=$(log_lines d2)
  ka_sigterm d1
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 3
}

sc_advert_int_3_topo() { ADVERT_INT=3; WATCH_NEIGH=cl; }
sc_advert_int_3() {
  local s1 s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 7
  s2=$(log_lines d2)
  crash d1
  ka_wait_state d2 MASTER 15 "$s2"         # 3 x 3 s + skew 0.61 s after d1's last advert
  sleep 4
  reboot_back d1
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_start d1                              # 3 x 3 s + skew 0.41 s
  ka_wait_state d1 MASTER 15 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 4
  s2=$(log_lines d2)
  ka_sigterm d1
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 4
}

sc_garp_blocked_topo() { NEEDS=nft; WATCH_NEIGH=cl; }
sc_garp_blocked() {
  local s2
  ka_conf d1; ka_conf d2
  mark nft_bridge_garp_drop "sw: bridge prerouting drops ARP from p-d2 whose sender and target are $VIP (gratuitous ARP for the VIP)"
  nsx sw nft -f - <<EOF
table bridge vslab {
  chain pre {
    type filter hook prerouting priority -300; policy accept;
    iifname "p-d2" arp saddr ip $VIP arp daddr ip $VIP drop
  }
}
EOF
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 7
  s2=$(log_lines d2)
  crash d1
  ka_wait_state d2 MASTER 8 "$s2"
  sleep 12
  nsx sw nft delete table bridge vslab
}

sc_loaded_master_topo() { WATCH_NEIGH=cl; }
sc_loaded_master() {
  local s1 s2 p end
  start_d1_master
  s2=$(log_lines d2)
  ping_start cl "$VIP"
  p=$(ka_pids d1)
  mark host_loaded "d1 keepalived pids ${p% } frozen (SIGSTOP) 1.6 s out of every 2.4 s for 45 s"
  end=$((SECONDS + 45))
  while [ $SECONDS -lt $end ]; do
    # shellcheck disable=SC2086
    kill -STOP $p; sleep 1.6; kill -CONT $p; sleep 0.8
  done
  mark host_unloaded "d1 keepalived runs freely again"
  sleep 4
  not_in_log d2 "$s2" "Entering MASTER"
  s1=$(log_lines d1); s2=$(log_lines d2)
  ka_sigterm d1
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 3
}

# ---- gratuitous ARP scenarios (issue #14 behaviour 8, keepalived-semantics §8.14/§8.21/§8.22)

# refresh (2 s) shorter than the delayed burst (vrrp_garp_master_delay 5, the default): the refresh bursts
# (1 GARP each, vrrp_garp_master_refresh_repeat 1) come before and after the delayed burst of 5
sc_garp_refresh_first_topo() { KA_GLOBAL_EXTRA="vrrp_garp_master_refresh 2"; WATCH_NEIGH=cl; }
sc_garp_refresh_first() {
  local s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 12
  s2=$(log_lines d2)
  ka_sigterm d1                          # priority 0: d2 takes over after its skew time
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 12
}

# use_vmac + vmac_xmit_base: the VIP on the macvlan, adverts on the base interface (physical MAC)
sc_vmac_xmit_base_topo() { KA_INST_EXTRA[d1]="use_vmac;vmac_xmit_base"; KA_INST_EXTRA[d2]="use_vmac;vmac_xmit_base"; WATCH_NEIGH=cl; }
sc_vmac_xmit_base() {
  local s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 7
  s2=$(log_lines d2)
  ka_sigterm d1
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 7
}

# unicast master in FAULT (its own link down: nothing leaves), then back: try_up_instance sends one GARP
# for its unicast_src_ip (vrrp_scheduler.c, PR #1288) before it preempts
sc_fault_unicast_topo() { WATCH_NEIGH="d2 cl"; }
sc_fault_unicast() {
  local s1 s2
  ka_conf d1 "$(addr_of d2)"; ka_conf d2 "$(addr_of d1)"
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 6
  d1_link_down_up 4
  ka_wait_state d1 BACKUP 5 "$s1"
  ka_wait_state d1 MASTER 10 "$s1"
  ka_wait_state d2 BACKUP 5 "$s2"
  sleep 6
}

# use_vmac over IPv6: the virtual MAC is 00:00:5e:00:02:VRID (RFC 5798 §7.3)
sc_vmac_ipv6_topo() { vi6_topo; KA_INST_EXTRA[d1]="use_vmac"; KA_INST_EXTRA[d2]="use_vmac"; }
sc_vmac_ipv6() {
  local s2
  start_d1_master
  ping_start cl "$VIP"
  sleep 7                                # the delayed NA burst (+5 s) shows here
  s2=$(log_lines d2)
  ka_sigterm d1
  ka_wait_state d2 MASTER 5 "$s2"
  sleep 7
}

# ------------------------------------------------------------------ outputs
write_hosts_json() {
  local h n a a6 ll first=1
  {
    printf '{'
    for h in $HOSTS; do
      n=${h%%:*}; a=${h#*:}
      [ $first = 1 ] || printf ', '
      first=0
      printf '"%s": {"namespace": "%s", "interface": "eth0", "ipv4": "%s", "mac": "%s"' "$n" "$(ns "$n")" "$a" "$(mac_of "$a")"
      if [ "$IPV6" = 1 ]; then
        a6=$(addr6_of "$n" || true)
        ll=$(ipn "$n" -6 -o addr show dev eth0 scope link | awk '{sub("/.*", "", $4); print $4; exit}')
        [ -n "$a6" ] && printf ', "ipv6": "%s"' "$a6"
        printf ', "ipv6_link_local": "%s"' "$ll"
      fi
      printf '}'
    done
    printf '}\n'
  } > "$S_DIR/hosts.json"
}

# ground-truth.json: actions (events.jsonl) and the VRRP transitions/GARPs parsed from the keepalived logs
write_ground_truth() {
  local f d i a b c first_t frames=0 insts
  first_t=$(tcpdump -r "$PCAP" -c 1 -tt -n 2>/dev/null | awk 'NR==1{print $1}')
  [ -n "$first_t" ] || first_t=null
  frames=$(tcpdump -r "$PCAP" -n 2>/dev/null | wc -l)
  : > "$STAGE/ka-lines.jsonl"
  for d in $DIRECTORS; do
    f=$S_DIR/keepalived-$d.log
    [ -e "$f" ] || continue
    jq -cR --arg d "$d" '
      capture("^(?<t>[0-9]+\\.[0-9]+) (?<msg>.*)$")? // empty
      | .t |= tonumber | .director = $d
      | .msg |= sub("^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} [0-9]{4}: "; "")' "$f" >> "$STAGE/ka-lines.jsonl"
  done
  # client pings: replies with ping's own -D epoch stamps (log ping-TAG.log, TAG = NODE or NODE-something)
  : > "$STAGE/ping-lines.jsonl"
  for f in "$S_DIR"/ping-*.log; do
    [ -e "$f" ] || continue
    d=${f##*/ping-}; d=${d%.log}
    jq -cR --arg n "$d" 'capture("^\\[(?<t>[0-9.]+)\\] [0-9]+ bytes from (?<from>[^ ]+): icmp_seq=(?<seq>[0-9]+)")? // empty
      | {log: $n, node: ($n | split("-")[0]), t: (.t | tonumber), seq: (.seq | tonumber), from}' "$f" >> "$STAGE/ping-lines.jsonl"
  done
  # neighbour table changes (ip monitor neigh), epoch-prefixed
  : > "$STAGE/neigh-lines.jsonl"
  for f in "$S_DIR"/neigh-*.log; do
    [ -e "$f" ] || continue
    d=${f##*/neigh-}; d=${d%.log}
    jq -cR --arg n "$d" 'capture("^(?<t>[0-9]+\\.[0-9]+) (?<raw>.*)$")? // empty
      | {node: $n, t: (.t | tonumber), raw}' "$f" >> "$STAGE/neigh-lines.jsonl"
  done
  insts=$(for i in "${KA_INSTANCES[@]}"; do
            IFS='|' read -r a b c <<< "$i"
            jq -cn --arg n "$a" --argjson v "$b" --arg c "$c" \
              '($c | split(",")) as $cs | ($cs | map(sub("/.*"; ""))) as $addrs
               | {name: $n, vrid: $v, vip: ([$addrs[] | select(startswith("fe80:") | not)] + $addrs)[0], vips: $addrs, vip_cidrs: $cs,
                  family: (if ($c | test(":")) then "ipv6" else "ipv4" end)}'
          done | jq -cs .)
  jq -n --slurpfile ev "$S_DIR/events.jsonl" --slurpfile ka "$STAGE/ka-lines.jsonl" \
        --slurpfile hosts "$S_DIR/hosts.json" --slurpfile pings "$STAGE/ping-lines.jsonl" \
        --slurpfile neigh "$STAGE/neigh-lines.jsonl" \
        --arg scen "$SCEN" --arg pcap "$(basename "$PCAP")" --arg inst "$INSTANCE" --argjson insts "$insts" \
        --argjson first "$first_t" --argjson frames "$frames" \
        --arg vip "$VIP" --argjson vrid "$VRID" --argjson ver "$VRRP_VERSION" \
        --argjson adv "$(for d in $DIRECTORS; do printf '{"%s": %s}\n' "$d" "${KA_ADVERT[$d]:-$ADVERT_INT}"; done | jq -cs add)" \
        --argjson pint "$PING_INTERVAL" \
        --argjson prio "$(for d in $DIRECTORS; do printf '{"%s": %s}\n' "$d" "${KA_PRIO[$d]}"; done | jq -cs add)" '
    def r3: . * 1000 | round / 1000;
    ($ev | map(select(.event == "scenario_begin")) | .[0].t) as $t0
    | ($ev | map(select(.event == "capture_stop")) | (.[0].t // null)) as $tend
    | def relt: {rel: ((. - $t0) | r3), rel_capture: (if $first == null then null else ((. - $first) | r3) end)};
      def rel: . + (.t | relt);
    ($insts | map(.name)) as $inames
    | ([$insts[].vips[]]) as $vips
    # the line that triggered a transition: the nearest earlier line of the same director (at most
    # 4 lines and 50 ms back) about the same instance or the interface, not itself a state line
    # or VIP/ARP/NA bookkeeping
    | def cause($i; $inst):
        [range($i - 1; ([$i - 5, -1] | max); -1) as $j | $ka[$j]
          | select(.director == $ka[$i].director and ($ka[$i].t - .t) <= 0.05)
          | select(.msg | (contains("(" + $inst + ")") or test("Netlink reports|Kernel is reporting")))
          | select(.msg | test("Entering [A-Z]+ STATE|VIPs|ratuitous|eighbour|Advert on|Assigned address") | not)
          | .msg] | .[0];
    ([range(0; $ka | length) as $i | $ka[$i] | select(.msg | test("\\) Entering (MASTER|BACKUP|FAULT) STATE"))
       | (.msg | capture("\\((?<instance>[^() ]+)\\) Entering (?<state>[A-Z]+) STATE")) as $m
       | {t, director, instance: $m.instance, state: $m.state, source: "log", msg, cause: cause($i; $m.instance)}]
     + [$ev[] | select(.event == "keepalived_sigkill" or .event == "keepalived_sigterm") as $e | $inames[]
       | {t: $e.t, director: ($e.detail | split(" ")[0]), instance: ., state: "STOPPED", source: "events", msg: $e.event, cause: null}]
     | sort_by(.t) | map(rel)) as $tr
    | def timeline($in):
        [reduce ($tr[] | select(.instance == $in)) as $x ({st: {}, cur: null, since: null, out: []};
          .st[$x.director] = $x.state
          | ([.st | to_entries[] | select(.value == "MASTER") | .key] | sort) as $m
          | if $m != .cur then
              (if .cur == null then . else .out += [{from_t: .since, to_t: $x.t, masters: .cur}] end)
              | .cur = $m | .since = $x.t
            else . end)
        | if .cur == null then .out else .out + [{from_t: .since, to_t: $tend, masters: .cur}] end
        # a segment shorter than 20 ms is a handover in progress (a preempting master logs MASTER
        # when it sends its first advert, the old master logs BACKUP when that advert arrives, and
        # with several instances one after the other): it goes to the following segment; then
        # neighbours with the same masters are joined
        | . as $segs
        | reduce range(0; $segs | length) as $i ({out: [], carry: null};
            $segs[$i] as $s
            | if $i < ($segs | length) - 1 and ($s.to_t - $s.from_t) < 0.02 then .carry = (.carry // $s.from_t)
              else .out += [$s + (if .carry != null then {from_t: .carry} else {} end)] | .carry = null end)
        | reduce .out[] as $s ([]; if length > 0 and .[-1].masters == $s.masters then .[-1].to_t = $s.to_t else . + [$s] end)
        | .[]
        | . + {from: ((.from_t - $t0) | r3), to: (if .to_t == null then null else ((.to_t - $t0) | r3) end),
               from_capture: (if $first == null then null else ((.from_t - $first) | r3) end),
               to_capture: (if $first == null or .to_t == null then null else ((.to_t - $first) | r3) end)}];
      ([$ka[] | select(.msg | test("^Sending (gratuitous ARP|unsolicited Neighbour Advert)"; "i"))
        | {t, director, kind: (if (.msg | test("ARP")) then "garp" else "na" end), address: (.msg | split(" ") | .[-1]), msg}]) as $sends
    | {
        scenario: $scen,
        generated_by: "scripts/lab.sh record \($scen)",
        note: "t = epoch seconds (same clock as the capture timestamps); rel = seconds since scenario_begin; rel_capture = seconds since the first captured frame (compare with frame.time_relative). vrrp_transitions with source log are keepalived'"'"'s \"Entering ... STATE\" log lines (cause: the log line just before, same director); STOPPED entries come from the keepalived_sigkill/keepalived_sigterm actions (keepalived logs no state line when it dies). master_timeline (primary instance; master_timelines: every instance) is derived from vrrp_transitions (a segment shorter than 20 ms, i.e. a handover in progress, is merged into the following one) and ends at capture_stop. garp_na_sends: the per-packet log lines of keepalived; garp_na_bursts groups them (same director, kind and address, less than 0.5 s apart).",
        capture: {file: $pcap, first_frame_t: $first, frames: $frames, link_type: "EN10MB (Ethernet)", timestamp_precision: "microsecond", taken_on: "br0 in the switch namespace (promiscuous)"},
        vrrp: {instance: $inst, vrid: $vrid, version: $ver, advert_int: (if ([$adv[]] | unique | length) == 1 then [$adv[]][0] else $adv end),
               vip: $vip, priorities: $prio, instances: $insts},
        hosts: $hosts[0],
        scenario_begin_t: $t0,
        actions: [$ev[] | rel],
        vrrp_transitions: $tr,
        garp_sends: [$sends[] | select(.kind == "garp") | {t, director, msg} | rel],
        garp_na_sends: [$sends[] | rel],
        garp_na_bursts: [$sends | group_by([.director, .kind, .address])[] | sort_by(.t)
          | reduce .[] as $s ([]; if length > 0 and .[-1].last_t + 0.5 > $s.t then .[-1].last_t = $s.t | .[-1].count += 1
                                  else . + [{director: $s.director, kind: $s.kind, address: $s.address, first_t: $s.t, last_t: $s.t, count: 1}] end)
          | .[]] | sort_by(.first_t) | map(. + (.first_t | relt)),
        master_timeline: timeline($inst),
        master_timelines: (reduce $inames[] as $n ({}; .[$n] = timeline($n))),
        # a capture started late: did a director enter MASTER before its first frame (an election the
        # analysis cannot see), and the state of each director per instance when it starts
        capture_starts_after_election: ($first != null and any($tr[]; .t < $first and .state == "MASTER")),
        state_at_capture_start: (if $first == null then null
          else reduce ($tr[] | select(.t < $first)) as $x ({}; .[$x.instance][$x.director] = $x.state) end),
        # track_script/track_file weights: keepalived logs each change of the effective priority of an instance
        effective_priority_changes: [$ka[] | (.msg | capture("^\\((?<instance>[^() ]+)\\) Changing effective priority from (?<from>[0-9]+) to (?<to>[0-9]+)")) as $m
          | {t, director, instance: $m.instance, from: ($m.from | tonumber), to: ($m.to | tonumber), msg} | rel],
        client_pings: [$pings | group_by(.log)[] | sort_by(.seq) | . as $r
          | {node: $r[0].node, log: "ping-\($r[0].log).log", target: $r[0].from, interval_s: $pint, replies: ($r | length), last_seq_answered: $r[-1].seq,
             outages: [range(1; $r | length) | select($r[.].seq - $r[. - 1].seq > 1)
               | {last_reply_seq: $r[. - 1].seq, next_reply_seq: $r[.].seq, unanswered: ($r[.].seq - $r[. - 1].seq - 1),
                  last_reply_t: $r[. - 1].t, next_reply_t: $r[.].t, gap_s: (($r[.].t - $r[. - 1].t) | r3)}
               | . + {last_reply_rel_capture: (if $first == null then null else ((.last_reply_t - $first) | r3) end),
                      next_reply_rel_capture: (if $first == null then null else ((.next_reply_t - $first) | r3) end)}]}]
      }
    | if ($neigh | length) > 0 then
        .client_neighbour_changes = [$neigh[] | select(.raw | sub("^Deleted "; "") | split(" ")[0] as $a | ($vips | index($a)) != null)
          | . + {address: (.raw | sub("^Deleted "; "") | split(" ")[0]),
                 lladdr: ((.raw | capture("lladdr (?<m>[0-9a-f:]+)") | .m) // null),
                 deleted: (.raw | startswith("Deleted"))} | rel]
      else . end' > "$S_DIR/ground-truth.json"
  rm -f "$STAGE/ka-lines.jsonl" "$STAGE/ping-lines.jsonl" "$STAGE/neigh-lines.jsonl"
}

readme_failover() {
  local kav
  kav=$(keepalived --version 2>&1 | sed -n '1s/ *(.*//p')
  sed -e "s/@P@/$P/g" -e "s/@PING@/$PING_INTERVAL/g" -e "s/@KAVER@/$kav/g" <<'EOF'
A real @KAVER@ VRRPv2 failover, recorded with `bash scripts/lab.sh record failover`
(network namespaces on one Linux bridge; every frame was sent by keepalived, ping or the kernel).

## What the capture shows

`vrrp-failover.pcap` (Ethernet, microsecond pcap) was taken with `tcpdump -i br0 -U --immediate-mode` on the
lab bridge inside the switch namespace (promiscuous), so it sees every frame on the segment:

- VRRPv2 adverts (IP protocol 112 to 224.0.0.18 / 01:00:5e:00:00:12, TTL 255) for VRID 51,
  one per second from the current master, auth none, one address 10.0.0.100. They are sent
  from the director's own MAC (no `use_vmac`, so no 00:00:5e:00:01:33 anywhere).
- Gratuitous ARPs (ARP requests for 10.0.0.100 from the new master's MAC to broadcast) on every
  MASTER transition, keepalived's defaults: 5 at once and, if still MASTER then, 5 more 5 s later
  (`vrrp_garp_master_repeat 5`, `vrrp_garp_master_delay 5`, no periodic refresh).
- The client 10.0.0.50 pinging the VIP every @PING@ s, its ARP requests for 10.0.0.100 and
  the answering director, and the outage while nobody holds the VIP.
- IGMPv3 membership reports (join/leave 224.0.0.18) when keepalived opens/closes its VRRP socket,
  and ordinary ARP between the directors and the client.
- Wireshark flags "duplicate use of 10.0.0.100 detected" on the ARP frames: expected, the VIP
  moves between two MACs.

## Hosts

| host | namespace | address | MAC | role |
|---|---|---|---|---|
| d1 | @P@d1 | 10.0.0.11/24 | 02:00:0a:00:00:0b | keepalived, priority 150, `state MASTER` |
| d2 | @P@d2 | 10.0.0.12/24 | 02:00:0a:00:00:0c | keepalived, priority 100, `state BACKUP` |
| cl | @P@cl | 10.0.0.50/24 | 02:00:0a:00:00:32 | client, pings 10.0.0.100 |

The bridge br0 is in @P@sw (no STP, multicast snooping off). VIP 10.0.0.100/24 on eth0 of
the master, `vrrp_instance VI_1`, `virtual_router_id 51`, `advert_int 1`, preempt on (default).
keepalived runs `--vrrp -n -l -D -G` (VRRP only, no checkers). Configs:
`conf/keepalived-d1.conf`, `conf/keepalived-d2.conf`. IPv6 is disabled on all interfaces.
MACs are `02:00` + the IPv4 address in hex.

## Script actions (events.jsonl)

1. Capture starts; keepalived is started on d1 and d2 (`keepalived_start`). Both enter BACKUP
   (init) and d1 wins the election when its master-down timer expires.
2. When d1 logs `Entering MASTER STATE`, the client starts pinging the VIP
   (`client_ping_start`); 6 s of steady state.
3. **Crash of d1** (`keepalived_sigkill`, `link_down`): every keepalived process of d1 gets
   SIGKILL and d1's switch port is set down right after. SIGKILL alone leaves the VIP on d1's
   eth0 (keepalived gets no chance to remove it), so d1's kernel would go on answering the
   pings and ARP for the VIP and hide the outage; taking the port down as well simulates the
   whole host disappearing. No priority-0 advert is sent.
4. 6 s later d1 comes back as after a reboot (`host_reboot`: the stale VIP is deleted from its
   eth0, a freshly booted host would not have it), its port goes up (`link_up`) and keepalived
   starts again (`keepalived_start`).
5. 10 s later keepalived on d1 is stopped cleanly with SIGTERM (`keepalived_sigterm`): it sends
   one advert with priority 0 and removes the VIP.
6. 7 s later the ping stops (`client_ping_stop`, `scenario_end`) and the capture stops 1 s after
   that (`capture_stop`). keepalived on d2 is stopped only after the capture (`teardown`), so
   the capture ends with d2 as master.

## Expected master timeline

| phase | master | on the wire |
|---|---|---|
| start | none, then d1 | both directors silent (BACKUP) for 3 x 1 s + skew; d1 (150, skew (256-150)/256 = 0.41 s) times out first: d1 adverts prio 150, 5 GARPs from 02:00:0a:00:00:0b |
| steady | d1 | client ARPs for 10.0.0.100, d1 answers; pings answered; d1's second GARP burst 5 s after its transition |
| crash | none | d1 silent; no adverts for 3 x 1 s + skew (256-100)/256 = 3.61 s after d1's last advert; pings unanswered |
| takeover | d2 | d2 adverts prio 100, GARPs from 02:00:0a:00:00:0c; pings answered again |
| return | d2, then d1 | d1 restarts in BACKUP, ignores d2's lower-priority adverts (preempt) and takes over after its own master-down interval, 3 + 0.41 = 3.41 s: d1 adverts prio 150 + GARPs; d2 reads the higher priority, goes BACKUP and stops advertising |
| resignation | d1, then d2 | one d1 advert with priority 0; d2 takes over after its skew time 0.61 s: d2 adverts prio 100 + GARPs |

## Other files

`ground-truth.json`: the actions, the VRRP transitions parsed from the keepalived logs
(`keepalived-d1.log`, `keepalived-d2.log`: keepalived's console log, every line prefixed with
the epoch time it was read), the GARP sends keepalived logged, the master timeline derived from
them, and the client's ping outages (from `ping-cl.log`, `ping -D -O` output). Times are epoch
(`t`, the capture's clock), relative to `scenario_begin` (`rel`) and to the first captured frame
(`rel_capture`, comparable with Wireshark's `frame.time_relative`). `hosts.json` lists the
addresses and MACs, `tcpdump.log` is tcpdump's stderr.
EOF
}

# ---- README building blocks for the scenarios below
kav() { keepalived --version 2>&1 | sed -n '1s/ *(.*//p'; }
# shellcheck disable=SC2016  # backquotes are Markdown here
readme_hosts() { # hosts table, topology and keepalived invocation
  local h n a role
  printf '## Hosts\n\n'
  if [ "$IPV6" = 1 ]; then
    printf '| host | namespace | IPv4 | IPv6 (link-local) | MAC | role |\n|---|---|---|---|---|---|\n'
  else
    printf '| host | namespace | address | MAC | role |\n|---|---|---|---|---|\n'
  fi
  for h in $HOSTS; do
    n=${h%%:*}; a=${h#*:}
    if [[ " $DIRECTORS " == *" $n "* ]]; then
      role="keepalived, priority ${KA_PRIO[$n]}, \`state ${KA_STATE[$n]}\`"
      [ -n "${KA_ADVERT[$n]:-}" ] && role+=", \`advert_int ${KA_ADVERT[$n]}\`"
      [ -n "${KA_INST_D[$n]:-}" ] && role+=", instance ${KA_INST_D[$n]}"
    else
      role="client"
    fi
    if [ "$IPV6" = 1 ]; then
      printf '| %s | %s%s | %s/24 | %s/64 (%s) | %s | %s |\n' "$n" "$P" "$n" "$a" "$(addr6_of "$n")" \
        "$(jq -r --arg n "$n" '.[$n].ipv6_link_local' "$S_DIR/hosts.json")" "$(mac_of "$a")" "$role"
    else
      printf '| %s | %s%s | %s/24 | %s | %s |\n' "$n" "$P" "$n" "$a" "$(mac_of "$a")" "$role"
    fi
  done
  printf '\nThe bridge br0 is in %ssw (no STP, multicast snooping off); MACs are `02:00` + the IPv4\n' "$P"
  printf 'address in hex. keepalived (%s) runs `--vrrp -n -l -D -G` (VRRP only, no checkers), configs in\n' "$(kav)"
  printf '`conf/`. %s\n\n' "$(if [ "$IPV6" = 1 ]; then echo "IPv6 is enabled on the hosts (router solicitations off, DAD done before the capture starts)."; else echo "IPv6 is disabled on all interfaces."; fi)"
}
readme_files() {
  cat <<'EOF'
## Other files

`ground-truth.json`: the script's actions (`events.jsonl`), the VRRP transitions parsed from the
keepalived logs (`keepalived-d1.log`, `keepalived-d2.log`: keepalived's console log, each line
prefixed with the epoch time it was read) with the log line that caused each one (`cause`), the
GARP/NA sends keepalived logged and their bursts, the master timeline per instance, the client's
ping outages (`ping-*.log`, `ping -D -O`) and, where recorded, the client's neighbour-table changes
for the VIPs (`neigh-cl.log`, `ip monitor neigh`). Times: epoch `t` (the capture's clock), `rel`
(since `scenario_begin`) and `rel_capture` (since the first captured frame, comparable with
Wireshark's `frame.time_relative`). `hosts.json`: addresses and MACs; `tcpdump.log`: tcpdump's
stderr. The capture was taken with `tcpdump -i br0 -U --immediate-mode` on the lab bridge
(promiscuous, Ethernet, microsecond pcap), so it sees every frame on the segment until
`capture_stop`. `python3 scripts/lab/verify.py captures/<name>` cross-checks the ground truth
against the capture with tshark.
EOF
}
readme_common_capture() { # bullet points every capture shares
  cat <<'EOF'
- IGMPv3 membership reports (join/leave 224.0.0.18) whenever keepalived opens or closes its VRRP
  socket or the interface comes up again, ordinary ARP between the hosts, and the client's pings.
- Wireshark flags "duplicate use of 10.0.0.100 detected" on ARP frames: expected, the VIP moves
  between two MACs.
EOF
}

readme_capture_and_hosts() { readme_common_capture; echo; readme_hosts; }

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_split_brain() {
  printf 'A real %s VRRPv2 split brain, recorded with `bash scripts/lab.sh record split-brain`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

- VRRPv2 adverts (224.0.0.18, TTL 255, VRID 51, auth none, address 10.0.0.100), first from d1
  (priority 150) alone.
- Split brain: nftables in d2 drops every incoming IP protocol 112 packet, so d2 no longer hears d1
  and, 3 x 1 s + skew 0.61 s later, becomes MASTER as well. From then on **both** directors
  advertise VRID 51 (d2 prio 100, d1 prio 150) and both hold 10.0.0.100. d1 still hears d2: for each
  lower-priority advert it logs "Received advert from 10.0.0.12 with lower priority 100, ours 150,
  forcing new election" and answers at once with an advert of its own plus a burst of 5 GARPs, so
  during the split brain d1 sends a GARP burst every second (two bursts, 10 GARPs, in the seconds
  where its +5 s delayed bursts fall as well), while d2 sends its own 5 GARPs on its transition
  and 5 more 5 s later.
- The client's ARP entry for 10.0.0.100 flaps between 02:00:0a:00:00:0b (d1) and
  02:00:0a:00:00:0c (d2) (see `client_neighbour_changes` in ground-truth.json: Linux accepts a
  GARP override only once per `locktime`, 1 s). The pings keep being answered (both directors hold
  the VIP), so there is no outage.
- The rule is removed: d2 hears d1's priority 150, logs "Master received advert from 10.0.0.11
  with higher priority 150, ours 100" and returns to BACKUP (stops advertising, removes the VIP).
  d1 never leaves MASTER; its already queued +5 s GARP bursts still go out after d2 stepped down.
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIP 10.0.0.100/24, `vrrp_instance VI_1`, `virtual_router_id 51`, `advert_int 1`, preempt on.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 and d2; d1 wins the election (BACKUP -> MASTER after 3.41 s).
2. The client pings the VIP every 0.5 s (`client_ping_start`); 4 s of steady state.
3. `nft_drop_vrrp`: in d2, `table inet vslab { chain input { type filter hook input priority 0;
   ip protocol 112 drop; ip6 nexthdr 112 drop } }`. d2 becomes MASTER ~3.6 s later.
4. 10 s of split brain, then `nft_clear` (table deleted): d2 returns to BACKUP at d1's next advert.
5. 6 s later the ping stops and the capture ends 1 s after that.

## Expected master timeline

| phase | master(s) | cause |
|---|---|---|
| start | none, then d1 | initial election (master-down timer of d1 expires first) |
| deaf backup | d1 + d2 | d2's master-down timer expires: it cannot hear d1 (not a real failure) |
| rule removed | d1 | d2 receives a higher-priority advert and steps down |

EOF
  readme_files
}

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_v3_ipv6() {
  printf 'A real %s VRRPv3 failover over IPv6 and IPv4 at once, recorded with `bash scripts/lab.sh record v3-ipv6`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

Two VRRPv3 instances (`vrrp_version 3`, `advert_int 1` = max advert interval 100 centiseconds) run
side by side on the same directors:

- `VI_6`, VRID 61, IPv6: adverts from the director's link-local address (fe80::aff:fe00:b for d1,
  fe80::aff:fe00:c for d2) to ff02::12 (33:33:00:00:00:12), hop limit 255, 2 addresses:
  **fe80::100 first** (RFC 5798 5.2.9: the first IPv6 address is the virtual router's link-local
  address; keepalived warns "the first IPv6 VIP address should be link local" otherwise), then
  fd00:10::100. Instead of GARPs the new master sends unsolicited Neighbor Advertisements (from the
  VIP to ff02::1, Override flag set, Router flag clear, target link-layer option = its own MAC),
  5 per VIP at the transition and 5 per VIP again 5 s later (keepalived's defaults, shared with
  GARP: `vrrp_garp_master_repeat 5`, `vrrp_garp_master_delay 5`). keepalived adds the IPv6 VIPs
  without DAD (no DAD Neighbor Solicitations for them); the kernel sends MLDv2 reports when the
  VIPs' solicited-node groups and ff02::12 are joined.
- `VI_1`, VRID 51, IPv4: VRRPv3 adverts to 224.0.0.18 (TTL 255, no authentication field in v3),
  one address 10.0.0.100, and ordinary GARPs.
- The client 10.0.0.50 / fd00:10::50 pings both fd00:10::100 and 10.0.0.100 every 0.5 s
  (Neighbor Solicitation / ARP for the VIPs, answered by the master).
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIPs: VI_6 fe80::100/64 and fd00:10::100/64, VI_1 10.0.0.100/24; both instances have the same
priorities and start states, preempt on.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 and d2; d1 becomes MASTER of both instances after 3.41 s.
2. The client starts both pings; 6 s of steady state (d1's delayed NA/GARP bursts at +5 s).
3. **Crash of d1** (`keepalived_sigkill`, `link_down`): all keepalived processes of d1 are frozen
   (SIGSTOP) and then killed (SIGKILL), so no priority-0 advert leaks; d1's switch port goes down.
4. d2 becomes MASTER of both instances 3 x 1 s + skew 0.61 s after d1's last adverts.
5. `host_reboot`: the stale VIPs are removed from d1's eth0 (a rebooted host would not have them),
   the port goes up (`link_up`), the script waits until no IPv6 address of d1 is tentative
   (`dad_done`), keepalived starts again on d1: BACKUP, it discards d2's lower-priority adverts
   ("received lower priority (100) advert from fe80::aff:fe00:c - discarding") and preempts when its
   own master-down timer (3.41 s) expires; d2 returns to BACKUP.
6. 8 s later d1 is stopped cleanly (`keepalived_sigterm`): one priority-0 advert per instance,
   VIPs removed; d2 takes over after its skew time (0.61 s).
7. 5 s later both pings stop and the capture ends 1 s after that.

## Expected master timeline (both instances)

| phase | master | cause |
|---|---|---|
| start | none, then d1 | initial election |
| crash | none | d1 silent (SIGKILL + port down), no priority 0 |
| takeover | d2 | master-down timer of d2 expires (master down) |
| return | d1 | preemption (d1 priority 150 > 100) |
| clean stop | none, then d2 | resignation: priority-0 advert from d1, d2 takes over after its skew time |

EOF
  readme_files
}

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_unicast() {
  printf 'A real %s VRRPv2 failover with unicast adverts, recorded with `bash scripts/lab.sh record unicast`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

- VRRPv2 adverts sent by unicast (`unicast_src_ip` = own address, `unicast_peer` = the other
  director): d1 -> 10.0.0.12 and d2 -> 10.0.0.11, to the peer's MAC, still IP protocol 112 and
  TTL 255 (keepalived does not check the TTL of unicast adverts). No 224.0.0.18 and no IGMP joins:
  until d1 becomes MASTER nothing at all is on the wire, so the capture's first frames are d1's ARP
  request for its peer 10.0.0.12 and its first advert (the initial election happened 3.41 s
  earlier; the BACKUP (init) transitions have negative `rel_capture`).
- ARP between the directors (each must resolve its peer before it can send a unicast advert).
- While d1's keepalived is stopped but d1 is up (after the clean stop at the end), d2's unicast
  adverts to 10.0.0.11 are answered by d1's kernel with ICMP Destination unreachable (Protocol
  unreachable), each quoting the VRRP advert (tshark decodes the quoted VRRP header: filter
  `vrrp && !icmp` to see only real adverts).
- GARPs as usual (5 at the transition, 5 more 5 s later).
- The client pings the VIP every 0.5 s; outages while nobody holds it.
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIP 10.0.0.100/24, `vrrp_instance VI_1`, `virtual_router_id 51`, `advert_int 1`, preempt on.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 and d2; d1 becomes MASTER after 3.41 s.
2. The client pings the VIP (`client_ping_start`); 6 s of steady state.
3. **Crash of d1** (`keepalived_sigkill` = SIGSTOP + SIGKILL of all its keepalived processes, then
   `link_down` of its switch port). d2 takes over after 3 x 1 s + skew 0.61 s.
4. 6 s later: `host_reboot` (stale VIP removed from d1), `link_up`, `keepalived_start` d1: BACKUP,
   it preempts after its master-down interval (3.41 s); d2 returns to BACKUP.
5. 8 s later d1 stops cleanly (`keepalived_sigterm`): a priority-0 unicast advert to 10.0.0.12, d2
   takes over after its skew time (0.61 s).
6. 4 s later the ping stops, the capture ends 1 s after that.

## Expected master timeline

| phase | master | cause |
|---|---|---|
| start | (before the capture) d1 | initial election |
| crash | none | d1 silent |
| takeover | d2 | master down (d2's master-down timer) |
| return | d1 | preemption |
| clean stop | none, then d2 | resignation (priority 0) |

EOF
  readme_files
}

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_mismatch() {
  printf 'A real %s VRRPv2 authentication mismatch (dual master), recorded with `bash scripts/lab.sh record mismatch`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

- Both directors use VRID 51 with `authentication { auth_type PASS }` (VRRPv2 auth type 1, the
  password in clear in the advert's 8-byte auth field), but with different passwords: d1
  `vs-one`, d2 `vs-two` (`conf/keepalived-d2.initial.conf`).
- d1 alone first (MASTER). d2 starts, logs `(VI_1) received an invalid passwd!` for every advert
  of d1, and becomes MASTER after 3 x 1 s + 0.61 s. From then on both are MASTER, both hold
  10.0.0.100 and both advertise (d1 prio 150 `vs-one`, d2 prio 100 `vs-two`); d1 logs
  `received an invalid passwd!` for each of d2's adverts and ignores them (no "forcing new
  election", no extra GARPs: a packet with a bad password is discarded before the priority is
  looked at).
- Note the advert timing during the dual master: the two masters are not independent. keepalived
  re-arms a master's advert timer whenever it receives an advert for its VRID, even one it then
  discards (vrrp_scheduler.c: "If we have sent an advert, reset the timer" runs for every packet).
  So the two masters pull each other into the same phase: in most seconds both adverts leave
  within microseconds of each other (they cross on the wire), but whenever one arrives just before
  the other's timer fires, the receiver skips that second; some seconds therefore carry only d1's
  or only d2's advert.
- The fix: d2's config is corrected (`auth_pass vs-one`) and keepalived on d2 reloaded with SIGHUP
  (`keepalived_reload`): d2 sends an advert at once, still with `vs-two`, and ~0.5 ms later, after
  the reload, one with `vs-one`; d1 now accepts that one
  ("Received advert from 10.0.0.12 with lower priority 100, ours 150, forcing new election":
  advert + 5 GARPs), and d2 accepts d1's answer ("Master received advert from 10.0.0.11 with higher
  priority 150, ours 100") and goes BACKUP.
- GARPs: d1 5 + 5 (+5 s) on its transition, d2 5 + 5 on its transition, d1 5 + 5 after the fix.
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIP 10.0.0.100/24, `vrrp_instance VI_1`, `virtual_router_id 51`, `advert_int 1`.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 only; MASTER after 3.41 s; the client starts pinging.
2. 2 s later keepalived starts on d2 (password `vs-two`); it becomes MASTER ~3.6 s later.
3. 10 s of dual master.
4. `config_fix` (d2's conf now has `auth_pass vs-one`), `keepalived_reload` (SIGHUP to d2's
   keepalived): d2 returns to BACKUP within milliseconds.
5. 6 s later the ping stops, the capture ends 1 s after that.

## Expected master timeline

| phase | master(s) | cause |
|---|---|---|
| start | none, then d1 | initial election (d1 alone) |
| d2 starts | d1 + d2 | d2's master-down timer expires: every advert it gets has the wrong password |
| fix | d1 | d2 (reloaded with the right password) receives a higher-priority advert |

EOF
  readme_files
}

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_interval_mismatch() {
  printf 'A real %s VRRPv2 advertisement-interval mismatch (dual master), recorded with `bash scripts/lab.sh record interval-mismatch`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

- VRID 51, VRRPv2, d1 `advert_int 1`, d2 `advert_int 2` (`conf/keepalived-d2.initial.conf`). In
  VRRPv2 the interval is a field of the advert (`Adver Int` 1 vs 2) and RFC 3768 says a packet with
  a different interval MUST be discarded; keepalived does so and logs
  `(VI_1) advertisement interval mismatch mine=2 sec rcv'd=1 sec` (d2) and
  `mine=1 sec rcv'd=2 sec` (d1) for each such advert.
- d1 alone first (MASTER). d2 starts, discards d1's adverts and becomes MASTER after
  3 x 2 s + skew 0.61 s = 6.61 s: one advert (prio 100, `Adver Int 2`) and 5 GARPs. Then d2
  holds 10.0.0.100 and stays MASTER, but **sends no further adverts** until the fix: keepalived
  re-arms a master's advert timer whenever it receives an advert for its VRID, even one it then
  discards (vrrp_scheduler.c: "If we have sent an advert, reset the timer" runs for every
  packet), and d1's adverts every second always come before d2's 2 s timer expires. On the wire
  the second master shows only as that single advert, its GARP bursts (+0 s, +5 s) and the ARP
  replies / client neighbour flips for the VIP; d2 logs the mismatch for each of d1's adverts, d1
  only for d2's two adverts with interval 2 (that one and the one at the reload, below).
- The fix: d2's config gets `advert_int 1`, keepalived on d2 is reloaded (SIGHUP): d2 sends one
  advert still with `Adver Int 2` and ~0.5 ms later, after the reload, one with `Adver Int 1`; d1
  accepts that one ("Received advert from 10.0.0.12 with lower priority
  100, ours 150, forcing new election": advert + 5 GARPs) and d2 steps down to BACKUP on d1's
  higher priority.
- GARPs: 5 + 5 (+5 s) per MASTER transition, and d1's after the fix.
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIP 10.0.0.100/24, `vrrp_instance VI_1`, `virtual_router_id 51`.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 only; MASTER after 3.41 s; the client starts pinging.
2. 2 s later keepalived starts on d2 (`advert_int 2`); MASTER ~6.6 s later.
3. 10 s of dual master.
4. `config_fix` (d2: `advert_int 1`), `keepalived_reload` (SIGHUP): d2 returns to BACKUP.
5. 6 s later the ping stops, the capture ends 1 s after that.

## Expected master timeline

| phase | master(s) | cause |
|---|---|---|
| start | none, then d1 | initial election (d1 alone) |
| d2 starts | d1 + d2 | d2's master-down timer (3 x 2 s + skew) expires: it discards d1's adverts |
| fix | d1 | d2 (reloaded with advert_int 1) receives a higher-priority advert |

EOF
  readme_files
}

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_link_down() {
  printf 'A real %s VRRPv2 master link failure (FAULT state), recorded with `bash scripts/lab.sh record link-down`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

- d1 MASTER, adverts every second, then its own interface goes down (`ip link set eth0 down`
  inside d1; keepalived keeps running). keepalived logs `Netlink reports eth0 down`,
  `(VI_1) Entering FAULT STATE`, `(VI_1) sent 0 priority` and `(VI_1) removing VIPs.` - but the
  priority-0 advert cannot leave a downed interface: **nothing** from d1 is on the wire after its
  last regular advert (no priority 0, no IGMP leave). For the segment this looks exactly like a
  crash.
- d2 becomes MASTER 3 x 1 s + skew 0.61 s after d1's last advert (5 + 5 GARPs); the client's
  pings fail in between.
- d1's link comes back (`ip link set eth0 up`): keepalived logs `Netlink reports eth0 up` and
  `(VI_1) Entering BACKUP STATE` at once; the kernel re-sends its IGMP membership reports for
  224.0.0.18; d1 discards d2's lower-priority adverts ("received lower priority (100) advert from
  10.0.0.12 - discarding") and preempts when its master-down timer (3.41 s) expires: advert prio
  150 + 5 GARPs; d2 reads the higher priority and goes BACKUP.
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIP 10.0.0.100/24, `vrrp_instance VI_1`, `virtual_router_id 51`, `advert_int 1`, preempt on.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 and d2; d1 becomes MASTER after 3.41 s; ping starts.
2. 6 s later `host_link_down`: `ip link set eth0 down` in d1 (not its switch port).
3. The script waits for d1's FAULT and d2's MASTER log lines, then 5 s more.
4. `host_link_up`: `ip link set eth0 up` in d1; the script waits for d1 MASTER / d2 BACKUP, then 6 s.
5. The ping stops, the capture ends 1 s after that.

## Expected master timeline

| phase | master | cause |
|---|---|---|
| start | none, then d1 | initial election |
| link down | none (d1 in FAULT) | d1's interface down: d1 resigns locally, but its priority-0 advert is never sent |
| takeover | d2 | master down (d2's master-down timer) |
| link up | d1 | preemption (d1 BACKUP at once, MASTER 3.41 s later) |

EOF
  readme_files
}

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_ttl() {
  printf 'A real %s VRRPv2 TTL violation (dual master), recorded with `bash scripts/lab.sh record ttl`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

- d1 MASTER with normal adverts (TTL 255). Then nftables in d1 rewrites the TTL of its outgoing
  VRRP packets to 64 (`table ip vslab_ttl { chain output { type filter hook output priority 0;
  ip protocol 112 ip ttl set 64 } }`; the IP header checksum is updated, the packets are
  otherwise unchanged). RFC 3768/5798: a receiver MUST discard adverts whose TTL/hop limit is not
  255. keepalived on d2 logs `(VI_1) invalid TTL/HL. Received 64 and expect 255` for every one of
  them and becomes MASTER after 3 x 1 s + 0.61 s.
- Dual master: d2 advertises (TTL 255, prio 100), d1 keeps advertising with TTL 64 (prio 150).
  d1 accepts d2's valid adverts: "Received advert from 10.0.0.12 with lower priority 100, ours
  150, forcing new election" -> an extra advert (so d1 often sends two adverts within 100 us) and
  5 GARPs each time. d2's own advert timer is re-armed by each (discarded) advert of d1, so d2
  does not advertise every second.
- Both answer ARP for / hold 10.0.0.100; the client's neighbour entry flips (see
  `client_neighbour_changes`).
- The rule is removed: d1's next advert has TTL 255 again, d2 logs "Master received advert from
  10.0.0.11 with higher priority 150, ours 100" and goes BACKUP.
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIP 10.0.0.100/24, `vrrp_instance VI_1`, `virtual_router_id 51`, `advert_int 1`.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 and d2; d1 MASTER after 3.41 s; the client pings.
2. 4 s later `nft_ttl_set` in d1.
3. d2 becomes MASTER ~3.6 s later; 8 s of dual master.
4. `nft_clear`: table deleted in d1; d2 returns to BACKUP at d1's next advert.
5. 4 s later the ping stops, the capture ends 1 s after that.

## Expected master timeline

| phase | master(s) | cause |
|---|---|---|
| start | none, then d1 | initial election |
| TTL 64 | d1 + d2 | d2's master-down timer expires: it discards d1's adverts (TTL != 255) |
| rule removed | d1 | d2 receives a valid higher-priority advert |

EOF
  readme_files
}

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_garp_variant() {
  printf 'A real %s VRRPv2 takeover with non-default GARP settings, recorded with `bash scripts/lab.sh record garp-variant`.\n\n' "$(kav)"
  cat <<'EOF'
## What the capture shows

Both directors have, in `global_defs`:

    vrrp_garp_master_repeat 3           # GARPs per burst at a MASTER transition (default 5)
    vrrp_garp_master_delay 6            # second burst this many s after the transition (default 5)
    vrrp_garp_master_refresh 9          # then a refresh burst every 9 s while MASTER (default: none)
    vrrp_garp_master_refresh_repeat 2   # GARPs per refresh burst (default 1)

so every MASTER period shows: 3 GARPs at the transition (t), 3 at t + 6 s, 2 at t + 9 s, 2 at
t + 18 s, ... (the refresh is checked when an advert is sent, so the refresh bursts come a few ms
late, aligned with the adverts). All GARPs of a burst leave within microseconds
(no `vrrp_garp_interval`).

- d1 is MASTER for ~19 s (bursts at +0, +6, +9, +18), then stops cleanly (priority-0 advert, VIP
  removed), d2 takes over after its skew time and is MASTER for ~20 s (bursts at +0, +6, +9, +18).
- Adverts every second from the master (VRRPv2, VRID 51, prio 150 / 100).
- The client pings the VIP; one reply is lost around the handover.

Not in this capture, found while preparing it: with `vrrp_garp_interval` set (e.g. 0.1),
keepalived 2.2.7 sends at most **2** GARPs per burst whatever `vrrp_garp_master_repeat` says
(tested with repeat 1, 3, 4, 5 and intervals 0.01, 0.1, 0.3: 1, 2, 2, 2 GARPs); the log shows the
same count of "Sending gratuitous ARP" lines.
EOF
  readme_capture_and_hosts
  cat <<'EOF'
VIP 10.0.0.100/24, `vrrp_instance VI_1`, `virtual_router_id 51`, `advert_int 1`.

## Script actions (events.jsonl)

1. Capture starts, keepalived starts on d1 and d2; d1 MASTER after 3.41 s; the client pings.
2. 19.3 s later d1 is stopped with SIGTERM (`keepalived_sigterm`), d2 takes over ~0.61 s later.
3. 19 s later the ping stops, the capture ends 1 s after that.

## Expected master timeline

| phase | master | cause |
|---|---|---|
| start | none, then d1 | initial election |
| d1 stops | none, then d2 | resignation (priority-0 advert), d2 after its skew time |

EOF
  readme_files
}

# ---- README of the issue #14 scenarios: a short explanation, then the keepalived log lines the recording
# relies on, taken from this recording's logs (seconds since the first captured frame)
readme_log_evidence() { # readme_log_evidence ERE : every log line (all directors) matching ERE, in time order
  local re=$1 first end d
  first=$(jq -r '.capture.first_frame_t' "$S_DIR/ground-truth.json")
  end=$(jq -r '[.actions[] | select(.event == "capture_stop") | .t][0] // 1e12' "$S_DIR/ground-truth.json")
  for d in $DIRECTORS; do
    [ -e "$S_DIR/keepalived-$d.log" ] || continue
    # consecutive identical matching lines of one director are counted on the first
    awk -v first="$first" -v end="$end" -v d="$d" -v re="$re" '
      function flush() { if (n) printf "%.3f\t%s\t%s\t%d\t%s\n", t0 - first, d, prev, n, (t0 > end ? " (after the capture)" : ""); n = 0 }
      { t = $1; m = $0; sub(/^[0-9.]+ [A-Z][a-z][a-z] [A-Z][a-z][a-z] +[0-9]+ [0-9:]+ [0-9]+: /, "", m)
        if (m !~ re || m ~ /max_auto_priority/) next
        if (n && m == prev) { n++; next }
        flush(); prev = m; t0 = t; n = 1 }
      END { flush() }' "$S_DIR/keepalived-$d.log"
  done | sort -s -g -k1,1 | awk -F'\t' '{ printf "- %s s %s: `%s`%s%s\n", $1, $2, $3, ($4 > 1 ? " (" $4 " times in a row)" : ""), $5 }'
  printf '\n'
}
readme_issue14() { # readme_issue14 TEXT ERE
  # shellcheck disable=SC2016  # backquotes are Markdown here
  printf 'A real %s recording of the lab scenario `%s` (issue #14), made with `bash scripts/lab.sh record %s`.\n\n' "$(kav)" "$SCEN" "$SCEN"
  printf '%s\n\n## What the capture shows\n\n%s\n\n' "${SC_DESC[$SCEN]}" "$1"
  readme_hosts
  printf '## keepalived log lines this recording relies on\n\n'
  printf 'Seconds since the first captured frame, director, the line as keepalived logged it (consecutive identical lines counted).\n'
  printf 'The ground truth (vrrp_transitions, master_timeline) is built from the `Entering ... STATE` lines and the script'"'"'s kill actions.\n\n'
  readme_log_evidence "$2"
  readme_files
}
KEY_LOG='Entering (MASTER|BACKUP|FAULT) STATE|priority|preempt|Netlink reports|timeout|not present in MASTER advert|^Stopping$'

# shellcheck disable=SC2016  # backquotes are Markdown here
readme_track_weight() {
  readme_issue14 '- d1 (`priority 150`, `state MASTER`) has `track_file tw_d1 { file ".../track-d1"; weight -60; init_file 0 overwrite }`
  and `track_file { tw_d1 }` in its instance. Writing 1 to the file makes keepalived log
  `(VI_1) Changing effective priority from 150 to 90`; **no advert is sent for the change**, the next
  regular advert (<= 1 s later) carries priority 90.
- d2 (100) discards the lower-priority adverts (`received lower priority (90) advert from 10.0.0.11 -
  discarding`): its master-down timer is not reset, so it becomes MASTER 3 x 1 s + skew 0.61 s after the
  last advert it accepted (the last one with priority 150). Its first advert (priority 100) makes d1 log
  `Master received advert from 10.0.0.12 with higher priority 100, ours 90` and go BACKUP at once (no
  priority-0 advert).
- Writing 0 restores priority 150 (`Changing effective priority from 90 to 150`). d1, BACKUP, now
  discards d2'"'"'s priority-100 adverts and preempts 3 x 1 s + skew 0.41 s after the last one it accepted.
  On the wire the only sign of the weight is the advertised priority of d1 (150 -> 90 -> 150).' \
    "$KEY_LOG|Changing effective priority"
}
# shellcheck disable=SC2016
readme_preempt_delay() {
  readme_issue14 '- d1 (`priority 150`, `state BACKUP`, `preempt_delay 5`) wins the start-up election (no adverts are heard,
  so the delay plays no part), then crashes (SIGKILL + its switch port down): d2 takes over after 3 x 1 s +
  skew 0.61 s.
- d1 comes back: `(VI_1) start preempt delay (5.000000)` at the first lower-priority advert it receives;
  for 5 s it accepts d2'"'"'s priority-100 adverts (its master-down timer is reset by each), then logs
  `received lower priority (100) advert from 10.0.0.12 - discarding` and becomes MASTER 3 x 1 s + skew 0.41 s
  after the last advert it accepted, i.e. about 8.4 s after its first advert from d2 instead of 3.4 s.
  d2 reads priority 150 and goes BACKUP.' \
    "$KEY_LOG"
}
# shellcheck disable=SC2016
readme_nopreempt() {
  readme_issue14 '- Both directors are `state BACKUP`; d1 (150) has `nopreempt`, d2 (100) does not. d1 wins the start-up election
  (nobody advertises, its skew is shorter).
- d1 stops cleanly (SIGTERM: priority-0 advert), d2 takes over after its skew time (0.61 s).
- d1 restarts: BACKUP (init), and with `nopreempt` it accepts the lower-priority adverts of d2: no
  `received lower priority ... discarding` line, no takeover, for the 12 s it runs beside d2.
- d2 stops cleanly: d1 takes over after its skew time (0.41 s).
  On the wire: a lower-priority master (d2, 100) advertising for 12+ s while a higher-priority router (d1,
  150) is present but silent; nothing on the wire shows d1 exists, except its IGMP report and ARP.' \
    "$KEY_LOG"
}
# shellcheck disable=SC2016
readme_unicast_peer_down() {
  readme_issue14 '- Unicast VRRP (`unicast_src_ip` + `unicast_peer`), d1 MASTER (150), d2 BACKUP (100). d1'"'"'s
  `net.ipv4.neigh.eth0.base_reachable_time_ms` is 4000 (default 30000), so that its neighbour entry for d2
  leaves REACHABLE within the window (`neigh-d1.log`, `ip monitor neigh` in d1).
- `ip link set eth0 down` in d2: `Netlink reports eth0 down`, `(VI_1) Entering FAULT STATE` (a BACKUP in FAULT
  sends nothing). **d1 logs nothing and stays MASTER throughout** (keepalived never looks at neighbour
  state; `sendmsg` succeeds).
- On the wire from d1: adverts to d2'"'"'s old MAC while its entry is REACHABLE/STALE/DELAY, 3 unicast ARP
  probes (PROBE), then FAILED: from then on **no adverts from d1 on the wire**, only broadcast
  `who-has 10.0.0.12 tell 10.0.0.11` ARP requests (3 per resolution attempt, 1 s apart), unanswered; the
  adverts die in the neighbour queue. The client'"'"'s pings of the VIP go on being answered by d1.
- `ip link set eth0 up` in d2: `Netlink reports eth0 up`, `Entering BACKUP STATE`; d2 sends one GARP for its
  own `unicast_src_ip` 10.0.0.12 (leaving FAULT, `try_up_instance`), d1'"'"'s next ARP request is answered and
  the queued adverts leave in a burst, then one per second again. d2 never becomes MASTER.' \
    "$KEY_LOG"
}
# shellcheck disable=SC2016
readme_lossy() {
  readme_issue14 '- nftables in the switch namespace: `table bridge vslab_loss { chain prerouting { type filter hook prerouting
  priority 0; ip protocol 112 numgen random mod 100 < 40 counter drop } }`. The bridge prerouting hook runs
  before the frame reaches br0, so **the capture misses exactly the VRRP frames that were dropped** (for
  every receiver: both directors and the capture see the same loss). The count dropped is in the
  `nft_clear` action of events.jsonl.
- Adverts from d1 arrive irregularly (gaps of 2, 3 s...). Whenever d2 misses enough in a row that 3 x 1 s +
  skew 0.61 s pass without an accepted advert, it becomes MASTER (dual master, d1 never leaves MASTER):
  d1 answers d2'"'"'s lower-priority advert with `Received advert from 10.0.0.12 with lower priority 100,
  ours 150, forcing new election` (an immediate advert + GARPs, which may be dropped too), and d2 goes back to
  BACKUP at the first advert of d1 it receives (`Master received advert from 10.0.0.11 with higher
  priority 150, ours 100`). The number and times of these spurious takeovers are random: the logs below
  are the truth for this recording. A takeover'"'"'s first advert may itself be dropped, so
  `scripts/lab/verify.py` can report a MASTER line without an advert on the wire: that is the loss, not a
  fault of the recording.' \
    "$KEY_LOG"
}
# shellcheck disable=SC2016
readme_two_clusters() {
  readme_issue14 '- Four directors on one segment, two independent pairs with the **same VRID 51**: `VI_A` d1 (150, MASTER) /
  d2 (100) for 10.0.0.100, and `VI_B` d3 (120, MASTER) / d4 (90) for 10.0.0.200. Pair A starts first; pair B
  starts a few seconds later.
- Each keepalived discards the other pair'"'"'s adverts: `(VI_x) ip address associated with VRID 51 not present
  in MASTER advert: <own VIP>` for every advert of the other pair.
- But a MASTER re-arms its own advert timer on every packet of its VRID, even one it then discards
  (keepalived-semantics.md §5): the two masters d1 and d3 silence each other in turns, so a backup of
  one pair sometimes hears no valid advert of its own master for 3 x 1 s + skew and becomes MASTER for a
  few ms (d2 or d4 `Entering MASTER STATE`, its advert makes its own master answer `Received advert from
  ... with lower priority ..., forcing new election`, and it goes back to BACKUP at once). On the wire: two
  advertisers on VRID 51 with different priorities and different VIPs, both "masters" at once, plus
  the short-lived third/fourth ones. The ground truth has one master timeline per instance (VI_A, VI_B);
  the short MASTER periods of d2/d4 (< 20 ms) are in vrrp_transitions but merged out of the timelines.' \
    "$KEY_LOG"
}
# shellcheck disable=SC2016
readme_late_start() {
  readme_issue14 '- As `failover`, but **the capture starts about 8 s after d1 became MASTER**: the start-up election and both of
  d1'"'"'s GARP bursts happen before the first captured frame. ground-truth.json says so:
  `capture_starts_after_election: true` and `state_at_capture_start` (d1 MASTER, d2 BACKUP); the
  transitions before the capture have a negative `rel_capture` (`scripts/lab/verify.py` reports them, and the
  GARP bursts before the capture, as not on the wire: expected).
- In the capture: d1 advertising (150), then d1 crashes (SIGKILL + port down), d2 takes over after
  3 x 1 s + skew 0.61 s, d1 returns and preempts after 3 x 1 s + skew 0.41 s.' \
    "$KEY_LOG"
}
# shellcheck disable=SC2016
readme_equal_prio() {
  readme_issue14 '- Both directors `priority 100`, `state BACKUP`. d1 starts first and becomes MASTER; d2 starts and stays BACKUP:
  **a BACKUP never preempts an equal-priority master**, even from a higher address (it accepts `>=`).
- nftables in d2 drops incoming VRRP: d2 no longer hears d1 and becomes MASTER 3 x 1 s + skew 0.61 s
  later. d1 hears d2'"'"'s first advert: `Master received advert from 10.0.0.12 with same priority 100 but
  higher IP address than ours` and goes BACKUP at once (the address tie-break applies in MASTER state only).
- The rule is removed: nothing changes (d1 BACKUP accepts d2'"'"'s equal priority).
- d2 stops cleanly (priority 0): d1 takes over after its skew time.' \
    "$KEY_LOG"
}

# shellcheck disable=SC2016
readme_track_interface() {
  readme_issue14 '- d1 (`priority 150`, `state MASTER`) has `track_interface { trk0 }`, a veth interface (peer trk1, both in d1)
  made up before keepalived starts. `ip link set trk0 down`: keepalived logs `Netlink reports trk0 down` and
  `(VI_1) Entering FAULT STATE`; unlike a link-down of eth0, its adverts can still leave: a master entering
  FAULT sends priority-0 adverts (keepalived-semantics.md §5: two from 2.2.7, one in
  `vrrp_state_leave_master`, one in `vrrp_restore_interface`), removes the VIP, and d2 takes over after its
  skew time (0.61 s). In this recording d1 logs `(VI_1) sent 0 priority` **once**, d2 logs `(VI_1) Backup
  received priority 0 advertisement` **twice**, and the wire has two priority-0 adverts from 10.0.0.11 2 ms
  apart.
- `ip link set trk0 up`: d1 `Entering BACKUP STATE`, discards d2'"'"'s lower-priority adverts and preempts
  3 x 1 s + skew 0.41 s later.' \
    "$KEY_LOG|trk0"
}
# shellcheck disable=SC2016
readme_vmac() {
  readme_issue14 '- Both directors have `use_vmac`: keepalived creates a macvlan `vrrp.51` on eth0 with the virtual router MAC
  **00:00:5e:00:01:33** (RFC 3768 §7.3) and puts the VIP there. Adverts are sent on it (source MAC
  00:00:5e:00:01:33, source IP the director'"'"'s own address 10.0.0.11 / 10.0.0.12), GARPs come from the vMAC
  (`Sending gratuitous ARP on vrrp.51 for 10.0.0.100`), and the client'"'"'s ARP entry for the VIP never changes MAC:
  after a failover only the bridge relearns which port has 00:00:5e:00:01:33.
- The actions are those of `failover`: start, d1 MASTER; d1 crashes (SIGKILL + port down), d2 takes over after
  3 x 1 s + skew 0.61 s; d1 returns (the VMAC interface the killed keepalived left is deleted, as after a
  reboot) and preempts; d1 stops cleanly (priority 0), d2 takes over after its skew time.
- The client'"'"'s neighbour entry for the VIP flips between the vMAC and the master'"'"'s physical MAC
  (`neigh-cl.log`): only the VIP and its GARPs are on the macvlan; the master'"'"'s own packets from the VIP (its
  ARP request `Who has 10.0.0.50? Tell 10.0.0.100`, its echo replies) leave from eth0 with its physical MAC, until
  the next GARP moves the entry back (vrrpscope: `arp.vmac-real-mac`).
- At d1'"'"'s return to MASTER (19.79 s) the wire has 10 gratuitous-looking ARPs from 00:00:5e:00:01:33 within 70 us
  where d1 logged 5: the other 5 are ARP *replies* (sender and target 10.0.0.100, to 00:00:5e:00:01:33) from d2,
  still MASTER with the VIP on its own vrrp.51 for 2 ms, answering d1'"'"'s GARP requests; both use the same MAC, so
  only the opcode tells them apart. `scripts/lab/verify.py` counts all 10.' \
    "$KEY_LOG|vrrp\\.51|VMAC|vmac"
}
# shellcheck disable=SC2016
readme_three_routers() {
  readme_issue14 '- Three directors on one VRID: d1 (150, MASTER), d2 (100), d3 (50).
- d1 crashes (SIGKILL + port down): d2 and d3 both time out on their own master-down timers, d2 first
  (3 x 1 s + 0.61 s vs 3 x 1 s + 0.80 s); d2'"'"'s first advert resets d3'"'"'s timer, d3 stays BACKUP.
- d2 stops cleanly (priority 0): d3 takes over after its skew time (0.80 s).
- d1 returns and preempts d3 (priority 150 > 50) after 3 x 1 s + skew 0.41 s.' \
    "$KEY_LOG"
}
# shellcheck disable=SC2016
readme_advert_int_3() {
  readme_issue14 '- Both directors `advert_int 3`: adverts every 3 s, Master_Down_Interval 3 x 3 s + skew (VRRPv2: the skew
  stays (256 - priority)/256 s whatever the interval): 9.61 s for d2, 9.41 s for d1.
- d1 crashes (SIGKILL + port down): d2 becomes MASTER 9.61 s after d1'"'"'s last advert. d1 returns and preempts
  9.41 s after it starts (it discards d2'"'"'s lower-priority adverts). d1 stops cleanly: d2 takes over after
  0.61 s.' \
    "$KEY_LOG"
}

readme_active_active() {
  readme_issue14 '- Two VRRP instances on one link, no sync group: d1 is MASTER of VRID 51 (VIP 10.0.0.100), d2 of VRID 52
  (VIP 10.0.0.200); each is the other'"'"'s BACKUP at priority 100.
- d1 crashes (SIGKILL + port down): d2 becomes MASTER of VRID 51 3.61 s after d1'"'"'s last advert and stays MASTER of 52.
  d1 returns and preempts VRID 51 only (3.41 s after it starts); it stays BACKUP of VRID 52. d2 stops cleanly
  (priority 0 for VRID 52 only): d1 takes VRID 52 over after its skew time (0.61 s).' \
    "$KEY_LOG"
}

readme_sync_group() {
  readme_issue14 '- `vrrp_sync_group VG1 { VI_1 VI_2 }` on both directors: VRIDs 51 and 52 change state together. d1 (150) is
  MASTER of both; its VI_1 and VI_2 track a local veth trk0.
- trk0 down: d1'"'"'s group enters FAULT (priority-0 adverts for both VRIDs), d2 takes both over after its skew
  time; trk0 up: d1 preempts both after its master-down interval. d1 crashes (SIGKILL + port down): d2 takes both
  over after its master-down interval.' \
    "$KEY_LOG"
}

readme_fast_advert() {
  readme_issue14 '- VRRPv3, `advert_int 0.25` on both directors: adverts every 250 ms (max advert interval 25 cs), Master_Down_Interval
  3 x 0.25 s + skew ((256 - priority) x 0.25 / 256 s): 0.90 s for d2, 0.84 s for d1.
- d1 crashes (SIGKILL + port down), d2 takes over; d1 returns and preempts; d1 stops cleanly, d2 takes over after its skew.' \
    "$KEY_LOG"
}

readme_garp_blocked() {
  readme_issue14 '- An nftables rule in the switch namespace (bridge family, prerouting, `iifname "p-d2" arp saddr ip 10.0.0.100
  arp daddr ip 10.0.0.100 drop`) drops every gratuitous ARP d2 sends for the VIP before the bridge (and the
  capture on br0) sees it; d1'"'"'s GARPs pass. d1 becomes MASTER and announces the VIP; d1 crashes (SIGKILL + port
  down); d2 becomes MASTER 3.61 s after d1'"'"'s last advert and logs its GARP bursts, none of which is on the wire.
  The client goes on sending to d1'"'"'s MAC until its neighbour entry goes stale and it asks again.' \
    "$KEY_LOG|gratuitous"
}

readme_loaded_master() {
  readme_issue14 '- d1 becomes MASTER; from then on a loop in the script freezes all its keepalived processes (SIGSTOP)
  for 1.6 s and lets them run (SIGCONT) for 0.8 s, 45 s long (marks host_loaded / host_unloaded in events.jsonl).
  Each time it runs again its overdue advert timer fires at once: adverts about every 2.4 s while carrying
  advert_int 1. d2 hears one before its Master_Down_Interval (3 x 1 s + 0.61 s) runs out and stays BACKUP
  (its log has no transition then). Then d1 stops cleanly and d2 takes over after its skew time.' \
    "$KEY_LOG"
}

# shellcheck disable=SC2016
readme_garp_refresh_first() {
  readme_issue14 '- Both directors have `vrrp_garp_master_refresh 2` in `global_defs` (the rest default: `vrrp_garp_master_repeat 5`,
  `vrrp_garp_master_delay 5`, `vrrp_garp_master_refresh_repeat 1`). keepalived 2.2.7 arms the refresh timer when it
  enters MASTER (`vrrp_state_become_master`: now + refresh) and sends the refresh with the first advert after it
  expires (`vrrp_state_master_tx`), then re-arms it from then; the delayed burst is a separate timer thread at
  + `vrrp_garp_master_delay` (`vrrp_gratuitous_arp_thread`). So each MASTER period shows 5 GARPs at the takeover,
  1 GARP at about +2 s and +4 s (refreshes), the 5 of the delayed burst at +5 s, then 1 GARP about every 2 s.
  (From keepalived 2.3.2 the first refresh is a timer at `vrrp_garp_master_delay` + refresh, so a refresh never
  comes before the delayed burst.)
- d1 is MASTER for ~13 s, stops cleanly (priority 0), d2 takes over after its skew time and is MASTER ~14 s.' \
    "$KEY_LOG|gratuitous"
}
# shellcheck disable=SC2016
readme_vmac_xmit_base() {
  readme_issue14 '- Both directors have `use_vmac` and `vmac_xmit_base`: the VIP is on the macvlan `vrrp.51` (MAC
  00:00:5e:00:01:33), but adverts are sent on the base interface eth0, **from the physical MAC** (02:00:0a:00:00:0b /
  0c) with the director'"'"'s own address as source. The GARPs come from the virtual MAC (`Sending gratuitous ARP
  on vrrp.51`).
- The master'"'"'s own IP traffic leaves from its physical MAC too: its echo replies from the VIP, and its ARP
  request for the client (`Who has 10.0.0.50? Tell 10.0.0.100`, sender MAC 02:00:0a:00:00:0b), which moves the
  client'"'"'s entry for the VIP to the physical MAC until the delayed GARP burst moves it back (`neigh-cl.log`).
- d1 MASTER, then stops cleanly (priority 0); d2 takes over after its skew time.' \
    "$KEY_LOG|vrrp\\.51|VMAC|vmac"
}
# shellcheck disable=SC2016
readme_fault_unicast() {
  readme_issue14 '- Unicast VRRP (`unicast_src_ip` + `unicast_peer`), d1 MASTER (150), d2 BACKUP (100).
- `ip link set eth0 down` in d1: `Netlink reports eth0 down`, `(VI_1) Entering FAULT STATE`, `(VI_1) sent 0 priority`,
  but nothing leaves d1 (its interface is down, so the priority-0 adverts never reach the wire). d2 takes over after its Master_Down_Interval (3 x 1 s + 0.61 s).
- `ip link set eth0 up` in d1: `Netlink reports eth0 up`, `Entering BACKUP STATE`, then
  `VI_1: sending gratuitous ARP for 10.0.0.11`: **one GARP for its own `unicast_src_ip`** (from its physical MAC),
  which keepalived sends when a unicast instance leaves FAULT so that the master re-learns its MAC at once
  (`vrrp_scheduler.c:try_up_instance`, PR #1288). d1 then discards d2'"'"'s lower-priority adverts and preempts
  after its own Master_Down_Interval (3 x 1 s + 0.41 s).' \
    "$KEY_LOG|gratuitous ARP for 10\\.0\\.0\\.1[12]"
}

# shellcheck disable=SC2016
readme_vmac_ipv6() {
  readme_issue14 '- VRRPv3 over IPv6, one instance VI_6 (VRID 61, VIPs fe80::100 and fd00:10::100), `use_vmac` on both
  directors: keepalived puts the VIPs on a macvlan with the IPv6 virtual router MAC **00:00:5e:00:02:3d**
  (RFC 5798 §7.3); adverts (from the director'"'"'s own link-local address fe80::aff:fe00:b / c, to ff02::12) and the unsolicited
  neighbour advertisements for the VIPs come from that MAC.
- d1 MASTER, then stops cleanly (priority 0); d2 takes over after its skew time.
- `scripts/lab/verify.py` reports d1'"'"'s first NA bursts (3.43 s on the wire) as missing: keepalived'"'"'s log lines
  were read 22 ms after the frames (the host was loaded), beyond its 20 ms grace; they are on the wire.' \
    "$KEY_LOG|VMAC|vmac|Neighbour Advert"
}

readme_generic() {
  # shellcheck disable=SC2016  # backquotes are Markdown here
  printf 'Capture of the vrrpscope lab scenario `%s`, recorded with `bash scripts/lab.sh record %s`.\n\n' "$SCEN" "$SCEN"
  printf '%s\n\n' "${SC_DESC[$SCEN]}"
  printf 'Hosts: see hosts.json (MACs are 02:00 + the IPv4 address in hex). VIP %s, VRID %s, VRRP version %s, advert_int %s.\n' "$VIP" "$VRID" "$VRRP_VERSION" "$ADVERT_INT"
  printf 'Actions: events.jsonl. Transitions from the keepalived logs and the master timeline: ground-truth.json.\n'
}

write_readme() {
  local fn=readme_${SCEN//-/_}
  {
    printf '# %s\n\n' "$OUT_BASE"
    if declare -F "$fn" >/dev/null; then "$fn"; else readme_generic; fi
    printf '\n## Observed in this recording (from ground-truth.json)\n\n'
    printf '| rel_capture (s) | director | instance | transition | keepalived log line before it |\n|---|---|---|---|---|\n'
    jq -r '.vrrp_transitions[] | "| \(.rel_capture) | \(.director) | \(.instance) | \(.state)\(if .source == "events" then " (" + .msg + ")" else "" end) | \(.cause // "" | gsub("\\|"; "\\\\|")) |"' "$S_DIR/ground-truth.json"
    jq -r '.master_timelines | to_entries[] | "\nMaster timeline of \(.key) (seconds since the first captured frame):\n",
           (.value[] | "- \(.from_capture) .. \(.to_capture): \(if (.masters | length) == 0 then "no master" else (.masters | join(" + ")) end)")' "$S_DIR/ground-truth.json"
    printf '\nGARP / unsolicited NA bursts (keepalived log; seconds since the first captured frame):\n\n'
    jq -r '.garp_na_bursts[] | "- \(.rel_capture): \(.director) \(.count) x \(if .kind == "garp" then "gratuitous ARP" else "unsolicited NA" end) for \(.address)\(if .count > 1 then (((.last_t - .first_t) * 1000 | round) as $ms | if $ms < 1 then " at once" else " over \($ms) ms" end) else "" end)"' "$S_DIR/ground-truth.json"
    printf '\nClient ping outages (replies missing; seconds since the first captured frame):\n\n'
    jq -r '[.client_pings[] | "\(.log) (\(.node) -> \(.target))" as $n | .outages[] | "- \($n): no reply between \(.last_reply_rel_capture) and \(.next_reply_rel_capture) (\(.unanswered) unanswered, gap \(.gap_s) s)"]
           | if length == 0 then "- none" else .[] end' "$S_DIR/ground-truth.json"
    if jq -e 'has("client_neighbour_changes")' "$S_DIR/ground-truth.json" > /dev/null; then
      # shellcheck disable=SC2016  # backquotes are Markdown here
      printf '\nClient neighbour-table entries for the VIPs (`ip monitor neigh`; changes of the MAC only):\n\n'
      jq -r '[.client_neighbour_changes[] | select(.lladdr != null)]
             | reduce .[] as $c ([]; if any(.[]; .address == $c.address) and ([.[] | select(.address == $c.address)][-1].lladdr == $c.lladdr) then . else . + [$c] end)
             | .[] | "- \(.rel_capture): \(.node) \(.address) -> \(.lladdr)"' "$S_DIR/ground-truth.json"
    fi
  } > "$S_DIR/README.md"
}

# ------------------------------------------------------------------ commands
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [ -n "${S_DIR:-}" ] && [ -d "$RUN" ] && { cap_stop >/dev/null 2>&1; }
  down
  if [ -n "${STAGE:-}" ] && [ -d "$STAGE" ]; then
    if [ "$rc" = 0 ]; then rm -rf "$STAGE"; else say "failed (exit $rc); partial output kept in $STAGE"; fi
  fi
  exit "$rc"
}

# load_scenario SCENARIO: check the name, then set SCEN, OUT_BASE and the scenario's topology and defaults.
load_scenario() {
  local scen=$1
  [ -n "${SC_DESC[$scen]:-}" ] || die "unknown scenario '$scen' (see: lab.sh list)"
  SCEN=$scen
  OUT_BASE=vrrp-$scen
  reset_defaults
  if declare -F "sc_${scen//-/_}_topo" >/dev/null; then "sc_${scen//-/_}_topo"; fi
  finish_defaults
}

# play_scenario: the scenario on the lab that is up, between its marks; then stop the client, capture
# 1 s more, and stop the rest outside the capture (keepalived with SIGTERM, noted in events.jsonl).
play_scenario() {
  local h
  write_hosts_json
  mark scenario_begin "$SCEN"
  "sc_${SCEN//-/_}"
  ping_stop_all
  mark scenario_end "$SCEN"
  sleep 1
  cap_stop
  neigh_watch_stop_all
  for h in $DIRECTORS; do
    if [ -n "$(ka_pids "$h")" ]; then
      printf '{"t": %s, "event": "teardown", "detail": "%s keepalived stopped with SIGTERM after the capture"}\n' "$(now)" "$h" >> "$S_DIR/events.jsonl"
      kill -TERM "$(cat "$RUN/ka-$h.pid" 2>/dev/null || cat "$RUN/job-ka-$h")" 2>/dev/null || true
    fi
  done
  for h in $DIRECTORS; do ka_reap "$h"; done
}

cmd_record() {
  local scen=${1:-failover} outdir=${2:-$REPO/captures}
  need ip keepalived tcpdump jq ping
  load_scenario "$scen"
  mkdir -p "$outdir"
  outdir=$(cd "$outdir" && pwd)
  # shellcheck disable=SC2086
  need $NEEDS

  down
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vrrpscope-lab.XXXXXX")
  S_DIR=$STAGE/$OUT_BASE
  PCAP=$STAGE/$OUT_BASE.pcap
  mkdir -p "$S_DIR/conf"
  : > "$S_DIR/events.jsonl"
  say "scenario $scen, namespaces ${P}{${NODES// /,}}, staging in $STAGE"
  topo_up
  play_scenario
  down
  write_ground_truth
  write_readme
  # publish: replace the previous recording of this scenario
  rm -rf "${outdir:?}/$OUT_BASE" "$outdir/$OUT_BASE.pcap"
  mv "$S_DIR" "$outdir/$OUT_BASE"
  mv "$PCAP" "$outdir/$OUT_BASE.pcap"
  say "done: $outdir/$OUT_BASE.pcap ($(stat -c %s "$outdir/$OUT_BASE.pcap") bytes, $(jq .capture.frames "$outdir/$OUT_BASE/ground-truth.json") frames) and $outdir/$OUT_BASE/"
}

cmd_rebuild() { # rebuild SCENARIO [OUTDIR]: recompute ground-truth.json and README.md of an existing recording
  local scen=${1:-} outdir=${2:-$REPO/captures}
  need jq tcpdump
  load_scenario "$scen"
  S_DIR=$outdir/$OUT_BASE
  PCAP=$outdir/$OUT_BASE.pcap
  if ! [ -f "$PCAP" ] || ! [ -f "$S_DIR/events.jsonl" ]; then die "no recording $PCAP + $S_DIR/"; fi
  STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vrrpscope-lab.XXXXXX")
  write_ground_truth
  write_readme
  rm -rf "$STAGE"
  say "rebuilt $S_DIR/ground-truth.json and README.md"
}

# play SCENARIO OUTDIR: the scenario of `record`, on a lab that is already up (`up SCENARIO`), for tests
# and demos that run their own programs in the namespaces meanwhile, e.g.
#   ip netns exec ${VS_LAB_PREFIX}sw node dist/cli.js live --iface br0 ...
# The reference capture (tcpdump on br0), events.jsonl, the keepalived logs, ground-truth.json and
# README.md are written straight to OUTDIR/vrrp-SCENARIO.pcap and OUTDIR/vrrp-SCENARIO/. At the end
# the pings, the capture and keepalived are stopped; the topology and the caller's own processes stay
# until `down`. If the scenario fails, everything is torn down (`down`), the caller's processes too.
cmd_play() {
  local scen=${1:-} outdir=${2:-} h
  [ -n "$outdir" ] || die "play needs an output directory: lab.sh play SCENARIO OUTDIR"
  need ip keepalived tcpdump jq ping
  load_scenario "$scen"
  # shellcheck disable=SC2086
  need $NEEDS
  for h in $NODES; do
    [ -e "/run/netns/$P$h" ] || die "namespace $P$h is missing: first run VS_LAB_PREFIX=$P bash scripts/lab.sh up $scen"
  done
  mkdir -p "$outdir" "$RUN"
  outdir=$(cd "$outdir" && pwd)
  S_DIR=$outdir/$OUT_BASE
  PCAP=$outdir/$OUT_BASE.pcap
  rm -rf "$S_DIR" "$PCAP"
  mkdir -p "$S_DIR/conf"
  : > "$S_DIR/events.jsonl"
  trap 'rc=$?; trap - EXIT INT TERM; if [ $rc != 0 ]; then say "play failed (exit $rc): tearing the lab down"; down; fi; exit $rc' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  say "playing $scen on ${P}{${NODES// /,}}, output in $outdir"
  play_scenario
  STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vrrpscope-lab.XXXXXX")
  write_ground_truth
  write_readme
  rm -rf "$STAGE"
  trap - EXIT INT TERM
  say "played: $PCAP ($(jq .capture.frames "$S_DIR/ground-truth.json") frames) and $S_DIR/; the lab is still up"
}

cmd_up() {
  local scen=${1:-failover}
  load_scenario "$scen"
  topo_check_free                       # (before the trap: never tear down a lab that was already up)
  trap 'rc=$?; [ $rc = 0 ] || down; exit $rc' EXIT
  topo_up
  trap - EXIT
  say "up: namespaces $(our_namespaces | tr '\n' ' ')(bridge br0 in $(ns sw)); tear down with: bash scripts/lab.sh down"
}

cmd_list() {
  local s
  for s in "${SCENARIOS[@]}"; do printf '%-18s %s\n' "$s" "${SC_DESC[$s]}"; done
}

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

main() {
  local c=${1:-help}
  [ $# -gt 0 ] && shift
  case $c in
    up) [ "$(id -u)" = 0 ] || die "needs root"; cmd_up "$@" ;;
    down) down ;;
    record) [ "$(id -u)" = 0 ] || die "needs root"; cmd_record "$@" ;;
    list) cmd_list ;;
    rebuild) cmd_rebuild "$@" ;;
    play) [ "$(id -u)" = 0 ] || die "needs root"; cmd_play "$@" ;;
    help|-h|--help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

# ------------------------------------------------------------------ issue #14 behaviour 3 (appended): unicast peer alive but unresolvable
scenario unicast-arp-blocked "VRRPv2 with unicast_peer: the switch drops every ARP frame d2 sends about 10.0.0.11 (its replies to d1 and its own requests for d1; nftables bridge rule on p-d2): d2 stays up and keeps receiving, but d1 can no longer resolve d2's MAC once its neighbour entry expires, so d1's adverts stop on the wire (held in the neighbour queue) while d1 broadcasts who-has 10.0.0.12, unanswered; d2 hears nothing, becomes MASTER too (dual master, only d2's adverts on the wire) and d1 answers each of d2's lower-priority adverts with GARPs; rule removed: d1's adverts come back, d2 steps down."
sc_unicast_arp_blocked_topo() { NEEDS=nft; WATCH_NEIGH="d1 cl"; }
sc_unicast_arp_blocked() {
  local s1 s2
  ka_conf d1 "$(addr_of d2)"; ka_conf d2 "$(addr_of d1)"
  # as unicast-peer-down: d1's entry for d2 leaves REACHABLE within seconds (default 15..45 s)
  mark sysctl "d1 net.ipv4.neigh.eth0.base_reachable_time_ms=4000 (default 30000)"
  nsx d1 sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=4000
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 4
  s1=$(log_lines d1); s2=$(log_lines d2)
  mark nft_arp_block "sw nftables: bridge prerouting iifname p-d2 arp daddr ip 10.0.0.11 drop (d2's ARP replies to d1 and requests for d1, before br0 and its capture)"
  nsx sw nft -f - <<'NFT'
table bridge vslab_arp {
  chain prerouting {
    type filter hook prerouting priority 0; policy accept;
    iifname "p-d2" ether type arp arp daddr ip 10.0.0.11 counter drop
  }
}
NFT
  ka_wait_state d2 MASTER 40 "$s2"       # d1's entry expires (STALE, DELAY 5 s, 3 probes), its adverts stop, d2 times out
  sleep 12                               # dual master: d2 advertises, d1 answers with GARPs its adverts cannot follow
  not_in_log d1 "$s1" "Entering"
  s2=$(log_lines d2)
  mark nft_clear "sw nftables table bridge vslab_arp deleted ($(nsx sw nft list table bridge vslab_arp | grep -o 'packets [0-9]* bytes [0-9]*') dropped)"
  nsx sw nft delete table bridge vslab_arp
  ka_wait_state d2 BACKUP 10 "$s2"
  sleep 5
  not_in_log d1 "$s1" "Entering"
}
# shellcheck disable=SC2016  # backquotes are Markdown here
readme_unicast_arp_blocked() {
  readme_issue14 '- Unicast VRRP (`unicast_src_ip` + `unicast_peer`), d1 MASTER (150), d2 BACKUP (100); d1'"'"'s
  `net.ipv4.neigh.eth0.base_reachable_time_ms` is 4000 (`neigh-d1.log`: its neighbour entry for d2).
- nftables in the switch namespace drops, on d2'"'"'s port before br0 (so before the capture too), every ARP frame
  whose target address is 10.0.0.11: d2'"'"'s replies to d1 and d2'"'"'s own requests for d1. Everything else from
  d2 passes (its adverts, its GARPs for the VIP), and d2 keeps receiving everything.
- d1'"'"'s entry for d2 expires (REACHABLE, STALE, DELAY, 3 unicast probes, FAILED): from then on **no adverts from
  d1 on the wire**, only broadcast `who-has 10.0.0.12 tell 10.0.0.11`, unanswered on the wire. d1 logs nothing
  about it and stays MASTER throughout (keepalived never looks at neighbour state, `sendmsg` succeeds).
- d2 hears no advert, `Receive advertisement timeout`, `Entering MASTER STATE`: a **dual master where only d2'"'"'s
  adverts are on the wire** (it learnt d1'"'"'s MAC from d1'"'"'s broadcast requests). d1 logs `Received advert
  from 10.0.0.12 with lower priority 100, ours 150, forcing new election` for each of them and answers with
  an advert (held in the queue too) and GARPs for the VIP (`vrrp_garp_lower_prio_repeat`, and again after
  `vrrp_garp_lower_prio_delay`), so the VIP'"'"'s MAC flaps between d1 and d2.
- Rule removed: d1'"'"'s next request is answered, its held adverts leave, d2 logs `Master received advert from
  10.0.0.11 with higher priority 150, ours 100` and `Entering BACKUP STATE`.' \
    "$KEY_LOG"
}

# ------------------------------------------------------------------ issue #14 behaviour 4 (appended): random loss at another rate and interval
scenario lossy2 "VRRPv2 with advert_int 2: nftables on the bridge (prerouting) drops ~30 % of the VRRP packets at random (numgen random mod 100 < 30) for 50 s, so the capture and both directors miss the same adverts; d2 takes over only if it misses 3 in a row (Master_Down_Interval 6.61 s); rule removed."
sc_lossy2_topo() { NEEDS=nft; WATCH_NEIGH=cl; ADVERT_INT=2; }
sc_lossy2() {
  start_d1_master
  ping_start cl "$VIP"
  sleep 4
  bridge_vrrp_loss 30 50
  sleep 6
}
# shellcheck disable=SC2016  # backquotes are Markdown here
readme_lossy2() {
  readme_issue14 '- As `lossy` at another rate and interval: `advert_int 2` on both directors (Master_Down_Interval of d2 =
  3 x 2 s + skew 0.61 s), and nftables in the switch namespace `table bridge vslab_loss { chain prerouting { type filter
  hook prerouting priority 0; ip protocol 112 numgen random mod 100 < 30 counter drop } }` for 50 s. The bridge
  prerouting hook runs before br0, so **the capture misses exactly the VRRP frames that were dropped**, for every
  receiver; the number dropped (adverts of both directors) is in the `nft_clear` action of events.jsonl.
- keepalived logs nothing about a lost advert: d1 stays MASTER throughout unless d2 misses 3 in a row (then a
  dual master as in `lossy`, in the logs below).' \
    "$KEY_LOG"
}

main "$@"
