/**
 * A provider's next spec document -> strict overlay -> lint -> classified diff -> (spec:update)
 * the document written byte for byte, code regenerated, a changeset per changed package, the
 * example files re-validated, and the provider package's type check and tests run.
 *
 * Nothing is written until the new document loads with its overlay, lints clean, and either has
 * no breaking change or `acceptBreaking` is set. A failed regeneration puts the old bytes back.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { checkExamples } from "./examples.js";
import { generate } from "./generate.js";
import { lintSpec } from "./lint.js";
import {
  type Bump,
  diffSpecs,
  formatChanges,
  formatReport,
  type SpecDiffReport,
} from "./spec-diff.js";
import {
  listProviders,
  loadSpec,
  type OverlayAction,
  parseSpecText,
  rootDir,
  specSourcePath,
} from "./specs.js";

const run = promisify(execFile);

export interface SpecUpdateOptions {
  provider: string;
  /** The next document, exactly as it will be written. */
  document: Buffer;
  /** false: classify only, write nothing (spec:diff). */
  write: boolean;
  /** Write (and exit 0) even when a change is breaking. */
  acceptBreaking?: boolean;
  /** Run the provider package's type check and tests after regenerating (default true). */
  checks?: boolean;
  root?: string;
  /** Progress and report lines; defaults to nothing. */
  log?: (line: string) => void;
}

export interface PackageCheck {
  /** `tsc --noEmit -p packages/<p>/tsconfig.json` passed. */
  typecheck: boolean;
  /** `vitest run` in packages/<p> passed. */
  tests: boolean;
  /** Type errors in the adapter, `src/adapter.ts:LINE:COL message`: the adapter must change. */
  adapterErrors: string[];
  /** Every other type error, same format, path relative to the package. */
  otherErrors: string[];
  /** The failing tests' output tail, when tests failed. */
  testOutput: string;
}

export interface SpecUpdateResult {
  /**
   * 0: done (or nothing to do); 1: refused, nothing written (overlay, lint, breaking without
   * acceptBreaking, regeneration failed); 3: written, but the package's type check or tests fail.
   */
  exitCode: 0 | 1 | 3;
  /** Why it was refused, one line per problem. */
  errors: string[];
  report: SpecDiffReport | null;
  /** Example files that no longer validate against the new document. */
  examples: string[];
  /** Repo-relative paths written (spec, generated files, changeset). */
  written: string[];
  /** The changeset written: its path and each package's bump. */
  changeset: { path: string; bumps: Record<string, Bump> } | null;
  check: PackageCheck | null;
}

function sha(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 10);
}

function overlayActions(root: string, provider: string): OverlayAction[] {
  const path = join(root, "specs", provider, "overlay.yaml");
  if (!existsSync(path)) return [];
  const overlay = parseYaml(readFileSync(path, "utf8")) as { actions?: OverlayAction[] };
  return overlay.actions ?? [];
}

/** `packages/<dir>/src/generated/...` -> the npm name in packages/<dir>/package.json. */
function packageName(root: string, generatedPath: string): string | null {
  const dir = /^packages\/([^/]+)\/src\/generated\//.exec(generatedPath)?.[1];
  if (dir === undefined) return null;
  const manifest = join(root, "packages", dir, "package.json");
  if (!existsSync(manifest)) return `@refundkit/${dir}`;
  return (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name;
}

function infoVersion(document: unknown): string {
  const info = (document as { info?: { version?: unknown } })?.info;
  return typeof info?.version === "string" ? info.version : "?";
}

/** The changeset text: front matter with each package's bump, then the classified changes. */
export function renderChangeset(
  provider: string,
  bumps: Record<string, Bump>,
  report: SpecDiffReport,
  versions: { from: string; to: string },
): string {
  const front = Object.entries(bumps)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, bump]) => `"${name}": ${bump}`);
  const heading =
    versions.from === versions.to
      ? `specs/${provider}: the upstream document changed (info.version ${versions.to}); code regenerated.`
      : `specs/${provider}: upstream document ${versions.from} -> ${versions.to}; code regenerated.`;
  const body =
    report.changes.length > 0
      ? formatChanges(report.changes)
      : "No API change classified: the generated code changed in form only.";
  return `---\n${front.join("\n")}\n---\n\n${heading}\n\n${body}\n`;
}

/** `src/adapter.ts(12,5): error TS2339: ...` lines of tsc's output, split adapter / the rest. */
export function parseTypeErrors(output: string): { adapter: string[]; other: string[] } {
  const adapter: string[] = [];
  const other: string[] = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line.trim());
    if (match === null) continue;
    const [, file = "", row, column, message] = match;
    const text = `${file.replace(/\\/g, "/")}:${row}:${column} ${message}`;
    if (/(^|\/)src\/adapter\.ts$/.test(file.replace(/\\/g, "/"))) adapter.push(text);
    else other.push(text);
  }
  return { adapter, other };
}

