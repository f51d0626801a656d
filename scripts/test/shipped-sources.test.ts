/**
 * What ships must point where a user can follow: the published packages (src, generated types,
 * README, package.json, and dist once built) and the specs the generated comments come from never
 * refer to a file outside the package or the repository (the seed documents, PROVIDERS.md and the
 * other notes beside the repo, repo paths such as docs/ or specs/, relative links out of the
 * package). Provider facts cite the provider's public documentation URL instead; every provider
 * README lists those URLs under "Sources".
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { rootDir, specsDir } from "../lib/specs.js";

const packagesDir = join(rootDir, "packages");

/** Each pattern names what it catches; every one is tried on every line of every shipped file. */
const FORBIDDEN: readonly { name: string; pattern: RegExp }[] = [
  { name: "a seed document", pattern: /\bseeds?\s*`?0\d\d(_[0-9a-f]{16})?\b/i },
  { name: "a seed document", pattern: /\bseeds\/|\bthe seed\b/i },
  { name: "a note beside the repo", pattern: /\b(PROVIDERS|ARCHITECTURE|LIFECYCLE)\.md\b/ },
  { name: "a path outside the repo", pattern: /\.\.\/shared\b|(^|[\s("'`])\/work\// },
  {
    name: "a repository path (not shipped with the package)",
    // A bare repo-root path; the same path inside a URL (…/blob/main/docs/…) is fine.
    pattern: /(^|[^\w./:@<>-])(docs|scripts|specs|bench|\.changeset|\.ci)\/[\w.<>*-]/,
  },
];

interface Finding {
  file: string;
  line: number;
  what: string;
  text: string;
}

/** The forbidden references in one file's text (`file` is only used to label findings). */
function findReferences(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split("\n").forEach((line, index) => {
    for (const { name, pattern } of FORBIDDEN) {
      if (pattern.test(line)) {
        findings.push({ file, line: index + 1, what: name, text: line.trim().slice(0, 160) });
      }
    }
  });
  return findings;
}

/** Relative Markdown links (`[x](../y)`, `[x](bench/y.md)`): broken on npm and outside the tarball. */
function relativeLinks(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split("\n").forEach((line, index) => {
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? "";
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      findings.push({ file, line: index + 1, what: "a relative link", text: target });
    }
  });
  return findings;
}

/** Import/require specifiers that climb out of `packageDir` (code that would not be published). */
function escapingImports(file: string, text: string, packageDir: string): Finding[] {
  const findings: Finding[] = [];
  const specifier =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']*)["']/gm;
  for (const match of text.matchAll(specifier)) {
    const target = resolve(dirname(file), match[1] ?? "");
    if (target === packageDir || target.startsWith(packageDir + sep)) continue;
    const line = text.slice(0, match.index).split("\n").length;
    findings.push({ file, line, what: "an import from outside the package", text: match[1] ?? "" });
  }
  return findings;
}

function walk(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : walk(path, keep);
    return keep(path) ? [path] : [];
  });
}

interface Package {
  name: string;
  dir: string;
  private: boolean;
}

function packages(): Package[] {
  return readdirSync(packagesDir)
    .map((name) => ({ name, dir: join(packagesDir, name) }))
    .filter(({ dir }) => existsSync(join(dir, "package.json")))
    .map(({ name, dir }) => {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        private?: boolean;
      };
      return { name, dir, private: manifest.private === true };
    });
}

const published = packages().filter((pkg) => !pkg.private);

/** Every file a published package ships or is built from, plus the specs behind its comments. */
function shippedFiles(pkg: Package): string[] {
  const files = [
    ...walk(join(pkg.dir, "src"), (path) => /\.(ts|mts|cts|json)$/.test(path)),
    ...walk(join(pkg.dir, "dist"), (path) => /\.(mjs|cjs|js|d\.mts|d\.cts|d\.ts|map)$/.test(path)),
  ];
  for (const name of ["README.md", "package.json", "CHANGELOG.md"]) {
    if (existsSync(join(pkg.dir, name))) files.push(join(pkg.dir, name));
  }
  return files;
}

/** Our own specs and the overlays on upstream documents; the upstream documents stay verbatim. */
function specFiles(): string[] {
  return readdirSync(specsDir).flatMap((provider) => {
    const dir = join(specsDir, provider);
    if (!statSync(dir).isDirectory()) return [];
    const overlay = join(dir, "overlay.yaml");
    const own = existsSync(overlay)
      ? [overlay]
      : ["openapi.yaml", "openapi.json"].map((name) => join(dir, name)).filter(existsSync);
    return [...own, ...walk(join(dir, "examples"), (path) => path.endsWith(".json"))];
  });
}

