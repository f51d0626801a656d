/**
 * Wall-clock timing of `node --import tsx scripts/generate.ts` (hyperfine is not installed):
 *   npx tsx bench/generate-timing.ts [runs=5]
 * Prints min/median for a write run (idempotent: nothing changes on a clean tree), a --check run,
 * and the bare `node --import tsx` start-up, then one in-process --timings breakdown.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const runs = Number(process.argv[2] ?? 5);

function time(args: string[]): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(process.execPath, ["--import", "tsx", ...args], { cwd: root, stdio: "pipe" });
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

function row(label: string, samples: number[]): string {
  const median = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
  return `| ${label} | ${runs} | ${(samples[0] ?? Number.NaN).toFixed(0)} ms | ${median.toFixed(0)} ms |`;
}

console.log("| command | runs | min | median |");
console.log("| --- | --- | --- | --- |");
console.log(row("node --import tsx scripts/generate.ts", time(["scripts/generate.ts"])));
console.log(
  row("node --import tsx scripts/generate.ts --check", time(["scripts/generate.ts", "--check"])),
);
console.log(row("node --import tsx -e '' (start-up only)", time(["-e", ""])));
console.log("");
console.log(
  execFileSync(
    process.execPath,
    ["--import", "tsx", "scripts/generate.ts", "--check", "--timings"],
    {
      cwd: root,
      encoding: "utf8",
    },
  ),
);
