#!/usr/bin/env bash
# vrrpscope lab: real keepalived (VRRP only) in Linux network namespaces,
# captured with tcpdump on the lab bridge.
#
#   bash scripts/lab.sh list                      scenarios
#   bash scripts/lab.sh up [SCENARIO]             build the topology only (no keepalived)
#   bash scripts/lab.sh down                      tear everything down (idempotent, never fails)
#   bash scripts/lab.sh record SCENARIO [OUTDIR]  up + play SCENARIO under capture + down
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
# Building blocks: ka_conf, ka_start, ka_wait_state/expect_state, ka_sigkill, ka_sigterm,
# port_down/port_up, nft_drop_vrrp_in/nft_clear, ping_start, cap_start, mark.

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
scenario unicast "VRRPv2 with unicast_peer (adverts sent to the peer's address, not 224.0.0.18): election, d1 crash and return, d1 clean stop."

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
  INSTANCE=VI_1
  NEEDS=""                                # extra commands the scenario needs (checked before anything starts)
  KA_GLOBAL_EXTRA=""                      # extra global_defs lines (';'-separated)
  declare -gA KA_INST_EXTRA=()            # per director: extra vrrp_instance lines (';'-separated)
  declare -gA KA_PRIO=([d1]=150 [d2]=100)
  declare -gA KA_STATE=([d1]=MASTER [d2]=BACKUP)
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
    if [ "$IPV6" != 1 ]; then
      nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
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
    ipn "$n" link set eth0 up
    ipn sw link set "$port" master br0 up
  done
  ipn sw link set br0 up
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
  local l me peers=("$@")
  me=$(addr_of "$n")
  {
    echo "# vrrpscope lab ($SCEN): keepalived on $n ($me), generated by scripts/lab.sh"
    echo "global_defs {"
    echo "   router_id $n"
    echo "   # no scripts are configured; root silences the 'default user keepalived_script' warning"
    echo "   script_user root"
    echo "   enable_script_security"
    echo "   vrrp_version $VRRP_VERSION"
    if [ -n "$KA_GLOBAL_EXTRA" ]; then
      while IFS= read -r l; do [ -n "$l" ] && echo "   $l"; done <<< "${KA_GLOBAL_EXTRA//;/$'\n'}"
    fi
    echo "}"
    echo
    echo "vrrp_instance $INSTANCE {"
    echo "   state ${KA_STATE[$n]}"
    echo "   interface eth0"
    echo "   virtual_router_id $VRID"
    echo "   priority ${KA_PRIO[$n]}"
    echo "   advert_int $ADVERT_INT"
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
    echo "      $VIP_CIDR dev eth0"
    echo "   }"
    echo "}"
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

ka_wait_state() { # ka_wait_state NODE STATE TIMEOUT_S : wait for the log line "(INSTANCE) Entering STATE STATE" (after line SKIP)
  local n=$1 st=$2 to=$3 skip=${4:-0}
  for _ in $(seq 1 $((to * 10))); do
    if log_since "$n" "$skip" 2>/dev/null | grep -F "($INSTANCE) Entering $st STATE" > /dev/null; then
      return 0
    fi
    sleep 0.1
  done
  die "$n did not enter $st state within $to s"
}
log_lines() { if [ -e "$S_DIR/keepalived-$1.log" ]; then wc -l < "$S_DIR/keepalived-$1.log"; else echo 0; fi; }
log_since() { tail -n +"$(($2 + 1))" "$S_DIR/keepalived-$1.log"; }       # log_since NODE SKIP
expect_state() { ka_wait_state "$1" "$2" 1 "$3"; }                       # expect_state NODE STATE SKIP

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
  ( exec ip netns exec "$(ns sw)" tcpdump -i br0 -n -U -Z root -w "$PCAP" ) 2> "$S_DIR/tcpdump.log" < /dev/null &
  echo $! > "$RUN/job-tcpdump"
  for _ in $(seq 1 100); do grep -q "listening on" "$S_DIR/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$S_DIR/tcpdump.log" || die "tcpdump did not start: $(cat "$S_DIR/tcpdump.log")"
  mark capture_start "tcpdump -i br0 -U -w $(basename "$PCAP") in $(ns sw)"
}
cap_stop() {
  local j
  j=$(cat "$RUN/job-tcpdump" 2>/dev/null) || return 0
  mark capture_stop "tcpdump SIGINT"
  kill -INT "$j" 2>/dev/null || true
  wait "$j" 2>/dev/null || true
  rm -f "$RUN/job-tcpdump"
}