const show = (findings: Finding[]) =>
  findings.map((f) => `${relative(rootDir, f.file)}:${f.line} ${f.what}: ${f.text}`);

describe("the check itself", () => {
  it.each([
    "from the seed 003 example",
    "(seed `002_64f03541078443b8.txt`, the source of truth)",
    "the seed's cURL example",
    "see ../shared/seeds/",
    "facts in PROVIDERS.md (hosts, auth)",
    "ARCHITECTURE.md, The facade contract",
    "/** docs/provider-behaviour.md, Capabilities. */",
    "// Generated by scripts/generate from specs/sezzle/. Do not edit.",
    "results in bench/RESULTS.md",
  ])("flags %j", (line) => {
    expect(findReferences("x.ts", line)).not.toEqual([]);
  });

  it.each([
    "https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#capabilities",
    "// Generated by the refundkit generator from https://github.com/refundkit/refundkit/tree/main/specs/sezzle. Do not edit.",
    "orders.seed({ provider, id, amount })",
    "https://docs.sezzle.com/docs/api/core/orders/postv2refundbyorder",
    "import { x } from './generated/spec.js';",
    "`@refundkit/<provider>` adapters",
  ])("lets %j through", (line) => {
    expect(findReferences("x.ts", line)).toEqual([]);
  });

  it("flags relative README links and imports that leave the package", () => {
    expect(relativeLinks("README.md", "[refundkit](../refundkit) [x](bench/R.md) [y](#z)")).toEqual(
      [
        { file: "README.md", line: 1, what: "a relative link", text: "../refundkit" },
        { file: "README.md", line: 1, what: "a relative link", text: "bench/R.md" },
      ],
    );
    const pkg = join(packagesDir, "sezzle");
    const file = join(pkg, "src", "client.ts");
    expect(escapingImports(file, 'import { a } from "./generated/spec.js";', pkg)).toEqual([]);
    expect(escapingImports(file, 'import { a } from "../../core/src/index.js";', pkg)).toHaveLength(
      1,
    );
  });
});

describe("shipped files refer to nothing outside the package or the repo", () => {
  it("finds the published packages and the specs", () => {
    expect(published.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(["core", "sezzle", "optty", "levelup", "moyasar", "briqpay", "mock"]),
    );
    expect(specFiles().length).toBeGreaterThanOrEqual(5);
  });

  it.each(published.map((pkg) => [pkg.name, pkg] as const))("%s", (_name, pkg) => {
    const files = shippedFiles(pkg);
    expect(files.some((file) => file.endsWith(`${sep}src${sep}index.ts`))).toBe(true);
    const findings = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [
        ...findReferences(file, text),
        ...(file.endsWith(".md") ? relativeLinks(file, text) : []),
        ...(/\.(ts|mjs|cjs)$/.test(file) ? escapingImports(file, text, pkg.dir) : []),
      ];
    });
    expect(show(findings)).toEqual([]);
  });

  it("specs: our own documents, the overlays and the examples", () => {
    const findings = specFiles().flatMap((file) =>
      findReferences(file, readFileSync(file, "utf8")),
    );
    expect(show(findings)).toEqual([]);
  });
});

/** The public documentation each provider's README must cite under "## Sources". */
const DOC_HOSTS = {
  sezzle: "docs.sezzle.com",
  optty: "docs.optty.com",
  levelup: "developer.thelevelup.com",
  moyasar: "mpg-acquirer-docs.moyasar.com",
  briqpay: "developer.briqpay.com",
} as const;

describe("provider facts cite the provider's public documentation", () => {
  it.each(Object.entries(DOC_HOSTS))("%s README lists its sources (%s)", (provider, host) => {
    const readme = readFileSync(join(packagesDir, provider, "README.md"), "utf8");
    const sources = readme.split(/^## Sources\s*$/m)[1]?.split(/^## /m)[0] ?? "";
    expect(sources, `packages/${provider}/README.md has no "## Sources" section`).not.toBe("");
    expect(sources).toContain(`https://${host}/`);
  });

  it.each(Object.entries(DOC_HOSTS))("%s spec cites %s", (provider, host) => {
    const dir = join(specsDir, provider);
    const own = ["overlay.yaml", "openapi.yaml", "openapi.json"]
      .map((name) => join(dir, name))
      .filter(existsSync)
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    expect(own).toContain(`https://${host}/`);
  });
});
