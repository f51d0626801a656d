import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkChangesets } from "../changeset-check.js";

let repo: string;
const git = (...args: string[]) =>
  execFileSync("git", args, {
    cwd: repo,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  });
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};
const commit = (message: string) => {
  git("add", "-A");
  git("commit", "-q", "-m", message);
};
const check = () => checkChangesets(repo, () => {});

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "changeset-check-"));
  git("init", "-q");
  write(".changeset/config.json", "{}\n");
  write("packages/alpha/package.json", '{"name":"@x/alpha","version":"1.0.0"}\n');
  write("packages/alpha/CHANGELOG.md", "# @x/alpha\n\n## 1.0.0\n");
  write("packages/beta/package.json", '{"name":"@x/beta","version":"1.0.0"}\n');
  write("packages/beta/CHANGELOG.md", "# @x/beta\n\n## 1.0.0\n");
  write("packages/tools/package.json", '{"name":"tools","private":true}\n');
  commit("release 1.0.0");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe("changeset:check", () => {
  it("passes right after a release", () => {
    expect(check()).toEqual([]);
  });

  it("fails for a source change (committed or not) or a spec change without a changeset", () => {
    write("packages/alpha/src/index.ts", "export const a = 1;\n");
    expect(check()).toEqual(["@x/alpha"]);
    commit("alpha change");
    expect(check()).toEqual(["@x/alpha"]);
    write("specs/beta/openapi.yaml", "openapi: 3.1.0\n");
    expect(check()).toEqual(["@x/alpha", "@x/beta"]);
  });

  it("passes once a changeset names the package, and only for that package", () => {
    write("packages/alpha/src/index.ts", "export const a = 1;\n");
    write("packages/beta/src/index.ts", "export const b = 1;\n");
    write(".changeset/brave-fox.md", '---\n"@x/alpha": patch\n---\n\nFix alpha.\n');
    commit("changes");
    expect(check()).toEqual(["@x/beta"]);
  });

  it("ignores files that never ship (tests, benches, vitest config) and private packages", () => {
    write("packages/alpha/test/a.test.ts", "\n");
    write("packages/alpha/vitest.config.ts", "\n");
    write("packages/tools/src/x.ts", "\n");
    commit("tests only");
    expect(check()).toEqual([]);
  });

  it("counts from each package's own last release (its CHANGELOG.md written by changeset version)", () => {
    write("packages/alpha/src/index.ts", "export const a = 1;\n");
    write(".changeset/a.md", '---\n"@x/alpha": minor\n---\n\nA.\n');
    commit("alpha feature");
    // `changeset version`: the changeset is consumed, the CHANGELOG written.
    rmSync(join(repo, ".changeset/a.md"));
    write("packages/alpha/CHANGELOG.md", "# @x/alpha\n\n## 1.1.0\n\n- A.\n");
    commit("version packages");
    expect(check()).toEqual([]);
  });
});
