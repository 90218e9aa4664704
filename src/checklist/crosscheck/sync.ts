// IPVS connection sync against lvs_sync_daemon: sync from a director that configures none, another
// syncid, or no sync at all from the master of the sync instance while clients connected.

import { ofKind } from '../../analyse/events.js';
import type { RouterOnWire } from '../wire.js';
import type { Report } from './context.js';

/** When a router was master of its VRID (the episodes' tenures; one still open ends with the capture). */
function tenures(x: Report, r: RouterOnWire): [number, number][] {
  return x.c.episodes.tenures
    .filter((t) => t.vrid === r.vrid && t.family === r.family && t.router === r.ip)
    .map((t) => [t.start, t.end ?? Math.max(t.start, x.c.wire.lastTime ?? t.start)]);
}

export function crossCheckSync(x: Report): void {
  const { directors, events } = x.c;
  const syncs = ofKind(events, 'lvs.sync');
  const forwards = events.some((e) => e.kind === 'lvs.forward');
  for (const d of directors.directors) {
    const conf = d.config.lvsSyncDaemon;
    const mine = syncs.filter((e) => d.ips.includes(e.sender));
    if (!conf) {
      if (mine.length) x.add('ipvs-sync', 'warning', directors.directorLabel(d), 'check.finding.sync.unconfigured', { director: directors.directorLabel(d), file: x.c.display(d.config.files[0] ?? d.config.path) }, [{ file: d.config.files[0] ?? d.config.path, line: 0 }], mine.flatMap((e) => e.frames.slice(0, 3)), mine.map((e) => e.id));
      continue;
    }
    for (const e of mine) {
      if (conf.syncId !== null && e.syncid !== conf.syncId) {
        x.add('ipvs-sync', 'warning', directors.directorLabel(d), 'check.finding.sync.id', { director: directors.directorLabel(d), wire: e.syncid, conf: conf.syncId, where: x.where(conf.at) }, [conf.at], e.frames.slice(0, 3), [e.id]);
      }
    }
    // No sync at all from a director that was master of the sync instance while clients connected
    // (the kernel's master sync thread sends within a second of a new connection).
    const slot = directors.slots.find((s) => s.config === d.config && s.instance.name === conf.instance);
    const router = slot ? directors.slotRouter.get(slot) : undefined;
    const busy = router && tenures(x, router).some(([from, to]) => x.c.wire.clientSyns(from, to - 1) >= 3);
    if (!mine.length && busy && forwards) {
      x.add('ipvs-sync', 'warning', directors.directorLabel(d), 'check.finding.sync.not-seen', { director: directors.directorLabel(d), instance: conf.instance ?? '?', where: x.where(conf.at) }, [conf.at], router.values.priority[0]?.frames.slice(0, 1) ?? []);
    }
  }
}
