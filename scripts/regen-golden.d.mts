// Types of regen-golden.mjs for the baseline tests.
export interface GoldenCase { name: string; files: string[]; lab: string | null; notes: Record<string, string[]>; available: boolean }
export const ROOT: string;
export const GOLDEN_DIR: string;
export const EVENTS_DIR: string;
export const DROPPED: string[];
export function goldenCases(): GoldenCase[];
export function reportDoc(files: string[], lang?: string): any;
export function baselines(doc: any): Record<string, Record<string, unknown>[]>;
export function renderCase(gc: GoldenCase, doc?: any): Record<string, string>;
export function existingFiles(gc: GoldenCase): string[];
