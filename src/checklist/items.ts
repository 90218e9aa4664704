// Each behaviour of behaviours.ts judged from the events: proven (with the events and frames that prove
// it) or missing (with what the capture shows instead, and the step that would show it). Which ones are
// required: those --expect names; without --expect, those relevant to what the capture or the
// configuration shows (all VRRP items when VRRP is seen or configured, each checker configured or seen,
// the pool when virtual servers are configured or health checks / forwarding are seen, the sorry server,
// sync and forwarding methods when configured or seen).

import { ofKind, type AnalysisEvent, type EventKind, type EventOf } from '../analyse/events.js';
import { CHECKER_KIND, DEFAULT_DELAY_LOOP_S, effectiveDelayLoop, type Where } from '../config/model.js';
import type { MessageKey } from '../present/i18n/index.js';
import { Say } from '../present/say/index.js';
import { BEHAVIOURS, CHECKER_NAME, VRRP_BEHAVIOURS, checkerOf, isCheckerBehaviour, type BehaviourId, type CheckerKind } from './behaviours.js';
import type { ChecklistItem, Evidence } from './types.js';
import type { CrossCheckContext } from './crosscheck/index.js';

/** Most events an item lists as evidence (the rest are in the event list). */
const MAX_EVIDENCE = 12;
/** Frames of one event an item lists (a probe series names 40). */
const MAX_FRAMES_PER_EVENT = 6;

/** What the cross-check reads, and the behaviours the user asked for. */
export interface ItemContext extends CrossCheckContext {
  /** --expect ids, or null for automatic. */
  expected: BehaviourId[] | null;
}

interface Judgement {
  proven: boolean;
  evidence: AnalysisEvent[];
  extraFrames?: number[];
  detail?: string | null;
}

function evidenceOf(e: AnalysisEvent, say: Say): Evidence {
  return { event: e.id, kind: e.kind, time: e.time, frames: e.frames.slice(0, MAX_FRAMES_PER_EVENT), summary: say.summary(e) };
}

function uniqueFrames(lists: number[][]): number[] {
  const out: number[] = [];
  for (const l of lists) for (const n of l) if (!out.includes(n)) out.push(n);
  return out;
}

export class ItemJudge {
  private readonly c: ItemContext;
  private readonly nopreempt: Where | null;

  private readonly say: Say;

  constructor(c: ItemContext) {
    this.say = new Say(c.i18n, c.events);
    this.c = c;
    this.nopreempt = c.configs.flatMap((cfg) => cfg.instances).find((i) => i.nopreempt)?.nopreempt ?? null;
  }

  private t(key: MessageKey, params: Record<string, string | number> = {}): string {
    return this.c.i18n.t(key, params);
  }

  private label(ip: string): string {
    return this.c.directors.label(ip);
  }

  items(): ChecklistItem[] {
    return BEHAVIOURS.map((id) => this.item(id));
  }

  private item(id: BehaviourId): ChecklistItem {
    const j = this.judge(id);
    const why = this.why(id);
    const evidence = j.evidence.slice(0, MAX_EVIDENCE).map((e) => evidenceOf(e, this.say));
    const frames = uniqueFrames([...evidence.map((e) => e.frames), j.extraFrames ?? []]).sort((a, b) => a - b);
    const titleKey: MessageKey = id === 'vrrp-preemption' && this.nopreempt ? 'check.title.vrrp-nopreempt' : isCheckerBehaviour(id) ? 'check.title.hc' : `check.title.${id}`;
    return {
      id,
      title: this.t(titleKey, { checker: isCheckerBehaviour(id) ? CHECKER_NAME[checkerOf(id)] : '' }),
      required: why !== null,
      why,
      status: j.proven ? 'proven' : 'missing',
      evidence: j.proven || j.detail ? evidence : [],
      frames: j.proven || j.detail ? frames : [],
      detail: j.proven ? null : j.detail ?? null,
      step: j.proven ? null : this.step(id),
    };
  }

  // --- which are required ---

