// A capture that starts while a master is already in place. A keepalived instance starts in BACKUP and
// waits Master_Down_Interval (3 intervals + skew) before its first advert as master (keepalived-semantics.md
// §5, vrrp_init_state), and sends its gratuitous ARPs / unsolicited NAs right after that advert (§4,
// vrrp_state_become_master). So when the first master of a VRID sends its first captured advert within
// about one advert interval of the capture's first frame, a running master is the likelier story: it
// was elected before the capture started. Its GARPs right after that advert say otherwise (an address
// owner, priority 255 with state MASTER, goes master at once at start-up): then it was an election.

import type { Packet } from '../../dissect/packet.js';
import type { VrrpMaster } from './events.js';

/** A running master's first captured advert comes at most one interval after the start, plus its jitter. */
const START_SLACK = 1.5;
/** keepalived sends its first GARPs within milliseconds of the advert that makes it master. */
const GARP_AFTER_S = 1;
const MAX_WATCHED = 64;

/** The first master of a VRID, first heard this early in its capture, was already master. */
export function alreadyMaster(firstAdvert: number, captureStart: number | undefined, intervalMs: number): boolean {
  return captureStart !== undefined && firstAdvert - captureStart <= (START_SLACK * intervalMs) / 1000;
}

/** Masters told `already-master`, watched for the GARPs that would show an election after all. */
export class AlreadyMasterWatch {
  private readonly watched: { event: VrrpMaster; until: number }[] = [];

  get size(): number { return this.watched.length; }

  add(event: VrrpMaster): void {
    if (this.watched.length < MAX_WATCHED) this.watched.push({ event, until: event.time + GARP_AFTER_S });
  }

  /** An ARP or ND frame at time t: a GARP / unsolicited NA for a watched master's VIP makes it an election. */
  onAnnouncement(pkt: Packet, t: number): void {
    for (let i = this.watched.length - 1; i >= 0; i--) if (t > this.watched[i].until) this.watched.splice(i, 1);
    if (!this.watched.length) return;
    const a = pkt.arp, na = pkt.icmpv6;
    const vip = a ? (a.isGratuitous ? a.senderIp : null) : na && na.type === 136 && !na.solicited && na.override ? na.target : null;
    if (!vip) return;
    for (let i = this.watched.length - 1; i >= 0; i--) {
      const w = this.watched[i];
      if (!w.event.addresses.includes(vip)) continue;
      w.event.reason = 'initial';
      this.watched.splice(i, 1);
    }
  }
}
