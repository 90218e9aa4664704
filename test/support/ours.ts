// vrrpscope's own view, through the built CLI exactly as a user runs it.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface OurFrame {
  n: number;
  time: number | null;
  layers: Record<string, Record<string, any>>;
  [k: string]: unknown;
}

export interface OurReport {
  captures: any[];
  events: any[];
  frames: OurFrame[];
  warnings: { frame?: number; message: string }[];
  hosts: any[];
  [k: string]: unknown;
}

export function reportJson(files: string[], extra: string[] = []): OurReport {
  const out = execFileSync('node', [CLI, 'report', ...files, '--format', 'json', '-o', '-', ...extra],
    { encoding: 'utf8', maxBuffer: 1 << 30 });
  return JSON.parse(out) as OurReport;
}

export function runCli(args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('node', [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (e: any) {
    return { status: e.status ?? -1, stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') };
  }
}
