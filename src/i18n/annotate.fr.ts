import type { annotateEn } from './annotate.en.js';

export const annotateFr: Record<keyof typeof annotateEn, string> = {
  'vrrp.placeholder': '',
};
