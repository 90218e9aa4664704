// The annotated capture: the input frames, byte for byte, with their timestamps to the nanosecond and
// their link types, in the analysed (merged) order, written as one pcapng; every annotated frame carries
// its note and the summary of each event naming it as opt_comment options, after any comment the input
// already had. Wireshark shows them under "Packet comments"; `-Y frame.comment` finds them.
// No decoding: the frames are read again raw, one at a time.

import { basename } from 'node:path';
import type { Analysis } from '../analyze.js';
import { I18n } from '../i18n/index.js';
import { CUSTOM_BLOCK_LINKTYPE, type Frame } from '../io/frame.js';
import { PcapngWriter, type ByteSink } from '../io/pcapng-writer.js';
import { reopenCaptures } from '../analyze.js';
import { TOOL_VERSION } from '../version.js';
import { frameNote, indexEvents, noteTexts } from './annotations.js';

export interface AnnotatedResult {
  frames: number;
  annotated: number;
}

/** Comments vrrpscope puts on frame n (empty when it has nothing to say about it). */
export function annotationComments(a: Pick<Analysis, 'frameEvents' | 'frameComments'>, byId: ReturnType<typeof indexEvents>, n: number): string[] {
  return noteTexts(frameNote(a, byId, n));
}

export function writeAnnotatedPcapng(a: Analysis, sink: ByteSink): AnnotatedResult {
  const i18n = new I18n(a.lang);
  const byId = indexEvents(a.events);
  const writer = new PcapngWriter(sink);
  writer.writeSectionHeader({
    userAppl: `vrrpscope ${TOOL_VERSION}`,
    comments: [i18n.t('pcapng.section', { files: a.captures.map((c) => c.file).join(', '), version: TOOL_VERSION })],
  });
  // One interface per (file, interface, link type): pcapng interface ids restart in each section.
  const interfaces = new Map<string, number>();
  const several = a.paths.length > 1;
  const interfaceOf = (f: Frame): number => {
    const key = `${f.fileIndex}:${f.iface}:${f.linkType}`;
    let id = interfaces.get(key);
    if (id === undefined) {
      const file = a.captures[f.fileIndex]?.file ?? basename(a.paths[f.fileIndex] ?? '');
      id = writer.addInterface({
        linkType: f.linkType,
        name: f.iface > 0 || several ? `${file}#${f.iface}` : file,
        description: `${file}, interface ${f.iface}`,
      });
      interfaces.set(key, id);
    }
    return id;
  };
  let frames = 0, annotated = 0;
  const source = reopenCaptures(a);
  try {
    let f: Frame | null;
    while ((f = source.next())) {
      frames++;
      const ours = a.frameEvents.has(f.n) || a.frameComments.has(f.n) ? annotationComments(a, byId, f.n) : [];
      if (ours.length) annotated++;
      const comments = f.comments ? [...f.comments, ...ours] : ours;
      if (f.linkType === CUSTOM_BLOCK_LINKTYPE) { writer.writeCustomBlock(f.data); continue; }
      const iface = interfaceOf(f);
      // A frame read from a simple packet block has no time; keep it that way when the format allows.
      if (f.noTimestamp && iface === 0 && comments.length === 0) writer.writeSimplePacket(f.data, f.origLen);
      else writer.writePacket(iface, f.tsSec, f.tsNs, f.data, f.origLen, comments);
    }
  } finally {
    source.close();
  }
  writer.flush();
  return { frames, annotated };
}
