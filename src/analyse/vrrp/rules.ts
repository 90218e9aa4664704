// VRRP facts as small pure functions (RFC 3768 §6.1, RFC 5798 §6.1, keepalived vrrp.c), each testable
// alone. The analyser in vrrp.ts applies them to the stream of adverts.

/** Skew_Time in ms: v2 (256 − priority)/256 s; v3 ((256 − priority) × Master_Adver_Interval)/256. */
export function skewMs(priority: number, intervalMs: number, version: number): number {
  return version === 3 ? ((256 - priority) * intervalMs) / 256 : ((256 - priority) * 1000) / 256;
}

/** Master_Down_Interval in ms = 3 × Advertisement_Interval + Skew_Time (keepalived: down_timer_adverts 3). */
export function masterDownMs(intervalMs: number, backupPriority: number, version: number): number {
  return 3 * intervalMs + skewMs(backupPriority, intervalMs, version);
}

/** A sortable key of an IPv4 or IPv6 address in text form (fixed-width hex). */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').map((p) => Number(p).toString(16).padStart(2, '0')).join('');
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0')).join('');
}

/**
 * Does router a win the election against b? Higher priority wins; on equal priority the higher primary
 * address (RFC 3768 §6.4.3, RFC 5798 §6.4.3).
 */
export function outranks(a: { priority: number; ip: string }, b: { priority: number; ip: string }): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return addressKey(a.ip) > addressKey(b.ip);
}

/** `already-master`: the first master seen was master before the capture started (capture-edge.ts). */
export type TakeoverReason = 'initial' | 'already-master' | 'preemption' | 'master-down' | 'resignation' | 'unknown';

export interface PreviousMaster {
  ip: string;
  priority: number;
  /** Time (s) of its last advert, and whether that advert had priority 0. */
  lastTime: number;
  resigned: boolean;
}

/**
 * Why router `next` (first advert at `time`) starts acting as master: nobody before (initial); the
 * master sent priority 0 (resignation); the master fell silent for Master_Down_Interval (master-down);
 * it outranks a master still advertising (preemption); otherwise it advertises next to a live master
 * that outranks it (unknown: a contender, a split brain in the making).
 */
export function takeoverReason(
  next: { ip: string; priority: number },
  previous: PreviousMaster | null,
  time: number,
  downMs: number,
): TakeoverReason {
  if (!previous) return 'initial';
  if (previous.resigned) return 'resignation';
  const silentMs = (time - previous.lastTime) * 1000;
  // Half an interval of slack: the capture point and the backup see adverts at slightly different times.
  if (silentMs >= downMs * 0.9) return 'master-down';
  // A keepalived backup preempts only a lower priority: a newcomer with the same priority did not hear
  // the master (a dual master, then resolved by the address tie-break in MASTER state), keepalived vrrp.c.
  return next.priority > previous.priority ? 'preemption' : 'unknown';
}

/** What an advert stream looks like to a receiver: the fields keepalived compares. */
export interface AdvertProfile {
  version: number;
  intervalMs: number;
  authType: number | null;
  authString: string | null;
  addresses: string[];
  checksumVariant: string | null;
  ttl: number;
  unicast: boolean;
}

export type MismatchField = 'advertInterval' | 'auth' | 'addresses' | 'version' | 'checksumVariant' | 'ttl' | 'unicast';

export interface Difference {
  field: MismatchField;
  values: string[];
}

function authText(p: AdvertProfile): string {
  if (p.version === 3) return 'none (v3)';
  if (p.authType === 1) return `PASS "${p.authString ?? ''}"`;
  if (p.authType === 2) return 'AH';
  return p.authType === 0 ? 'none' : `type ${p.authType}`;
}

/** The fields in which two advert streams of one VRID differ, in the order keepalived checks them. */
export function differences(a: AdvertProfile, b: AdvertProfile): Difference[] {
  const out: Difference[] = [];
  const add = (field: MismatchField, x: string, y: string) => { if (x !== y) out.push({ field, values: [x, y] }); };
  add('ttl', String(a.ttl), String(b.ttl));
  add('version', String(a.version), String(b.version));
  if (a.version === 2 && b.version === 2) {
    add('auth', authText(a), authText(b));
    add('advertInterval', `${a.intervalMs} ms`, `${b.intervalMs} ms`);
  } else if (a.version === b.version) {
    // v3: a backup adopts the master's interval (RFC 5798 §6.4.2), so a difference is no drop cause,
    // but it is still worth telling.
    add('advertInterval', `${a.intervalMs} ms`, `${b.intervalMs} ms`);
  }
  add('addresses', [...a.addresses].sort().join(' '), [...b.addresses].sort().join(' '));
  if (a.version === 3 && b.version === 3) add('checksumVariant', a.checksumVariant ?? 'bad', b.checksumVariant ?? 'bad');
  add('unicast', a.unicast ? 'unicast' : 'multicast', b.unicast ? 'unicast' : 'multicast');
  return out;
}

/** Two clusters that happen to share a VRID: no VIP in common. */
export function disjointAddresses(a: string[], b: string[]): boolean {
  const s = new Set(a);
  return a.length > 0 && b.length > 0 && !b.some((x) => s.has(x));
}

/** keepalived 2.2's log line for a receiver-side drop, so users can grep their logs. */
export function keepalivedLog(field: MismatchField | 'checksum' | 'type' | 'length', a?: AdvertProfile, b?: AdvertProfile): string {
  switch (field) {
    case 'ttl': return `(VI_x) invalid TTL/HL. Received ${[b?.ttl, a?.ttl].find((x) => x !== undefined && x !== 255) ?? '%d'} and expect 255`;
    case 'version': return `(VI_x) wrong version. Received ${b?.version ?? '%d'} and expect ${a?.version ?? '%d'}`;
    case 'auth':
      return a && b && a.authType !== b.authType
        ? `(VI_x) received a ${b.authType} auth, expecting ${a.authType}!`
        : '(VI_x) received an invalid passwd!';
    case 'advertInterval': return `(VI_x) advertisement interval mismatch mine=${a ? a.intervalMs / 1000 : '%u'} sec rcv'd=${b ? b.intervalMs / 1000 : '%d'} sec`;
    case 'addresses':
      return a && b && a.addresses.length !== b.addresses.length
        ? `(VI_x) received an unexpected ip number count ${b.addresses.length}, expected ${a.addresses.length}!`
        : '(VI_x) ip address associated with VRID N not present in MASTER advert : …';
    case 'checksumVariant':
    case 'checksum': return a?.version === 3 ? '(VI_x) Invalid VRRPv3 checksum' : '(VI_x) Invalid VRRPv2 checksum';
    case 'unicast': return `(VI_x) Expected ${a?.unicast ? 'un' : 'mult'}icast packet but received ${b?.unicast ? 'un' : 'mult'}icast packet`;
    case 'type': return '(VI_x) Invalid packet type. %d and expect 1';
    case 'length': return '(VI_x) vrrp packet too short, length %zu and expect %zu';
  }
}
