// The annotated capture: the input frames, byte for byte, with their timestamps to the nanosecond and
// their link types, in the analysed (merged) order, written as one pcapng; every annotated frame carries
// its note and the summary of each event naming it as opt_comment options, after any comment the input
// already had. Wireshark shows them under "Packet comments"; `-Y frame.comment` finds them.
// No decoding: the frames are read again raw, one at a time.

import type { Analysis } from '../pipeline.js';
import { I18n } from './i18n/index.js';
import { CUSTOM_BLOCK_LINKTYPE, type Frame } from '../io/frame.js';
import { PcapngWriter, type ByteSink } from '../io/pcapng-writer.js';
import { TOOL_VERSION } from '../version.js';
import { frameNote, noteTexts } from './annotations.js';
import { Say } from './say/index.js';

export interface AnnotatedResult {
  frames: number;
  annotated: number;
}

/** Comments vrrpscope puts on frame n (empty when it has nothing to say about it). */
export function annotationComments(a: Pick<Analysis, 'frameEvents' | 'frameNotes'>, say: Say, n: number): string[] {
  return noteTexts(frameNote(a, say, n), say);
}

export function writeAnnotatedPcapng(a: Analysis, sink: ByteSink): AnnotatedResult {
  const i18n = new I18n(a.lang);
  const say = new Say(i18n, a.events);
  const writer = new PcapngWriter(sink);
  writer.writeSectionHeader({
    userAppl: `vrrpscope ${TOOL_VERSION}`,
    comments: [i18n.t('pcapng.section', { files: a.captures.map((c) => c.file).join(', '), version: TOOL_VERSION })],
  });
  // One interface per (file, interface, link type, snapshot length), added when a frame first needs it.
  // The snapshot length goes with it: a simple packet block's readers work out how many bytes it holds
  // from the frame's original length and that of its interface.
  const interfaces = new Map<string, number>();
  const several = a.captures.length > 1;
  const interfaceOf = (f: Frame): number => {
    const snaplen = f.snaplen;
    const key = `${f.fileIndex}:${f.iface}:${f.linkType}:${snaplen}`;
    let id = interfaces.get(key);
    if (id === undefined) {
      const file = a.captures[f.fileIndex]?.file ?? '';
      id = writer.addInterface({
        linkType: f.linkType,
        snaplen,
        name: f.iface > 0 || several ? `${file}#${f.iface}` : file,
        description: `${file}, interface ${f.iface}`,
      });
      interfaces.set(key, id);
    }
    return id;
  };
  /** Whether a simple packet block (no time, no comment) can carry the frame as it was read. */
  const asSimplePacket = (f: Frame, comments: string[]): boolean => {
    if (!f.noTimestamp || comments.length > 0) return false;
    const snaplen = f.snaplen;
    // (Not a block cut short in the input, which the reader warned about.)
    return f.caplen === (snaplen > 0 ? Math.min(f.origLen, snaplen) : f.origLen);
  };
  let frames = 0, annotated = 0;
  const source = a.store.raw();
  try {
    let f: Frame | null;
    while ((f = source.next())) {
      frames++;
      const ours = a.frameEvents.has(f.n) || a.frameNotes.has(f.n) ? annotationComments(a, say, f.n) : [];
      if (ours.length) annotated++;
      const comments = f.comments ? [...f.comments, ...ours] : ours;
      if (f.linkType === CUSTOM_BLOCK_LINKTYPE) { writer.writeCustomBlock(f.data); continue; }
      let iface = interfaceOf(f);
      // A frame read from a simple packet block has no time; it keeps none in a simple packet block,
      // which can only name interface 0: for a frame of another interface, a new section, where its
      // interface comes first (interface ids restart in each section). One with a comment cannot.
      if (asSimplePacket(f, comments)) {
        if (iface !== 0) {
          writer.writeSectionHeader();
          interfaces.clear();
          iface = interfaceOf(f);
        }
        writer.writeSimplePacket(f.data, f.origLen);
      } else writer.writePacket(iface, f.tsSec, f.tsNs, f.data, f.origLen, comments);
    }
  } finally {
    source.close();
  }
  writer.flush();
  return { frames, annotated };
}
