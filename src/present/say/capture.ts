import type { NoteSentences } from './types.js';

export const captureNotes: NoteSentences<'capture.copy' | 'capture.overlap' | 'capture.unpaired'> = {
  'capture.copy': (n, say) => say.i18n.t('capture.copy', { fileFrame: n.fileFrame, file: n.file }),
  'capture.overlap': (n, say) => say.i18n.t(n.frames === 1 ? 'capture.overlap.one' : 'capture.overlap', { a: n.files[0], b: n.files[1], count: say.i18n.fmt.count(n.frames), first: n.first }),
  'capture.unpaired': (n, say) => say.i18n.t(n.frames === 1 ? 'capture.unpaired.one' : 'capture.unpaired', { count: say.i18n.fmt.count(n.frames) }),
};