  private why(id: BehaviourId): string | null {
    const { expected, events, configs } = this.c;
    if (expected) return expected.includes(id) ? this.t('check.why.expect') : null;
    const seen = <K extends EventKind>(k: K, pred: (e: EventOf<K>) => boolean = () => true) => ofKind(events, k).some(pred);
    if (VRRP_BEHAVIOURS.includes(id)) {
      if (events.some((e) => e.kind.startsWith('vrrp.'))) return this.t('check.why.vrrp-seen');
      const inst = configs.flatMap((c) => c.instances)[0];
      return inst ? this.t('check.why.configured', { where: this.where(inst.at) }) : null;
    }
    if (isCheckerBehaviour(id)) {
      const k = checkerOf(id);
      const conf = this.configuredCheckers(k)[0];
      if (conf) return this.t('check.why.configured', { where: this.where(conf) });
      return seen('hc.probe', (e) => e.checker === k) ? this.t('check.why.seen') : null;
    }
    if (id === 'pool-out-in') {
      const vs = configs.flatMap((c) => c.virtualServers).find((v) => v.realServers.length);
      if (vs) return this.t('check.why.configured', { where: this.where(vs.at) });
      return seen('hc.probe') || seen('lvs.forward', (e) => e.sorry !== true) ? this.t('check.why.lvs-seen') : null;
    }
    if (id === 'sorry-server') {
      const vs = configs.flatMap((c) => c.virtualServers).find((v) => v.sorryServer);
      if (vs) return this.t('check.why.configured', { where: this.where(vs.sorryServer!.at) });
      return seen('lvs.sorry') ? this.t('check.why.seen') : null;
    }
    if (id === 'ipvs-sync') {
      const c = configs.find((x) => x.lvsSyncDaemon);
      if (c) return this.t('check.why.configured', { where: this.where(c.lvsSyncDaemon!.at) });
      return seen('lvs.sync') ? this.t('check.why.seen') : null;
    }
    // keepalived forwards by NAT when lb_kind is not given.
    const method = id.slice(4); // lvs-nat → nat
    const vs = configs.flatMap((c) => c.virtualServers).find((v) => (v.lbKind?.value ?? 'NAT').toLowerCase() === method);
    if (vs) return this.t('check.why.configured', { where: this.where(vs.lbKind?.at ?? vs.at) });
    return seen('lvs.forward', (e) => e.method === method) ? this.t('check.why.seen') : null;
  }

  private where(w: Where): string {
    return `${this.c.display(w.file)}:${w.line}`;
  }

  private configuredCheckers(k: CheckerKind): Where[] {
    return this.c.configs.flatMap((c) => c.virtualServers.flatMap((vs) => vs.realServers.flatMap((rs) => rs.checkers.filter((ch) => CHECKER_KIND[ch.type] === k).map((ch) => ch.at))));
  }

  // --- proof ---

  private judge(id: BehaviourId): Judgement {
    const ev = this.c.events;
    switch (id) {
      case 'vrrp-election': return this.election();
      case 'vrrp-failover': {
        const takeovers = ofKind(ev, 'vrrp.master').filter((e) => e.reason === 'master-down' && e.previous);
        const evidence = takeovers.flatMap((m) => {
          const silent = ofKind(ev, 'vrrp.silent').find((x) => x.router === m.previous && x.vrid === m.vrid && x.takenOverBy === m.router && x.time <= m.time + 1e-6 + 5);
          return silent ? [m, silent] : [m];
        });
        const resignations = ofKind(ev, 'vrrp.master').filter((e) => e.reason === 'resignation');
        return { proven: takeovers.length > 0, evidence, detail: !takeovers.length && resignations.length ? this.t('check.detail.failover.only-clean', { frame: resignations[0].frames[resignations[0].frames.length - 1] }) : null };
      }
      case 'vrrp-preemption': return this.nopreempt ? this.noPreemption() : { proven: ofKind(ev, 'vrrp.master').some((e) => e.reason === 'preemption'), evidence: ofKind(ev, 'vrrp.master').filter((e) => e.reason === 'preemption') };
      case 'vrrp-clean-stop': {
        // A FAULT also sends priority 0 (twice): it is no clean stop (keepalived-semantics.md §8.19).
        const all = ofKind(ev, 'vrrp.resign');
        const resigns = all.filter((r) => r.fault !== true);
        const evidence = resigns.flatMap((r) => {
          const next = ofKind(ev, 'vrrp.master').find((m) => m.reason === 'resignation' && m.previous === r.router && m.vrid === r.vrid && m.time >= r.time);
          return next ? [r, next] : [r];
        });
        const fault = all.find((r) => r.fault === true);
        return { proven: resigns.length > 0, evidence, detail: !resigns.length && fault ? this.t('check.detail.clean-stop.only-fault', { frame: fault.frames[0] }) : null };
      }
      case 'garp': return this.garp();
      case 'pool-out-in': return this.pool();
      case 'sorry-server': {
        const windows = ofKind(ev, 'lvs.sorry');
        const closed = windows.filter((e) => e.end !== null && e.end !== undefined);
        const open = windows.find((e) => e.end === null || e.end === undefined);
        return {
          proven: closed.length > 0,
          evidence: closed.length ? closed : open ? [open] : [],
          detail: !closed.length && open ? this.t('check.detail.sorry.open', { sorry: open.sorryServer, vip: open.vip, frame: open.frames[0] }) : null,
        };
      }
      case 'ipvs-sync': {
        const e = ofKind(ev, 'lvs.sync');
        return { proven: e.length > 0, evidence: e };
      }
      case 'lvs-nat': case 'lvs-dr': case 'lvs-tun': {
        const e = ofKind(ev, 'lvs.forward').filter((x) => x.method === id.slice(4));
        return { proven: e.length > 0, evidence: e };
      }
      default: {
        const k = checkerOf(id);
        const probes = ofKind(ev, 'hc.probe').filter((e) => e.checker === k);
        const conf = this.configuredCheckers(k)[0];
        return { proven: probes.length > 0, evidence: probes, detail: !probes.length && conf ? this.t('check.detail.hc.configured', { checker: CHECKER_NAME[k], where: this.where(conf) }) : null };
      }
    }
  }

