// Types of regen-golden.mjs for the golden test.
export interface GoldenCase { name: string; format: string; lang: string; file: string; args: string[]; available: boolean }
export const ROOT: string;
export const GOLDEN_DIR: string;
export function goldenCases(): GoldenCase[];
export function renderCase(gc: GoldenCase): string;
