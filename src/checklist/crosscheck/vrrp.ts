// VRRP against keepalived.conf: VRIDs and routers nobody configured; priority, advert interval,
// version, authentication, addresses and unicast peers of each router that differ from its instance
// (from the advert ledger, frame by frame); two configurations of one VRID that keepalived would not
// reconcile (the usual cause of a dual master); nopreempt not honoured.

import {
  DEFAULT_ADVERT_INT_S, DEFAULT_VRRP_VERSION, VRRP_AUTH_LEN, instanceVersion, type Where,
} from '../../config/model.js';
import type { MessageKey } from '../../present/i18n/index.js';
import type { Slot } from '../directors.js';
import type { AdvertField, AdvertValue, RouterOnWire } from '../wire.js';
import type { Report } from './context.js';

type Expected = Record<AdvertField, { value: string; shown: string; at: Where } | null>;

/** The fields two configurations of one VRID must agree on, and the vrrp.mismatch field of each. */
const DISAGREE_FIELDS = { interval: 'advertInterval', auth: 'auth', version: 'version', addresses: 'addresses' } as const;

export function crossCheckRouters(x: Report): void {
  const { wire, directors } = x.c;
  const unconfiguredVrids = new Map<string, RouterOnWire[]>();
  for (const r of wire.routers.values()) {
    const slotsOfVrid = directors.slots.filter((s) => s.vrid === r.vrid && s.family === r.family);
    if (!slotsOfVrid.length) {
      const k = `${r.vrid}|${r.family}`;
      unconfiguredVrids.set(k, [...(unconfiguredVrids.get(k) ?? []), r]);
      continue;
    }
    const slot = directors.slotOf(r);
    if (!slot) {
      const priorities = r.values.priority.map((v) => v.value).filter((v) => v !== '0');
      x.add('vrrp-router-unconfigured', 'warning', null, 'check.finding.vrrp.router', {
        router: r.ip, vrid: r.vrid, priority: priorities.join(', ') || '0',
        configured: slotsOfVrid.map((s) => `${nameOf(x, s)} ${s.priority} (${x.where(s.instance.priority?.at ?? s.instance.at)})`).join(', '),
      }, slotsOfVrid.map((s) => s.instance.at), r.values.priority.flatMap((v) => v.frames));
      continue;
    }
    compareRouter(x, r, slot);
  }
  for (const [k, routers] of unconfiguredVrids) {
    const vrid = Number(k.split('|')[0]);
    x.add('vrrp-vrid-unconfigured', 'warning', null, 'check.finding.vrrp.vrid', {
      vrid, routers: routers.map((r) => r.ip).join(', '), files: x.files(),
    }, x.fileWide(), routers.flatMap((r) => r.values.priority[0]?.frames.slice(0, 2) ?? []));
  }
}

function nameOf(x: Report, s: Slot): string {
  return x.c.directors.directors.find((d) => d.config === s.config)?.name ?? s.config.path;
}

function expectedValues(x: Report, slot: Slot): Expected {
  const i = slot.instance;
  const version = instanceVersion(slot.config, i);
  const v = version?.value ?? DEFAULT_VRRP_VERSION;
  const dflt = (value: string) => x.t('check.default', { value });
  const adv = i.advertInt?.value ?? DEFAULT_ADVERT_INT_S;
  // keepalived rounds a v2 interval to whole seconds and a v3 one to centiseconds.
  const intervalMs = v === 2 ? Math.max(1, Math.round(adv)) * 1000 : Math.max(1, Math.round(adv * 100)) * 10;
  let auth: string | null = null;
  let authShown = '';
  if (v === 2) {
    const type = i.auth?.type?.value ?? null;
    const pass = i.auth?.pass?.value ?? '';
    auth = type === 'PASS' && pass ? `PASS ${pass.slice(0, VRRP_AUTH_LEN)}` : type === 'AH' && pass ? 'AH' : 'none';
    authShown = authText(x, auth);
  }
  const vips = i.vips.map((a) => a.value).filter((a) => (a.includes(':') ? 6 : 4) === slot.family);
  return {
    priority: { value: String(slot.priority), shown: i.priority ? String(slot.priority) : dflt(String(slot.priority)), at: i.priority?.at ?? i.at },
    interval: { value: String(intervalMs), shown: i.advertInt ? `${i.advertInt.value}` : dflt(String(DEFAULT_ADVERT_INT_S)), at: i.advertInt?.at ?? i.at },
    version: { value: String(v), shown: version ? String(v) : dflt(String(DEFAULT_VRRP_VERSION)), at: version?.at ?? i.at },
    auth: auth === null ? null : { value: auth, shown: authShown, at: i.auth?.pass?.at ?? i.auth?.at ?? i.at },
    addresses: vips.length ? { value: [...vips].sort().join(' '), shown: vips.join(', '), at: i.vipsAt ?? i.at } : null,
    destination: null,
  };
}

function authText(x: Report, auth: string): string {
  if (auth === 'none') return x.t('check.auth.none');
  if (auth.startsWith('PASS ')) return `auth_pass "${auth.slice(5)}"`;
  return auth;
}

