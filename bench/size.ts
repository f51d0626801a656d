/**
 * What a user's bundle pays for refundkit: each package's built ESM entry bundled with everything
 * it imports (core, openapi-fetch, currency data), minified, then gzipped. Run after a build:
 * `npx tsx bench/size.ts` (prints a Markdown table; results kept in bench/RESULTS.md).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));

/** Budgets in bytes, min+gzip: the numbers this project holds itself to. */
const budgets: Record<string, number> = {
  sezzle: 16_000,
  optty: 16_000,
  levelup: 16_000,
  moyasar: 16_000,
  briqpay: 16_000,
  refundkit: 30_000,
};

async function bundledSize(dir: string): Promise<{ minified: number; gzipped: number }> {
  const entry = join(root, "packages", dir, "dist", "index.mjs");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run the build first`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

const rows: string[] = [];
let overBudget = 0;
for (const [dir, budget] of Object.entries(budgets)) {
  const { minified, gzipped } = await bundledSize(dir);
  const ok = gzipped <= budget;
  if (!ok) overBudget += 1;
  rows.push(
    `| ${dir} | ${(minified / 1000).toFixed(1)} kB | ${(gzipped / 1000).toFixed(1)} kB | ${(budget / 1000).toFixed(0)} kB | ${ok ? "yes" : "**no**"} |`,
  );
}
console.log("| package (bundled with its deps) | minified | min+gzip | budget | within |");
console.log("| --- | ---: | ---: | ---: | --- |");
console.log(rows.join("\n"));
process.exitCode = overBudget === 0 ? 0 : 1;
