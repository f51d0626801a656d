import { readdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

/** Tests import sibling packages by name but run their source, so no build is needed first. */
const packagesDir = fileURLToPath(new URL("./packages/", import.meta.url));

export const sourceAliases: Record<string, string> = {
  // Subpath exports first: an alias also matches the names below it ("@refundkit/core/...").
  "@refundkit/core/internal": `${packagesDir}core/src/internal.ts`,
  "@refundkit/core/node": `${packagesDir}core/src/internal/node-fetch.ts`,
  // Core's default transport (package.json "imports"), as Node loads it.
  "#default-fetch": `${packagesDir}core/src/internal/node-fetch.ts`,
  ...Object.fromEntries(
    readdirSync(packagesDir).map((dir) => [
      dir === "refundkit" ? "refundkit" : `@refundkit/${dir}`,
      `${packagesDir}${dir}/src/index.ts`,
    ]),
  ),
};

/**
 * The one test definition every package's vitest.config.ts uses
 * (`export default packageProject(import.meta.url)`): the project is named after the package's
 * folder, runs test/**\/*.test.ts against the siblings' sources and type-tests *.test-d.ts.
 */
export function packageProject(configUrl: string) {
  const name = basename(dirname(fileURLToPath(configUrl)));
  return defineProject({
    resolve: { alias: sourceAliases },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
    },
  });
}
