// What the analysers say: event summaries and per-frame comments.
export const annotateEn = {
  'vrrp.placeholder': '',
};
