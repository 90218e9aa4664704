// Per-frame comments and analysis warnings, as facts: each domain declares its notes beside its events
// (a discriminated union on `note`); the presentation (src/present/say) turns them into words.

import type { VrrpNote } from './vrrp/events.js';
import type { ArpNote } from './arp/events.js';
import type { CheckNote } from './checks/events.js';
import type { LvsNote } from './lvs/events.js';
import type { TcpNote } from './tcp/events.js';
import type { CaptureNote } from './capture/events.js';
import type { HsrpNote } from './hsrp/events.js';

export type Note = VrrpNote | ArpNote | CheckNote | LvsNote | TcpNote | CaptureNote | HsrpNote;
export type NoteKind = Note['note'];
export type NoteOf<K extends NoteKind> = Extract<Note, { note: K }>;