ping_start() { # ping_start NODE TARGET : continuous ping, log with ping's own epoch stamps (-D)
  mark client_ping_start "$1 ping -i $PING_INTERVAL $2"
  ( exec ip netns exec "$(ns "$1")" ping -D -O -n -i "$PING_INTERVAL" -W 1 "$2" ) > "$S_DIR/ping-$1.log" 2>&1 < /dev/null &
  echo $! > "$RUN/job-ping-$1"
}
ping_stop() {
  local j
  j=$(cat "$RUN/job-ping-$1" 2>/dev/null) || return 0
  mark client_ping_stop "$1"
  kill -INT "$j" 2>/dev/null || true
  wait "$j" 2>/dev/null || true
  rm -f "$RUN/job-ping-$1"
}

port_down() { mark link_down "$1 switch port p-$1 down (cable pulled / host dead)"; ipn sw link set "p-$1" down; }
port_up() { mark link_up "$1 switch port p-$1 up"; ipn sw link set "p-$1" up; }

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
nft_clear() { mark nft_clear "$1 nftables table inet vslab deleted"; nsx "$1" nft delete table inet vslab; }

# ------------------------------------------------------------------ scenarios
# Each sc_NAME runs with: S_DIR (output folder), PCAP (capture file), topology up,
# scenario_begin marked. It writes configs, starts the capture, plays, and returns;
# record() then ends the scenario (ping stop, capture stop 1 s later, teardown).

sc_failover() {
  local s1 s2
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 6                               # steady state; d1's delayed GARP burst (+5 s) shows here
  # crash of d1: all keepalived processes SIGKILLed and its switch port down, i.e. the host
  # disappears from the segment together with the VIP it still holds
  s2=$(log_lines d2)
  ka_sigkill d1
  port_down d1
  sleep 6                               # d2: master-down interval 3 x 1 s + skew 0.61 s
  expect_state d2 MASTER "$s2"
  if log_since d2 "$s2" | grep -F "priority 0" > /dev/null; then die "d2 saw a priority-0 advert after the SIGKILL of d1"; fi
  # d1 comes back as after a reboot: the stale VIP that the killed keepalived left on eth0 is gone
  mark host_reboot "d1 stale VIP $VIP_CIDR removed from eth0 (fresh boot)"
  ipn d1 addr del "$VIP_CIDR" dev eth0 2>/dev/null || true
  port_up d1
  s1=$(log_lines d1)
  ka_start d1                           # preempts after ~3.4 s (priority 150 > 100)
  sleep 10
  expect_state d1 MASTER "$s1"
  s2=$(log_lines d2)
  ka_sigterm d1                         # priority-0 advert; d2 takes over after skew 0.61 s
  sleep 7
  expect_state d2 MASTER "$s2"
}

sc_split_brain_topo() { NEEDS=nft; }
sc_split_brain() {
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 4
  local skip; skip=$(log_lines d2)
  nft_drop_vrrp_in d2
  ka_wait_state d2 MASTER 10 "$skip"
  sleep 8                                # both MASTER
  skip=$(log_lines d2)
  nft_clear d2
  ka_wait_state d2 BACKUP 10 "$skip"
  sleep 4
}

sc_v3_topo() { VRRP_VERSION=3; }
sc_v3() {
  ka_conf d1; ka_conf d2
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 4
  ka_sigterm d1
  sleep 5
  ka_start d1
  sleep 8
}

