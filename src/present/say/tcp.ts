import type { NoteSentences } from './types.js';

export const tcpNotes: NoteSentences<'flows.evicted'> = {
  'flows.evicted': (n, say) => say.i18n.t('flows.evicted', { count: n.count, max: n.max }),
};