function compareRouter(x: Report, r: RouterOnWire, slot: Slot): void {
  const expected = expectedValues(x, slot);
  const who = x.c.directors.label(r.ip);
  const base = { director: who, vrid: r.vrid };
  const differing = (field: AdvertField, same: (v: AdvertValue) => boolean) => r.values[field].filter((v) => !same(v));
  const report = (field: AdvertField, kind: string, key: MessageKey, wireShown: (v: AdvertValue) => string, skip = false) => {
    const exp = expected[field];
    if (!exp || skip) return;
    const bad = differing(field, (v) => v.value === exp.value || (field === 'priority' && v.value === '0'));
    if (!bad.length) return;
    x.add(kind, 'warning', who, key, { ...base, wire: bad.map(wireShown).join(', '), conf: exp.shown, where: x.where(exp.at) }, [exp.at], bad.flatMap((v) => v.frames));
  };
  // A tracked script or interface moves the priority by its weight: any priority may be legitimate then.
  report('priority', 'vrrp-priority', 'check.finding.vrrp.priority', (v) => v.value, slot.instance.tracked !== null);
  report('interval', 'vrrp-advert-int', 'check.finding.vrrp.interval', (v) => x.c.i18n.fmt.seconds(Number(v.value)));
  report('version', 'vrrp-version', 'check.finding.vrrp.version', (v) => v.value);
  report('auth', 'vrrp-auth', 'check.finding.vrrp.auth', (v) => authText(x, v.value));
  report('addresses', 'vrrp-vips', 'check.finding.vrrp.vips', (v) => v.value.split(' ').join(', '));
  // Unicast peers: adverts go to the peers, never to the group; without peers, to the group.
  const peers = slot.instance.unicastPeers.map((p) => p.value);
  const bad = r.values.destination.filter((d) => (peers.length ? d.value === 'multicast' || !peers.includes(d.value) : d.value !== 'multicast'));
  if (bad.length) {
    const at = slot.instance.unicastPeers[0]?.at ?? slot.instance.at;
    x.add('vrrp-unicast', 'warning', who, peers.length ? 'check.finding.vrrp.unicast' : 'check.finding.vrrp.multicast', {
      ...base, wire: bad.map((d) => (d.value === 'multicast' ? x.t('check.multicast') : d.value)).join(', '), conf: peers.join(', '), where: x.where(at),
    }, [at], bad.flatMap((d) => d.frames));
  }
  const src = slot.instance.unicastSrcIp;
  if (src && src.value !== r.ip) {
    x.add('vrrp-unicast', 'warning', who, 'check.finding.vrrp.src', { ...base, router: r.ip, conf: src.value, where: x.where(src.at) }, [src.at], r.values.priority[0]?.frames ?? []);
  }
}

/** Two configurations of one VRID that keepalived would not reconcile (adverts dropped: dual master). */
export function crossCheckDisagreements(x: Report): void {
  const byVrid = new Map<string, Slot[]>();
  for (const s of x.c.directors.slots) byVrid.set(`${s.vrid}|${s.family}`, [...(byVrid.get(`${s.vrid}|${s.family}`) ?? []), s]);
  for (const slots of byVrid.values()) {
    if (slots.length < 2) continue;
    for (const field of ['interval', 'auth', 'version', 'addresses'] as const) {
      const values = slots.map((s) => ({ s, e: expectedValues(x, s)[field] }));
      if (values.some((v) => !v.e) || new Set(values.map((v) => v.e!.value)).size < 2) continue;
      // VRRPv3 backups adopt the master's interval: a different advert_int is no disagreement there.
      if (field === 'interval' && values.every((v) => expectedValues(x, v.s).version?.value === '3')) continue;
      const vrid = slots[0].vrid;
      const shown = field === 'interval' ? (v: typeof values[number]) => `${v.e!.shown} s` : (v: typeof values[number]) => v.e!.shown;
      const wireEvents = x.c.events.filter((e) => (e.kind === 'vrrp.mismatch' && e.vrid === vrid && e.field === DISAGREE_FIELDS[field]) || (e.kind === 'vrrp.split-brain' && e.vrid === vrid));
      x.add('vrrp-config-disagree', 'warning', null, `check.finding.vrrp.disagree.${field}`, {
        vrid, values: values.map((v) => `${nameOf(x, v.s)} ${shown(v)} (${x.where(v.e!.at)})`).join(', '),
      }, values.map((v) => v.e!.at), wireEvents.flatMap((e) => e.frames.slice(0, 4)), wireEvents.map((e) => e.id));
    }
  }
}

/** A configured nopreempt, and the capture shows that router preempting. */
export function crossCheckNopreempt(x: Report): void {
  for (const [slot, r] of x.c.directors.slotRouter) {
    const at = slot.instance.nopreempt;
    if (!at) continue;
    const preempt = x.c.events.find((e) => e.kind === 'vrrp.master' && e.reason === 'preemption' && e.router === r.ip && e.vrid === r.vrid);
    if (preempt) x.add('vrrp-nopreempt', 'warning', x.c.directors.label(r.ip), 'check.finding.vrrp.nopreempt', { director: x.c.directors.label(r.ip), vrid: r.vrid, where: x.where(at) }, [at], preempt.frames, [preempt.id]);
  }
}
