/**
 * Releases with changesets: each package versioned on its own (no `fixed`/`linked` groups).
 *
 *   pnpm release              build, then `changeset publish` (npm publish of every package whose
 *                             version is not on the registry yet, with provenance: publishConfig,
 *                             so it must run where npm can mint it, e.g. GitHub Actions with
 *                             `id-token: write`), then git tags
 *   pnpm release --dry-run    build, `changeset version` (bumps, CHANGELOG.md files, changesets
 *                             consumed), `pnpm -r publish --dry-run`, then puts every file that
 *                             `changeset version` touched back as it was. No credentials needed,
 *                             nothing committed, nothing published.
 *
 * The versioning step of a real release is `pnpm changeset version` (commit its result: that
 * commit is each released package's "last release" for `pnpm changeset:check`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

function run(command: string, args: string[]): void {
  console.log(`$ ${command} ${args.join(" ")}`);
  execFileSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
}

/** pnpm as this script was started by, else the pinned version through npx. */
function pnpm(args: string[]): void {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath)) run(process.execPath, [execpath, ...args]);
  else run("npx", ["-y", "pnpm@10.34.9", ...args]);
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

function packageDirs(): string[] {
  return readdirSync(join(root, "packages"))
    .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
    .sort();
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as Manifest;
}

/** Every file `changeset version` may write or delete, with its content now (null: absent). */
function snapshot(): Map<string, string | null> {
  const files = new Map<string, string | null>();
  const keep = (path: string) =>
    files.set(path, existsSync(path) ? readFileSync(path, "utf8") : null);
  for (const dir of packageDirs()) {
    keep(join(root, "packages", dir, "package.json"));
    keep(join(root, "packages", dir, "CHANGELOG.md"));
  }
  for (const file of readdirSync(join(root, ".changeset"))) keep(join(root, ".changeset", file));
  return files;
}

function restore(files: Map<string, string | null>): void {
  for (const [path, content] of files) {
    if (content === null) rmSync(path, { force: true });
    else writeFileSync(path, content);
  }
}

function dryRun(): void {
  const before = new Map(packageDirs().map((dir) => [dir, manifest(dir)]));
  const files = snapshot();
  const undo = () => restore(files);
  // Put the tree back even when interrupted.
  const onSignal = (signal: NodeJS.Signals) => {
    undo();
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    pnpm(["exec", "changeset", "version"]);
    const bumped: string[] = [];
    for (const [dir, old] of before) {
      const now = manifest(dir);
      if (now.version === old.version) continue;
      const changelog = join(root, "packages", dir, "CHANGELOG.md");
      const text = existsSync(changelog) ? readFileSync(changelog, "utf8") : "";
      if (!text.includes(`## ${now.version}`)) {
        throw new Error(`${now.name}: ${now.version} has no CHANGELOG.md entry`);
      }
      bumped.push(`${now.name} ${old.version} -> ${now.version}`);
    }
    const pending = readdirSync(join(root, ".changeset")).filter(
      (file) => file.endsWith(".md") && file !== "README.md",
    );
    if (pending.length > 0) throw new Error(`changesets left unconsumed: ${pending.join(", ")}`);
    console.log(
      bumped.length > 0
        ? `release --dry-run: would release\n  ${bumped.join("\n  ")}`
        : "release --dry-run: no pending changesets, nothing to release",
    );
    if (bumped.length > 0) {
      // pnpm packs each package (workspace: ranges rewritten) and runs npm publish --dry-run;
      // the registry is only asked which versions exist already.
      const summary = join(root, "pnpm-publish-summary.json");
      try {
        pnpm(["-r", "publish", "--dry-run", "--no-git-checks", "--report-summary"]);
        const published = (
          JSON.parse(readFileSync(summary, "utf8")) as { publishedPackages: Manifest[] }
        ).publishedPackages.map((entry) => `${entry.name}@${entry.version}`);
        console.log(`release --dry-run: publish would send ${published.join(", ")}`);
      } finally {
        rmSync(summary, { force: true });
      }
    }
  } finally {
    undo();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  console.log("release --dry-run: versions, CHANGELOGs and changesets restored");
}

const { values } = parseArgs({ options: { "dry-run": { type: "boolean", default: false } } });
pnpm(["run", "build"]);
if (values["dry-run"]) dryRun();
else pnpm(["exec", "changeset", "publish"]);
