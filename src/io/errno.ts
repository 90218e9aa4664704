// A failed system call in words, for the one-line errors of the CLI (the code only when we have no
// words for it). Reading, writing and the stream copy share the table; each says what ENOENT means
// where it is used (a missing file to read, a missing directory to write into).

const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENXIO: 'no such device',
  ELOOP: 'too many levels of symbolic links',
  EBADF: 'not open',
};

/** `unknown`: the words for a code the table lacks (default: the system's message). */
export function errnoText(e: unknown, enoent: string, overrides: Record<string, string> = {}, unknown?: (code: string) => string): string {
  const err = e as NodeJS.ErrnoException;
  const code = err?.code;
  if (code === 'ENOENT') return enoent;
  if (code && overrides[code]) return overrides[code];
  if (code && WORDS[code]) return WORDS[code];
  if (code && unknown) return unknown(code);
  return err?.message ?? String(e);
}

/** A capture that cannot be read at all: the CLI prints `message` on one line and exits non-zero. */
export class CaptureError extends Error {}
