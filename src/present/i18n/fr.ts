// Catalogue français, avec les mots d'un cours réseau : trame, maître, routeur de secours,
// annonce VRRP, ARP gratuit, serveur réel, serveur de secours (« sorry server »), quorum.
import type { en } from './en.js';
import { annotateFr } from './annotate.fr.js';
import { reportFr } from './report.fr.js';
import { checklistFr } from './checklist.fr.js';
import { incidentsFr } from './incidents.fr.js';

export const fr: Record<keyof typeof en, string> = { ...annotateFr, ...reportFr, ...checklistFr, ...incidentsFr };