  /**
   * An election shows when the first master of a VRID starts advertising inside the capture: its
   * gratuitous ARPs follow at once (keepalived sends them on becoming master), or the capture was
   * already running before its first advert. A capture that starts on a master's steady adverts only
   * shows that someone had been elected.
   */
  private election(): Judgement {
    const ev = this.c.events;
    const start = this.c.wire.firstTime ?? -Infinity;
    const initial = ofKind(ev, 'vrrp.master').filter((e) => e.reason === 'initial');
    const proof: AnalysisEvent[] = [];
    for (const m of initial) {
      const garp = ofKind(ev, 'arp.garp').find((g) => g.related === m.id && g.time - m.time < 1.5);
      if (garp) proof.push(m, garp);
      else if (m.time - start >= 1.5) proof.push(m);
    }
    const late = initial[0] ?? ofKind(ev, 'vrrp.master').find((e) => e.reason === 'already-master');
    return {
      proven: proof.length > 0,
      evidence: proof.length ? proof : late ? [late] : [],
      detail: !proof.length && late ? this.t('check.detail.election.already', { router: this.label(late.router), vrid: late.vrid, frame: late.frames[late.frames.length - 1] }) : null,
    };
  }

  /**
   * nopreempt: a lower-priority backup took over, the former master came back on the wire (any frame
   * from it after a silence: IGMP join, ARP, its checks) and did not take the VRID back.
   */
  private noPreemption(): Judgement {
    const ev = this.c.events;
    const masters = ofKind(ev, 'vrrp.master');
    const preempted = masters.find((e) => e.reason === 'preemption');
    if (preempted) return { proven: false, evidence: [preempted], detail: this.t('check.detail.nopreempt.preempted', { router: this.label(preempted.router), vrid: preempted.vrid, frame: preempted.frames[preempted.frames.length - 1] }) };
    let partial: EventOf<'vrrp.master'> | null = null;
    for (const m of masters) {
      if ((m.reason !== 'master-down' && m.reason !== 'resignation') || !m.previous) continue;
      const previous = m.previous;
      const prevPriority = this.maxPriority(m.vrid, previous);
      if (m.priority === null || prevPriority <= m.priority) continue;
      partial ??= m;
      const back = this.c.wire.returns(previous).find((r) => r.time > m.time);
      const later = masters.find((x) => x.vrid === m.vrid && x.time > m.time);
      if (back && (!later || later.time > back.time + 3)) return { proven: true, evidence: [m], extraFrames: [back.frame] };
    }
    return {
      proven: false, evidence: partial ? [partial] : [],
      detail: partial ? this.t('check.detail.nopreempt.no-return', { router: this.label(partial.previous ?? ''), backup: this.label(partial.router), vrid: partial.vrid, frame: partial.frames[partial.frames.length - 1] }) : null,
    };
  }

  private maxPriority(vrid: number, ip: string): number {
    let best = 0;
    for (const r of this.c.wire.routersOf(vrid)) if (r.ip === ip) for (const v of r.values.priority) best = Math.max(best, Number(v.value));
    return best;
  }

  /** Every takeover announced: a burst related to each master event, and no arp.missing-garp. */
  private garp(): Judgement {
    const ev = this.c.events;
    const masters = ofKind(ev, 'vrrp.master');
    const bursts = ofKind(ev, 'arp.garp');
    // The same takeover seen on two links (merged captures) is one vrrp.master per link; its GARPs are
    // tied to one of them: a takeover announced on any of its links is announced.
    const announcedTwin = (m: (typeof masters)[number]) => masters.some((o) => o !== m && o.router === m.router && o.vrid === m.vrid && Math.abs(o.time - m.time) < 1 && bursts.some((g) => g.related === o.id));
    const missing = ofKind(ev, 'arp.missing-garp').filter((x) => {
      const m = masters.find((o) => o.id === x.related);
      return !m || !announcedTwin(m);
    });
    const announced: AnalysisEvent[] = [];
    for (const m of masters) {
      const first = bursts.find((g) => g.related === m.id);
      if (first) announced.push(first);
    }
    if (missing.length) {
      return {
        proven: false, evidence: missing,
        detail: this.t('check.detail.garp.missing', { count: missing.length, frames: missing.map((e) => e.frames.join(', ')).join('; ') }),
      };
    }
    return { proven: announced.length > 0, evidence: announced };
  }

