import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { lintSpec } from "./lint.js";
import {
  renderMockDocument,
  renderMockIndex,
  renderOpenapiTypes,
  renderSpecModule,
} from "./render.js";
import { extractRuntime } from "./runtime.js";
import { listProviders, loadSpec, rootDir } from "./specs.js";

export const templatesDir = fileURLToPath(new URL("../templates/", import.meta.url));

/** Folders under packages/ that are not provider clients: a spec folder may not take these names. */
const RESERVED = new Set(["core", "mock", "refundkit", "cli"]);

export interface GenerateOptions {
  root?: string;
  /** Compare with the files on disk instead of writing. */
  check?: boolean;
}

export type Step = "load" | "lint" | "types" | "spec" | "mock" | "scaffold" | "write";

export interface GenerateResult {
  ok: boolean;
  /** One line per problem: `specs/<p>: ...`. Non-empty means nothing was written. */
  errors: string[];
  /** Repo-relative paths written (or, with --check, that would change). */
  changed: string[];
  /** Repo-relative paths in a generated folder that no spec produces (deleted unless --check). */
  stale: string[];
  /** Provider packages scaffolded (or, with --check, missing). */
  scaffolded: string[];
  unchanged: number;
  timings: Record<Step, number>;
  perProvider: Record<string, Partial<Record<Step, number>>>;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function pascalCase(name: string): string {
  return name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** scripts/templates/**\/*.tmpl -> packages/<name>/**, placeholders filled in. */
export function renderScaffold(name: string, title: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const path of listFiles(templatesDir).sort()) {
    if (!path.endsWith(".tmpl")) continue;
    const target = toPosix(relative(templatesDir, path)).replace(/\.tmpl$/, "");
    // Inside JSON the title must stay a valid string.
    const safeTitle = target.endsWith(".json") ? JSON.stringify(title).slice(1, -1) : title;
    const text = readFileSync(path, "utf8")
      .replaceAll("__NAME__", name)
      .replaceAll("__PASCAL__", pascalCase(name))
      .replaceAll("__TITLE__", safeTitle);
    files.set(target, text);
  }
  return files;
}

export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const root = options.root ?? rootDir;
  const check = options.check ?? false;
  const timings: Record<Step, number> = {
    load: 0,
    lint: 0,
    types: 0,
    spec: 0,
    mock: 0,
    scaffold: 0,
    write: 0,
  };
  const perProvider: Record<string, Partial<Record<Step, number>>> = {};
  const timed = async <T>(provider: string | null, step: Step, run: () => T | Promise<T>) => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      const elapsed = performance.now() - start;
      timings[step] += elapsed;
      if (provider !== null) {
        const steps = perProvider[provider] ?? {};
        steps[step] = (steps[step] ?? 0) + elapsed;
        perProvider[provider] = steps;
      }
    }
  };

  const errors: string[] = [];
  const expected = new Map<string, string>(); // repo-relative path -> content
  const scaffolds = new Map<string, Map<string, string>>();
  const providers = listProviders(root);

  for (const provider of providers) {
    if (!/^[a-z][a-z0-9-]*$/.test(provider) || RESERVED.has(provider)) {
      errors.push(
        `specs/${provider}: a provider folder must be lower-case kebab-case and not one of ${[...RESERVED].join(", ")}`,
      );
      continue;
    }
    try {
      const { document } = await timed(provider, "load", () => loadSpec(provider, root));
      const problems = await timed(provider, "lint", () => lintSpec(provider, { root, document }));
      if (problems.length > 0) {
        errors.push(...problems.map((problem) => problem.text));
        continue;
      }
      const runtime = extractRuntime(provider, document);
      const types = await timed(provider, "types", () => renderOpenapiTypes(provider, document));
      const spec = await timed(provider, "spec", () => renderSpecModule(provider, runtime));
      const mock = await timed(provider, "mock", () => renderMockDocument(provider, document));
      expected.set(`packages/${provider}/src/generated/openapi.ts`, types);
      expected.set(`packages/${provider}/src/generated/spec.ts`, spec);
      expected.set(`packages/mock/src/generated/${provider}.ts`, mock);
      if (!existsSync(join(root, "packages", provider))) {
        const title = typeof document.info?.title === "string" ? document.info.title : provider;
        scaffolds.set(
          provider,
          await timed(provider, "scaffold", () => renderScaffold(provider, title)),
        );
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      errors.push(message.startsWith("specs/") ? message : `specs/${provider}: ${message}`);
    }
  }
  expected.set("packages/mock/src/generated/index.ts", renderMockIndex(providers));

  const result: GenerateResult = {
    ok: errors.length === 0,
    errors,
    changed: [],
    stale: [],
    scaffolded: [...scaffolds.keys()],
    unchanged: 0,
    timings,
    perProvider,
  };
  // All or nothing: a half-generated tree (say, a mock index naming a file that was not written)
  // is worse than yesterday's consistent one.
  if (!result.ok) return result;

  await timed(null, "write", () => {
    const packagesDir = join(root, "packages");
    const generatedDirs = existsSync(packagesDir)
      ? readdirSync(packagesDir).map((name) => join(packagesDir, name, "src", "generated"))
      : [];
    for (const dir of generatedDirs) {
      for (const file of listFiles(dir)) {
        const path = toPosix(relative(root, file));
        if (!expected.has(path)) result.stale.push(path);
      }
    }
    result.stale.sort();

    for (const [path, content] of [...expected].sort(([a], [b]) => a.localeCompare(b))) {
      const file = join(root, path);
      const current = existsSync(file) ? readFileSync(file, "utf8") : null;
      if (current === content) {
        result.unchanged += 1;
        continue;
      }
      result.changed.push(path);
      if (!check) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
    if (check) return;
    for (const path of result.stale) rmSync(join(root, path));
    for (const [provider, files] of scaffolds) {
      for (const [path, content] of files) {
        const file = join(root, "packages", provider, path);
        // Never overwrite: a package folder, once it exists, belongs to its authors.
        if (existsSync(file)) continue;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
  });
  if (check && (result.changed.length > 0 || result.stale.length > 0 || scaffolds.size > 0)) {
    result.ok = false;
  }
  return result;
}
