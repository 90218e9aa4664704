// The file a live capture is saved to: pcapng, frames in the order they arrived (so frame n of the file
// is frame n of the live analysis), timestamps to the nanosecond, written through as it goes so that
// an abrupt end loses as little as possible.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { Frame } from './frame.js';
import { PcapngWriter, type SectionOptions } from './pcapng-writer.js';

export interface LiveFileOptions {
  /** Interface name (if_name of the interface description). */
  iface: string;
  /** How it was captured (if_description), e.g. "tcpdump 4.99.3, libpcap 1.10.3". */
  description?: string;
  section?: SectionOptions;
}

export class LiveCaptureFile {
  /** Frames written (handed to the writer). */
  frames = 0;
  private fd: number;
  private readonly writer: PcapngWriter;
  /** Source interface id (pcapng input may have several) → interface id in this file. */
  private readonly ifaces = new Map<number, number>();
  private description: string | undefined;

  constructor(readonly path: string, private readonly opts: LiveFileOptions) {
    this.fd = openSync(path, 'w');
    this.description = opts.description;
    this.writer = new PcapngWriter((bytes) => this.writeAll(bytes), 256 * 1024);
    this.writer.writeSectionHeader(opts.section ?? {});
  }

  /** Sets the interface description before the first frame (the backend is known after the file opens). */
  describe(description: string): void {
    this.description = description;
  }

  write(f: Frame): void {
    let id = this.ifaces.get(f.iface);
    if (id === undefined) {
      id = this.writer.addInterface({ linkType: f.linkType, name: this.opts.iface, description: this.description });
      this.ifaces.set(f.iface, id);
    }
    this.writer.writePacket(id, f.tsSec, f.tsNs, f.data, f.origLen, f.comments ?? []);
    this.frames++;
  }

  /** A file without frames still describes its interface, so tools show the link type. */
  ensureInterface(linkType: number): void {
    if (this.writer.interfaceCount === 0) {
      this.ifaces.set(0, this.writer.addInterface({ linkType, name: this.opts.iface, description: this.description }));
    }
  }

  /** Writes the buffered blocks to the file. */
  flush(): void {
    if (this.fd >= 0) this.writer.flush();
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      this.writer.flush();
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  private writeAll(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }
}
