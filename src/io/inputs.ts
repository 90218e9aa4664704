// Inputs as files, not names: "-" is standard input; two names (a link, another path) may be the
// same file, and an output name may be an input under another name. Identity is the device and inode
// after following links, as the kernel sees it.

import { fstatSync, statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { CaptureError } from './errno.js';
import { errnoText } from './errno.js';

/** The descriptor an input name stands for without being opened (standard input), or null. */
export function stdinFd(given: string): number | null {
  return given === '-' || given === '/dev/stdin' ? 0 : null;
}

/** How a report names an input: its file name; "stdin" for "-"; the whole path of /dev/fd/63 and the like. */
export function inputName(given: string): string {
  if (given === '-') return 'stdin';
  if (given.startsWith('/dev/') || given.startsWith('/proc/')) return given;
  return basename(given);
}

export interface FileIdentity {
  dev: number;
  ino: number;
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** What the name refers to now (links followed), or throws CaptureError as the reader would. */
export function inputStats(given: string): Stats {
  const fd = stdinFd(given);
  try {
    return fd !== null ? fstatSync(fd) : statSync(given);
  } catch (e) {
    throw new CaptureError(`${given}: ${openErrorText(e)}`);
  }
}

export function openErrorText(e: unknown): string {
  return errnoText(e, 'no such file', {
    EBADF: 'not open (standard input is closed)',
    ENXIO: 'no such device (a socket cannot be opened by name)',
  }, (code) => `cannot open (${code})`);
}

/** An input name that is the same file as an earlier one: read once, with a warning. */
export interface RepeatedInput {
  given: string;
  sameAs: string;
}

/**
 * The inputs with repeats removed (the first name of each file is kept, in order), and the repeats.
 * A name that cannot be stated is kept: opening it gives the error.
 */
export function distinctInputs(paths: readonly string[]): { paths: string[]; repeated: RepeatedInput[] } {
  const seen: { id: FileIdentity; given: string }[] = [];
  const kept: string[] = [];
  const repeated: RepeatedInput[] = [];
  for (const given of paths) {
    let id: FileIdentity | null = null;
    try { id = inputStats(given); } catch { /* reported when opened */ }
    const first = id ? seen.find((s) => sameFile(s.id, id!)) : undefined;
    if (first) { repeated.push({ given, sameAs: first.given }); continue; }
    if (id) seen.push({ id, given });
    kept.push(given);
  }
  return { paths: kept, repeated };
}

export function repeatedText(r: RepeatedInput): string {
  return r.given === r.sameAs
    ? `${r.given} is given twice: read once`
    : `${r.given} is the same file as ${r.sameAs}: read once`;
}
