// Preloaded by bench/bulk.ts (`node -r ./bench/max-rss.cjs ...`): writes the process's peak
// resident set size (kB, getrusage) and the CPU time it used (user + system, ms) as JSON to the
// file named by BENCH_MAX_RSS_FILE when it exits.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set only by bench/bulk.ts for its child
  const file = process.env.BENCH_MAX_RSS_FILE;
  if (!file) return;
  const usage = process.resourceUsage();
  const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  writeFileSync(file, JSON.stringify({ maxRSS: usage.maxRSS, cpuMs }));
});