/** The packages/<dir> folders of a package's `workspace:` dependencies that have no dist/ yet. */
function unbuiltDependencies(root: string, provider: string): string[] {
  const read = (dir: string) =>
    JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as {
      name: string;
      dependencies?: Record<string, string>;
    };
  const dirs = new Map(
    readdirSync(join(root, "packages"))
      .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
      .map((dir) => [read(dir).name, dir]),
  );
  return Object.entries(read(provider).dependencies ?? {})
    .filter(([, range]) => range.startsWith("workspace:"))
    .map(([name]) => dirs.get(name))
    .filter(
      (dir): dir is string => dir !== undefined && !existsSync(join(root, "packages", dir, "dist")),
    );
}

/** Type check and tests of packages/<provider>, as `pnpm --filter @refundkit/<p>` would run them. */
export async function checkPackage(
  root: string,
  provider: string,
  log: (line: string) => void = () => {},
): Promise<PackageCheck> {
  const cwd = join(root, "packages", provider);
  // The type check reads sibling packages' types from their dist/ (turbo's typecheck depends
  // on ^build for the same reason): build them first on a fresh clone.
  const unbuilt = unbuiltDependencies(root, provider);
  if (unbuilt.length > 0) {
    const name = (JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { name: string })
      .name;
    log(
      `building ${unbuilt.join(", ")} first (no dist/ yet): turbo run build --filter=${name}^...`,
    );
    const turbo = join(root, "node_modules", "turbo", "bin", "turbo");
    await run(process.execPath, [turbo, "run", "build", `--filter=${name}^...`], {
      cwd: root,
      maxBuffer: 32 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => log(`the build failed:\n${error.stdout ?? ""}`));
  }
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const outcome = async (args: string[]) =>
    run(process.execPath, args, {
      cwd,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    }).then(
      ({ stdout, stderr }) => ({ ok: true, output: `${stdout}${stderr}` }),
      (error: { stdout?: string; stderr?: string }) => ({
        ok: false,
        output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
      }),
    );
  const typecheck = await outcome([tsc, "--noEmit", "-p", "tsconfig.json"]);
  const tests = await outcome([vitest, "run", "--reporter=dot"]);
  const errors = parseTypeErrors(typecheck.output);
  return {
    typecheck: typecheck.ok,
    tests: tests.ok,
    adapterErrors: errors.adapter,
    otherErrors: errors.other,
    testOutput: tests.ok ? "" : tests.output.split("\n").slice(-40).join("\n"),
  };
}

export async function specUpdate(options: SpecUpdateOptions): Promise<SpecUpdateResult> {
  const root = options.root ?? rootDir;
  const log = options.log ?? (() => {});
  const { provider } = options;
  const result: SpecUpdateResult = {
    exitCode: 1,
    errors: [],
    report: null,
    examples: [],
    written: [],
    changeset: null,
    check: null,
  };
  const refuse = (lines: string[]) => {
    result.errors.push(...lines);
    for (const line of lines) log(line);
    log(`spec:${options.write ? "update" : "diff"}: refused; nothing was written`);
    return result;
  };

  if (!listProviders(root).includes(provider)) {
    return refuse([`no provider "${provider}": expected one of ${listProviders(root).join(", ")}`]);
  }
  const sourcePath = specSourcePath(provider, root);
  const specFile = relative(root, sourcePath).split("\\").join("/");
  const oldBytes = readFileSync(sourcePath);
  const newText = options.document.toString("utf8");

  // 0. A tree whose generated files are already stale would mix someone else's change into this
  // one's changeset: refuse until `pnpm generate` has been run.
  if (options.write) {
    const current = await generate({ root, check: true });
    if (!current.ok) {
      return refuse([
        "the generated files are not up to date with specs/ before this update; run pnpm generate (and commit) first:",
        ...current.errors,
        ...current.changed.map((path) => `  would change: ${path}`),
        ...current.stale.map((path) => `  should not exist: ${path}`),
        ...current.scaffolded.map((name) => `  missing package: packages/${name}/`),
      ]);
    }
  }

  // 1. The new document with the overlay applied strictly, and linted, before anything is written.
  let oldUpstream: unknown;
  let newUpstream: unknown;
  let oldSpec: Awaited<ReturnType<typeof loadSpec>>;
  let newSpec: Awaited<ReturnType<typeof loadSpec>>;
  try {
    oldSpec = await loadSpec(provider, root);
    oldUpstream = parseSpecText(oldBytes.toString("utf8"), sourcePath, specFile);
  } catch (error) {
    return refuse([`the checked-in ${specFile} does not load: ${(error as Error).message}`]);
  }
  try {
    newUpstream = parseSpecText(newText, sourcePath, `the new document (for ${specFile})`);
    newSpec = await loadSpec(provider, root, newText);
  } catch (error) {
    return refuse([(error as Error).message]);
  }

  // 2. Classify, and check the examples against the new document.
  const report = diffSpecs({
    provider,
    oldUpstream,
    newUpstream,
    oldOverlaid: oldSpec.document,
    newOverlaid: newSpec.document,
    actions: overlayActions(root, provider),
  });
  result.report = report;
  log(formatReport(report));
  result.examples = checkExamples(root, provider, newSpec.document);
  if (result.examples.length > 0) {
    log(
      `${result.examples.length} example problem(s) in specs/${provider}/examples/ against the new document (the documented bodies no longer fit: fix the example or ask why the spec changed):`,
    );
    for (const line of result.examples) log(`  ${line}`);
  } else {
    log(`specs/${provider}/examples/: every example validates against the new document`);
  }

  // The lint after the classification, so a reviewer sees what changed even when it fails:
  // scripts/generate refuses a document that does not lint clean.
  const problems = await lintSpec(provider, { root, document: newSpec.document });
  if (problems.length > 0) {
    return refuse([
      `the new document does not lint clean after the overlay (${problems.length} problem(s)); fix it with an overlay action (with a description saying why) or ask the provider:`,
      ...problems.map((problem) => `  ${problem.text}`),
    ]);
  }
  if (report.breaking && !options.acceptBreaking) {
    return refuse([
      `breaking change(s) in specs/${provider} (or upstream changes the overlay hides, listed above): re-run with --accept-breaking to write them (a major changeset)`,
    ]);
  }
  if (!options.write) {
    result.exitCode = 0;
    return result;
  }

  // 3. Write the bytes, regenerate (all or nothing), and put the old bytes back if that fails.
  if (oldBytes.equals(options.document)) {
    log(`${specFile}: the new document is byte-identical; nothing to do`);
    result.exitCode = 0;
    return result;
  }
  writeFileSync(sourcePath, options.document);
  const generated = await generate({ root });
  if (!generated.ok) {
    writeFileSync(sourcePath, oldBytes);
    return refuse(["scripts/generate failed on the new document:", ...generated.errors]);
  }
  result.written.push(specFile, ...generated.changed, ...generated.stale);
  log(`wrote ${specFile}`);
  for (const path of generated.changed) log(`wrote ${path}`);

  // 4. A changeset for every package whose generated code or mock changed.
  const names = new Set(
    generated.changed.map((path) => packageName(root, path)).filter((name) => name !== null),
  );
  if (names.size > 0) {
    const bump: Bump = report.bump ?? "patch";
    const bumps = Object.fromEntries([...names].sort().map((name) => [name, bump]));
    const path = `.changeset/spec-${provider}-${sha(options.document)}.md`;
    mkdirSync(join(root, ".changeset"), { recursive: true });
    writeFileSync(
      join(root, path),
      renderChangeset(provider, bumps, report, {
        from: infoVersion(oldUpstream),
        to: infoVersion(newUpstream),
      }),
    );
    result.changeset = { path, bumps };
    result.written.push(path);
    log(
      `wrote ${path} (${Object.entries(bumps)
        .map(([name, b]) => `${name}: ${b}`)
        .join(", ")})`,
    );
  } else {
    log("no generated code or mock changed: no changeset");
  }

  // 5. Does the provider package still compile and pass its tests?
  result.exitCode = 0;
  if (options.checks === false) {
    log(`type check and tests of packages/${provider} skipped (--skip-checks)`);
    return result;
  }
  if (!existsSync(join(root, "packages", provider, "tsconfig.json"))) {
    log(`packages/${provider}/ has no tsconfig.json yet: nothing to check`);
    return result;
  }
  log(`running the type check and tests of packages/${provider}...`);
  const check = await checkPackage(root, provider, log);
  result.check = check;
  if (check.adapterErrors.length > 0) {
    log(`the change broke the adapter: packages/${provider}/src/adapter.ts must change:`);
    for (const line of check.adapterErrors) log(`  ${line}`);
  } else if (existsSync(join(root, "packages", provider, "src", "adapter.ts"))) {
    log(`packages/${provider}/src/adapter.ts type-checks against the new types`);
  }
  if (check.otherErrors.length > 0) {
    log(`other type errors in packages/${provider}:`);
    for (const line of check.otherErrors) log(`  ${line}`);
  }
  if (!check.typecheck && check.adapterErrors.length + check.otherErrors.length === 0) {
    log(`packages/${provider}: the type check failed`);
  }
  if (!check.tests) {
    log(`packages/${provider}: tests fail:`);
    log(check.testOutput);
  }
  if (check.typecheck && check.tests) {
    log(`packages/${provider}: type check and tests pass`);
  } else {
    result.exitCode = 3;
    log(
      `spec:update: written, but packages/${provider} must change before this can be released (exit 3)`,
    );
  }
  return result;
}
