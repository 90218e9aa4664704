// Words of the rendered reports (titles, headings, table columns).
export const reportEn = {
  'report.title': 'vrrpscope report',
};
