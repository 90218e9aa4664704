import type { reportEn } from './report.en.js';

export const reportFr: Record<keyof typeof reportEn, string> = {
  'report.title': 'rapport vrrpscope',
};
