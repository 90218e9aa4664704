// Several clusters on one VRID. keepalived drops an advert whose VIP set differs from its own ("(VI_x) ip
// address associated with VRID N not present in MASTER advert", vrrp_check_packet; keepalived-semantics.md
// §5), so two pairs configured with the same virtual_router_id and different VIPs run two independent
// elections on one link: each has its own first master and takeovers, and their priorities are never
// compared. A router belongs to the cluster whose VIPs it shares, from its first advert on; one that later
// changes its own VIP set (a reload) stays in its cluster: a configuration change of that router, not a
// new cluster.

/** One election on a VRID: its members' last master, and its vrrp.master count. */
export interface Cluster<R> {
  /** 0 for the first cluster seen on the VRID, then 1, 2… */
  n: number;
  /** The VIPs its members have advertised. */
  vips: Set<string>;
  /** The last of its routers that stopped while being master (for the next takeover's reason). */
  lastMaster: R | null;
  everMaster: boolean;
  /** vrrp.master events emitted for it so far. */
  masterEvents: number;
}

/** Past this many clusters on one VRID, newcomers join the last one (bounded state). */
const MAX_CLUSTERS = 16;
const MAX_VIPS = 256;

export class Clusters<R> {
  readonly list: Cluster<R>[] = [];

  /** The cluster of a router first heard advertising `addresses`: the one sharing a VIP, else a new one. */
  join(addresses: readonly string[]): Cluster<R> {
    let c = addresses.length === 0 ? this.list[0] : this.list.find((x) => addresses.some((a) => x.vips.has(a)));
    if (!c && this.list.length >= MAX_CLUSTERS) c = this.list[this.list.length - 1];
    if (!c) {
      c = { n: this.list.length, vips: new Set(), lastMaster: null, everMaster: false, masterEvents: 0 };
      this.list.push(c);
    }
    this.note(c, addresses);
    return c;
  }

  /** A member's adverts: VIPs it moves to (a reload) become its cluster's, so its peers reloaded alike join it. */
  note(c: Cluster<R>, addresses: readonly string[]): void {
    for (const a of addresses) if (c.vips.size < MAX_VIPS) c.vips.add(a);
  }
}

interface Member<R> { ip: string; priority: number; cluster: Cluster<R>; advertising: boolean; lastTime: number; profile: { intervalMs: number } }

/**
 * A master silenced by another cluster's adverts. keepalived re-arms a master's advert timer on every
 * packet of its VRID, even one it then discards (vrrp_scheduler.c; keepalived-semantics.md §5), so with
 * two clusters on one VRID a master can go quiet for Master_Down_Interval while still MASTER: its backup
 * times out and becomes master, and the old master answers that lower-priority advert at once ("forcing
 * new election"), which sends the backup back. Seen from the wire: `r`, silent while a master of another
 * cluster advertised, speaks again within half an interval of the router of its own cluster that took
 * over from it, and outranks it. Returns that other cluster's master, or null.
 */
export function rearmedBy<R extends Member<R>>(r: R, taker: R | null, takerStart: number, routers: Iterable<R>, t: number): R | null {
  if (!taker || taker.cluster !== r.cluster || !taker.advertising) return null;
  if (t - takerStart > r.profile.intervalMs / 2000 || !(r.priority > taker.priority)) return null;
  for (const o of routers) if (o.cluster !== r.cluster && o.advertising && o.lastTime > r.lastTime) return o;
  return null;
}
