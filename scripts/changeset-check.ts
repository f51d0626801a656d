/**
 * Every change to a package since its last release comes with a changeset naming it.
 *
 *   pnpm changeset:check
 *
 * For each package packages/<dir>/ (and its spec folder specs/<dir>/, which `pnpm generate` turns
 * into the package's code):
 * - its last release is the last commit that touched packages/<dir>/CHANGELOG.md: that file is
 *   written only by `changeset version`, the step that consumes changesets and bumps the version.
 *   A package without a CHANGELOG.md was never released: every commit counts.
 * - changed files = `git diff <last release>` over packages/<dir>/ and specs/<dir>/ (committed and
 *   uncommitted), except what never reaches the published package or its build: test/, bench/
 *   and vitest.config.ts.
 * - pending changesets = .changeset/*.md; `changeset version` deletes them, so every pending one
 *   was written since the last release.
 * A package with changed files that no pending changeset names fails the check, with the files.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const UNSHIPPED = [
  /^packages\/[^/]+\/test\//,
  /^packages\/[^/]+\/bench\//,
  /\/vitest\.config\.ts$/,
];

function git(root: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
}

/** Package names each pending changeset's front matter lists. */
export function namedInChangesets(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".md") || file === "README.md") continue;
    const text = readFileSync(join(dir, file), "utf8");
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
    for (const line of front.split(/\r?\n/)) {
      const match = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line);
      if (match?.[1]) names.add(match[1]);
    }
  }
  return names;
}

/** Runs the check on the repository at `root`; returns the names missing a changeset. */
export function checkChangesets(root: string, log: (line: string) => void = console.log): string[] {
  if (git(root, "rev-parse", "--is-shallow-repository") === "true") {
    throw new Error(
      "changeset:check needs the history since the last release: not a shallow clone",
    );
  }
  const named = namedInChangesets(join(root, ".changeset"));
  const missing: string[] = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const manifestPath = join(root, "packages", dir, "package.json");
    if (!existsSync(manifestPath)) continue;
    const { name, private: isPrivate } = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      name: string;
      private?: boolean;
    };
    if (isPrivate) continue;
    const released = git(root, "log", "-1", "--format=%H", "--", `packages/${dir}/CHANGELOG.md`);
    const base = released || git(root, "hash-object", "-t", "tree", "/dev/null"); // the empty tree
    const paths = [`packages/${dir}`, `specs/${dir}`];
    const changed = [
      ...git(root, "diff", "--name-only", base, "--", ...paths).split("\n"),
      ...git(root, "ls-files", "--others", "--exclude-standard", "--", ...paths).split("\n"),
    ].filter(
      (file) =>
        file !== "" &&
        file !== `packages/${dir}/CHANGELOG.md` &&
        !UNSHIPPED.some((rule) => rule.test(file)),
    );
    const since = released ? `since ${released.slice(0, 10)}` : "never released";
    if (changed.length === 0) {
      log(`  ${name}: unchanged (${since})`);
    } else if (named.has(name)) {
      log(`  ${name}: ${changed.length} changed files, changeset present (${since})`);
    } else {
      missing.push(name);
      log(
        `  ${name}: ${changed.length} changed files (${since}) but no changeset names it:\n` +
          changed
            .slice(0, 10)
            .map((file) => `    ${file}`)
            .join("\n"),
      );
    }
  }
  return missing;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = checkChangesets(resolve(fileURLToPath(new URL("..", import.meta.url))));
  if (missing.length > 0) {
    console.error(
      `changeset:check: add a changeset naming ${missing.join(", ")} (pnpm changeset, or a .changeset/<name>.md by hand)`,
    );
    process.exitCode = 1;
  } else {
    console.log("changeset:check: every changed package has a changeset");
  }
}
