#!/bin/bash
# Third scenario set of the ipvs-vm lab (vrrpscope issue #15: ground truth for the health-check and LVS
# analysis), sourced by lab.sh after lab2.sh; uses the helpers of both (begin/finish, spawn/stop,
# start_http, start_ka, cap_start, topo_generic, quiet_names, dump_hosts, meta, ka_conf ...).
# Results: out/set3/<scenario>/. Scenarios:
#   check-retry-recovered  http-two-urls  udp-check  failover-clients  dr-arp-mistake  reload-pool
# `run.sh set3` plays them all in ONE VM boot (lab.sh runs the comma-separated list in order).

# first-set topology (brf front, brb back, VIP 10.0.0.100, gateway VIP 10.1.0.1) through topo_generic,
# so hosts.json and scenario-meta.json are written as in the second set
std3_setup() {
  local n
  for n in rs1 rs2 rs3 rs4; do ip -n $n route add default via $GWVIP; done
  for n in d1 d2; do nsx $n sysctl -qw net.ipv4.ip_forward=1; done
}
std3_topo() {
  NS_ALL="sw cl d1 d2 rs1 rs2 rs3 rs4"; TOPO_FN=topo_generic; T_BR="brf brb"; T_SETUP=std3_setup
  T_LINKS="cl@eth0@brf@10.0.0.50/24 d1@eth0@brf@10.0.0.11/24 d2@eth0@brf@10.0.0.12/24 d1@eth1@brb@10.1.0.11/24 d2@eth1@brb@10.1.0.12/24 rs1@eth0@brb@10.1.0.21/24 rs2@eth0@brb@10.1.0.22/24 rs3@eth0@brb@10.1.0.23/24 rs4@eth0@brb@10.1.0.24/24"
}
wait_ka_line() { # wait_ka_line NODE REGEX TIMEOUT_S : until keepalived-NODE.log has a new line matching REGEX
  local f="$S_DIR/logs/keepalived-$1.log" i n0
  n0=$(grep -cE "$2" "$f" 2>/dev/null); n0=${n0:-0}
  for i in $(seq 1 $(( $3 * 5 ))); do
    [ "$(grep -cE "$2" "$f" 2>/dev/null || echo 0)" -gt "$n0" ] && return 0; sleep 0.2
  done
  log "WARN: keepalived-$1.log: no new '$2' within $3 s"; return 1
}
# A named nftables counter of the SYNs a director sends to a real server's port, to time a block
# against keepalived's own check schedule (table inet lab3 in the real server's namespace).
probe_counter() { # probe_counter NS SADDR PORT
  nsx $1 nft add table inet lab3
  nsx $1 nft add chain inet lab3 input '{ type filter hook input priority 0; policy accept; }'
  nsx $1 nft add counter inet lab3 probes
  nsx $1 nft add rule inet lab3 input ip saddr $2 tcp dport $3 tcp flags '&' '(syn|ack)' == syn counter name probes
}
probes_seen() { nsx $1 nft list counter inet lab3 probes | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
wait_probe() { # wait_probe NS : until the SYN counter grows (a check has just started); 30 s at most
  local c0 i; c0=$(probes_seen $1)
  for i in $(seq 1 300); do [ "$(probes_seen $1)" != "$c0" ] && return 0; sleep 0.1; done
  log "WARN: $1: no check SYN within 30 s"; return 1
}
block_checks() { # block_checks NS SADDR PORT SECONDS WHY : TCP reset to SADDR's SYNs for SECONDS
  nsx $1 nft add chain inet lab3 block '{ type filter hook input priority -10; policy accept; }'
  nsx $1 nft add rule inet lab3 block ip saddr $2 tcp dport $3 reject with tcp reset
  mark check_block "$1: nft reject with tcp reset, tcp dport $3 from $2, for $4 s ($5)"
  sleep $4
  nsx $1 nft delete chain inet lab3 block
  mark check_unblock "$1: tcp dport $3 from $2 accepted again"
}
lnc_snapshot() { # lnc_snapshot LABEL : ipvsadm -Ln / -Lnc / --stats of both directors into logs/ipvsadm-LABEL-dN.txt
  local n
  for n in d1 d2; do
    { echo "# $(now) $n ($1)"; nsx $n ipvsadm -Ln 2>&1; echo "# ipvsadm -Lnc"; nsx $n ipvsadm -Lnc 2>&1
      echo "# ipvsadm -Ln --stats"; nsx $n ipvsadm -Ln --stats 2>&1; } > "$S_DIR/logs/ipvsadm-$1-$n.txt"
  done
  mark ipvsadm_snapshot "$1: logs/ipvsadm-$1-d1.txt, logs/ipvsadm-$1-d2.txt"
}
meta3() { # meta3 DIRECTORS(json list) NOTES(json list items, no brackets) EXTRA(json object)
  meta <<EOF
{"bridges": {"brf": "client side 10.0.0.0/24", "brb": "server side 10.1.0.0/24"},
 "vrrp": {"VI_1": {"interface": "eth0", "vrid": 51, "vip": "10.0.0.100/24", "advert_int": 1, "version": 2, "priorities": {"d1": 150, "d2": 100}},
          "VI_2": {"interface": "eth1", "vrid": 52, "vip": "10.1.0.1/24 (default gateway of the real servers)", "advert_int": 1, "version": 2, "priorities": {"d1": 150, "d2": 100}},
          "sync_group": "VG1 = VI_1 + VI_2"},
 "topology_extra": {"real_servers_default_gateway": "10.1.0.1"},
 "vips": ["10.0.0.100", "10.1.0.1"], "instances": ["VI_1", "VI_2"], "directors": $1,
 "notes": [$2,
           "scenario_end marks the start of teardown: keepalived is stopped with SIGTERM on the running directors; captures stop about 1 s after the last keepalived exits",
           "STOPPED transitions are not logged by keepalived; they are taken from the keepalived_sigkill / keepalived_sigterm actions",
           "client outages: consecutive failed requests (new = fresh TCP connection with 1 s timeout)"],
 "extra": $3}
EOF
}

# ================================================================ check-retry-recovered
sc_check_retry_recovered() {
  std3_topo; SNAP_NODES="d1"
  begin check-retry-recovered "A check attempt fails and the retry succeeds: keepalived must not remove the server. keepalived on d1 only (VRRPv2 sync group VI_1 VRID 51 / VI_2 VRID 52, alone, MASTER). VS 10.0.0.100:80 rr NAT, delay_loop 3: rs1 10.1.0.21 HTTP_GET /health status 200, rs2 10.1.0.22 TCP_CHECK, both connect_timeout 2, retry 2, delay_before_retry 2 (so a removal needs 3 consecutive failed attempts). Each block is an nftables rule in the real server that answers d1's SYNs to port 80 with a TCP reset, timed from keepalived's own schedule (a counter of d1's check SYNs): it starts 2 s after a check and lasts 2 s, so it catches exactly one attempt; the retry 2 s later succeeds. Timeline: rs1 one failed attempt; rs2 one failed attempt; rs1 two consecutive failed attempts (block of 4 s), the second retry succeeds. The client's traffic (source 10.0.0.50) is never blocked. Client: one new HTTP connection per second. Captured with tcpdump on both bridges."
  quiet_names; dump_hosts
  www_init rs1 "rs1 10.1.0.21"; www_init rs2 "rs2 10.1.0.22"
  start_http rs1 10.1.0.21 80 rs1; start_http rs2 10.1.0.22 80 rs2
  wait_port rs1 10.1.0.21 80; wait_port rs2 10.1.0.22 80
  probe_counter rs1 10.1.0.11 80; probe_counter rs2 10.1.0.11 80
  cat > $S_DIR/conf/vs.conf <<EOF
virtual_server $VIP 80 {
   delay_loop 3
   lb_algo rr
   lb_kind NAT
   protocol TCP
   real_server 10.1.0.21 80 {
      weight 1
      HTTP_GET {
         url {
            path /health
            status_code 200
         }
         connect_timeout 2
         retry 2
         delay_before_retry 2
      }
   }
   real_server 10.1.0.22 80 {
      weight 1
      TCP_CHECK {
         connect_timeout 2
         retry 2
         delay_before_retry 2
      }
   }
}
EOF
  ka_conf d1 150 MASTER 2 mcast none 0 $S_DIR/conf/vs.conf
  meta3 '["d1"]' '"only d1 runs keepalived, so every health check comes from 10.1.0.11; d2 sends nothing",
           "retry 2, delay_before_retry 2, delay_loop 3: keepalived removes a server after 3 consecutive failed attempts (the check, then 2 retries 2 s apart); a success in between resets the count (keepalived-semantics.md 1.2)",
           "each check_block mark is an nft rule in the real server rejecting d1 SYNs to port 80 with a TCP reset (the failed attempt is a SYN answered by RST); it is placed 2 s after a check SYN seen by an nft counter, so the next check (3 s + probe time after the previous one ended) falls inside it and its retry (2 s later) outside, or for the 4 s block the next check and its first retry inside and the second retry outside",
           "expected from keepalived: no Removing service and no Adding service after start-up"' \
    '{"checkers": {"10.1.0.21:80/tcp (VS 10.0.0.100:80)": "HTTP_GET /health status_code 200, connect_timeout 2, retry 2, delay_before_retry 2", "10.1.0.22:80/tcp (VS 10.0.0.100:80)": "TCP_CHECK connect_timeout 2, retry 2, delay_before_retry 2", "common": "delay_loop 3"}}'
  cap_start check-retry-recovered-front.pcap sw -i brf
  cap_start check-retry-recovered-back.pcap sw -i brb
  snapshots_start
  start_ka d1
  sleep 10
  client_run 44 1
  wait_probe rs1; sleep 2; block_checks rs1 10.1.0.11 80 2 "one HTTP_GET attempt fails, its first retry succeeds"
  sleep 4
  wait_probe rs2; sleep 2; block_checks rs2 10.1.0.11 80 2 "one TCP_CHECK attempt fails, its first retry succeeds"
  sleep 4
  wait_probe rs1; sleep 2; block_checks rs1 10.1.0.11 80 4 "the HTTP_GET check and its first retry fail, the second retry succeeds"
  sleep 5
  stop client
  for n in rs1 rs2; do nsx $n nft list ruleset > $S_DIR/logs/nft-$n.txt 2>&1; done
  finish
}

# ================================================================ http-two-urls
sc_http_two_urls() {
  std3_topo; SNAP_NODES="d1"
  begin http-two-urls "HTTP_GET with two url blocks: keepalived needs 1 + N successes (N = 2 URLs), delay_loop apart, before it adds a recovered server back. keepalived on d1 only (VRRPv2 sync group VI_1 / VI_2, MASTER). VS 10.0.0.100:80 rr NAT, delay_loop 3: rs1 10.1.0.21 HTTP_GET url /health (status 200) and url /status (status 200), connect_timeout 2, retry 1, delay_before_retry 2; rs2 10.1.0.22 TCP_CHECK (control, never fails). Timeline: rs1's web server is killed; once keepalived logs Removing service it is restarted; the scenario waits for Adding service. Client: one new HTTP connection per second. Captured with tcpdump on both bridges."
  quiet_names; dump_hosts
  www_init rs1 "rs1 10.1.0.21"; www_init rs2 "rs2 10.1.0.22"
  start_http rs1 10.1.0.21 80 rs1; start_http rs2 10.1.0.22 80 rs2
  wait_port rs1 10.1.0.21 80; wait_port rs2 10.1.0.22 80
  cat > $S_DIR/conf/vs.conf <<EOF
virtual_server $VIP 80 {
   delay_loop 3
   lb_algo rr
   lb_kind NAT
   protocol TCP
   real_server 10.1.0.21 80 {
      weight 1
      HTTP_GET {
         url {
            path /health
            status_code 200
         }
         url {
            path /status
            status_code 200
         }
         connect_timeout 2
         retry 1
         delay_before_retry 2
      }
   }
   real_server 10.1.0.22 80 {
      weight 1
      TCP_CHECK {
         connect_timeout 2
      }
   }
}
EOF
  ka_conf d1 150 MASTER 2 mcast none 0 $S_DIR/conf/vs.conf
  meta3 '["d1"]' '"only d1 runs keepalived, so every health check comes from 10.1.0.11; d2 sends nothing",
           "HTTP_GET with two URLs: one URL per check, in turn (/health, /status, /health ...); down after retry+1 = 2 consecutive failures of one URL, delay_before_retry 2 apart",
           "recovery (keepalived-semantics.md 1.2): the first success of the failed URL only clears it; then /health and /status must each succeed, delay_loop apart, before Remote Web server ... succeed on service and Adding service: 3 successes in all"' \
    '{"checkers": {"10.1.0.21:80/tcp (VS 10.0.0.100:80)": "HTTP_GET url /health status_code 200 + url /status status_code 200, connect_timeout 2, retry 1, delay_before_retry 2", "10.1.0.22:80/tcp (VS 10.0.0.100:80)": "TCP_CHECK connect_timeout 2", "common": "delay_loop 3"}}'
  cap_start http-two-urls-front.pcap sw -i brf
  cap_start http-two-urls-back.pcap sw -i brb
  snapshots_start
  start_ka d1
  sleep 10
  client_run 60 1
  sleep 3
  mark rs_stop "rs1 10.1.0.21:80 web server killed (both URLs fail)"; stop http-rs1-80
  wait_ka_line d1 'Removing service \[10\.1\.0\.21\]' 25
  sleep 2
  mark rs_start "rs1 10.1.0.21:80 web server started"; start_http rs1 10.1.0.21 80 rs1
  wait_ka_line d1 'Adding service \[10\.1\.0\.21\]' 30
  sleep 4
  stop client
  finish
}

# ================================================================ udp-check
sc_udp_check() {
  std3_topo; SNAP_NODES="d1"
  begin udp-check "UDP_CHECK with and without require_reply. keepalived on d1 only (VRRPv2 sync group VI_1 / VI_2, MASTER). VS 10.0.0.100:80/tcp rr NAT rs1 10.1.0.21 TCP_CHECK (for the client). VS 10.0.0.100:7/udp rr NAT rs3 10.1.0.23:7 UDP_CHECK payload 'lab-probe' (6c61622d70726f6265) with require_reply 6c61622d70726f6265. VS 10.0.0.100:9/udp rr NAT rs4 10.1.0.24:9 UDP_CHECK with no payload (keepalived's default 32 bytes) and no require_reply. All: delay_loop 3, connect_timeout 2, retry 1, delay_before_retry 2. Both real servers run a UDP echo server. Timeline: (a) silence: an nftables rule in rs3 and in rs4 drops incoming UDP to ports 7 and 9, so the checks get no reply and no ICMP error (keepalived: a timeout fails only with require_reply, so rs3 is removed and rs4 stays); rules removed; (b) refusal: both echo servers killed, so the checks draw ICMP port unreachable (a failure with or without require_reply: both removed); echo servers restarted (both added back). Client: one new HTTP connection per second to port 80. Captured with tcpdump on both bridges."
  quiet_names; dump_hosts
  www_init rs1 "rs1 10.1.0.21"
  start_http rs1 10.1.0.21 80 rs1; wait_port rs1 10.1.0.21 80
  start_udpecho rs3 10.1.0.23 7 rs3; start_udpecho rs4 10.1.0.24 9 rs4
  wait_log "$S_DIR/logs/rs3-udpecho.log" listening; wait_log "$S_DIR/logs/rs4-udpecho.log" listening
  cat > $S_DIR/conf/vs.conf <<EOF
virtual_server $VIP 80 {
   delay_loop 3
   lb_algo rr
   lb_kind NAT
   protocol TCP
   real_server 10.1.0.21 80 {
      weight 1
      TCP_CHECK {
         connect_timeout 2
      }
   }
}

virtual_server $VIP 7 {
   delay_loop 3
   lb_algo rr
   lb_kind NAT
   protocol UDP
   real_server 10.1.0.23 7 {
      weight 1
      UDP_CHECK {
         payload 6c61622d70726f6265
         require_reply 6c61622d70726f6265
         connect_timeout 2
         retry 1
         delay_before_retry 2
      }
   }
}

virtual_server $VIP 9 {
   delay_loop 3
   lb_algo rr
   lb_kind NAT
   protocol UDP
   real_server 10.1.0.24 9 {
      weight 1
      UDP_CHECK {
         connect_timeout 2
         retry 1
         delay_before_retry 2
      }
   }
}
EOF
  ka_conf d1 150 MASTER 2 mcast none 0 $S_DIR/conf/vs.conf
  meta3 '["d1"]' '"only d1 runs keepalived, so every health check comes from 10.1.0.11; d2 sends nothing",
           "UDP_CHECK (keepalived-semantics.md 1.2 and 2): one datagram per attempt, then wait connect_timeout (2 s) for a reply; a timeout is a success unless require_reply is set; an ICMP port unreachable is a failure in both cases; retry 1, delay_before_retry 2",
           "rs3:7 (require_reply): removed during the silence and during the refusal; rs4:9 (no require_reply): stays in during the silence, removed during the refusal",
           "during the silence a check without a reply takes connect_timeout, so the cadence of rs4 checks is delay_loop + connect_timeout = 5 s"' \
    '{"checkers": {"10.1.0.21:80/tcp (VS 10.0.0.100:80)": "TCP_CHECK connect_timeout 2", "10.1.0.23:7/udp (VS 10.0.0.100:7)": "UDP_CHECK payload 6c61622d70726f6265 require_reply 6c61622d70726f6265, connect_timeout 2, retry 1, delay_before_retry 2", "10.1.0.24:9/udp (VS 10.0.0.100:9)": "UDP_CHECK default payload, no require_reply, connect_timeout 2, retry 1, delay_before_retry 2", "common": "delay_loop 3"}}'
  cap_start udp-check-front.pcap sw -i brf
  cap_start udp-check-back.pcap sw -i brb
  snapshots_start
  start_ka d1
  sleep 10
  client_run 62 1
  sleep 2
  local n
  mark udp_silence "rs3 and rs4: nft drop udp dport {7, 9} (input): no reply, no ICMP error"
  for n in rs3 rs4; do
    nsx $n nft add table inet lab3
    nsx $n nft add chain inet lab3 input '{ type filter hook input priority 0; policy accept; }'
    nsx $n nft add rule inet lab3 input udp dport '{ 7, 9 }' counter drop
  done
  sleep 14
  for n in rs3 rs4; do nsx $n nft list ruleset > $S_DIR/logs/nft-$n.txt 2>&1; nsx $n nft delete table inet lab3; done
  mark udp_silence_end "rs3 and rs4: nft tables deleted, echo servers answer again"
  sleep 10
  mark rs_stop "rs3 10.1.0.23:7 and rs4 10.1.0.24:9 UDP echo servers killed (ICMP port unreachable)"; stop udpecho-rs3; stop udpecho-rs4
  sleep 12
  mark rs_start "rs3 10.1.0.23:7 and rs4 10.1.0.24:9 UDP echo servers started"; start_udpecho rs3 10.1.0.23 7 rs3; start_udpecho rs4 10.1.0.24 9 rs4
  sleep 10
  stop client
  finish
}

# ================================================================ failover-clients
sc_failover_clients() {
  std3_topo
  begin failover-clients "Director failover under client load, LVS-NAT. d1 (priority 150, MASTER) and d2 (priority 100, BACKUP), VRRPv2 sync group VG1 = VI_1 (eth0, VRID 51, VIP 10.0.0.100) + VI_2 (eth1, VRID 52, VIP 10.1.0.1, the real servers' gateway), advert_int 1, lvs_sync_daemon eth1 VI_2 id 51. VS 10.0.0.100:80 rr NAT over rs1 10.1.0.21 and rs2 10.1.0.22, TCP_CHECK delay_loop 3. The client opens a new HTTP connection every 0.5 s and keeps one HTTP keep-alive connection (a request every 0.5 s) for the whole run. d1 is stopped with SIGTERM (priority-0 advert) in the middle, so connections are forwarded by d1, then by d2. ipvsadm -Ln / -Lnc / --stats of both directors saved before the failover, just after it and at the end (logs/ipvsadm-*.txt), besides the once-a-second snapshots. Captured with tcpdump on both bridges."
  quiet_names; dump_hosts
  www_init rs1 "rs1 10.1.0.21"; www_init rs2 "rs2 10.1.0.22"
  start_http rs1 10.1.0.21 80 rs1; start_http rs2 10.1.0.22 80 rs2
  wait_port rs1 10.1.0.21 80; wait_port rs2 10.1.0.22 80
  vs_tcp2 > $S_DIR/conf/vs.conf
  ka_conf d1 150 MASTER 2 mcast none 1 $S_DIR/conf/vs.conf
  ka_conf d2 100 BACKUP 2 mcast none 1 $S_DIR/conf/vs.conf
  meta3 '["d1", "d2"]' '"keepalived runs on both directors; both run the TCP_CHECK checkers, so every check appears twice on brb (sources 10.1.0.11 and 10.1.0.12)",
           "LVS-NAT: client->VIP on brf to the master director MAC, director->real server on brb with the destination rewritten; replies return through the gateway VIP 10.1.0.1 held by the same master",
           "lvs_sync_daemon eth1 VI_2 id 51: the master sends IPVS connection sync messages (UDP 224.0.0.81:8848) on brb; the backup table of synced connections shows in ipvs_connection_counts and logs/ipvsadm-*-d2.txt",
           "logs/ipvsadm-before-failover-dN.txt, ipvsadm-after-failover-dN.txt and ipvsadm-end-dN.txt: ipvsadm -Ln, -Lnc and --stats of each director at those marks"' '{}'
  cap_start failover-clients-front.pcap sw -i brf
  cap_start failover-clients-back.pcap sw -i brb
  snapshots_start
  start_ka d1; start_ka d2
  sleep 9
  client_run 34 2 0.5
  sleep 12
  lnc_snapshot before-failover
  stop_ka d1
  sleep 3
  lnc_snapshot after-failover
  sleep 14
  lnc_snapshot end
  stop client
  finish
}

# ================================================================ dr-arp-mistake
dr_mistake_setup() { # VIP on lo of the real servers, arp_ignore / arp_announce left at 0 (the mistake)
  local n
  for n in rs1 rs2; do ip -n $n addr add $VIP/32 dev lo; done
}
sc_dr_arp_mistake() {
  NS_ALL="sw cl d1 d2 rs1 rs2"; TOPO_FN=topo_generic; T_BR=lan; T_SETUP=dr_mistake_setup
  T_LINKS="cl@eth0@lan@10.0.0.50/24 d1@eth0@lan@10.0.0.11/24 d2@eth0@lan@10.0.0.12/24 rs1@eth0@lan@10.0.0.21/24 rs2@eth0@lan@10.0.0.22/24"
  SNAP_NEIGH="cl:10.0.0.100"
  begin dr-arp-mistake "LVS-DR with the classic ARP mistake: the real servers hold the VIP 10.0.0.100/32 on lo but arp_ignore and arp_announce are left at 0, so they answer ARP requests for the VIP (and may announce it as a source address). One L2 segment 10.0.0.0/24 (bridge lan): client 10.0.0.50, directors d1 10.0.0.11 (VRRPv2 VI_1, VRID 35, priority 150, MASTER) and d2 10.0.0.12 (priority 100, BACKUP), advert_int 1, VIP 10.0.0.100/24 on the master's eth0; real servers rs1 10.0.0.21 and rs2 10.0.0.22. VS 10.0.0.100:80 rr, lb_kind DR, HTTP_GET /health status 200, delay_loop 3, checked by both directors. Client: one new HTTP connection 2/s; its ARP entry for the VIP is flushed twice during the run so that it asks again, and snapshotted once a second (logs/neigh-cl.log): whichever host answered last (director or a real server) receives the client's traffic. One capture on the bridge."
  quiet_names; dump_hosts
  local rs
  dr_servers_directors 35
  for rs in rs1 rs2; do nsx $rs sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce net.ipv4.conf.eth0.arp_ignore net.ipv4.conf.eth0.arp_announce > $S_DIR/logs/sysctl-$rs.txt 2>&1; done
  meta <<EOF
{"bridges": {"lan": "one shared L2 segment 10.0.0.0/24: client, both directors and both real servers"},
 "vrrp": {"VI_1": {"interface": "eth0", "vrid": 35, "vip": "10.0.0.100/24", "advert_int": 1, "version": 2, "priorities": {"d1": 150, "d2": 100}}},
 "topology_extra": {"real_servers_vip": "10.0.0.100/32 on lo of rs1 and rs2; arp_ignore=0 and arp_announce=0 (the defaults, see logs/sysctl-rsN.txt): the real servers answer ARP for the VIP",
                    "real_servers_default_gateway": "none (client is on-link)"},
 "vips": ["10.0.0.100"], "instances": ["VI_1"], "directors": ["d1", "d2"],
 "notes": ["keepalived runs on both directors; both run the HTTP_GET checkers, so every check appears twice (sources 10.0.0.11 and 10.0.0.12)",
           "the mistake: an ARP request for 10.0.0.100 is answered by the master director (02:00:0a:00:00:0b) AND by rs1 (02:00:0a:00:00:15) and rs2 (02:00:0a:00:00:16); the client keeps the last answer, and while it points at a real server that server answers the client itself (no LVS, no balancing); client_neighbor_cache shows the MAC the client used over time, client.backend_timeline which server answered",
           "client_neighbor_flush marks: ip neigh flush 10.0.0.100 in the client namespace, so the next request sends a new ARP request",
           "scenario_end marks the start of teardown: keepalived is stopped with SIGTERM on d1, then on d2; captures stop about 1 s after the last keepalived exits",
           "STOPPED transitions are not logged by keepalived; they are taken from the keepalived_sigkill / keepalived_sigterm actions",
           "client outages: consecutive failed requests (new = fresh TCP connection with 1 s timeout)"],
 "extra": {"forwarding_method": {"virtual_server": "10.0.0.100:80/tcp", "lb_kind": "DR", "ipvsadm_forward": "Route",
            "real_servers": {"10.0.0.21:80": {"host": "rs1", "mac": "02:00:0a:00:00:15"}, "10.0.0.22:80": {"host": "rs2", "mac": "02:00:0a:00:00:16"}},
            "director_macs": {"d1": "02:00:0a:00:00:0b", "d2": "02:00:0a:00:00:0c"}, "client_mac": "02:00:0a:00:00:32"}}}
EOF
  cap_start dr-arp-mistake.pcap sw -i lan
  snapshots_start
  start_ka d1; start_ka d2
  sleep 8
  client_run 36 2
  sleep 12
  mark client_neighbor_flush "cl: ip neigh flush 10.0.0.100"; ip -n cl neigh flush 10.0.0.100
  sleep 12
  mark client_neighbor_flush "cl: ip neigh flush 10.0.0.100"; ip -n cl neigh flush 10.0.0.100
  sleep 13
  stop client
  finish
}

# ================================================================ reload-pool
sc_reload_pool() {
  std3_topo; SNAP_NODES="d1"
  begin reload-pool "A configuration reload that changes the pool, with no check failure. keepalived on d1 only (VRRPv2 sync group VI_1 / VI_2, MASTER). VS 10.0.0.100:80 rr NAT, TCP_CHECK delay_loop 3. Initial configuration (conf/initial-keepalived-d1.conf): rs1 10.1.0.21 and rs2 10.1.0.22. Then conf/keepalived-d1.conf is rewritten (rs1 removed, rs3 10.1.0.23 added) and keepalived's parent gets SIGHUP. All three web servers run the whole time. Client: one new HTTP connection 2/s. Captured with tcpdump on both bridges."
  quiet_names; dump_hosts
  www_init rs1 "rs1 10.1.0.21"; www_init rs2 "rs2 10.1.0.22"; www_init rs3 "rs3 10.1.0.23"
  start_http rs1 10.1.0.21 80 rs1; start_http rs2 10.1.0.22 80 rs2; start_http rs3 10.1.0.23 80 rs3
  wait_port rs1 10.1.0.21 80; wait_port rs2 10.1.0.22 80; wait_port rs3 10.1.0.23 80
  vs_pool() { vs_block 3 rr NAT tcp 2 "" "$@"; } # vs_pool RS...
  vs_pool 10.1.0.21 10.1.0.22 > $S_DIR/conf/vs-initial.conf
  vs_pool 10.1.0.22 10.1.0.23 > $S_DIR/conf/vs.conf
  ka_conf d1 150 MASTER 2 mcast none 0 $S_DIR/conf/vs-initial.conf
  cp $S_DIR/conf/keepalived-d1.conf $S_DIR/conf/initial-keepalived-d1.conf
  meta3 '["d1"]' '"only d1 runs keepalived, so every health check comes from 10.1.0.11; d2 sends nothing",
           "conf/initial-keepalived-d1.conf is the configuration keepalived started with (rs1 + rs2); conf/keepalived-d1.conf the one it reloaded at the config_reload mark (rs2 + rs3), and ran until the end",
           "expected from keepalived: after the SIGHUP rs1 leaves the IPVS table and rs3 joins it, no check fails; see real_server_changes and ipvs_tables_from_snapshots"' \
    '{"reload": {"signal": "SIGHUP to the keepalived parent", "before": ["10.1.0.21:80", "10.1.0.22:80"], "after": ["10.1.0.22:80", "10.1.0.23:80"]}}'
  cap_start reload-pool-front.pcap sw -i brf
  cap_start reload-pool-back.pcap sw -i brb
  snapshots_start
  start_ka d1
  sleep 10
  client_run 30 2
  sleep 10
  ka_conf d1 150 MASTER 2 mcast none 0 $S_DIR/conf/vs.conf
  mark config_reload "d1: conf rewritten (rs1 out, rs3 in), SIGHUP to keepalived pid $(cat $W/run/ka-d1.pid)"
  kill -HUP "$(cat $W/run/ka-d1.pid)"
  sleep 16
  stop client
  finish
}
