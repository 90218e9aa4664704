#!/usr/bin/env python3
"""Cross-check a lab recording's ground-truth.json against its capture (needs tshark).

    python3 scripts/lab/verify.py captures/vrrp-split-brain [more recordings...]

For every recording (the folder; the pcap is the folder name + .pcap next to it):
  - each MASTER transition in the keepalived logs must be followed, within 20 ms, by an advert
    (priority > 0) of that director for that instance's VRID;
  - a director that is not MASTER (BACKUP, FAULT, STOPPED) must not send adverts with priority > 0
    (20 ms grace after the transition);
  - each keepalived_sigterm of a MASTER must show a priority-0 advert within 50 ms;
  - each GARP / unsolicited-NA burst keepalived logged must be on the wire with the same count
    (frames from the director's MAC within the burst's time span +- 20 ms).
Prints the master timeline with the advert evidence and exits 1 if any check fails.
"""
import json
import re
import os
import subprocess
import sys

GRACE = 0.02


def tshark(pcap):
    fields = ["frame.time_epoch", "eth.src", "ip.src", "ipv6.src", "vrrp.virt_rtr_id", "vrrp.prio",
              "arp.isgratuitous", "arp.src.proto_ipv4", "icmpv6.type", "icmpv6.nd.na.target_address",
              "ipv6.dst", "ip.ttl", "ipv6.hlim", "icmp.type"]
    cmd = ["tshark", "-n", "-r", pcap, "-Y", "vrrp || arp || icmpv6.type == 136", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        v = dict(zip(fields, line.split("\t")))
        v["t"] = float(v["frame.time_epoch"])
        rows.append(v)
    return rows


def sent_zero(folder, director, inst, since):
    """Epoch time of keepalived's first "(INST) sent 0 priority" log line at or after `since`, or None."""
    try:
        lines = open(os.path.join(folder, f"keepalived-{director}.log"), errors="replace").read().splitlines()
    except OSError:
        return None
    for line in lines:
        t, _, rest = line.partition(" ")
        try:
            t = float(t)
        except ValueError:
            continue
        if t >= since and f"({inst}) sent 0 priority" in rest:
            return t
    return None


def verify(folder):
    folder = folder.rstrip("/")
    pcap = folder + ".pcap"
    gt = json.load(open(os.path.join(folder, "ground-truth.json")))
    hosts = gt["hosts"]
    first = gt["capture"]["first_frame_t"]
    rows = tshark(pcap)
    fails = []
    rel = lambda t: round(t - first, 3)

    def srcs(d):
        h = hosts[d]
        return {h["ipv4"], h.get("ipv6_link_local"), h.get("ipv6")} - {None}

    def adverts(d, vrid):
        # (not the VRRP headers quoted in ICMP errors, e.g. protocol unreachable for unicast adverts)
        return [r for r in rows if r["vrrp.virt_rtr_id"] == str(vrid) and not r["icmp.type"]
                and r["icmpv6.type"] not in ("1", "2", "3", "4")
                and (r["ip.src"] in srcs(d) or r["ipv6.src"] in srcs(d))]

    name = os.path.basename(folder)
    size = os.path.getsize(pcap)
    print(f"== {name}: {size} bytes, {gt['capture']['frames']} frames, "
          f"{rel(max(r['t'] for r in rows)) if rows else 0} s to the last VRRP/ARP/NA frame")
    v = gt["vrrp"]
    insts = v.get("instances") or [{"name": v["instance"], "vrid": v["vrid"], "family": "ipv4"}]
    timelines = gt.get("master_timelines") or {v["instance"]: gt["master_timeline"]}
    for inst in insts:
        vrid = inst["vrid"]
        trs = [x for x in gt["vrrp_transitions"] if x["instance"] == inst["name"]]
        print(f"  {inst['name']} (VRID {vrid}, {inst['family']}):")
        for d in sorted({x["director"] for x in trs}):
            mine = [x for x in trs if x["director"] == d]
            ads = adverts(d, vrid)
            # state intervals of d
            for i, x in enumerate(mine):
                end = mine[i + 1]["t"] if i + 1 < len(mine) else float("inf")
                inside = [a for a in ads if x["t"] + GRACE < a["t"] < end - GRACE]
                if x["state"] == "MASTER":
                    firsts = [a for a in ads if x["t"] - GRACE <= a["t"] <= x["t"] + GRACE and a["vrrp.prio"] != "0"]
                    if firsts:
                        print(f"    {d} MASTER at {x['rel_capture']}: first advert at {rel(firsts[0]['t'])} "
                              f"(prio {firsts[0]['vrrp.prio']}, TTL/HL {firsts[0]['ip.ttl'] or firsts[0]['ipv6.hlim']})")
                    else:
                        fails.append(f"{name} {inst['name']}: {d} MASTER at {x['rel_capture']} without an advert within {GRACE} s")
                else:
                    bad = [a for a in inside if a["vrrp.prio"] != "0"]
                    if bad:
                        fails.append(f"{name} {inst['name']}: {d} {x['state']} from {x['rel_capture']} but adverts at "
                                     + ", ".join(str(rel(a['t'])) for a in bad[:5]))
                    if x["state"] == "STOPPED" and x["msg"] == "keepalived_sigterm" and i > 0 and mine[i - 1]["state"] == "MASTER":
                        # up to 50 ms after keepalived's own "(VI_x) sent 0 priority" line: on a loaded
                        # machine the signal can take ~0.1 s to be acted on after the script's mark
                        said = sent_zero(folder, d, inst["name"], x["t"] - GRACE)
                        upto = max(x["t"], said if said is not None else x["t"]) + 0.05
                        z = [a for a in ads if x["t"] - GRACE <= a["t"] <= upto and a["vrrp.prio"] == "0"]
                        if z:
                            print(f"    {d} stopped at {x['rel_capture']}: priority-0 advert at {rel(z[0]['t'])}")
                        else:
                            fails.append(f"{name} {inst['name']}: {d} SIGTERM as MASTER at {x['rel_capture']} without a priority-0 advert")
        for seg in timelines[inst["name"]]:
            m = " + ".join(seg["masters"]) or "no master"
            print(f"    {seg['from_capture']} .. {seg['to_capture']}: {m}")
    last_frame = max(r["t"] for r in rows) if rows else first
    for b in gt.get("garp_na_bursts", []):
        mac = hosts[b["director"]]["mac"]
        lo, hi = b["first_t"] - GRACE, b["last_t"] + GRACE
        # use_vmac: keepalived sends on the VMAC interface vrrp.<VRID> (its default name), from the virtual MAC
        via = [re.search(r" on vrrp\.(\d+) ", x["msg"]) for x in gt.get("garp_na_sends", [])
               if x["director"] == b["director"] and b["first_t"] <= x["t"] <= b["last_t"]]
        if via and via[0]:
            mac = ("00:00:5e:00:01:%02x" if b["kind"] == "garp" else "00:00:5e:00:02:%02x") % int(via[0].group(1))
        if b["kind"] == "garp":
            wire = [r for r in rows if lo <= r["t"] <= hi and r["eth.src"] == mac and r["arp.isgratuitous"] == "1"
                    and r["arp.src.proto_ipv4"] == b["address"]]
        else:
            wire = [r for r in rows if lo <= r["t"] <= hi and r["eth.src"] == mac and r["icmpv6.type"] == "136"
                    and r["icmpv6.nd.na.target_address"] == b["address"] and r["ipv6.dst"] == "ff02::1"]
        # two bursts of one director can overlap (e.g. a delayed burst + a forced one): compare the sums
        same = [o for o in gt["garp_na_bursts"] if o["director"] == b["director"] and o["kind"] == b["kind"]
                and o["address"] == b["address"] and not (o["last_t"] + GRACE < lo or o["first_t"] - GRACE > hi)]
        want = sum(o["count"] for o in same)
        if len(wire) != want:
            fails.append(f"{name}: {b['director']} {b['kind']} burst for {b['address']} at {b['rel_capture']}: "
                         f"log {want}, wire {len(wire)}")
    # truncated capture? (a master advertises at least every advert_int until capture_stop)
    stop = [a["t"] for a in gt["actions"] if a["event"] == "capture_stop"]
    adv = v["advert_int"] if isinstance(v["advert_int"], (int, float)) else max(v["advert_int"].values())
    ads_all = [r for r in rows if r["vrrp.virt_rtr_id"] and not r["icmp.type"]]
    if stop and ads_all and any(tl and tl[-1]["masters"] for tl in timelines.values()):
        gap = stop[0] - max(r["t"] for r in ads_all)
        print(f"  last advert {gap:.3f} s before capture_stop, last frame {stop[0] - last_frame:.3f} s before it")
        if gap > adv + 0.2:
            fails.append(f"{name}: no advert in the last {gap:.3f} s before capture_stop (capture truncated?)")
    nb = len(gt.get("garp_na_bursts", []))
    print(f"  {nb} GARP/NA bursts checked against the wire")
    for f in fails:
        print("  FAIL " + f)
    return not fails


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ok = True
    for d in sys.argv[1:]:
        ok = verify(d) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
