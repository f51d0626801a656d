/**
 * specs/<p>/ -> overlay -> Redocly lint -> packages/<p>/src/generated/{openapi,spec}.ts and
 * packages/mock/src/generated/{<p>,index}.ts; scaffolds packages/<p>/ for a new spec folder.
 *
 *   pnpm generate                 write (and scaffold), delete stale generated files
 *   pnpm generate --check         write nothing; exit 1 listing what would change
 *   pnpm generate --root <dir>    run on another tree (tests use a temp copy)
 *   pnpm generate --timings       print the per-step, per-provider time
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type GenerateResult, generate, type Step } from "./lib/generate.js";

const usage = "usage: tsx scripts/generate.ts [--check] [--root <dir>] [--timings]";

function formatTimings(result: GenerateResult, totalMs: number): string {
  const steps = Object.keys(result.timings) as Step[];
  const ms = (value: number | undefined) => `${(value ?? 0).toFixed(1)} ms`;
  const lines = [`timings (in process, total ${ms(totalMs)}):`];
  for (const [provider, perStep] of Object.entries(result.perProvider)) {
    lines.push(
      `  ${provider.padEnd(10)} ${steps
        .filter((step) => perStep[step] !== undefined)
        .map((step) => `${step} ${ms(perStep[step])}`)
        .join(", ")}`,
    );
  }
  lines.push(
    `  ${"all".padEnd(10)} ${steps.map((step) => `${step} ${ms(result.timings[step])}`).join(", ")}`,
  );
  return lines.join("\n");
}

async function main(): Promise<number> {
  let values: { check?: boolean; root?: string; timings?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        check: { type: "boolean" },
        root: { type: "string" },
        timings: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`generate: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const check = values.check ?? false;
  const start = performance.now();
  const result = await generate({
    check,
    ...(values.root === undefined ? {} : { root: resolve(values.root) }),
  });
  const totalMs = performance.now() - start;

  if (result.errors.length > 0) {
    for (const line of result.errors) console.error(line);
    console.error(
      `generate: failed with ${result.errors.length} problem(s); nothing was ${check ? "checked" : "written"}`,
    );
  } else if (check) {
    for (const path of result.changed) console.error(`would change: ${path}`);
    for (const path of result.stale) console.error(`should not exist: ${path}`);
    for (const provider of result.scaffolded) {
      console.error(`missing package: packages/${provider}/ (pnpm generate scaffolds it)`);
    }
    if (result.ok) {
      console.log(`generate --check: up to date (${result.unchanged} files)`);
    } else {
      console.error("generate --check: generated files are out of date; run pnpm generate");
    }
  } else {
    for (const path of result.changed) console.log(`wrote ${path}`);
    for (const path of result.stale) console.log(`deleted ${path}`);
    for (const provider of result.scaffolded) {
      console.log(`scaffolded packages/${provider}/ (run pnpm install to link its dependencies)`);
    }
    console.log(
      `generate: ${result.changed.length} written, ${result.unchanged} unchanged, ${result.stale.length} deleted in ${totalMs.toFixed(0)} ms`,
    );
  }
  if (values.timings) console.log(formatTimings(result, totalMs));
  return result.ok ? 0 : 1;
}

process.exitCode = await main();
