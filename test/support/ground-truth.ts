// Reads a lab's ground-truth.json (the shared IPVS labs' format and our own lab's) into the master
// changes keepalived logged, with the reason each must be given: who took over from whom, and how
// the previous master left (SIGKILL → master-down, SIGTERM → resignation, still master → preemption).

import { readFileSync } from 'node:fs';

export interface ExpectedMaster {
  time: number;
  vrid: number;
  router: string;
  director: string;
  reason: 'initial' | 'preemption' | 'master-down' | 'resignation' | 'unknown' | null;
  intervalS: number;
}

interface Transition { t: number; director: string; instance: string; state: string; msg: string }

function instanceBlock(conf: string, instance: string): string {
  const i = conf.indexOf(`vrrp_instance ${instance} `);
  if (i < 0) return '';
  let depth = 0, j = conf.indexOf('{', i);
  const start = j;
  for (; j < conf.length; j++) {
    if (conf[j] === '{') depth++;
    else if (conf[j] === '}' && --depth === 0) break;
  }
  return conf.slice(start, j);
}

export function expectedMasters(path: string): ExpectedMaster[] {
  const g = JSON.parse(readFileSync(path, 'utf8'));
  const transitions: Transition[] = [...g.vrrp_transitions].sort((a: Transition, b: Transition) => a.t - b.t);
  const confs: Record<string, string> = g.keepalived_conf ?? {};
  // Our lab's format lists instances (name, vrid, family); the IPVS labs' topology names them.
  const ownInstance = (inst: string) => (g.vrrp?.instances as { name: string; vrid: number; family: string }[] | undefined)?.find((i) => i.name === inst);
  const vridOf = (inst: string): number => g.topology?.vrrp?.[inst]?.vrid ?? ownInstance(inst)?.vrid ?? (g.vrrp?.instance === inst ? g.vrrp.vrid : g.vrrp?.[inst]?.vrid);
  const ifaceOf = (inst: string): string => g.topology?.vrrp?.[inst]?.interface ?? 'eth0';
  // VRRPv3 over IPv6 adverts come from the link-local address (RFC 5798 §5.1.2.1).
  const v6 = (inst: string) => ownInstance(inst)?.family === 'ipv6' || /ipv6/i.test(String(g.topology?.vrrp?.[inst]?.family ?? ''));
  const ipOf = (d: string, inst: string): string => {
    const addrs: string[] | undefined = g.topology?.hosts?.[d]?.[ifaceOf(inst)];
    if (addrs) return (v6(inst) ? addrs.find((a) => a.startsWith('fe80:')) : addrs[0]) ?? addrs[0];
    return v6(inst) ? g.hosts?.[d]?.ipv6_link_local : g.hosts?.[d]?.ipv4;
  };
  const advertInt = (d: string): number => { const a = g.vrrp?.advert_int; return typeof a === 'object' && a ? Number(a[d]) : Number(a ?? 1); };
  const intervalOf = (d: string, inst: string): number => Number(/advert_int\s+(\S+)/.exec(instanceBlock(confs[d] ?? '', inst))?.[1] ?? advertInt(d));
  const priorityOf = (d: string, inst: string): number => Number(/priority\s+(\d+)/.exec(instanceBlock(confs[d] ?? '', inst))?.[1] ?? g.vrrp?.priorities?.[d] ?? 100);
  // A track_script/track_file weight changes the priority a director advertises: keepalived logs
  // "(VI_x) Changing effective priority from A to B" (our lab's effective_priority_changes).
  const changes: { t: number; director: string; instance: string; to: number }[] = g.effective_priority_changes ?? [];
  const priorityAt = (d: string, inst: string, t: number): number =>
    changes.filter((c) => c.director === d && c.instance === inst && c.t <= t).at(-1)?.to ?? priorityOf(d, inst);

  const out: ExpectedMaster[] = [];
  const state = new Map<string, Map<string, string>>(); // instance → director → state
  const lastLeft = new Map<string, { director: string; how: string; t: number }>();
  const everMaster = new Set<string>();
  for (const tr of transitions) {
    const st = state.get(tr.instance) ?? new Map<string, string>();
    state.set(tr.instance, st);
    const before = st.get(tr.director);
    if (tr.state === 'MASTER') {
      const others = [...st.entries()].filter(([d, s]) => d !== tr.director && s === 'MASTER').map(([d]) => d);
      let reason: ExpectedMaster['reason'];
      if (others.length) {
        reason = others.every((o) => priorityAt(tr.director, tr.instance, tr.t) > priorityAt(o, tr.instance, tr.t)) ? 'preemption' : 'unknown';
      } else if (!everMaster.has(tr.instance)) reason = 'initial';
      else {
        const left = lastLeft.get(tr.instance);
        // A master that stepped down to BACKUP just before (a sync group member heard the other instance's
        // preempting advert first) was preempted.
        reason = left?.how === 'keepalived_sigterm' ? 'resignation' : left?.how === 'keepalived_sigkill' ? 'master-down'
          : left?.how === 'BACKUP' && tr.t - left.t < 1 ? 'preemption' : null;
      }
      everMaster.add(tr.instance);
      out.push({ time: tr.t, vrid: vridOf(tr.instance), router: ipOf(tr.director, tr.instance), director: tr.director, reason, intervalS: intervalOf(tr.director, tr.instance) });
    } else if (before === 'MASTER') {
      lastLeft.set(tr.instance, { director: tr.director, how: tr.state === 'STOPPED' ? tr.msg : tr.state, t: tr.t });
    }
    st.set(tr.director, tr.state);
  }
  return out;
}
