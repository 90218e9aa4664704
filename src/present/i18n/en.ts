// English catalogue: the analysis messages (events, comments) and the report's own words.
import { annotateEn } from './annotate.en.js';
import { reportEn } from './report.en.js';
import { checklistEn } from './checklist.en.js';
import { incidentsEn } from './incidents.en.js';

export const en = { ...annotateEn, ...reportEn, ...checklistEn, ...incidentsEn };
