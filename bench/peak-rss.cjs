// Preloaded into a measured command (node --require bench/peak-rss.cjs …): at exit, writes the process's
// peak resident memory in KiB (getrusage ru_maxrss, exact, unlike polling /proc) to the file named by
// VRRPSCOPE_PEAK_RSS_FILE. Used by bench/memory.mjs and test/io/memory.test.ts.
const { writeFileSync } = require('node:fs');
const file = process.env.VRRPSCOPE_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
