/**
 * A provider's next upstream spec: classify the change, and (update) write, regenerate and
 * release it with the right version. scripts/lib/spec-update.ts has the steps.
 *
 *   pnpm spec:update <provider> <document|->   write the document byte for byte, regenerate,
 *                                              write a changeset, type-check and test the package
 *   pnpm spec:diff <provider> <document|->     the same classification; writes nothing
 *
 * Options: --accept-breaking (write a breaking change: a major changeset), --skip-checks (no
 * type check / tests after regenerating), --root <dir> (another tree; tests use a temp copy).
 * Exit: 0 done; 1 refused, nothing written (overlay, lint, breaking without --accept-breaking);
 * 2 usage; 3 written, but the provider package's type check or tests fail (the adapter must change).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { specUpdate } from "./lib/spec-update.js";

const usage = [
  "usage: pnpm spec:update <provider> <document|-> [--accept-breaking] [--skip-checks] [--root <dir>]",
  "       pnpm spec:diff <provider> <document|-> [--root <dir>]",
].join("\n");

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      options: {
        "accept-breaking": { type: "boolean" },
        "skip-checks": { type: "boolean" },
        root: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    console.error(`spec: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [mode, provider, source, ...extra] = positionals;
  if ((mode !== "update" && mode !== "diff") || !provider || !source || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  // pnpm runs scripts from the workspace root; a relative path means the caller's directory.
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for this run, not a turbo task input
  const callerDir = process.env.INIT_CWD ?? process.cwd();
  let document: Buffer;
  try {
    document = source === "-" ? await readStdin() : readFileSync(resolve(callerDir, source));
  } catch (error) {
    console.error(`spec:${mode}: cannot read ${source}: ${(error as Error).message}`);
    return 2;
  }
  const result = await specUpdate({
    provider,
    document,
    write: mode === "update",
    acceptBreaking: values["accept-breaking"] ?? false,
    checks: !(values["skip-checks"] ?? false),
    ...(values.root === undefined ? {} : { root: resolve(callerDir, values.root) }),
    log: (line) => console.log(line),
  });
  return result.exitCode;
}

process.exitCode = await main();