sc_unicast() {
  ka_conf d1 "$(addr_of d2)"; ka_conf d2 "$(addr_of d1)"
  cap_start
  ka_start d1; ka_start d2
  ka_wait_state d1 MASTER 15
  ping_start cl "$VIP"
  sleep 4
  ka_sigkill d1
  port_down d1
  sleep 6
  mark host_reboot "d1 stale VIP $VIP_CIDR removed from eth0 (fresh boot)"
  ipn d1 addr del "$VIP_CIDR" dev eth0 2>/dev/null || true
  port_up d1
  ka_start d1
  sleep 8
  ka_sigterm d1
  sleep 4
}

# ------------------------------------------------------------------ outputs
write_hosts_json() {
  local h n a first=1
  {
    printf '{'
    for h in $HOSTS; do
      n=${h%%:*}; a=${h#*:}
      [ $first = 1 ] || printf ', '
      first=0
      printf '"%s": {"namespace": "%s", "interface": "eth0", "ipv4": "%s", "mac": "%s"}' "$n" "$(ns "$n")" "$a" "$(mac_of "$a")"
    done
    printf '}\n'
  } > "$S_DIR/hosts.json"
}

# ground-truth.json: actions (events.jsonl) and the VRRP transitions/GARPs parsed from the keepalived logs
write_ground_truth() {
  local f d first_t frames=0
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
  # client pings: replies with ping's own -D epoch stamps
  : > "$STAGE/ping-lines.jsonl"
  for f in "$S_DIR"/ping-*.log; do
    [ -e "$f" ] || continue
    d=${f##*/ping-}; d=${d%.log}
    jq -cR --arg n "$d" 'capture("^\\[(?<t>[0-9.]+)\\] [0-9]+ bytes from (?<from>[^:]+): icmp_seq=(?<seq>[0-9]+)")? // empty
      | {node: $n, t: (.t | tonumber), seq: (.seq | tonumber), from}' "$f" >> "$STAGE/ping-lines.jsonl"
  done
  jq -n --slurpfile ev "$S_DIR/events.jsonl" --slurpfile ka "$STAGE/ka-lines.jsonl" \
        --slurpfile hosts "$S_DIR/hosts.json" --slurpfile pings "$STAGE/ping-lines.jsonl" \
        --arg scen "$SCEN" --arg pcap "$(basename "$PCAP")" --arg inst "$INSTANCE" \
        --argjson first "$first_t" --argjson frames "$frames" \
        --arg vip "$VIP" --argjson vrid "$VRID" --argjson ver "$VRRP_VERSION" --argjson adv "$ADVERT_INT" \
        --argjson pint "$PING_INTERVAL" \
        --argjson prio "$(for d in $DIRECTORS; do printf '{"%s": %s}\n' "$d" "${KA_PRIO[$d]}"; done | jq -cs add)" '
    def r3: . * 1000 | round / 1000;
    ($ev | map(select(.event == "scenario_begin")) | .[0].t) as $t0
    | ($ev | map(select(.event == "capture_stop")) | (.[0].t // null)) as $tend
    | def relt: {rel: ((. - $t0) | r3), rel_capture: (if $first == null then null else ((. - $first) | r3) end)};
      def rel: . + (.t | relt);
    ([$ka[] | select(.msg | test("\\) Entering (MASTER|BACKUP|FAULT) STATE"))
       | (.msg | capture("\\((?<instance>[^() ]+)\\) Entering (?<state>[A-Z]+) STATE")) as $m
       | {t, director, instance: $m.instance, state: $m.state, source: "log", msg}]
     + [$ev[] | select(.event == "keepalived_sigkill" or .event == "keepalived_sigterm")
       | {t, director: (.detail | split(" ")[0]), instance: $inst, state: "STOPPED", source: "events", msg: .event}]
     | sort_by(.t) | map(rel)) as $tr
    | {
        scenario: $scen,
        generated_by: "scripts/lab.sh record \($scen)",
        note: "t = epoch seconds (same clock as the capture timestamps); rel = seconds since scenario_begin; rel_capture = seconds since the first captured frame (compare with frame.time_relative). vrrp_transitions with source log are keepalived'"'"'s \"Entering ... STATE\" log lines; STOPPED entries come from the keepalived_sigkill/keepalived_sigterm actions (keepalived logs no state line when it dies). master_timeline is derived from vrrp_transitions (segments shorter than 1 ms dropped) and ends at capture_stop.",
        capture: {file: $pcap, first_frame_t: $first, frames: $frames, link_type: "EN10MB (Ethernet)", timestamp_precision: "microsecond", taken_on: "br0 in the switch namespace (promiscuous)"},
        vrrp: {instance: $inst, vrid: $vrid, version: $ver, advert_int: $adv, vip: $vip, priorities: $prio},
        hosts: $hosts[0],
        scenario_begin_t: $t0,
        actions: [$ev[] | rel],
        vrrp_transitions: $tr,
        garp_sends: [$ka[] | select(.msg | test("Sending gratuitous ARP on")) | {t, director, msg} | rel],
        master_timeline: (
          [reduce ($tr[] | select(.instance == $inst)) as $x ({st: {}, cur: null, since: null, out: []};
            .st[$x.director] = $x.state
            | ([.st | to_entries[] | select(.value == "MASTER") | .key] | sort) as $m
            | if $m != .cur then
                (if .cur == null then . else .out += [{from_t: .since, to_t: $x.t, masters: .cur}] end)
                | .cur = $m | .since = $x.t
              else . end)
          | if .cur == null then .out else .out + [{from_t: .since, to_t: $tend, masters: .cur}] end
          | .[] | select(.to_t == null or .to_t - .from_t >= 0.001)
          | . + {from: ((.from_t - $t0) | r3), to: (if .to_t == null then null else ((.to_t - $t0) | r3) end),
                 from_capture: (if $first == null then null else ((.from_t - $first) | r3) end),
                 to_capture: (if $first == null or .to_t == null then null else ((.to_t - $first) | r3) end)}]),
        client_pings: [$pings | group_by(.node)[] | sort_by(.seq) | . as $r
          | {node: $r[0].node, target: $r[0].from, interval_s: $pint, replies: ($r | length), last_seq_answered: $r[-1].seq,
             outages: [range(1; $r | length) | select($r[.].seq - $r[. - 1].seq > 1)
               | {last_reply_seq: $r[. - 1].seq, next_reply_seq: $r[.].seq, unanswered: ($r[.].seq - $r[. - 1].seq - 1),
                  last_reply_t: $r[. - 1].t, next_reply_t: $r[.].t, gap_s: (($r[.].t - $r[. - 1].t) | r3)}
               | . + {last_reply_rel_capture: (if $first == null then null else ((.last_reply_t - $first) | r3) end),
                      next_reply_rel_capture: (if $first == null then null else ((.next_reply_t - $first) | r3) end)}]}]
      }' > "$S_DIR/ground-truth.json"
  rm -f "$STAGE/ka-lines.jsonl" "$STAGE/ping-lines.jsonl"
}

readme_failover() {
  local kav
  kav=$(keepalived --version 2>&1 | sed -n '1s/ *(.*//p')
  sed -e "s/@P@/$P/g" -e "s/@PING@/$PING_INTERVAL/g" -e "s/@KAVER@/$kav/g" <<'EOF'
A real @KAVER@ VRRPv2 failover, recorded with `bash scripts/lab.sh record failover`
(network namespaces on one Linux bridge; every frame was sent by keepalived, ping or the kernel).

## What the capture shows

`vrrp-failover.pcap` (Ethernet, microsecond pcap) was taken with `tcpdump -i br0 -U` on the
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
    printf '| rel_capture (s) | director | transition |\n|---|---|---|\n'
    jq -r '.vrrp_transitions[] | "| \(.rel_capture) | \(.director) | \(.state)\(if .source == "events" then " (" + .msg + ")" else "" end) |"' "$S_DIR/ground-truth.json"
    printf '\nMaster timeline (seconds since the first captured frame):\n\n'
    jq -r '.master_timeline[] | "- \(.from_capture) .. \(.to_capture): \(if (.masters | length) == 0 then "no master" else (.masters | join(" + ")) end)"' "$S_DIR/ground-truth.json"
    printf '\nClient ping outages (replies missing; seconds since the first captured frame):\n\n'
    jq -r '[.client_pings[] | .node as $n | .outages[] | "- \($n): no reply between \(.last_reply_rel_capture) and \(.next_reply_rel_capture) (\(.unanswered) unanswered, gap \(.gap_s) s)"]
           | if length == 0 then "- none" else .[] end' "$S_DIR/ground-truth.json"
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

cmd_record() {
  local scen=${1:-failover} outdir=${2:-$REPO/captures} fn
  [ -n "${SC_DESC[$scen]:-}" ] || die "unknown scenario '$scen' (see: lab.sh list)"
  need ip keepalived tcpdump jq ping
  fn=sc_${scen//-/_}
  SCEN=$scen
  OUT_BASE=vrrp-$scen
  mkdir -p "$outdir"
  outdir=$(cd "$outdir" && pwd)
  reset_defaults
  if declare -F "${fn}_topo" >/dev/null; then "${fn}_topo"; fi
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
  write_hosts_json
  mark scenario_begin "$scen"
  "$fn"
  # end of scenario: stop the client, capture 1 s more, then stop the rest outside the capture
  local h
  for h in $HOSTS; do ping_stop "${h%%:*}"; done
  mark scenario_end "$scen"
  sleep 1
  cap_stop
  for h in $DIRECTORS; do
    if [ -n "$(ka_pids "$h")" ]; then
      printf '{"t": %s, "event": "teardown", "detail": "%s keepalived stopped with SIGTERM after the capture"}\n' "$(now)" "$h" >> "$S_DIR/events.jsonl"
      kill -TERM "$(cat "$RUN/ka-$h.pid" 2>/dev/null || cat "$RUN/job-ka-$h")" 2>/dev/null || true
    fi
  done
  for h in $DIRECTORS; do ka_reap "$h"; done
  down
  write_ground_truth
  write_readme
  # publish: replace the previous recording of this scenario
  rm -rf "${outdir:?}/$OUT_BASE" "$outdir/$OUT_BASE.pcap"
  mv "$S_DIR" "$outdir/$OUT_BASE"
  mv "$PCAP" "$outdir/$OUT_BASE.pcap"
  say "done: $outdir/$OUT_BASE.pcap ($(stat -c %s "$outdir/$OUT_BASE.pcap") bytes, $(jq .capture.frames "$outdir/$OUT_BASE/ground-truth.json") frames) and $outdir/$OUT_BASE/"
}

cmd_up() {
  local scen=${1:-failover} fn
  [ -n "${SC_DESC[$scen]:-}" ] || die "unknown scenario '$scen'"
  fn=sc_${scen//-/_}
  reset_defaults
  if declare -F "${fn}_topo" >/dev/null; then "${fn}_topo"; fi
  topo_check_free                       # (before the trap: never tear down a lab that was already up)
  trap 'rc=$?; [ $rc = 0 ] || down; exit $rc' EXIT
  topo_up
  trap - EXIT
  say "up: namespaces $(our_namespaces | tr '\n' ' ')(bridge br0 in $(ns sw)); tear down with: bash scripts/lab.sh down"
}

cmd_list() {
  local s
  for s in "${SCENARIOS[@]}"; do printf '%-12s %s\n' "$s" "${SC_DESC[$s]}"; done
}

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

main() {
  local c=${1:-help}
  [ $# -gt 0 ] && shift
  case $c in
    up) [ "$(id -u)" = 0 ] || die "needs root"; cmd_up "$@" ;;
    down) down ;;
    record) [ "$(id -u)" = 0 ] || die "needs root"; cmd_record "$@" ;;
    list) cmd_list ;;
    help|-h|--help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
