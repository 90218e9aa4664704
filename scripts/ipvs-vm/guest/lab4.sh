#!/bin/bash
# Fourth scenario set of the ipvs-vm lab (vrrpscope issue #15: keepalived behaviours the earlier recordings
# did not back), sourced by lab.sh after lab3.sh; uses the helpers of the first three sets.
# Results: out/set4/<scenario>/. Scenarios:
#   checks-defaults

# ================================================================ checks-defaults
sc_checks_defaults() {
  std3_topo; SNAP_NODES="d1"
  local refuse=$W/run/smtp-refuse-rs3
  begin checks-defaults "keepalived's checker defaults and its start-up rule, one checker each. keepalived on d1 only (VRRPv2 sync group VI_1 VRID 51 / VI_2 VRID 52, alone, MASTER), every virtual server delay_loop 3. VS 10.0.0.100:80/tcp rr NAT: rs1 10.1.0.21 TCP_CHECK connect_timeout 2, retry 3, delay_before_retry 1, whose web server is NOT running when keepalived starts (start-up rule: keepalived removes it on its first failed attempt whatever retry says), started 9 s later; rs2 10.1.0.22 MISC_CHECK with the defaults (retry 0) running curl -s -f -o /dev/null -m 2 http://10.1.0.22/health, its web server killed then restarted. VS 10.0.0.100:25/tcp: rs3 10.1.0.23 SMTP_CHECK with all defaults (retry 1, delay_before_retry 1, connect_timeout 5), whose SMTP server answers with a 554 banner (not 220) for a while. VS 10.0.0.100:53/udp: rs4 10.1.0.24 DNS_CHECK with the defaults (retry 3, delay_before_retry = delay_loop) except connect_timeout 2, its DNS responder killed (ICMP port unreachable) then restarted. Each step waits for keepalived's Removing/Adding line. Client: one new HTTP connection per second to port 80. Captured with tcpdump on both bridges."
  quiet_names; dump_hosts
  www_init rs1 "rs1 10.1.0.21"; www_init rs2 "rs2 10.1.0.22"
  start_http rs2 10.1.0.22 80 rs2; wait_port rs2 10.1.0.22 80
  rm -f $refuse
  spawn smtp-rs3 rs3 /dev/null "$S_DIR/logs/rs3-smtp.stderr" python3 "$HERE/smtpd.py" 10.1.0.23 25 rs3.lab "$S_DIR/logs/rs3-smtp.log" $refuse
  start_dns rs4 10.1.0.24 rs4
  wait_port rs3 10.1.0.23 25; wait_log "$S_DIR/logs/rs4-dns.log" listening
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
         retry 3
         delay_before_retry 1
      }
   }
   real_server 10.1.0.22 80 {
      weight 1
      MISC_CHECK {
         misc_path "/usr/bin/curl -s -f -o /dev/null -m 2 http://10.1.0.22/health"
      }
   }
}
virtual_server $VIP 25 {
   delay_loop 3
   lb_algo rr
   lb_kind NAT
   protocol TCP
   real_server 10.1.0.23 25 {
      weight 1
      SMTP_CHECK {
      }
   }
}
virtual_server $VIP 53 {
   delay_loop 3
   lb_algo rr
   lb_kind NAT
   protocol UDP
   real_server 10.1.0.24 53 {
      weight 1
      DNS_CHECK {
         connect_timeout 2
      }
   }
}
EOF
  ka_conf d1 150 MASTER 2 mcast none 0 $S_DIR/conf/vs.conf
  meta3 '["d1"]' '"only d1 runs keepalived, so every health check comes from 10.1.0.11; d2 sends nothing",
           "start-up rule (keepalived-semantics.md 1.1, alpha off): rs1 is in IPVS at start and its checker starts with retry_it = retry, so its first failed attempt removes it although retry is 3",
           "MISC_CHECK default retry 0: the first failing run of the script removes rs2",
           "SMTP_CHECK defaults retry 1, delay_before_retry 1, connect_timeout 5; a 554 banner fails the check (smtp_get_status wants 220)",
           "DNS_CHECK defaults retry 3 and delay_before_retry = delay_loop (3 s): four failed queries, 3 s apart, before Removing"' \
    '{"checkers": {"10.1.0.21:80/tcp (VS 10.0.0.100:80)": "TCP_CHECK connect_timeout 2, retry 3, delay_before_retry 1 (down at start)", "10.1.0.22:80/tcp (VS 10.0.0.100:80)": "MISC_CHECK curl /health, defaults", "10.1.0.23:25/tcp (VS 10.0.0.100:25)": "SMTP_CHECK, defaults", "10.1.0.24:53/udp (VS 10.0.0.100:53)": "DNS_CHECK connect_timeout 2, other defaults", "common": "delay_loop 3"}}'
  cap_start checks-defaults-front.pcap sw -i brf
  cap_start checks-defaults-back.pcap sw -i brb
  snapshots_start
  start_ka d1
  client_run 75 1
  wait_ka_line d1 'Removing service \[10\.1\.0\.21\]' 15
  sleep 4
  mark rs_start "rs1 10.1.0.21:80 web server started (it was not running when keepalived started)"; start_http rs1 10.1.0.21 80 rs1
  wait_ka_line d1 'Adding service \[10\.1\.0\.21\]' 15
  sleep 2
  mark rs_stop "rs2 10.1.0.22:80 web server killed (MISC_CHECK's curl fails)"; stop http-rs2-80
  wait_ka_line d1 'Removing service \[10\.1\.0\.22\]' 15
  sleep 2
  mark rs_start "rs2 10.1.0.22:80 web server started"; start_http rs2 10.1.0.22 80 rs2
  wait_ka_line d1 'Adding service \[10\.1\.0\.22\]' 15
  sleep 2
  mark smtp_refuse "rs3 10.1.0.23:25 answers every connection with a 554 banner"; touch $refuse
  wait_ka_line d1 'Removing service \[10\.1\.0\.23\]' 25
  sleep 2
  mark smtp_accept "rs3 10.1.0.23:25 answers with its 220 banner again"; rm -f $refuse
  wait_ka_line d1 'Adding service \[10\.1\.0\.23\]' 15
  sleep 2
  mark rs_stop "rs4 10.1.0.24:53 DNS responder killed (ICMP port unreachable)"; stop dns-rs4
  wait_ka_line d1 'Removing service \[10\.1\.0\.24\]' 30
  sleep 2
  mark rs_start "rs4 10.1.0.24:53 DNS responder started"; start_dns rs4 10.1.0.24 rs4
  wait_ka_line d1 'Adding service \[10\.1\.0\.24\]' 15
  sleep 3
  stop client
  finish
}