  /** A real server out of the pool and back in (lvs.realserver), or failing and passing its check again (hc.state). */
  private pool(): Judgement {
    const ev = this.c.events;
    const pairs: AnalysisEvent[] = [];
    let leftOnly: EventOf<'lvs.realserver' | 'hc.state'> | null = null;
    for (const out of ofKind(ev, 'lvs.realserver').filter((e) => e.state === 'out')) {
      const back = ofKind(ev, 'lvs.realserver').find((e) => e.state === 'in' && e.realServer === out.realServer && e.time > out.time);
      if (back) pairs.push(out, back);
      else leftOnly ??= out;
    }
    if (!pairs.length) {
      for (const down of ofKind(ev, 'hc.state').filter((e) => e.state === 'down')) {
        const up = ofKind(ev, 'hc.state').find((e) => e.state === 'up' && e.target === down.target && e.director === down.director && e.time > down.time);
        if (up) pairs.push(down, up);
        else leftOnly ??= down;
      }
    }
    return {
      proven: pairs.length > 0,
      evidence: pairs.length ? pairs : leftOnly ? [leftOnly] : [],
      detail: !pairs.length && leftOnly ? this.t('check.detail.pool.no-return', { server: leftOnly.kind === 'lvs.realserver' ? leftOnly.realServer : leftOnly.target, frame: leftOnly.frames[leftOnly.frames.length - 1] }) : null,
    };
  }

  // --- what to do ---

  private step(id: BehaviourId): string {
    const p = this.stepParams();
    if (id === 'vrrp-preemption' && this.nopreempt) return this.t('check.step.vrrp-nopreempt', p);
    if (isCheckerBehaviour(id)) {
      const k = checkerOf(id);
      const conf = this.configuredCheckers(k)[0];
      return conf ? this.t('check.step.hc.configured', { ...p, checker: CHECKER_NAME[k], where: this.where(conf) }) : this.t(`check.step.hc-${k}`, p);
    }
    return this.t(`check.step.${id}`, p);
  }

  private stepParams(): Record<string, string> {
    const { events, configs, i18n } = this.c;
    const masters = ofKind(events, 'vrrp.master');
    const byPriority = [...masters].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
    const master = byPriority[0] ? byPriority[0].router : null;
    const backup = byPriority.find((e) => e.router !== master);
    const slot = master ? this.c.directors.slots.find((sl) => this.c.directors.slotRouter.get(sl)?.ip === master) : this.c.directors.slots[0];
    const vs = configs.flatMap((c) => c.virtualServers).find((v) => v.realServers.length);
    const probe = ofKind(events, 'hc.probe')[0];
    const rs = vs?.realServers[0]?.ip ?? (probe ? probe.target.replace(/:\d+$/, '') : null);
    const firstCheck = vs?.realServers.flatMap((r) => r.checkers.map((ch) => ({ r, ch })))[0];
    const delayS = vs && firstCheck ? effectiveDelayLoop(vs, firstCheck.r, firstCheck.ch).seconds
      : vs ? vs.delayLoop?.value ?? DEFAULT_DELAY_LOOP_S
      : probe && typeof probe.intervalMs === 'number' ? probe.intervalMs / 1000 : null;
    const vip = (vs?.ip ?? (masters[0] ? masters[0].addresses?.[0] : null) ?? configs.flatMap((c) => c.instances)[0]?.vips[0]?.value) ?? null;
    const sorryVs = configs.flatMap((c) => c.virtualServers).find((v) => v.sorryServer);
    return {
      master: master ? this.label(master) : this.t('check.ctx.master'),
      backup: backup ? this.label(backup.router) : this.t('check.ctx.backup'),
      iface: slot?.instance.interface?.value ?? 'eth0',
      rs: rs ?? this.t('check.ctx.rs'),
      wait: delayS !== null ? i18n.fmt.seconds(2 * delayS * 1000) : this.t('check.ctx.two-delay-loops'),
      vip: vip ?? 'VIP',
      servers: (sorryVs ?? vs)?.realServers.map((r) => r.ip).join(', ') || this.t('check.ctx.rs'),
    };
  }
}
